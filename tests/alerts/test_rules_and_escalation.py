from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from kliento.alerts import services
from kliento.alerts.models import Alert, Delivery, Escalation, EscalationPolicy
from kliento.core.models import EmailLog
from kliento.feedback.models import Feedback
from kliento.recovery import services as recovery
from kliento.recovery.sla import DEFAULTS

pytestmark = pytest.mark.django_db


def hook(world, name="Hook", target="duty@acme.test"):
    # E-mail without EMAIL_URL stays in the log: no network at test time.
    return services.create_channel(workspace=world.acme, actor=None, name=name, kind="email",
                                   target=target)


def post(api, run_tasks, **body):
    with run_tasks():
        r = api.post("/feedback", {"customer": {"email": "ilze@example.lv"}, **body})
    assert r.status_code == 201, r.content
    return r.json()


@pytest.mark.parametrize(("conditions", "body", "alerts"), [
    ({"polarity": ["negative"]}, {"score": 2, "scale": "csat"}, 1),
    ({"polarity": ["negative"]}, {"score": 4, "scale": "csat"}, 0),
    ({"max_score": {"scale": "nps", "score": 6}}, {"score": 6, "scale": "nps"}, 1),
    ({"max_score": {"scale": "nps", "score": 6}}, {"score": 2, "scale": "csat"}, 0),
    ({"channels": ["phone"]}, {"score": 1, "scale": "csat", "channel": "email"}, 0),
    ({"words": ["refund"]}, {"text": "I want a REFUND now"}, 1),
    ({"words": ["refund"]}, {"text": "thanks"}, 0),
    ({"languages": ["lv"]}, {"text": "x", "language": "et"}, 0),
    ({"vip": True}, {"score": 1, "scale": "csat"}, 0),
])
def test_rule_conditions(world, api, run_tasks, conditions, body, alerts):
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions=conditions, channel_ids=[hook(world).pk]))
    post(api, run_tasks, **body)
    assert Alert.objects.count() == alerts


def test_rules_with_team_agent_and_tags(world, api, run_tasks):
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={"team_ids": [world.support.pk], "agent_ids": [world.bob.pk],
                              "tags": ["b2b"]}, channel_ids=[]))
    api.post("/customers", {"email": "ilze@example.lv", "tags": ["B2B"]})
    post(api, run_tasks, text="x", agent_email="alice@acme.test", team="Support")
    assert Alert.objects.count() == 0
    post(api, run_tasks, text="y", agent_email="bob@acme.test", team="Support")
    assert Alert.objects.count() == 1


def test_repeats_are_grouped_into_one_alert(world, api, run_tasks):
    channel = hook(world)
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={"polarity": ["negative"]}, channel_ids=[channel.pk],
        group_minutes=60))
    first = post(api, run_tasks, score=1, scale="csat")
    second = post(api, run_tasks, score=2, scale="csat")
    alert = Alert.objects.get()
    assert alert.feedback_id == first["id"]
    assert [f.pk for f in alert.repeats.all()] == [second["id"]]
    assert Delivery.objects.count() == 1


def test_old_feedback_is_recorded_without_alerting(world, api, run_tasks):
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={}, channel_ids=[]))
    post(api, run_tasks, score=1, scale="csat",
         occurred_at=(timezone.now() - timedelta(days=10)).isoformat())
    assert Alert.objects.count() == 0


def test_bad_conditions_are_refused_by_name(world, api):
    for conditions, key in [({"polarity": ["furious"]}, "polarity"),
                            ({"max_score": {"scale": "csat", "score": 9}}, "max_score"),
                            ({"shoe_size": [42]}, "shoe_size"), ({"vip": "yes"}, "vip")]:
        r = api.post("/alert-rules", {"name": "r", "conditions": conditions})
        assert r.status_code == 422, r.content
        assert any(key in d["loc"] for d in r.json()["detail"]), r.json()
    r = api.post("/alert-rules", {"name": "r", "channel_ids": [999]})
    assert r.status_code == 422


