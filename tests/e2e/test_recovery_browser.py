from __future__ import annotations

import pytest

from kliento.recovery import services
from kliento.recovery.models import Case, Playbook
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, email):
    page.goto(url)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_manager_edits_a_playbook_and_an_agent_walks_a_case(world, live_server, browser,
                                                            api):
    services.ensure_defaults(world.acme)
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/settings/recovery/playbooks/new/", "carol@acme.test")
    page.fill("input[name=name]", "Support quick fix")
    page.select_option("select[name=team]", label="Support")
    page.fill("input[name=steps-0-title]", "Call the customer")
    page.select_option("select[name=steps-0-kind]", "contact")
    page.fill("input[name=steps-0-due_hours]", "0.5")
    page.fill("input[name=steps-1-title]", "Replace the part")
    page.select_option("select[name=steps-1-kind]", "fix")
    page.fill("input[name=steps-1-due_hours]", "8")
    page.click("button.primary")
    page.wait_for_url("**/playbooks/*/")
    playbook = Playbook.objects.get(name="Support quick fix")
    assert [s.title for s in playbook.steps.all()] == ["Call the customer", "Replace the part"]

    fb = api.post("/feedback", {"customer": {"email": "ilze@example.lv", "name": "Ilze"},
                                "score": 1, "scale": "csat", "team": "Support",
                                "agent_email": "alice@acme.test"}).json()
    case = api.post("/cases", {"feedback_id": fb["id"]}).json()
    assert Case.objects.get(pk=case["id"]).playbook == playbook

    agent = browser.new_page()
    sign_in(agent, f"{live_server.url}/cases/{case['id']}/", "alice@acme.test")
    agent.wait_for_selector(".step-form")
    # "c" jumps to the next step's note; Enter completes it
    agent.keyboard.press("c")
    agent.keyboard.type("Called, apologised.")
    agent.keyboard.press("Enter")
    agent.wait_for_selector("ol.steps li.done")
    assert "Called, apologised." in agent.inner_text("ol.steps")
    # "p" jumps to the promise form
    agent.keyboard.press("p")
    agent.keyboard.type("New part by Friday")
    agent.fill("input[name=due_at]", "2031-05-09T12:00")
    agent.click("#promise button")
    agent.wait_for_selector("#promises li >> text=New part by Friday")
    agent.click(f"a[href='/customers/{case['customer_id']}/']")
    promises = agent.locator("#customer-promises")
    promises.wait_for()
    assert "New part by Friday" in promises.inner_text()
    # the voice that opened the case links to it instead of offering another
    assert agent.locator(".timeline a.button", has_text=f"#{case['number']}").count() == 1
    agent.screenshot(path="var/e2e-recovery.png", full_page=True)
