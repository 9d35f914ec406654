"""The first admin of a workspace made on the command line can get a password (#12, item 6)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kliento.core.models import EmailLog, Membership, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "the admin's own long secret"


def _create(email: str) -> str:
    out = StringIO()
    call_command("workspace", "create", "--name", "Initech", "--slug", "initech", "--admin",
                 email, stdout=out)
    return out.getvalue()


def _choose_password(client: Client, path: str, password: str = NEW_PASSWORD):
    r = client.get(path, follow=True)
    assert r.status_code == 200
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else path
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_workspace_create_prints_a_one_time_link_to_choose_a_password(db, settings):
    settings.BASE_URL = "https://kliento.initech.test"
    out = _create("Peter@Initech.test")
    peter = User.objects.get(email="peter@initech.test")
    assert not peter.has_usable_password()
    assert Membership.objects.get(user=peter, workspace__slug="initech").role == "admin"
    link = re.search(r"(https://kliento\.initech\.test)(/accounts/reset/\S+/)", out)
    assert link, out
    path = link.group(2)

    client = Client()
    r = _choose_password(client, path)
    assert r.status_code == 302
    peter.refresh_from_db()
    assert peter.check_password(NEW_PASSWORD)
    r = Client().post("/accounts/login/", {"username": "peter@initech.test",
                                           "password": NEW_PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == "/feed/" and b"Initech" in r.content

    # the link works once: following it again cannot change the password
    again = Client()
    r = again.get(path, follow=True)
    assert b"expired or was used already" in r.content
    _choose_password(again, path, "somebody else's password")
    peter.refresh_from_db()
    assert peter.check_password(NEW_PASSWORD)


def test_workspace_create_prints_no_link_for_an_admin_with_a_password(world):
    out = _create("anna@acme.test")
    assert "/accounts/reset/" not in out
    assert Membership.objects.get(user=world.anna, workspace__slug="initech").role == "admin"


def test_an_admin_without_a_password_can_use_forgot_your_password(db, run_tasks):
    _create("peter@initech.test")
    with run_tasks():
        r = Client().post("/accounts/password-reset/", {"email": "Peter@initech.test"})
    assert r.status_code == 302
    mail = EmailLog.objects.get(kind="password_reset")
    assert mail.to == "peter@initech.test"
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.body_text).group(1)
    assert _choose_password(Client(), path).status_code == 302
    assert User.objects.get(email="peter@initech.test").check_password(NEW_PASSWORD)


def test_a_password_removed_after_signing_in_stays_removed(world, run_tasks):
    from django.utils import timezone

    bob = world.bob
    bob.last_login = timezone.now()
    bob.set_unusable_password()
    bob.save()
    with run_tasks():
        r = Client().post("/accounts/password-reset/", {"email": "bob@acme.test"})
    assert r.status_code == 302
    assert not EmailLog.objects.filter(kind="password_reset").exists()
