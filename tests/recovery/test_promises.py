"""Promises on the customer's page, settled through the API, and the report of kept and
broken promises and recovered customers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kliento import loop
from kliento.feedback.models import Feedback
from kliento.recovery import services
from kliento.recovery.models import Promise, PromiseState
from kliento.recovery.report import recovery_report


@pytest.fixture
def case(world, api):
    services.ensure_defaults(world.acme)
    fb = api.post("/feedback", {"customer": {"email": "ilze@example.lv", "name": "Ilze"},
                                "score": 1, "scale": "csat", "agent_email": "alice@acme.test",
                                "team": "Support"}).json()
    return services.open_case(feedback=Feedback.objects.get(pk=fb["id"]))


def promise(case, owner, text, hours, created_days_ago=0):
    p = services.add_promise(case=case, owner=owner, description=text,
                             due_at=timezone.now() + timedelta(hours=hours))
    if created_days_ago:
        Promise.objects.filter(pk=p.pk).update(
            created_at=timezone.now() - timedelta(days=created_days_ago))
    return p


def test_promises_show_on_the_customers_page(world, case, signed_in):
    kept = promise(case, world.alice, "Send the invoice again", 2)
    services.settle_promise(promise=kept, kept=True)
    late = promise(case, world.bob, "<b>Call back</b> on Monday", 1)
    Promise.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=3))
    page = signed_in(world.alice).get(f"/customers/{case.customer_id}/").content.decode()
    section = page[page.index('id="customer-promises"'):]
    assert section.index("Call back") < section.index("Send the invoice again")  # open first
    assert "&lt;b&gt;Call back&lt;/b&gt;" in section and "<b>Call back" not in page
    assert "overdue" in section and "Bob Agent" in section and "Kept" in section
    assert f'href="/cases/{case.pk}/#promises"' in section
    assert f"#{case.number}" in page[page.index('id="customer-cases"'):]
    # the case page shows the owner and the overdue flag too
    case_page = signed_in(world.alice).get(f"/cases/{case.pk}/").content.decode()
    assert "overdue" in case_page and "Bob Agent" in case_page
    # nobody else's customer page shows them
    assert signed_in(world.mallory).get(f"/customers/{case.customer_id}/").status_code == 404


def test_settling_a_promise_through_the_api(world, case, api, other_api):
    p = api.post(f"/cases/{case.pk}/promises", {
        "description": "Refund 20 €", "owner_email": "bob@acme.test",
        "due_at": (timezone.now() + timedelta(days=1)).isoformat()}).json()
    assert p["owner_id"] == world.bob.pk and p["state"] == "open" and p["closed_at"] is None
    url = f"/cases/{case.pk}/promises/{p['id']}"
    assert other_api.post(url, {"state": "kept"}).status_code == 404
    assert api.post(url, {"state": "maybe"}).status_code == 422
    r = api.post(url, {"state": "kept"})
    assert r.status_code == 200 and r.json()["state"] == "kept" and r.json()["closed_at"]
    r = api.post(url, {"state": "broken"})
    assert r.status_code == 422 and "settled already" in r.content.decode()
    assert Promise.objects.get(pk=p["id"]).state == PromiseState.KEPT


def test_the_report_counts_promises_cases_and_outcomes(world, case, api, signed_in, run_tasks):
    on_time = promise(case, world.alice, "Call back", 2)
    services.settle_promise(promise=on_time, kept=True)
    late = promise(case, world.alice, "Replace the part", 1)
    Promise.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    late.refresh_from_db()
    services.settle_promise(promise=late, kept=True)
    broken = promise(case, world.bob, "Refund by Friday", 5)
    services.settle_promise(promise=broken, kept=False)
    overdue = promise(case, world.bob, "E-mail the manager's answer", 1)
    Promise.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=2))
    promise(case, world.bob, "Months ago", 1, created_days_ago=100)  # outside 30 days
    services.complete_step(case=case, step=case.steps.get(key="contact"), user=world.alice)
    services.resolve(case=case, user=world.alice, follow_up_after=timedelta(0))
    with run_tasks():  # the customer answers the follow-up happily
        loop.send_follow_ups(now=timezone.now() + timedelta(seconds=1))
        case.refresh_from_db()
        loop.answer_invitation(case.follow_up.key, 5, channel="email")
    case.refresh_from_db()
    services.close(case=case, root_cause_key="billing_error")

    now = timezone.now()
    r = recovery_report(world.acme, now - timedelta(days=30), now + timedelta(seconds=1))
    assert (r.promises.made, r.promises.kept, r.promises.kept_on_time, r.promises.broken,
            r.promises.open, r.promises.overdue) == (4, 2, 1, 1, 1, 1)
    assert r.promises.kept_rate == pytest.approx(66.7)
    owners = {o.owner: (o.made, o.kept, o.broken, o.overdue) for o in r.by_owner}
    assert owners == {"Alice Agent": (2, 2, 0, 0), "Bob Agent": (2, 0, 1, 1)}
    assert (r.opened, r.resolved, r.recovered) == (1, 1, 1)
    assert r.first_contact_rate == 100.0 and r.resolution_rate == 100.0
    assert r.recovery_rate == 100.0
    assert r.root_causes == [("Billing error", 1)]
    # the same through the API and on the page
    body = api.get("/cases/report", days=30).json()
    assert body["promises"]["made"] == 4 and body["promises"]["broken"] == 1
    assert {o["owner"] for o in body["promises_by_owner"]} == {"Alice Agent", "Bob Agent"}
    assert api.get("/cases/report", days=0).status_code == 422
    page = signed_in(world.carol).get("/cases/report/?days=30").content.decode()
    figures = page[page.index('id="promise-figures"'):page.index('id="promises-by-owner"')]
    assert "66.7 %" in figures
    assert "Billing error" in page
    # another workspace sees none of it
    assert signed_in(world.mallory).get("/cases/report/").content.decode().count(
        "Bob Agent") == 0


def test_the_case_list_filters_and_puts_overdue_first(world, case, api, signed_in):
    from kliento.recovery.models import Case

    other = api.post("/feedback", {"customer": {"email": "late@example.lv"}, "score": 2,
                                   "scale": "csat", "agent_email": "bob@acme.test"}).json()
    late = services.open_case(feedback=Feedback.objects.get(pk=other["id"]),
                              priority="low")
    Case.objects.filter(pk=late.pk).update(resolution_due=timezone.now() - timedelta(hours=1))
    carol = signed_in(world.carol)

    def numbers(query):
        page = carol.get(f"/cases/?view=all&{query}").content.decode()
        body = page[page.index("<tbody>"):page.index("</tbody>")]
        return [n for n in (case.number, late.number) if f">#{n}<" in body], body

    _shown, body = numbers("")
    assert body.index(f">#{late.number}<") < body.index(f">#{case.number}<")  # overdue first
    assert numbers("overdue=1")[0] == [late.number]
    assert numbers("priority=low")[0] == [late.number]
    assert numbers(f"team={world.support.pk}")[0] == [case.number]
    assert numbers("status=new")[0] == sorted([case.number, late.number])
    assert numbers("status=closed")[0] == []
    assert carol.get("/cases/?status=nonsense&team=x&page=abc").status_code == 200
