"""Close the loop: of every unhappy voice, whether its customer was contacted within the
target in business hours (across a weekend and Latvia's Proclamation Day), how soon, whether
they were won back, and the recovery cases' SLA, promises and age — checked against figures
computed by hand for one month of acme's voices."""

from __future__ import annotations

from datetime import date
from typing import Any

import holidays
import pytest
from freezegun import freeze_time

from kliento import loop
from kliento.customers.services import CustomerRef
from kliento.insights.models import InsightsSettings
from kliento.loop import Interaction
from kliento.recovery import services as recovery
from kliento.recovery.models import StepKind
from tests.insights.conftest import riga, voice

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
NOW = riga(30, 10)  # Monday 30 November 2026, 10:00 in Riga


@pytest.fixture
def history(world: Any) -> dict[str, Any]:
    """Five unhappy voices in November 2026 (business hours Mon–Fri 09–17, Riga):

    A  aija    alice  Tue 17 10:00  reply Mon 23 09:30   23.5 business h (Wed 18 a holiday)
    B  bruno   bob    Fri 20 15:00  call logged Thu 26 11:00   28 h: late
    C  cilda   alice  Mon 23 11:00  case's contact step done Mon 23 15:00   4 h
    D  dace    bob    Tue 24 12:00  never contacted; 24 h ran out Fri 27 12:00: a miss
    E  edgars  alice  Fri 27 16:00  not contacted, 2 h used by Mon 30 10:00: pending
    """
    w = world
    assert date(2026, 11, 18) in holidays.country_holidays("LV", years=2026)
    recovery.ensure_defaults(w.acme)
    voice(w.acme, "bruno", 5, riga(19, 12), agent=w.bob)  # happy before: no recovery of B
    a = voice(w.acme, "aija", 1, riga(17, 10), agent=w.alice, team=w.support)
    with freeze_time(riga(17, 10, 5)):
        case_a = loop.open_case_by_hand(feedback=a, owner=w.alice)
    b = voice(w.acme, "bruno", 2, riga(20, 15), agent=w.bob)
    with freeze_time(riga(23, 9, 30)):
        loop.reply_to_case(case=case_a, agent=w.alice, body="We are sorry, Aija.")
        refund = recovery.add_promise(case=case_a, owner=None, description="Refund",
                                      due_at=riga(24, 12))
        call = recovery.add_promise(case=case_a, owner=None, description="Call back",
                                    due_at=riga(24, 15))
    c = voice(w.acme, "cilda", 1, riga(23, 11), agent=w.alice, team=w.support)
    with freeze_time(riga(23, 11, 5)):
        recovery.resolve(case=case_a, user=w.alice)  # due Mon 23 10:05: breached
        case_c = loop.open_case_by_hand(feedback=c, owner=w.alice)
        kept = recovery.add_promise(case=case_c, owner=None, description="Voucher",
                                    due_at=riga(25, 12))
    step = case_c.steps.get(key=StepKind.CONTACT)
    recovery.complete_step(case=case_c, step=step, user=w.alice, note="Called Cilda.",
                           now=riga(23, 15))
    with freeze_time(riga(23, 16)):
        recovery.resolve(case=case_c, user=w.alice)
    d = voice(w.acme, "dace", 1, riga(24, 12), agent=w.bob)
    with freeze_time(riga(24, 12, 10)):
        loop.open_case_by_hand(feedback=d, owner=w.bob)
        recovery.settle_promise(promise=refund, kept=True)
        recovery.settle_promise(promise=call, kept=False)
        recovery.settle_promise(promise=kept, kept=True)
    voice(w.acme, "aija", 5, riga(25, 10), agent=w.alice)  # A won back
    with freeze_time(riga(26, 11, 30)):
        loop.log_interaction(Interaction(
            workspace=w.acme, customer=CustomerRef(email="bruno@example.lv"), channel="phone",
            agent=w.bob, note="Called Bruno back.", occurred_at=riga(26, 11)))
    voice(w.acme, "fricis", 5, riga(26, 12), agent=w.bob)  # another customer: no recovery
    e = voice(w.acme, "edgars", 2, riga(27, 16), agent=w.alice, team=w.support)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _get(api: Any, **params: Any) -> Any:
    with freeze_time(NOW):
        return api.get("/insights/close-the-loop", **{**PERIOD, **params})


