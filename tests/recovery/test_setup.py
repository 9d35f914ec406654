"""Setting recovery up: playbooks (per rule, per team), team calendars and service levels,
deadline notices through the alert channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kliento import loop
from kliento.alerts import services as alerts
from kliento.alerts.models import Delivery
from kliento.core.models import ClosedDay
from kliento.recovery import services, setup
from kliento.recovery.models import Case, Playbook, SlaPolicy
from kliento.recovery.setup import Level, StepInput

MONDAY_NOON = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # 12:00 in Riga, a working Monday


@pytest.fixture
def defaults(world):
    services.ensure_defaults(world.acme)
    return world


def feedback(api, email="janis@example.lv", team="Support"):
    return api.post("/feedback", {"customer": {"email": email, "name": "Jānis Ozols"},
                                  "score": 2, "scale": "csat", "agent_email": "alice@acme.test",
                                  "team": team}).json()


def open_case(api, world, *, now=MONDAY_NOON, **kw):
    from kliento.feedback.models import Feedback

    fb = Feedback.objects.get(pk=feedback(api, **kw)["id"])
    return services.open_case(feedback=fb, now=now)


def steps_post(name, rows, **extra):
    data = {"name": name, "steps-TOTAL_FORMS": str(len(rows)), "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "30", **extra}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"steps-{i}-{key}"] = value
    return data


# -- playbooks -----------------------------------------------------------------------------


def test_a_manager_writes_a_playbook_in_the_editor(defaults, signed_in):
    carol = signed_in(defaults.carol)
    assert carol.get("/settings/recovery/playbooks/new/").status_code == 200
    r = carol.post("/settings/recovery/playbooks/new/", steps_post("VIP recovery", [
        {"kind": "fix", "title": "Fix it today", "due_hours": "4", "ORDER": "2"},
        {"kind": "contact", "title": "Call within the hour", "due_hours": "0.5", "ORDER": "1"},
        {"kind": "compensate", "title": "Gift card", "due_hours": "8", "optional": "on",
         "ORDER": "3", "DELETE": "on"},
        {},  # an empty extra row adds nothing
    ], team=defaults.support.pk))
    playbook = Playbook.objects.get(name="VIP recovery")
    assert r.status_code == 302 and r["Location"].endswith(f"/playbooks/{playbook.pk}/")
    assert playbook.team == defaults.support and not playbook.is_default
    assert [(s.position, s.key, s.title, s.due_minutes) for s in playbook.steps.all()] == [
        (1, "contact", "Call within the hour", 30), (2, "fix", "Fix it today", 240)]
    page = carol.get(f"/settings/recovery/playbooks/{playbook.pk}/").content.decode()
    assert "Call within the hour" in page and "Fix it today" in page


@pytest.mark.parametrize("rows, problem", [
    ([], "at least one step"),
    ([{"kind": "nonsense", "title": "x", "due_hours": "1"}], "Select a valid choice"),
    ([{"kind": "fix", "title": "x", "due_hours": "-1"}], "greater than or equal to 0"),
    ([{"kind": "fix", "title": "", "due_hours": "1"}], "This field is required"),
])
def test_a_bad_playbook_changes_nothing(defaults, signed_in, rows, problem):
    carol = signed_in(defaults.carol)
    before = list(Playbook.objects.values_list("pk", "name"))
    r = carol.post("/settings/recovery/playbooks/new/", steps_post("Broken", rows))
    assert r.status_code == 200 and problem in r.content.decode()
    assert list(Playbook.objects.values_list("pk", "name")) == before


def test_one_playbook_per_team_and_always_one_default(defaults):
    ws = defaults.acme
    default = Playbook.objects.get(workspace=ws)
    assert default.is_default
    step = [StepInput("contact", "Call", 60)]
    team_pb = setup.save_playbook(workspace=ws, actor=None, name="Support's", steps=step,
                                  team=defaults.support)
    with pytest.raises(Exception, match="has a playbook already"):
        setup.save_playbook(workspace=ws, actor=None, name="Another", steps=step,
                            team=defaults.support)
    with pytest.raises(Exception, match="cannot be deleted"):
        setup.delete_playbook(playbook=default, actor=None)
    with pytest.raises(Exception, match="another playbook the default"):
        setup.save_playbook(workspace=ws, actor=None, name=default.name, steps=step,
                            playbook=default, is_default=False)
    setup.save_playbook(workspace=ws, actor=None, name="Support's", steps=step,
                        team=defaults.support, playbook=team_pb, is_default=True)
    default.refresh_from_db()
    assert not default.is_default and Playbook.objects.get(pk=team_pb.pk).is_default
    setup.delete_playbook(playbook=default, actor=None)
    # an agent cannot edit playbooks
    from kliento.core.models import Membership

    agent = Membership.objects.get(workspace=ws, user=defaults.alice)
    with pytest.raises(Exception, match="role"):
        setup.save_playbook(workspace=ws, actor=agent, name="Mine", steps=step)


def test_a_case_takes_the_rules_playbook_else_the_teams_else_the_default(defaults, api,
                                                                         run_tasks):
    ws = defaults.acme
    team_pb = setup.save_playbook(workspace=ws, actor=None, name="Support's",
                                  steps=[StepInput("contact", "Support calls back", 30)],
                                  team=defaults.support)
    vip_pb = setup.save_playbook(workspace=ws, actor=None, name="VIP",
                                 steps=[StepInput("contact", "The director calls", 15),
                                        StepInput("compensate", "Flowers", 60, True)])
    # a rule with its own playbook (set through the API)
    channel = api.post("/alert-channels", {"name": "Duty", "kind": "email",
                                           "target": "duty@acme.test"}).json()
    r = api.post("/alert-rules", {"name": "VIPs", "conditions": {"vip": True},
                                  "channel_ids": [channel["id"]], "open_case": True,
                                  "playbook_id": vip_pb.pk, "case_priority": "high"})
    assert r.status_code == 201 and r.json()["playbook_id"] == vip_pb.pk
    assert r.json()["case_priority"] == "high"
    assert api.post("/alert-rules", {"name": "Bad", "case_priority": "asap"}).status_code == 422
    assert api.post("/alert-rules", {"name": "Bad", "playbook_id": 999999}).status_code == 422
    r = api.post("/customers", {"email": "vip@example.lv", "name": "Vera", "vip": True})
    assert r.status_code == 201, r.content
    with run_tasks():
        fb = feedback(api, email="vip@example.lv")
    vip_case = Case.objects.get(feedback_id=fb["id"])
    assert vip_case.playbook == vip_pb
    assert vip_case.priority == "urgent"  # the rule's "high", one up for a VIP
    assert [s.title for s in vip_case.steps.all()] == ["The director calls", "Flowers"]
    # no rule playbook: the team's
    team_case = open_case(api, defaults, email="team@example.lv")
    assert team_case.playbook == team_pb
    assert list(team_case.steps.values_list("title", flat=True)) == ["Support calls back"]
    # no team: the default
    other = open_case(api, defaults, email="none@example.lv", team="")
    assert other.playbook.is_default and other.steps.count() == 7


def test_rule_page_offers_the_workspaces_playbooks_only(defaults, signed_in, world):
    services.ensure_defaults(world.globex)
    carol = signed_in(defaults.carol)
    page = carol.get("/alerts/rules/new/").content.decode()
    acme_pb = Playbook.objects.get(workspace=world.acme)
    globex_pb = Playbook.objects.get(workspace=world.globex)
    assert f'value="{acme_pb.pk}"' in page and f'value="{globex_pb.pk}"' not in page


# -- teams: calendar and service levels ----------------------------------------------------


def test_a_team_keeps_its_own_hours_and_its_cases_follow_them(defaults, api, signed_in,
                                                              run_tasks):
    case = open_case(api, defaults)  # Monday 12:00 Riga, normal priority: 24 business hours
    workspace_due = case.resolution_due
    carol = signed_in(defaults.carol)
    with run_tasks():  # the open cases are recomputed by the worker
        r = carol.post(f"/settings/teams/{defaults.support.pk}/", {
            "action": "team", "team-name": "Support", "team-time_zone": "Europe/Riga",
        "team-own_hours": "on",
            "team-business_hours": "\n".join(f"{d} 00:00-24:00" for d in
                                             ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
            "team-closed_days": "2026-12-31 Inventory"})
    assert r.status_code == 302
    team = defaults.support
    team.refresh_from_db()
    assert team.business_hours["sat"] == ["00:00-24:00"]
    assert ClosedDay.objects.get(team=team).name == "Inventory"
    case.refresh_from_db()
    # the open case was recomputed on the team's round-the-clock calendar
    assert case.resolution_due < workspace_due
    assert case.resolution_due == case.opened_at + timedelta(hours=24) or \
        case.resolution_due <= case.opened_at + timedelta(hours=25)


def test_bad_team_hours_change_nothing(defaults, signed_in):
    carol = signed_in(defaults.carol)
    url = f"/settings/teams/{defaults.support.pk}/"
    for hours, closed, problem in [("mon 9-5", "", "HH:MM-HH:MM"),
                                   ("funday 09:00-17:00", "", "unknown weekday"),
                                   ("mon 09:00-17:00", "24.12.2026", "is not a date")]:
        r = carol.post(url, {"action": "team", "team-name": "Support", "team-own_hours": "on",
                             "team-business_hours": hours, "team-closed_days": closed})
        assert r.status_code == 200 and problem in r.content.decode()
    defaults.support.refresh_from_db()
    assert defaults.support.business_hours is None
    assert not ClosedDay.objects.filter(team=defaults.support).exists()
    assert signed_in(defaults.alice).get(url).status_code == 403
    assert signed_in(defaults.mallory).get(url).status_code == 404


def test_team_service_levels_override_and_inherit(defaults, api, signed_in, run_tasks):
    carol = signed_in(defaults.carol)
    url = f"/settings/teams/{defaults.support.pk}/"
    data = {"action": "sla"}
    for p in ("low", "normal", "high", "urgent"):
        data.update({f"sla-first-{p}": "10", f"sla-total-{p}": "60", f"sla-warn-{p}": "50"})
    with run_tasks():
        assert carol.post(url, data).status_code == 302
    assert SlaPolicy.objects.filter(team=defaults.support).count() == 4
    case = open_case(api, defaults)
    cal = services._calendar(defaults.acme, defaults.support)
    assert cal.between(case.opened_at, case.resolution_due) == pytest.approx(3600, abs=1)
    assert cal.between(case.opened_at, case.warn_at) == pytest.approx(1800, abs=1)
    # a bad table changes nothing
    bad = {**data, "sla-first-high": "90"}  # resolution before first contact
    r = carol.post(url, bad)
    assert "cannot come before the first contact" in r.content.decode()
    assert SlaPolicy.objects.get(team=defaults.support, priority="high").first_contact_minutes \
        == 10
    # back to the workspace's levels; open cases follow at once
    with run_tasks():
        assert carol.post(url, {**data, "inherit": "1"}).status_code == 302
    assert not SlaPolicy.objects.filter(team=defaults.support).exists()
    case.refresh_from_db()
    assert cal.between(case.opened_at, case.resolution_due) > 3600


def test_workspace_levels_validate_and_recompute(defaults, api, signed_in, run_tasks):
    case = open_case(api, defaults)
    carol = signed_in(defaults.carol)
    data = {"action": "sla"}
    for p in ("low", "normal", "high", "urgent"):
        data.update({f"sla-first-{p}": "30", f"sla-total-{p}": "120", f"sla-warn-{p}": "75"})
    r = carol.post("/settings/recovery/", {**data, "sla-warn-low": "100"})
    assert r.status_code == 200 and not SlaPolicy.objects.exists()
    with run_tasks():
        assert carol.post("/settings/recovery/", data).status_code == 302
    case.refresh_from_db()
    cal = services._calendar(defaults.acme, defaults.support)
    assert cal.between(case.opened_at, case.resolution_due) == pytest.approx(7200, abs=1)
    with pytest.raises(Exception, match="every priority"):
        setup.set_levels(workspace=defaults.acme, actor=None,
                         levels=[Level("low", 1, 2)])


# -- notices through the alert channels ----------------------------------------------------


def test_breach_and_promise_notices_reach_the_channels(defaults, api, run_tasks, receiver,
                                                       private_ok):
    ws = defaults.acme
    hook = alerts.create_channel(workspace=ws, actor=None, name="Hook", kind="webhook",
                                 target=receiver.url)
    setup.set_route(workspace=ws, actor=None, warning_ids=[hook.pk], breach_ids=[hook.pk])
    case = open_case(api, defaults, now=datetime.now(UTC))
    with run_tasks():
        loop.check_slas(now=case.warn_at + timedelta(seconds=1))
    with run_tasks():
        loop.check_slas(now=case.resolution_due + timedelta(seconds=1))
    promise = services.add_promise(case=case, owner=defaults.bob, description="Refund",
                                   due_at=datetime.now(UTC) + timedelta(hours=1))
    with run_tasks():
        loop.check_promises(now=promise.due_at + timedelta(minutes=1))
        loop.check_promises(now=promise.due_at + timedelta(hours=5))
    kinds = [r.json()["type"] for r in receiver.requests]
    # the first contact (due after 4 of the 24 hours) is missed before the warning's 80 %
    assert kinds == ["case.sla_warning", "case.sla_breached", "case.sla_breached",
                     "promise.overdue", "promise.escalated"]
    body = receiver.requests[1].json()
    assert body["case_number"] == case.number and body["links"]["case"].endswith(
        f"/cases/{case.pk}/")
    assert receiver.requests[1].headers["x-kliento-event"] == "case.sla_breached"
    assert all(d.state == "sent" for d in Delivery.objects.filter(case=case))
    listed = api.get("/deliveries").json()["items"]
    assert {d["case_id"] for d in listed} == {case.pk} and len(listed) == 5
    # each notice once: a later check sends nothing more
    with run_tasks():
        loop.check_slas(now=case.resolution_due + timedelta(hours=2))
    assert len(receiver.requests) == 5


def test_a_teams_route_replaces_the_workspaces(defaults, api, run_tasks, receiver,
                                               private_ok):
    ws = defaults.acme
    slack = alerts.create_channel(workspace=ws, actor=None, name="Slack", kind="slack",
                                  target=receiver.url + "/slack")
    hook = alerts.create_channel(workspace=ws, actor=None, name="Hook", kind="webhook",
                                 target=receiver.url + "/hook")
    setup.set_route(workspace=ws, actor=None, warning_ids=[], breach_ids=[hook.pk])
    setup.set_route(workspace=ws, actor=None, warning_ids=[], breach_ids=[slack.pk],
                    team=defaults.support)
    case = open_case(api, defaults, now=datetime.now(UTC))
    with run_tasks():
        loop.check_slas(now=case.resolution_due + timedelta(seconds=1))
    [req] = receiver.requests
    assert req.path.endswith("/slack")
    text = req.body.decode()
    assert f"#{case.number}" in text and "missed its deadline" in text
    assert "Open case" in text and f"/cases/{case.pk}/" in text


def test_a_route_refuses_channels_of_another_workspace(defaults, world):
    theirs = alerts.create_channel(workspace=world.globex, actor=None, name="Theirs",
                                   kind="email", target="x@globex.test")
    with pytest.raises(Exception, match="Unknown alert channel"):
        setup.set_route(workspace=world.acme, actor=None, warning_ids=[theirs.pk],
                        breach_ids=[])


def test_recovery_settings_page_saves_the_route_and_root_causes(defaults, signed_in):
    ws = defaults.acme
    mail = alerts.create_channel(workspace=ws, actor=None, name="Managers", kind="email",
                                 target="", audience="managers")
    carol = signed_in(defaults.carol)
    page = carol.get("/settings/recovery/").content.decode()
    assert "Service recovery" in page and "Managers" in page
    r = carol.post("/settings/recovery/", {"action": "route",
                                           "route-breach_channels": [mail.pk]})
    assert r.status_code == 302
    assert list(setup.route_of(ws).breach_channels.all()) == [mail]
    carol.post("/settings/recovery/", {"action": "cause", "name": "Courier lost it"})
    r = carol.post("/settings/recovery/", {"action": "cause", "name": "Courier lost it"},
                   follow=True)
    assert "exists already" in r.content.decode()


def test_new_workspace_hours_move_open_cases_at_once(defaults, api, run_tasks):
    from kliento.core.models import Membership

    case = open_case(api, defaults, now=datetime.now(UTC))
    before = case.resolution_due
    admin = Membership.objects.get(workspace=defaults.acme, user=defaults.anna)
    every_day = "\n".join(f"{d} 00:00-24:00" for d in
                          ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    with run_tasks():
        loop.set_business_hours(workspace=defaults.acme, actor=admin, hours_text=every_day,
                                closed_text="")
    case.refresh_from_db()
    assert case.resolution_due < before
    calendar = services._calendar(defaults.acme)
    assert calendar.between(case.opened_at, case.resolution_due) == pytest.approx(24 * 3600,
                                                                                 abs=1)
    moved = case.resolution_due
    with run_tasks():
        loop.update_workspace(workspace=defaults.acme, actor=admin, time_zone="Asia/Tokyo")
    case.refresh_from_db()
    assert case.resolution_due == moved  # round the clock is the same in every zone


def test_notices_by_email_reach_the_teams_manager_in_their_language(
        defaults, api, run_tasks, smtp_settings, receiver, private_ok):
    ws = defaults.acme
    defaults.support.manager = defaults.carol
    defaults.support.save()
    defaults.carol.language = "lv"
    defaults.carol.save()
    manager = alerts.create_channel(workspace=ws, actor=None, name="Team manager",
                                    kind="email", target="", audience="team_manager")
    teams = alerts.create_channel(workspace=ws, actor=None, name="Teams", kind="teams",
                                  target=receiver.url)
    setup.set_route(workspace=ws, actor=None, warning_ids=[], breach_ids=[manager.pk, teams.pk])
    case = open_case(api, defaults, now=datetime.now(UTC))
    Case.objects.filter(pk=case.pk).update(first_contact_due=None)
    case.refresh_from_db()
    with run_tasks():
        loop.check_slas(now=case.resolution_due + timedelta(seconds=1))
    # the owner and the manager are e-mailed directly; the channel's e-mail is the alert card
    [mail] = [m for m in smtp_settings.messages if m.is_multipart()]
    assert mail["To"] == "carol@acme.test"
    assert mail["Subject"].strip() == f"Lietas #{case.number} (Jānis Ozols) termiņš ir nokavēts"
    direct = [m for m in smtp_settings.messages if not m.is_multipart()]
    assert sorted(m["To"] for m in direct) == ["alice@acme.test", "carol@acme.test"]
    assert all("deadline" in m["Subject"] or "termiņš" in m["Subject"] for m in direct)
    text = mail.get_body(("plain",)).get_content()
    assert f"/cases/{case.pk}/" in text and "Atvērt lietu" in text
    [card] = receiver.requests
    content = card.json()["attachments"][0]["content"]
    assert f"#{case.number}" in content["body"][0]["text"]
    assert content["actions"][0]["url"].endswith(f"/cases/{case.pk}/")


def test_the_customers_answer_ends_the_wait(defaults, api, run_tasks):
    case = open_case(api, defaults, now=datetime.now(UTC) - timedelta(hours=2))
    services.update_case(case=case, changes=services.CaseChanges(
        status="waiting_on_customer"), now=datetime.now(UTC) - timedelta(hours=1))
    case.refresh_from_db()
    assert case.resolution_due is None
    with run_tasks():  # a happy word is an answer too: it joins the case and the clock runs
        r = api.post("/feedback", {"customer": {"email": "janis@example.lv"}, "score": 5,
                                   "scale": "csat", "text": "Paldies, gaidīšu kurjeru."})
    case.refresh_from_db()
    assert case.status == "in_progress" and case.resolution_due is not None
    assert r.json()["id"] in set(case.voices.values_list("pk", flat=True))
    pause = case.pauses.get()
    assert pause.ended_at is not None and pause.ended_at <= datetime.now(UTC)


def test_settings_pages_keep_to_their_workspace(defaults, world, signed_in):
    services.ensure_defaults(world.globex)
    theirs = Playbook.objects.get(workspace=world.globex)
    their_channel = alerts.create_channel(workspace=world.globex, actor=None, name="Theirs",
                                          kind="email", target="x@globex.test")
    carol = signed_in(defaults.carol)
    assert carol.get(f"/settings/recovery/playbooks/{theirs.pk}/").status_code == 404
    assert carol.post(f"/settings/recovery/playbooks/{theirs.pk}/",
                      {"action": "delete"}).status_code == 404
    r = carol.post("/settings/recovery/", {"action": "route",
                                           "route-breach_channels": [their_channel.pk]})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    assert setup.route_of(defaults.acme) is None
    r = carol.post(f"/settings/teams/{defaults.support.pk}/", {
        "action": "team", "team-name": "Support", "team-manager": "999999",
        "team-time_zone": "Mars/Olympus"})
    assert r.status_code == 200 and r.content.decode().count("Select a valid choice") == 2
    Playbook.objects.get(pk=theirs.pk)  # still there
    assert signed_in(defaults.alice).get("/settings/recovery/").status_code == 403


def test_recomputing_for_a_team_that_is_gone_does_nothing(defaults):
    from kliento.recovery.tasks import recompute_deadlines

    assert recompute_deadlines.call(defaults.acme.pk, 999_999) == 0
    assert recompute_deadlines.call(999_999) == 0
