from __future__ import annotations

import re

import pytest

from kliento.core import services
from kliento.core.models import EmailLog, Membership
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_invited_colleague_with_an_account_signs_in_and_confirms(world, live_server, browser):
    anna = Membership.objects.get(user=world.anna, workspace=world.acme)
    services.invite_colleague(workspace=world.acme, actor=anna, email="mallory@globex.test",
                              role="agent")
    body = EmailLog.objects.get(kind="colleague_invite").body_text
    path = re.search(r"https?://[^/]+(/invite/\S+/)", body).group(1)
    page = browser.new_page()
    page.goto(f"{live_server.url}{path}")
    assert page.locator("input[name=password]").count() == 0
    page.click("#sign-in-first + p a.button")
    page.fill("input[name=username]", "mallory@globex.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    assert not Membership.objects.filter(user=world.mallory, workspace=world.acme).exists()
    page.click("button:has-text('Join')")
    page.wait_for_url("**/feed/")
    assert Membership.objects.get(user=world.mallory, workspace=world.acme).role == "agent"