def test_unacknowledged_alert_escalates_on_time_and_stops_when_acknowledged(
        world, api, run_tasks):
    first, boss = hook(world, "Team hook"), hook(world, "Manager hook", "boss@acme.test")
    policy = services.save_policy(workspace=world.acme, actor=None, name="p",
                                  levels=[(30, [boss.pk]), (60, [boss.pk])])
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={"polarity": ["negative"]}, channel_ids=[first.pk],
        escalation_policy_id=policy.pk))
    post(api, run_tasks, score=1, scale="csat")
    alert = Alert.objects.get()
    assert alert.escalate_at == alert.created_at + timedelta(minutes=30)
    assert services.escalate_due(now=alert.created_at + timedelta(minutes=29)) == 0
    with run_tasks():
        assert services.escalate_due(now=alert.created_at + timedelta(minutes=31)) == 1
    alert.refresh_from_db()
    assert alert.level == 1
    assert alert.escalate_at == alert.created_at + timedelta(minutes=31 + 60)
    assert Escalation.objects.filter(alert=alert, level=1).exists()
    assert Delivery.objects.filter(event="alert.escalated", channel=boss).count() == 1
    r = api.post(f"/alerts/{alert.pk}/acknowledge", {})
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    assert r.json()["seconds_to_acknowledge"] >= 0
    assert services.escalate_due(now=alert.created_at + timedelta(days=1)) == 0
    assert Escalation.objects.count() == 1


def test_acknowledge_link_is_scanner_safe(world, api, run_tasks, signed_in):
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={}, channel_ids=[]))
    post(api, run_tasks, score=1, scale="csat", text="Slikti")
    alert = Alert.objects.get()
    url = f"/alerts/ack/{alert.ack_key}/"
    assert Client().get(url).status_code == 302  # sign in first
    bob = signed_in(world.bob)
    page = bob.get(url)
    assert page.status_code == 200 and "Slikti" in page.content.decode()
    alert.refresh_from_db()
    assert alert.state == "open"
    bob.post(url)
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == ("acknowledged", world.bob)
    assert signed_in(world.mallory).get(url).status_code == 404


def test_new_workspace_alerts_its_team_by_email(world, run_tasks, smtp_settings):
    from kliento.core.services import add_member, create_team
    from kliento.customers.services import CustomerRef
    from kliento.loop import Voice, hear, open_workspace

    ws = open_workspace(name="Baltic Shop", owner=world.anna)
    team = create_team(workspace=ws, actor=None, name="Riga")
    world.alice.language = "lv"
    world.alice.save()
    add_member(workspace=ws, user=world.alice, teams=[team])
    with run_tasks():
        hear(Voice(workspace=ws, customer=CustomerRef(email="janis@example.lv"),
                   channel="email", source="survey", score=1, scale="csat", team=team,
                   text="Paka pazuda."))
    [mail] = smtp_settings.messages
    assert mail["To"] == "alice@acme.test"
    assert "Paka pazuda." in mail.get_body(("plain",)).get_content()
    assert Alert.objects.get(workspace=ws).escalate_at is not None
    assert EmailLog.objects.filter(kind="alert", state="sent").count() == 1


def test_would_have_matched_preview(world, api, run_tasks, signed_in):
    for score in (1, 2, 5):
        post(api, run_tasks, score=score, scale="csat")
    matched, seen, items = services.would_have_matched({"polarity": ["negative"]}, world.acme)
    assert (matched, seen, len(items)) == (2, 3, 2)
    carol = signed_in(world.carol)
    r = carol.post("/alerts/rules/new/", {"name": "x", "polarity": ["negative"],
                                          "group_minutes": 0, "action": "preview"},
                   HTTP_HX_REQUEST="true")
    assert "2 of 3 in the last 30 days" in r.content.decode()


def test_alert_pages(world, api, run_tasks, signed_in, django_assert_max_num_queries):
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={}, channel_ids=[hook(world).pk]))
    for n in range(12):
        with run_tasks():
            api.post("/feedback", {"customer": {"email": f"c{n}@example.lv"}, "score": 1,
                                   "scale": "csat", "text": f"<i>slikti</i> {n}"})
    alice = signed_in(world.alice)
    with django_assert_max_num_queries(15):
        page = alice.get("/alerts/").content.decode()
    assert page.count('id="alert-') == 12 and "&lt;i&gt;slikti&lt;/i&gt;" in page
    assert 'class="badge alert-count"' in page
    partial = alice.get("/alerts/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    first = Alert.objects.order_by("created_at").first()
    alice.post(f"/alerts/{first.pk}/acknowledge/")
    assert alice.get("/alerts/count/").json()["open"] == 11
    assert alice.get(f"/alerts/{first.pk}/").status_code == 200
    assert signed_in(world.mallory).get(f"/alerts/{first.pk}/").status_code == 404
    assert signed_in(world.carol).get("/alerts/deliveries/").status_code == 200


def test_alert_api_never_crosses_workspaces(world, api, other_api, run_tasks):
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={}, channel_ids=[hook(world).pk]))
    post(api, run_tasks, score=1, scale="csat")
    alert = Alert.objects.get()
    delivery = Delivery.objects.get()
    assert other_api.get("/alerts").json()["count"] == 0
    assert other_api.post(f"/alerts/{alert.pk}/acknowledge", {}).status_code == 404
    assert other_api.get("/deliveries").json()["count"] == 0
    assert other_api.post(f"/deliveries/{delivery.pk}/resend", {}).status_code == 404
    assert other_api.get("/alert-rules").json()["count"] == 0
    assert other_api.get("/alert-channels").json()["count"] == 0
    alert.refresh_from_db()
    assert alert.state == "open"


