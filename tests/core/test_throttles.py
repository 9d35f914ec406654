"""Password spraying and password-reset floods are throttled (issue #12, item 10)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.test import Client

from kliento.core.models import EmailLog, RateCounter
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 20, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _steady_clock(monkeypatch):
    """Rate windows are fixed; a test pinned inside one never straddles two."""
    monkeypatch.setattr("kliento.core.ratelimit.timezone", SimpleNamespace(now=lambda: NOW))


def _sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_one_password_tried_on_many_accounts_locks_out_the_address(world, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    # one guess per account: axes' lockout of an account (5 failures) never trips
    for email in ["alice@acme.test", "bob@acme.test", "carol@acme.test", "anna@acme.test"]:
        assert _sign_in(sprayer, email, "Summer2026!").status_code == 200
    r = _sign_in(sprayer, "mallory@globex.test", PASSWORD)  # even the right password
    assert r.status_code == 429
    assert b"from your network" in r.content
    assert "_auth_user_id" not in sprayer.session
    # other addresses are not affected, nor are the accounts themselves
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _sign_in(elsewhere, "alice@acme.test", PASSWORD).status_code == 302
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.8"), "mallory@globex.test",
                    PASSWORD).status_code == 302


def test_a_few_failures_from_a_shared_address_lock_nobody_out(world, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    office = Client(REMOTE_ADDR="203.0.113.10")
    for email in ["alice@acme.test", "bob@acme.test", "carol@acme.test"]:
        assert _sign_in(office, email, "typo").status_code == 200
    assert _sign_in(office, "anna@acme.test", PASSWORD).status_code == 302


def test_the_address_lockout_can_be_turned_off(world, settings):
    """Behind a proxy that hides client addresses every client shares one: 0 turns it off."""
    settings.LOGIN_IP_FAILURE_LIMIT = 0
    settings.PASSWORD_RESET_IP_LIMIT = 0
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for email in ["alice@acme.test", "bob@acme.test", "carol@acme.test"]:
        assert _sign_in(proxy, email, "typo").status_code == 200
    assert _sign_in(proxy, "anna@acme.test", PASSWORD).status_code == 302
    assert proxy.post("/accounts/password-reset/", {"email": "x@acme.test"}).status_code == 302


def test_the_address_limit_is_higher_than_the_account_limit_by_default(settings):
    assert settings.LOGIN_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT


def test_password_resets_for_one_address_are_limited(world, settings, run_tasks):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 2
    answers = []
    for n in range(4):  # from different clients: only the address is over its limit
        with run_tasks():
            r = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
                "/accounts/password-reset/", {"email": "Alice@acme.test"})
        answers.append((r.status_code, r["Location"]))
    assert answers == [(302, "/accounts/password-reset/sent/")] * 4
    assert EmailLog.objects.filter(kind="password_reset", to="alice@acme.test").count() == 2
    # an unknown address gets exactly the same answers, and no e-mail
    for n in range(4):
        with run_tasks():
            r = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
                "/accounts/password-reset/", {"email": "nobody@acme.test"})
        assert (r.status_code, r["Location"]) == (302, "/accounts/password-reset/sent/")
    assert EmailLog.objects.filter(kind="password_reset").count() == 2
    # the counters keep no address
    assert not RateCounter.objects.filter(key__contains="@").exists()


def test_password_resets_from_one_client_are_limited(world, settings, run_tasks):
    settings.PASSWORD_RESET_IP_LIMIT = 3
    flood = Client(REMOTE_ADDR="203.0.113.11")
    for email in ["alice@acme.test", "bob@acme.test", "carol@acme.test"]:
        with run_tasks():
            assert flood.post("/accounts/password-reset/", {"email": email}).status_code == 302
    with run_tasks():
        r = flood.post("/accounts/password-reset/", {"email": "anna@acme.test"})
    assert r.status_code == 429
    assert b"Too many password resets" in r.content
    assert set(EmailLog.objects.values_list("to", flat=True)) == {
        "alice@acme.test", "bob@acme.test", "carol@acme.test"}
    # the same answer for an address without an account
    assert flood.post("/accounts/password-reset/", {"email": "nobody@x.test"}).status_code == 429
    with run_tasks():
        r = Client(REMOTE_ADDR="198.51.100.20").post("/accounts/password-reset/",
                                                      {"email": "anna@acme.test"})
    assert r.status_code == 302
    assert EmailLog.objects.filter(to="anna@acme.test").count() == 1
