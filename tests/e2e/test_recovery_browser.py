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
    agent.wait_for_load_state("load")  # the shortcuts' deferred script listens from here
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


def test_a_reopened_case_asks_whether_its_root_cause_still_holds(world, live_server, browser):
    from datetime import timedelta

    from django.utils import timezone

    from kliento import loop
    from kliento.customers.services import CustomerRef

    services.ensure_defaults(world.acme)
    feedback = loop.hear(loop.Voice(
        workspace=world.acme, customer=CustomerRef(email="ilze@example.lv", name="Ilze Bērziņa"),
        channel="email", source="message", score=2, scale="csat", agent=world.alice,
        team=world.support))
    case = services.open_case(feedback=feedback)

    def resolve_and_ask():
        case.refresh_from_db()
        for step in case.steps.filter(state="open"):
            services.complete_step(case=case, step=step, user=world.alice, note="done")
            case.refresh_from_db()
        services.resolve(case=case, user=world.alice, follow_up_after=timedelta(0))
        loop.send_follow_ups(now=timezone.now() + timedelta(seconds=1))
        case.refresh_from_db()

    resolve_and_ask()
    services.close(case=case, root_cause_key="delivery_delay")
    loop.answer_invitation(case.follow_up.key, 1, channel="email")  # still unhappy
    case.refresh_from_db()
    assert case.reopened_count == 1 and case.root_cause_in_doubt
    resolve_and_ask()
    loop.answer_invitation(case.follow_up.key, 5, channel="email")  # fixed for real
    case.refresh_from_db()
    assert case.status == "resolved" and case.outcome == "recovered"

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, f"{live_server.url}/cases/{case.pk}/", "alice@acme.test")
    page.wait_for_selector("#reopened")
    assert "Reopened once" in page.inner_text("#reopened")
    history = page.inner_text("#outcomes")
    assert "Attempt 1: Not recovered" in history and "Attempt 2: Recovered" in history
    assert page.locator("select[name=root_cause]").input_value() == "delivery_delay"
    page.screenshot(path="var/e2e-reopened-case.png", full_page=True)
    page.click("text=Close the case")  # not confirmed: the page asks again
    page.wait_for_selector("text=confirm that it still holds")
    case.refresh_from_db()
    assert case.status == "resolved"
    page.check("input[name=root_cause_confirmed]")
    page.click("text=Close the case")
    page.wait_for_selector("text=Case closed.")
    case.refresh_from_db()
    assert case.status == "closed" and case.root_cause.key == "delivery_delay"