def test_escalation_in_business_hours_waits_for_the_working_day(world, api, run_tasks,
                                                                 signed_in):
    from zoneinfo import ZoneInfo

    carol = signed_in(world.carol)
    anna = signed_in(world.anna)
    r = anna.post("/settings/", {"action": "hours",
                                 "business_hours": "mon 09:00-17:00\ntue 09:00-17:00\n"
                                                   "wed 09:00-17:00\nthu 09:00-17:00\n"
                                                   "fri 09:00-17:00",
                                 "closed_days": "2026-11-23 Company day"})
    assert r.status_code == 302
    bad = anna.post("/settings/", {"action": "hours", "business_hours": "mon 9-5",
                                   "closed_days": ""})
    assert "HH:MM-HH:MM" in bad.content.decode()
    boss = hook(world, "Manager hook", "boss@acme.test")
    r = carol.post("/alerts/escalation/", {"name": "Office hours", "business_hours": "on",
                                           "levels": "60: Manager hook"})
    assert r.status_code == 302
    from kliento.alerts.models import EscalationPolicy

    policy = EscalationPolicy.objects.get(name="Office hours")
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="r", conditions={}, channel_ids=[boss.pk], escalation_policy_id=policy.pk))
    riga = ZoneInfo("Europe/Riga")
    saturday = datetime(2026, 11, 21, 20, 0, tzinfo=riga)
    fb = api.post("/feedback", {"customer": {"email": "x@example.lv"}, "score": 1,
                                "scale": "csat"}).json()  # not processed: no run_tasks
    from kliento.feedback.models import Feedback

    [alert] = services.raise_alerts(Feedback.objects.get(pk=fb["id"]), now=saturday)
    # Saturday evening + 60 business minutes, Monday the 23rd closed: Tuesday 10:00 in Riga
    assert alert.escalate_at == datetime(2026, 11, 24, 10, 0, tzinfo=riga)


# -- deadlines follow the calendar ---------------------------------------------------------