def _row(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in body["rows"] if r["name"] == name)


def test_close_the_loop_per_agent_matches_the_hand_computed_month(
        api: Any, world: Any, history: dict[str, Any],
        django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(16):
        response = _get(api, by="agent")
    assert response.status_code == 200
    body = response.json()
    assert (body["by"], body["target_hours"], body["target_percent"]) == ("agent", 24, 90)
    assert [r["name"] for r in body["rows"]] == ["Alice Agent", "Bob Agent"]
    alice, bob, total = _row(body, "Alice Agent"), _row(body, "Bob Agent"), body["total"]
    no_open = {"under_1d": 0, "1_3d": 0, "3_7d": 0, "over_7d": 0}
    assert {k: alice[k] for k in (
        "unhappy", "measured", "pending", "contacted", "contacted_in_time",
        "contacted_in_time_rate", "median_hours_to_contact", "recovered", "recovery_rate",
        "cases_resolved", "resolved_within_sla", "resolved_within_sla_rate",
        "promises_kept", "promises_broken", "promises_kept_rate", "open_cases",
        "meets_target")} == {
        "unhappy": 3, "measured": 2, "pending": 1, "contacted": 2, "contacted_in_time": 2,
        "contacted_in_time_rate": 100.0, "median_hours_to_contact": 13.75,
        "recovered": 1, "recovery_rate": 33.3, "cases_resolved": 2,
        "resolved_within_sla": 1, "resolved_within_sla_rate": 50.0, "promises_kept": 2,
        "promises_broken": 1, "promises_kept_rate": 66.7, "open_cases": no_open,
        "meets_target": True}
    assert {k: bob[k] for k in (
        "unhappy", "measured", "pending", "contacted", "contacted_in_time",
        "contacted_in_time_rate", "median_hours_to_contact", "recovered", "recovery_rate",
        "cases_resolved", "resolved_within_sla_rate", "promises_kept_rate", "open_cases",
        "meets_target")} == {
        "unhappy": 2, "measured": 2, "pending": 0, "contacted": 1, "contacted_in_time": 0,
        "contacted_in_time_rate": 0.0, "median_hours_to_contact": 28.0, "recovered": 0,
        "recovery_rate": 0.0, "cases_resolved": 0, "resolved_within_sla_rate": None,
        "promises_kept_rate": None, "open_cases": {**no_open, "3_7d": 1},
        "meets_target": False}
    assert {k: total[k] for k in (
        "unhappy", "measured", "contacted_in_time_rate", "median_hours_to_contact",
        "recovery_rate", "resolved_within_sla_rate", "promises_kept_rate", "open_cases",
        "meets_target")} == {
        "unhappy": 5, "measured": 4, "contacted_in_time_rate": 50.0,
        "median_hours_to_contact": 23.5, "recovery_rate": 20.0,
        "resolved_within_sla_rate": 50.0, "promises_kept_rate": 66.7,
        "open_cases": {**no_open, "3_7d": 1}, "meets_target": False}
    assert alice["voices"] == {**PERIOD, "agent": str(world.alice.pk), "unhappy": "1"}


def test_the_feedback_list_behind_a_row_holds_exactly_its_unhappy_voices(
        api: Any, world: Any, history: dict[str, Any], signed_in: Any) -> None:
    alice = _row(_get(api, by="agent").json(), "Alice Agent")
    with freeze_time(NOW):
        page = signed_in(world.carol).get("/feed/", alice["voices"])
    assert page.status_code == 200
    shown = {f.pk for f in page.context["items"]}
    assert shown == {history["a"].pk, history["c"].pk, history["e"].pk}
    assert len(shown) == alice["unhappy"]


def test_close_the_loop_per_team_counts_voices_without_a_case_and_without_a_team(
        api: Any, history: dict[str, Any]) -> None:
    body = _get(api).json()
    assert body["by"] == "team"
    assert [(r["name"], r["unhappy"], r["contacted_in_time_rate"], r["voices"] is None)
            for r in body["rows"]] == [("Support", 3, 100.0, False), ("No team", 2, 0.0, True)]


def test_a_shorter_target_makes_the_holiday_spanning_contact_late(
        api: Any, world: Any, history: dict[str, Any], signed_in: Any) -> None:
    response = signed_in(world.carol).post("/insights/settings/", {
        "contact_target_hours": "20", "contact_target_percent": "50"})
    assert response.status_code == 302
    body = _get(api, by="agent").json()
    assert (body["target_hours"], body["target_percent"]) == (20, 50)
    alice = _row(body, "Alice Agent")
    assert (alice["contacted_in_time"], alice["contacted_in_time_rate"]) == (1, 50.0)
    assert (body["total"]["contacted_in_time_rate"], body["total"]["meets_target"]) == (
        25.0, False)


def test_filters_narrow_the_voices(api: Any, world: Any, history: dict[str, Any]) -> None:
    body = _get(api, by="agent", team=world.support.pk).json()
    assert [(r["name"], r["unhappy"]) for r in body["rows"]] == [("Alice Agent", 3)]
    body = _get(api, by="agent", **{"from": "2026-11-23", "to": "2026-11-24"}).json()
    assert [(r["name"], r["unhappy"]) for r in body["rows"]] == [
        ("Alice Agent", 1), ("Bob Agent", 1)]
    body = _get(api, channel="phone").json()
    assert body["total"]["unhappy"] == 0


@pytest.mark.parametrize(("params", "field"), [
    ({"by": "owner"}, "by"),
    ({"from": "2026-13-01"}, "from"),
    ({"from": "2026-11-30", "to": "2026-11-01"}, "from"),
    ({"channel": "pigeon"}, "channel"),
    ({"agent": "999999"}, "agent"),
])
def test_bad_filters_are_a_422_naming_the_field(
        api: Any, history: dict[str, Any], params: dict[str, str], field: str) -> None:
    response = api.get("/insights/close-the-loop", **params)
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["query", field]]


