"""A whole recovery through the API, service levels on the calendar, safe templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kliento import loop
from kliento.alerts import services as alerts
from kliento.alerts.models import Alert
from kliento.core.models import EmailLog
from kliento.recovery import services
from kliento.recovery.models import Case
from tests.surveys.conftest import links_in, path_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recovering(world):
    """Acme with the recovery defaults and a rule that opens a case for negative answers."""
    services.ensure_defaults(world.acme)
    channel = alerts.create_channel(workspace=world.acme, actor=None, name="Duty",
                                    kind="email", target="duty@acme.test")
    alerts.save_rule(workspace=world.acme, actor=None, data=alerts.RuleInput(
        name="Unhappy", conditions={"polarity": ["negative"]}, channel_ids=[channel.pk],
        open_case=True))
    return world


def test_a_whole_recovery_through_the_api(recovering, api, smtp_settings):
    survey = api.post("/surveys", {"name": "Pēc zvana", "kind": "csat"}).json()
    inv = api.post(f"/surveys/{survey['id']}/invitations", {
        "customer": {"email": "ilze@example.lv", "name": "Ilze Bērziņa", "language": "lv"},
        "agent_email": "alice@acme.test", "team": "Support"}).json()[0]
    # a negative answer: alert, and a case with the playbook
    Client().post(path_of(inv["links"]["1"]))
    alert = Alert.objects.get()
    cases = api.get("/cases", state="open").json()
    assert cases["count"] == 1
    case = cases["items"][0]
    assert case["feedback_id"] == alert.feedback_id
    assert case["owner_id"] == recovering.alice.pk and case["status"] == "new"
    assert case["priority"] == "high"  # the lowest CSAT score raises it
    assert [s["key"] for s in case["steps"]] == ["contact", "find_out", "explain", "fix",
                                                  "compensate", "prevent", "follow_up"]
    assert case["sla"]["resolution_due"] and not case["sla"]["resolution_breached"]
    cid = case["id"]
    # another negative voice of the same customer joins the case
    api.post("/feedback", {"customer": {"email": "ilze@example.lv"}, "score": 2,
                           "scale": "csat", "text": "Joprojām nekas nav atrisināts."})
    assert len(api.get(f"/cases/{cid}").json()["voice_ids"]) == 2
    assert Case.objects.count() == 1
    # steps, a promise, a reply in Latvian
    step = case["steps"][0]
    r = api.post(f"/cases/{cid}/steps/{step['id']}/complete",
                 {"note": "Piezvanīju, atvainojos.", "by_email": "alice@acme.test"})
    assert r.status_code == 200 and r.json()["steps"][0]["state"] == "done"
    assert r.json()["first_contact_at"] is not None
    skip = r.json()["steps"][4]
    assert api.post(f"/cases/{cid}/steps/{skip['id']}/complete",
                    {"skip": True}).status_code == 422  # skipping needs a reason
    due = (timezone.now() + timedelta(days=1)).isoformat()
    r = api.post(f"/cases/{cid}/promises", {"description": "Atzvanīt rīt līdz 12:00",
                                            "due_at": due})
    assert r.status_code == 201
    before = len(smtp_settings.messages)
    r = api.post(f"/cases/{cid}/replies", {"template": "contact",
                                           "by_email": "alice@acme.test"})
    assert r.status_code == 201, r.content
    first_id = r.json()["message_id"]
    mail = smtp_settings.messages[before]
    assert mail["To"] == "ilze@example.lv"
    assert mail["Message-ID"] == first_id
    text = mail.get_body(("plain",)).get_content()
    assert "Ilze" in text and str(case["number"]) in mail["Subject"]
    assert "Labdien" in text or "Sveiki" in text  # the Latvian template
    r = api.post(f"/cases/{cid}/replies", {"subject": "Re", "body": "Sveiki, {first_name}!"})
    second = smtp_settings.messages[-1]
    assert second["In-Reply-To"] == first_id
    # resolve: the follow-up survey goes out later, bypassing the quiet period
    r = api.post(f"/cases/{cid}/resolve", {"follow_up_after_days": 3})
    assert r.json()["status"] == "resolved"
    from kliento.loop import send_follow_ups

    assert send_follow_ups(now=timezone.now() + timedelta(days=1)) == 0
    assert send_follow_ups(now=timezone.now() + timedelta(days=3, minutes=1)) == 1
    follow_up = smtp_settings.messages[-1]
    assert follow_up["To"] == "ilze@example.lv"
    link = next(u for u in links_in(follow_up.get_body(("plain",)).get_content())
                if u.endswith("/5/"))
    Client().post(path_of(link))
    assert api.get(f"/cases/{cid}").json()["outcome"] == "recovered"
    # closing needs a root cause
    assert api.post(f"/cases/{cid}/close", {}).status_code == 422
    r = api.post(f"/cases/{cid}/close", {"root_cause": "delivery_delay",
                                         "prevention": "Kurjeru maiņa"})
    assert r.json()["status"] == "closed" and r.json()["root_cause"] == "delivery_delay"


def test_hostile_names_and_placeholders_render_inert(recovering, api, smtp_settings):
    cid = _case(api, name="<script>alert(1)</script>{{ secret }}")
    case = Case.objects.get(pk=cid)
    _language, rendered = services.compose(
        case=case, agent=None, subject="{% debug %} {case_number}",
        body="Hi {first_name} {{ settings.SECRET_KEY }} <b>{agent_name}</b> {unknown}")
    assert rendered.subject == f"{{% debug %}} {case.number}"
    assert "<script>alert(1)</script>{{" in rendered.text  # plain text stays as written
    assert "{{ settings.SECRET_KEY }}" in rendered.text and "{unknown}" in rendered.text
    assert "&lt;script&gt;" in rendered.html and "<script>" not in rendered.html
    assert "&lt;b&gt;" in rendered.html


def test_service_levels_follow_the_calendar_and_pauses(recovering, api):
    cid = _case(api)
    case = Case.objects.get(pk=cid)
    assert case.resolution_due > case.opened_at
    due_before = case.resolution_due
    later = case.opened_at + timedelta(hours=1)
    services.update_case(case=case, changes=services.CaseChanges(status="waiting_on_customer"),
                         now=later)
    case.refresh_from_db()
    assert case.resolution_due is None  # waiting on the customer does not count
    services.update_case(case=case, changes=services.CaseChanges(status="in_progress"),
                         now=later + timedelta(days=2))
    case.refresh_from_db()
    assert case.resolution_due > due_before


def test_breach_and_warning_notify_owner_and_manager(recovering, api):
    recovering.support.manager = recovering.carol
    recovering.support.save()
    cid = _case(api)
    case = Case.objects.get(pk=cid)
    assert loop.check_slas(now=case.opened_at) == 0
    loop.check_slas(now=case.warn_at + timedelta(seconds=1))
    assert EmailLog.objects.filter(kind="case_sla_warning", to="alice@acme.test").exists()
    loop.check_slas(now=case.resolution_due + timedelta(seconds=1))
    case.refresh_from_db()
    assert case.resolution_breached
    to = set(EmailLog.objects.filter(kind="case_sla_breach").values_list("to", flat=True))
    assert {"alice@acme.test", "carol@acme.test"} <= to
    assert api.get("/cases", overdue=True).json()["count"] == 1
    sent = EmailLog.objects.filter(kind="case_sla_breach").count()
    loop.check_slas(now=case.resolution_due + timedelta(hours=1))
    assert EmailLog.objects.filter(kind="case_sla_breach").count() == sent  # each breach once


def test_overdue_promises_go_to_the_owner_then_the_manager(recovering, api):
    cid = _case(api)
    case = Case.objects.get(pk=cid)
    promise = services.add_promise(case=case, owner=recovering.bob,
                                   description="Refund by Friday",
                                   due_at=timezone.now() + timedelta(hours=1))
    assert loop.check_promises(now=timezone.now()) == 0
    loop.check_promises(now=promise.due_at + timedelta(minutes=1))
    assert EmailLog.objects.filter(kind="promise_overdue", to="bob@acme.test").exists()
    loop.check_promises(now=promise.due_at + timedelta(hours=5))
    assert EmailLog.objects.filter(kind="promise_escalated").exists()
    services.settle_promise(promise=promise, kept=False)
    promise.refresh_from_db()
    assert promise.state == "broken"


def test_cases_never_cross_workspaces(recovering, api, other_api):
    cid = _case(api)
    assert other_api.get(f"/cases/{cid}").status_code == 404
    assert other_api.patch(f"/cases/{cid}", {"priority": "low"}).status_code == 404
    assert other_api.post(f"/cases/{cid}/resolve", {}).status_code == 404
    assert other_api.get("/cases").json()["count"] == 0


def test_case_pages(recovering, api, signed_in):
    cid = _case(api)
    alice = signed_in(recovering.alice)
    assert f"#{Case.objects.get(pk=cid).number}" in alice.get("/cases/").content.decode()
    page = alice.get(f"/cases/{cid}/").content.decode()
    assert "Contact the customer and apologise" in page
    step = Case.objects.get(pk=cid).steps.first()
    alice.post(f"/cases/{cid}/act/", {"action": "step", "step": step.pk, "note": "ok"})
    step.refresh_from_db()
    assert step.state == "done" and step.done_by == recovering.alice
    # the reply form now offers the next step's template
    assert 'value="find_out" selected' in alice.get(f"/cases/{cid}/").content.decode()
    assert signed_in(recovering.mallory).get(f"/cases/{cid}/").status_code == 404
    assert signed_in(recovering.carol).get("/settings/recovery/").status_code == 200


def _case(api, name="Jānis Ozols"):
    r = api.post("/feedback", {"customer": {"email": "janis@example.lv", "name": name},
                               "score": 2, "scale": "csat", "agent_email": "alice@acme.test",
                               "team": "Support"})
    cases = api.get("/cases").json()["items"]
    if cases:
        return cases[0]["id"]
    return api.post("/cases", {"feedback_id": r.json()["id"]}).json()["id"]
