"""Invitations never hand an existing account to whoever holds the link (issue #12, item 1)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kliento.core.models import EmailLog, Membership, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _invite(client: Client, email: str, role: str, run_tasks) -> str:
    with run_tasks():
        r = client.post("/settings/members/", {"action": "invite", "invite-email": email,
                                               "invite-role": role})
    assert r.status_code == 302
    mail = EmailLog.objects.filter(kind="colleague_invite", to=email.lower()).latest("pk")
    return re.search(r"https?://[^/]+(/invite/\S+/)", mail.body_text).group(1)


def test_invite_link_cannot_take_over_another_workspaces_admin(world, signed_in, run_tasks):
    """Anna (acme) invites Mallory, globex's admin, and opens the link herself, signed out."""
    anna = signed_in(world.anna)
    path = _invite(anna, "mallory@globex.test", "viewer", run_tasks)
    # the link is in acme's own e-mail log
    log = anna.get(f"/settings/emails/{EmailLog.objects.get(kind='colleague_invite').pk}/")
    assert path.encode() in log.content

    attacker = Client()
    page = attacker.get(path)
    assert page.status_code == 200
    assert b'id="sign-in-first"' in page.content
    assert b'name="password"' not in page.content
    r = attacker.post(path, {"full_name": "Not Mallory", "password": "attacker's new secret"})
    assert r.status_code == 403
    assert "_auth_user_id" not in attacker.session
    assert attacker.get("/feed/").status_code == 302  # still signed out
    mallory = User.objects.get(email="mallory@globex.test")
    assert mallory.check_password(PASSWORD)
    assert not mallory.check_password("attacker's new secret")
    assert mallory.full_name == "Mallory Other"
    assert not Membership.objects.filter(user=mallory, workspace=world.acme).exists()
    # nor can the token holder mint API tokens in globex
    assert attacker.post("/switch/globex/").status_code == 302
    assert attacker.post("/settings/tokens/", {"name": "stolen"}).status_code == 302
    from kliento.core.models import ApiToken

    assert not ApiToken.objects.filter(name="stolen").exists()


def test_existing_account_signs_in_then_confirms_to_join(world, signed_in, run_tasks):
    path = _invite(signed_in(world.anna), "mallory@globex.test", "agent", run_tasks)
    mallory = Client()
    page = mallory.get(path)
    sign_in = re.search(rb'href="(/accounts/login/\?next=[^"]+)"', page.content).group(1)
    r = mallory.post(sign_in.decode().replace("&amp;", "&"),
                     {"username": "mallory@globex.test", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == path
    # signed in as the invited address: a button to confirm, no password form
    page = mallory.get(path)
    assert page.status_code == 200
    assert b'name="password"' not in page.content and b'type="submit"' in page.content
    assert not Membership.objects.filter(user=world.mallory, workspace=world.acme).exists()
    r = mallory.post(path)
    assert r.status_code == 302 and r["Location"] == "/feed/"
    assert Membership.objects.get(user=world.mallory, workspace=world.acme).role == "agent"
    assert b"Acme" in mallory.get("/feed/").content
    assert User.objects.get(pk=world.mallory.pk).check_password(PASSWORD)
    assert Client().get(path).status_code == 410


def test_someone_else_signed_in_is_refused(world, signed_in, run_tasks):
    path = _invite(signed_in(world.anna), "mallory@globex.test", "admin", run_tasks)
    bob = signed_in(world.bob)
    page = bob.get(path)
    assert page.status_code == 403
    assert b"another e-mail address" in page.content
    r = bob.post(path, {"full_name": "Bob", "password": "bob's long password"})
    assert r.status_code == 403
    assert not Membership.objects.filter(workspace=world.acme, role="admin",
                                         user=world.mallory).exists()
    assert Membership.objects.get(user=world.bob, workspace=world.acme).role == "agent"
    assert User.objects.get(pk=world.bob.pk).check_password(PASSWORD)


def test_new_address_sets_name_and_password_and_is_signed_in(world, signed_in, run_tasks):
    path = _invite(signed_in(world.anna), "Erik@Acme.test", "agent", run_tasks)
    newcomer = Client()
    page = newcomer.get(path)
    assert b'name="password"' in page.content
    r = newcomer.post(path, {"full_name": "", "password": "short"})
    assert r.status_code == 200 and b'class="error"' in r.content
    assert not User.objects.filter(email="erik@acme.test").exists()
    r = newcomer.post(path, {"full_name": "Erik Agent", "password": "erik's long password"})
    assert r.status_code == 302
    erik = User.objects.get(email="erik@acme.test")
    assert erik.full_name == "Erik Agent" and erik.check_password("erik's long password")
    assert Membership.objects.get(user=erik, workspace=world.acme).role == "agent"
    assert newcomer.get("/feed/").status_code == 200
    # posting the used link again creates nothing and signs nobody in
    again = Client()
    assert again.post(path, {"full_name": "X", "password": "another long one"}).status_code == 410
    assert "_auth_user_id" not in again.session