def test_another_workspace_sees_none_of_acmes_figures(
        other_api: Any, world: Any, history: dict[str, Any], run_tasks: Any) -> None:
    with run_tasks():  # judged, so counted in the rollups
        voice(world.globex, "gosia", 1, riga(24, 12), agent=world.mallory)
    body = _get(other_api, by="agent").json()
    assert [(r["name"], r["unhappy"]) for r in body["rows"]] == [("Mallory Other", 1)]
    assert (body["total"]["unhappy"], body["total"]["open_cases"]["3_7d"],
            body["total"]["promises_kept"]) == (1, 0, 0)
    response = other_api.get("/insights/close-the-loop", team=world.support.pk)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "team"]
    with freeze_time(NOW):
        def get(path: str) -> Any:
            return other_api.get(f"/insights/{path}", **PERIOD).json()

        assert get("root-causes")["bars"] == []
        assert (get("themes")["pareto"], get("themes")["by_team"]) == ([], [])
        assert (get("word-of-mouth")["unhappy_customers"],
                get("word-of-mouth")["reach_high"]) == (1, 15)
        contacts = get("contacts")
        assert ([(b["name"], b["voices"]) for b in contacts["by_agent"]],
                sum(map(sum, contacts["voices_by_hour"])),
                sum(map(sum, contacts["logged_contacts_by_hour"]))) == (
            [("Mallory Other", 1)], 1, 0)


def test_the_api_needs_a_token(client: Any, world: Any) -> None:
    assert client.get("/api/v1/insights/close-the-loop").status_code == 401


# -- the settings page ---------------------------------------------------------------------


def test_a_manager_sets_the_target(world: Any, signed_in: Any) -> None:
    client = signed_in(world.carol)
    page = client.get("/insights/settings/")
    assert page.status_code == 200
    assert 'value="24"' in page.content.decode() and 'value="90"' in page.content.decode()
    response = client.post("/insights/settings/", {"contact_target_hours": "36",
                                                   "contact_target_percent": "85"})
    assert response.status_code == 302
    row = InsightsSettings.objects.get(workspace=world.acme)
    assert (row.contact_target_hours, row.contact_target_percent) == (36, 85)


@pytest.mark.parametrize(("hours", "percent", "field"), [
    ("0", "90", "contact_target_hours"), ("24", "101", "contact_target_percent"),
    ("soon", "90", "contact_target_hours"), ("24", "", "contact_target_percent"),
])
def test_bad_targets_are_refused_naming_the_field(
        world: Any, signed_in: Any, hours: str, percent: str, field: str) -> None:
    response = signed_in(world.anna).post("/insights/settings/", {
        "contact_target_hours": hours, "contact_target_percent": percent})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert 'class="error"' in response.content.decode()
    assert not InsightsSettings.objects.filter(workspace=world.acme).exists()


