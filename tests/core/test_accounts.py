from __future__ import annotations

import re

import pytest
from django.test import Client

from kliento.core.models import ColleagueInvite, EmailLog, Membership, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_lands_on_the_feed(world):
    client = Client()
    r = client.post("/accounts/login/", {"username": "alice@acme.test", "password": PASSWORD},
                    follow=True)
    assert r.status_code == 200
    assert r.redirect_chain[-1][0] == "/feed/"
    assert b"Acme" in r.content


def test_pages_need_sign_in(client, world):
    for url in ["/feed/", "/customers/", "/log/", "/settings/members/"]:
        r = client.get(url)
        assert r.status_code == 302
        assert r["Location"].startswith("/accounts/login/")


def test_repeated_failures_lock_the_account(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "bob@acme.test", "password": "wrong"})
    r = client.post("/accounts/login/", {"username": "bob@acme.test", "password": PASSWORD})
    assert r.status_code == 429
    assert b"Too many attempts" in r.content
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_working_link(world, run_tasks):
    client = Client()
    with run_tasks():
        r = client.post("/accounts/password-reset/", {"email": "alice@acme.test"})
    assert r.status_code == 302
    mail = EmailLog.objects.get(kind="password_reset")
    assert mail.to == "alice@acme.test"
    assert mail.state == "kept"  # no EMAIL_URL in tests: kept in the log
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.body_text).group(1)
    r = client.get(link, follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "a much newer secret 42",
                               "new_password2": "a much newer secret 42"})
    assert r.status_code == 302
    assert User.objects.get(email="alice@acme.test").check_password("a much newer secret 42")


def test_password_reset_for_unknown_address_tells_nothing(world, run_tasks):
    with run_tasks():
        r = Client().post("/accounts/password-reset/", {"email": "nobody@acme.test"})
    assert r.status_code == 302
    assert not EmailLog.objects.exists()


def test_admin_invites_a_colleague_who_joins(world, signed_in, run_tasks):
    anna = signed_in(world.anna)
    with run_tasks():
        r = anna.post("/settings/members/", {"action": "invite", "invite-email": "Dan@Acme.test",
                                             "invite-role": "viewer"})
    assert r.status_code == 302
    mail = EmailLog.objects.get(kind="colleague_invite")
    assert mail.to == "dan@acme.test"
    path = re.search(r"https?://[^/]+(/invite/\S+/)", mail.body_text).group(1)
    newcomer = Client()
    r = newcomer.post(path, {"full_name": "Dan Viewer", "password": "dan's long password"})
    assert r.status_code == 302
    dan = User.objects.get(email="dan@acme.test")
    assert Membership.objects.get(user=dan, workspace=world.acme).role == "viewer"
    assert newcomer.get("/feed/").status_code == 200
    # the link works once
    assert Client().get(path).status_code == 410


def test_agents_cannot_invite_or_manage_tokens(world, signed_in):
    alice = signed_in(world.alice)
    assert alice.get("/settings/members/").status_code == 403
    assert alice.get("/settings/tokens/").status_code == 403
    carol = signed_in(world.carol)
    assert carol.get("/settings/members/").status_code == 200
    r = carol.post("/settings/members/", {"action": "invite", "invite-email": "x@acme.test",
                                          "invite-role": "admin"})
    assert r.status_code == 403
    assert not ColleagueInvite.objects.exists()


def test_viewer_cannot_log_contacts(world, signed_in):
    from kliento.core.models import Role
    from kliento.core.services import add_member

    victor = User.objects.create_user("victor@acme.test", PASSWORD)
    add_member(workspace=world.acme, user=victor, role=Role.VIEWER)
    client = signed_in(victor)
    assert client.get("/feed/").status_code == 200
    assert client.get("/log/").status_code == 403


def test_switching_workspace_changes_what_you_see(world, signed_in, api, other_api):
    from kliento.core.models import Role
    from kliento.core.services import add_member

    add_member(workspace=world.globex, user=world.alice, role=Role.AGENT)
    other_api.post("/feedback", {"customer": {"email": "g@globex.pl", "name": "Globex Kunde"},
                                 "text": "Tylko w Globex"})
    api.post("/feedback", {"customer": {"email": "a@acme.lv", "name": "Acme Kunde"},
                           "text": "Only in Acme"})
    alice = signed_in(world.alice)
    assert b"Only in Acme" in alice.get("/feed/").content
    assert alice.post("/switch/globex/").status_code == 302
    page = alice.get("/feed/").content
    assert b"Tylko w Globex" in page and b"Only in Acme" not in page
    # bob is not in globex: switching there does nothing but 404
    assert signed_in(world.bob).post("/switch/globex/").status_code == 404


def test_tokens_are_shown_once_stored_hashed_and_revocable(world, signed_in):
    anna = signed_in(world.anna)
    r = anna.post("/settings/tokens/", {"name": "Helpdesk"})
    raw = re.search(rb'<code id="new-token">(kl_[^<]+)</code>', r.content).group(1).decode()
    from kliento.core.models import ApiToken

    token = ApiToken.objects.get(name="Helpdesk")
    assert token.token_hash == ApiToken.hash_token(raw) and raw not in token.token_hash
    assert raw.encode() not in anna.get("/settings/tokens/").content
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/customers").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    anna.post("/settings/tokens/", {"revoke": token.pk})
    assert api.get("/api/v1/customers").status_code == 401


def test_user_language_sets_the_interface_language(world, signed_in):
    world.alice.language = "lv"
    world.alice.save()
    page = signed_in(world.alice).get("/feed/")
    assert page["Content-Language"] == "lv"