RIGA = ZoneInfo("Europe/Riga")
ROUND_THE_CLOCK = "\n".join(f"{d} 00:00-24:00" for d in
                            ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def office_hours_rule(workspace, name="Office hours"):
    """Escalation counting business minutes: 60 to the first level, 120 more to the last."""
    boss = services.create_channel(workspace=workspace, actor=None, name=name, kind="email",
                                   target=f"boss@{workspace.slug}.test")
    policy = services.save_policy(workspace=workspace, actor=None, name=name,
                                  levels=[(60, [boss.pk]), (120, [boss.pk])])
    EscalationPolicy.objects.filter(pk=policy.pk).update(business_hours=True)
    services.save_rule(workspace=workspace, actor=None, data=services.RuleInput(
        name=name, conditions={}, channel_ids=[boss.pk], escalation_policy_id=policy.pk))


def raised(api, email, at, team=""):
    """An unhappy voice (not yet processed) alerting at `at`, and its customer's open case."""
    body = {"customer": {"email": email}, "score": 1, "scale": "csat", "team": team}
    feedback = Feedback.objects.get(pk=api.post("/feedback", body).json()["id"])
    [alert] = services.raise_alerts(feedback, now=at)
    case = recovery.open_case(feedback=feedback, now=at)
    return alert, case


def test_new_workspace_hours_move_waiting_escalations_and_open_cases(world, api, other_api,
                                                                      run_tasks, signed_in):
    office_hours_rule(world.acme)
    office_hours_rule(world.globex)
    saturday = datetime(2026, 11, 28, 20, 0, tzinfo=RIGA)
    waiting, case = raised(api, "ilze@example.lv", saturday)
    # Escalated once on Friday at five; its last level waits 120 business minutes more.
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=RIGA)
    escalated, _ = raised(api, "juris@example.lv", friday)
    services.escalate_due(now=friday + timedelta(hours=1))
    acknowledged, _ = raised(api, "anna@example.lv", saturday)
    services.acknowledge(alert=acknowledged, user=world.carol)
    # Through every level on Thursday: nothing left to escalate.
    thursday = datetime(2026, 11, 26, 10, 0, tzinfo=RIGA)
    done, _ = raised(api, "liga@example.lv", thursday)
    services.escalate_due(now=thursday + timedelta(hours=1))
    services.escalate_due(now=thursday + timedelta(hours=3))
    theirs, their_case = raised(other_api, "jan@example.pl", saturday)
    for alert in (waiting, escalated, acknowledged, done, theirs):
        alert.refresh_from_db()
    # Business hours are Monday to Friday, 9 to 5 in Riga.
    assert waiting.escalate_at == datetime(2026, 11, 30, 10, 0, tzinfo=RIGA)
    assert escalated.level == 1
    assert escalated.escalate_at == datetime(2026, 11, 30, 11, 0, tzinfo=RIGA)
    assert done.level == 2 and done.escalate_at is None
    theirs_before = (theirs.escalate_at, their_case.first_contact_due,
                     their_case.resolution_due)
    untouched = {a.pk: (a.state, a.level, a.escalate_at, a.acknowledged_at)
                 for a in (acknowledged, done, theirs)}

    with run_tasks():
        r = signed_in(world.anna).post("/settings/", {
            "action": "hours", "business_hours": ROUND_THE_CLOCK, "closed_days": ""})
    assert r.status_code == 302

    waiting.refresh_from_db()
    escalated.refresh_from_db()
    case.refresh_from_db()
    their_case.refresh_from_db()
    # Round the clock, business minutes are wall-clock minutes.
    assert waiting.escalate_at == saturday + timedelta(minutes=60)
    assert escalated.escalate_at == friday + timedelta(hours=1, minutes=120)
    assert escalated.level == 1 and waiting.level == 0
    first, total = DEFAULTS[case.priority]  # the service level, in minutes
    assert case.first_contact_due == saturday + timedelta(minutes=first)
    assert case.resolution_due == saturday + timedelta(minutes=total)
    assert {a.pk: (a.state, a.level, a.escalate_at, a.acknowledged_at)
            for a in Alert.objects.filter(pk__in=untouched)} == untouched
    assert (their_case.first_contact_due, their_case.resolution_due) == theirs_before[1:]
    assert Alert.objects.get(pk=theirs.pk).escalate_at == theirs_before[0]

    # A new time zone moves them again: nine to five in Tokyo, Monday 30th.
    with run_tasks():
        r = signed_in(world.anna).post("/settings/", {
            "action": "hours", "business_hours": "mon 09:00-17:00\ntue 09:00-17:00",
            "closed_days": ""})
        assert r.status_code == 302
    with run_tasks():
        r = signed_in(world.anna).post("/settings/", {
            "name": "Acme", "default_language": "en", "time_zone": "Asia/Tokyo",
            "country": "LV"})
    assert r.status_code == 302
    waiting.refresh_from_db()
    assert waiting.escalate_at == datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_a_teams_new_hours_move_only_the_teams_escalations_and_cases(world, api, run_tasks,
                                                                      signed_in):
    office_hours_rule(world.acme)
    saturday = datetime(2026, 11, 28, 20, 0, tzinfo=RIGA)
    theirs, their_case = raised(api, "ilze@example.lv", saturday, team="Support")
    others, other_case = raised(api, "juris@example.lv", saturday)
    monday_ten = datetime(2026, 11, 30, 10, 0, tzinfo=RIGA)
    assert theirs.escalate_at == others.escalate_at == monday_ten
    before = (other_case.first_contact_due, other_case.resolution_due)

    with run_tasks():
        r = signed_in(world.carol).post(f"/settings/teams/{world.support.pk}/", {
            "action": "team", "team-name": "Support", "team-manager": "",
            "team-time_zone": "", "team-own_hours": "on",
            "team-business_hours": ROUND_THE_CLOCK, "team-closed_days": ""})
    assert r.status_code == 302

    for row in (theirs, their_case, others, other_case):
        row.refresh_from_db()
    assert theirs.escalate_at == saturday + timedelta(minutes=60)
    assert their_case.resolution_due == saturday + timedelta(
        minutes=DEFAULTS[their_case.priority][1])
    assert others.escalate_at == monday_ten
    assert (other_case.first_contact_due, other_case.resolution_due) == before


def test_recomputing_for_a_workspace_or_team_that_is_gone_does_nothing(world):
    from kliento.loop import recompute_deadlines

    assert recompute_deadlines.call(world.acme.pk, 999_999) == 0
    assert recompute_deadlines.call(999_999) == 0