def test_agents_cannot_change_the_target(world: Any, signed_in: Any) -> None:
    client = signed_in(world.alice)
    assert client.get("/insights/settings/").status_code == 403
    response = client.post("/insights/settings/", {"contact_target_hours": "100",
                                                   "contact_target_percent": "10"})
    assert response.status_code == 403
    assert not InsightsSettings.objects.filter(workspace=world.acme).exists()


def test_a_voice_is_past_its_target_exactly_when_more_business_time_than_the_target_passed():
    """`past_target` answers what walking every business day from the voice to now would
    (a year-old voice no longer walks 365 days): on a grid of instants across weekends,
    Proclamation Day and the edge where the target runs out at closing time."""
    from datetime import timedelta

    from kliento.core.calendar import calendar_for
    from kliento.insights.closing import past_target

    calendar = calendar_for(time_zone="Europe/Riga", hours=None, country="LV")
    target = 24 * 3600
    closing = riga(26, 17)  # Tue 24 09:00 + 24 business hours (8 a day) end here exactly
    assert calendar.between(riga(24, 9), closing) == target
    assert not past_target(calendar, riga(24, 9), riga(26, 20), target)  # closed since
    assert past_target(calendar, riga(24, 9), riga(27, 9, 1), target)  # a minute of Friday
    starts = [riga(13, 8) + timedelta(hours=7 * i) for i in range(12)]
    for received in starts:
        for hours in range(0, 24 * 40, 5):
            now = received + timedelta(hours=hours)
            assert past_target(calendar, received, now, target) == (
                calendar.between(received, now) > target), (received, now)


# -- drill-down: every count of a row links to exactly its voices --------------------------


def test_every_count_of_a_row_links_to_exactly_the_voices_behind_it(
        api: Any, world: Any, history: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(world.carol)
    a, b, c, d, e = (history[k].pk for k in "abcde")
    for by in ("agent", "team"):
        body = _get(api, by=by).json()
        for r in [*body["rows"], body["total"]]:
            if r["links"] is None:
                continue
            for name, params in r["links"].items():
                with freeze_time(NOW):
                    page = client.get("/feed/", params)
                assert page.status_code == 200, (by, r["name"], name)
                assert len(page.context["items"]) == r[name], (by, r["name"], name)
    links = _row(_get(api, by="agent").json(), "Alice Agent")["links"]
    alice_in_time = links["contacted_in_time"]
    assert alice_in_time == {**PERIOD, "agent": str(world.alice.pk), "unhappy": "1",
                             "contact": "in_time"}
    total = _get(api, by="agent").json()["total"]["links"]

    def shown(params: dict[str, str]) -> set[int]:
        with freeze_time(NOW):
            return {f.pk for f in client.get("/feed/", params).context["items"]}

    assert shown(alice_in_time) == {a, c}
    assert shown(total["contacted"]) == {a, b, c}
    assert shown(total["measured"]) == {a, b, c, d}
    assert shown(total["pending"]) == {e}
    assert shown(total["recovered"]) == {a}
    assert shown({**PERIOD, "contact": "late"}) == {b}
    assert shown({**PERIOD, "contact": "missed"}) == {d}
    assert shown({**PERIOD, "contact": "none"}) == {d, e}
    assert shown({**PERIOD, "recovered": "no"}) == {b, c, d, e}


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"contact": "soon"}, "contact", "Unknown contact “soon”; one of: yes, in_time, late, "
                                     "none, missed, pending, measured."),
    ({"recovered": "maybe"}, "recovered", "“maybe” is not yes or no."),
])
def test_a_bad_close_the_loop_drill_down_names_the_field(
        world: Any, signed_in: Any, params: dict[str, str], field: str, message: str) -> None:
    page = signed_in(world.carol).get("/feed/", params)
    assert page.status_code == 400
    assert list(page.context["items"]) == []
    assert page.context["form"].errors == {field: [message]}


def test_the_dashboard_links_the_loop_counts(world: Any, history: dict[str, Any],
                                            signed_in: Any) -> None:
    with freeze_time(NOW):
        page = signed_in(world.carol).get("/insights/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    for fragment in ("contact=in_time", "contact=measured", "contact=yes", "recovered=yes"):
        assert fragment in html
