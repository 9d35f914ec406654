"""Root causes and themes as Pareto charts (order, cumulative %), themes by team and week,
the word-of-mouth risk of unhappy customers not won back, and when customers reach out
(hour of the week on Riga's clock) — each against figures computed by hand, and each bar's
drill-down parameters giving the feedback list exactly the voices behind it."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun import freeze_time

from kliento import loop
from kliento.core.services import create_team
from kliento.customers.services import CustomerRef
from kliento.feedback.judging import ensure_default_themes
from kliento.loop import Interaction
from kliento.recovery import services as recovery
from tests.insights.conftest import riga, voice

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
NOW = riga(30, 10)


def _get(api: Any, path: str, **params: Any) -> Any:
    with freeze_time(NOW):
        response = api.get(f"/insights/{path}", **{**PERIOD, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _feed(client: Any, params: dict[str, str]) -> set[int]:
    with freeze_time(NOW):
        page = client.get("/feed/", params)
    assert page.status_code == 200
    return {f.pk for f in page.context["items"]}


def test_root_causes_pareto_sorted_with_cumulative_share_and_its_voices(
        api: Any, world: Any, signed_in: Any) -> None:
    recovery.ensure_defaults(world.acme)
    causes = ["long_wait", "billing_error", "long_wait", "product_defect", "billing_error",
              "long_wait"]
    voices: dict[str, set[int]] = {}
    for i, cause in enumerate(causes):
        feedback = voice(world.acme, f"klients{i}", 1, riga(3 + i, 11), agent=world.alice)
        with freeze_time(riga(3 + i, 12)):
            case = loop.open_case_by_hand(feedback=feedback, owner=world.alice)
            recovery.close(case=case, root_cause_key=cause)
        voices.setdefault(cause, set()).add(feedback.pk)
    october = voice(world.acme, "vecais", 1, riga(20, 11, month=10), agent=world.alice)
    with freeze_time(riga(20, 12, month=10)):
        recovery.close(case=loop.open_case_by_hand(feedback=october, owner=None),
                       root_cause_key="long_wait")
    voice(world.acme, "bez_lietas", 1, riga(12, 11), agent=world.alice)  # no case

    bars = _get(api, "root-causes")["bars"]
    assert [(b["key"], b["name"], b["count"], b["percent"], b["cumulative_percent"])
            for b in bars] == [("long_wait", "Long wait", 3, 50.0, 50.0),
                               ("billing_error", "Billing error", 2, 33.3, 83.3),
                               ("product_defect", "Product defect", 1, 16.7, 100.0)]
    client = signed_in(world.carol)
    for bar in bars:
        assert _feed(client, bar["voices"]) == voices[bar["key"]]


@pytest.fixture
def themed(world: Any) -> dict[str, Any]:
    ensure_default_themes(world.acme)
    billing = create_team(workspace=world.acme, actor=None, name="Billing")

    def said(who: str, score: int, when: Any, team: Any, themes: list[str]) -> Any:
        feedback = voice(world.acme, who, score, when, agent=world.alice, team=team)
        # as a manager's correction on the page or the API: the figures follow at once
        loop.correct_feedback(feedback=feedback, user=world.carol, themes=themes)
        return feedback

    return {
        "billing": billing,
        # 00:30 on Monday 2 November in Riga is still Sunday 1 November in UTC.
        "v1": said("anna", 1, riga(2, 0, 30), world.support, ["waiting_time", "staff_attitude"]),
        "v2": said("berta", 2, riga(10, 14), world.support, ["waiting_time"]),
        "v3": said("cecilija", 5, riga(11, 9), billing, ["waiting_time"]),
        "v4": said("dina", 1, riga(20, 16), None, ["delivery"]),
        "old": said("elza", 1, riga(30, 12, month=10), world.support, ["waiting_time"]),
    }


def test_themes_pareto_by_team_and_weekly_trend(api: Any, world: Any,
                                                themed: dict[str, Any]) -> None:
    body = _get(api, "themes", interval="week")
    assert [(b["key"], b["name"], b["count"], b["percent"], b["cumulative_percent"])
            for b in body["pareto"]] == [
        ("waiting_time", "Waiting time", 3, 60.0, 60.0),
        ("delivery", "Delivery", 1, 20.0, 80.0),
        ("staff_attitude", "Staff attitude", 1, 20.0, 100.0)]
    assert {(t["name"], tuple(sorted(t["themes"].items()))) for t in body["by_team"]} == {
        ("Support", (("staff_attitude", 1), ("waiting_time", 2))),
        ("Billing", (("waiting_time", 1),)),
        ("No team", (("delivery", 1),))}
    assert body["by_team"][0]["name"] == "Support"
    waiting = next(t for t in body["trend"] if t["key"] == "waiting_time")
    assert waiting["points"] == [
        {"period": "2026-10-26", "count": 0}, {"period": "2026-11-02", "count": 1},
        {"period": "2026-11-09", "count": 2}, {"period": "2026-11-16", "count": 0},
        {"period": "2026-11-23", "count": 0}, {"period": "2026-11-30", "count": 0}]
    monthly = _get(api, "themes", interval="month", **{"from": "2026-10-01"})
    waiting = next(t for t in monthly["trend"] if t["key"] == "waiting_time")
    assert waiting["points"] == [{"period": "2026-10-01", "count": 1},
                                 {"period": "2026-11-01", "count": 3}]


def test_themes_of_negative_voices_and_the_voices_behind_each_bar(
        api: Any, world: Any, signed_in: Any, themed: dict[str, Any]) -> None:
    body = _get(api, "themes", polarity="negative")
    assert [(b["key"], b["count"], b["percent"], b["cumulative_percent"])
            for b in body["pareto"]] == [("waiting_time", 2, 50.0, 50.0),
                                         ("delivery", 1, 25.0, 75.0),
                                         ("staff_attitude", 1, 25.0, 100.0)]
    client = signed_in(world.carol)
    assert _feed(client, body["pareto"][0]["voices"]) == {themed["v1"].pk, themed["v2"].pk}
    everything = _get(api, "themes")["pareto"][0]
    assert _feed(client, everything["voices"]) == {
        themed["v1"].pk, themed["v2"].pk, themed["v3"].pk}
    assert _feed(client, {**everything["voices"], "team": str(themed["billing"].pk)}) == {
        themed["v3"].pk}


@pytest.mark.parametrize(("params", "field"), [
    ({"interval": "year"}, "interval"), ({"polarity": "angry"}, "polarity"),
    ({"from": "2024-01-01"}, "from"),
])
def test_bad_theme_filters_are_a_422_naming_the_field(
        api: Any, world: Any, params: dict[str, str], field: str) -> None:
    response = api.get("/insights/themes", **{**PERIOD, **params})
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["query", field]]


def test_a_bad_drill_down_date_on_the_feedback_list_names_the_field(
        world: Any, signed_in: Any) -> None:
    voice(world.acme, "anna", 1, riga(2, 10))
    page = signed_in(world.carol).get("/feed/", {"from": "yesterday"}, follow=True)
    assert page.status_code == 400
    assert list(page.context["items"]) == []
    assert page.context["form"].errors == {"from": ["“yesterday” is not a date (YYYY-MM-DD)."]}
    assert "“yesterday” is not a date (YYYY-MM-DD)." in page.content.decode()


def test_word_of_mouth_counts_unhappy_customers_not_won_back(api: Any, world: Any) -> None:
    a = world.alice
    voice(world.acme, "uldis", 1, riga(3, 10), agent=a)
    voice(world.acme, "uldis", 5, riga(5, 10), agent=a)     # won back
    voice(world.acme, "una", 5, riga(3, 10), agent=a)
    voice(world.acme, "una", 1, riga(6, 10), agent=a)       # happy only before
    voice(world.acme, "ugis", 1, riga(4, 10), agent=a)
    voice(world.acme, "ugis", 5, riga(7, 10), agent=a)
    voice(world.acme, "ugis", 2, riga(9, 10), agent=a)      # unhappy again after
    voice(world.acme, "ulla", 1, riga(8, 10), agent=a)
    voice(world.acme, "vilis", 5, riga(10, 10), agent=a)    # someone else's praise
    body = _get(api, "word-of-mouth")
    assert {k: body[k] for k in ("unhappy_customers", "recovered_customers",
                                 "not_recovered_customers", "reach_low", "reach_high",
                                 "each_recovery_spares", "recoveries_to_halve")} == {
        "unhappy_customers": 4, "recovered_customers": 1, "not_recovered_customers": 3,
        "reach_low": 27, "reach_high": 45, "each_recovery_spares": [9, 15],
        "recoveries_to_halve": 2}
    assert "9 to 15" in body["source"] and "Coca-Cola" in body["source"]


def test_voices_and_logged_contacts_by_hour_of_the_week_on_rigas_clock(
        api: Any, world: Any, run_tasks: Any, django_assert_max_num_queries: Any) -> None:
    with run_tasks():  # processed, so counted in the rollups the tables read
        voice(world.acme, "anna", 2, riga(20, 15), agent=world.alice)        # Fri 15h
        voice(world.acme, "berta", 4, riga(22, 0, 30), agent=world.bob,      # Sun 0h
              team=world.support, channel="chat")
    with freeze_time(riga(23, 9, 20)), run_tasks():
        loop.log_interaction(Interaction(                                    # Mon 9h
            workspace=world.acme, customer=CustomerRef(email="anna@example.lv"),
            channel="phone", agent=world.alice, note="Called Anna back.",
            occurred_at=riga(23, 9, 15)))
    with django_assert_max_num_queries(10):
        body = _get(api, "contacts")
    assert body["time_zone"] == "Europe/Riga"
    voices, logged = body["voices_by_hour"], body["logged_contacts_by_hour"]
    assert (len(voices), {len(day) for day in voices}) == (7, {24})
    assert {(d, h): n for d, day in enumerate(voices) for h, n in enumerate(day) if n} == {
        (4, 15): 1, (6, 0): 1, (0, 9): 1}
    assert {(d, h): n for d, day in enumerate(logged) for h, n in enumerate(day) if n} == {
        (0, 9): 1}
    assert [(b["name"], b["voices"], b["logged_contacts"]) for b in body["by_channel"]] == [
        ("Phone", 1, 1), ("Chat", 1, 0), ("E-mail", 1, 0)]
    assert [(b["name"], b["voices"], b["logged_contacts"]) for b in body["by_agent"]] == [
        ("Alice Agent", 2, 1), ("Bob Agent", 1, 0)]
    assert [(b["name"], b["voices"]) for b in body["by_team"]] == [("No team", 2), ("Support", 1)]


def test_the_heat_maps_read_from_the_hour_rollups_equal_those_counted_from_the_rows(
        world: Any, voices: Any, run_tasks: Any, monkeypatch: Any) -> None:
    from dataclasses import asdict
    from datetime import date

    from kliento.feedback.filters import VoiceSelection
    from kliento.feedback.models import Feedback
    from kliento.insights import causes
    from kliento.insights.models import HourCount

    def contact(name: str, spoke: Any, agent: Any, channel: str = "phone") -> Any:
        with freeze_time(spoke), run_tasks():
            return loop.log_interaction(Interaction(
                workspace=world.acme, customer=CustomerRef(email=f"{name}@example.lv"),
                channel=channel, agent=agent, team=world.support, note="Called back.",
                occurred_at=spoke))

    with run_tasks():
        # Riga leaves summer time at 04:00 on Sunday 25 October 2026 (UTC+3 to UTC+2): late
        # evenings on either side, and 03:30 twice that night, one hour of UTC apart.
        voice(world.acme, "anna", 1, riga(24, 23, 30, month=10), agent=world.alice)
        voice(world.acme, "berta", 5, riga(25, 23, 30, month=10), agent=world.bob,
              team=world.support, channel="chat")
        voice(world.acme, "cilda", 2, riga(25, 3, 30, month=10))
        voice(world.acme, "dita", 4, riga(25, 3, 30, month=10).replace(fold=1))
        # Monday 00:30 in Riga is Sunday in UTC; the last minute of the period.
        voice(world.acme, "elza", 3, riga(2, 0, 30), agent=world.alice, channel="chat")
        voice(world.acme, "frida", 2, riga(30, 23, 59), team=world.support)
        gone = voice(world.acme, "gita", 1, riga(3, 22, 10), agent=world.bob)
        # 1 October in Riga from 21:00 on 30 September in UTC.
        voice(world.acme, "hanna", 5, riga(30, 23, 0, month=9))  # before the period
        voice(world.acme, "ieva", 4, riga(1, 0, 30, month=10))  # a Thursday
    contact("call", riga(25, 23, 50, month=10), world.alice)
    contact("late_call", riga(3, 23, 55), world.bob, channel="email")
    dropped = contact("dropped", riga(4, 8, 0), world.alice)
    voices.hear(email="inga@example.lv", source="interaction", at=riga(3, 9, 30))  # no agent
    with run_tasks():
        loop.delete_feedback(Feedback.objects.get(pk=gone.pk))
        loop.delete_feedback(Feedback.objects.get(pk=dropped.pk))
    assert HourCount.objects.for_workspace(world.acme).exists()

    selections = [VoiceSelection(since=date(2026, 10, 1), until=date(2026, 11, 30)),
                  VoiceSelection(since=date(2026, 10, 25), until=date(2026, 11, 2)),
                  VoiceSelection(since=date(2026, 11, 3), until=date(2026, 11, 3)),
                  # the contacts agents logged from the rollups, the voices from the rows
                  VoiceSelection(since=date(2026, 10, 1), until=date(2026, 11, 30),
                                 language="lv"),
                  VoiceSelection(since=date(2026, 10, 1), until=date(2026, 11, 30),
                                 team_id=world.support.pk)]
    from_rollups = [asdict(causes.contact_statistics(world.acme, s)) for s in selections]
    monkeypatch.setattr(causes, "hours_in_rollups", lambda selection, logged: False)
    from_rows = [asdict(causes.contact_statistics(world.acme, s)) for s in selections]
    assert from_rollups == from_rows
    whole = from_rows[0]
    cells = {(d, h): n for d, day in enumerate(whole["voices_by_hour"])
             for h, n in enumerate(day) if n}
    assert cells == {(3, 0): 1, (5, 23): 1, (6, 23): 2, (6, 3): 2, (0, 0): 1, (0, 23): 1,
                     (1, 9): 1, (1, 23): 1}
    logged = {(d, h): n for d, day in enumerate(whole["logged_contacts_by_hour"])
              for h, n in enumerate(day) if n}
    assert logged == {(6, 23): 1, (1, 23): 1}
