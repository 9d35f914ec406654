"""The close-the-loop facts the loop keeps per unhappy voice equal a recompute from the rows,
after any sequence of voices, contacts (an agent's reply, a logged call, a case's contact
step), positive answers and deletions; and the figures read from them equal what walking
every voice on its team's calendar gives (the way they were computed before the facts)."""

from __future__ import annotations

import bisect
import statistics
from datetime import timedelta
from typing import Any

from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kliento import loop
from kliento.conversations.models import Direction, Message
from kliento.customers.services import CustomerRef
from kliento.feedback.filters import UNHAPPY, VoiceSelection
from kliento.feedback.models import Feedback, Polarity, Source
from kliento.insights import loopfacts
from kliento.insights.causes import word_of_mouth
from kliento.insights.closing import calendars, close_the_loop, past_target
from kliento.insights.models import LoopVoice
from kliento.insights.services import rebuild
from kliento.loop import Interaction
from kliento.recovery import services as recovery
from kliento.recovery.models import OPEN_STATUSES, Case, CaseStep, StepKind, StepState
from tests.insights.conftest import riga, voice

WHO = ["aija", "bruno", "cilda"]
STEP = st.one_of(
    st.tuples(st.just("voice"), st.sampled_from(WHO), st.integers(1, 5), st.booleans()),
    st.tuples(st.sampled_from(["reply", "call", "step"]), st.sampled_from(WHO)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
)


def _act(world: Any, step: tuple[Any, ...], when: Any) -> None:
    kind, *args = step
    acme = world.acme
    if kind == "voice":
        who, score, support = args
        voice(acme, who, score, when, agent=world.alice if support else world.bob,
              team=world.support if support else None)
        return
    if kind == "delete":
        voices = list(Feedback.objects.for_workspace(acme).order_by("pk"))
        if voices:
            with freeze_time(when):
                loop.delete_feedback(voices[args[0] % len(voices)])
        return
    who = args[0]
    latest = Feedback.objects.for_workspace(acme).filter(
        customer__name=who.title()).order_by("-pk").first()
    if kind == "call":
        with freeze_time(when):
            loop.log_interaction(Interaction(
                workspace=acme, customer=CustomerRef(email=f"{who}@example.lv"),
                channel="phone", agent=world.bob, note="Called.", occurred_at=when))
        return
    if latest is None:
        return
    with freeze_time(when):
        case = Case.objects.filter(customer=latest.customer, status__in=OPEN_STATUSES).first() \
            or loop.open_case_by_hand(feedback=latest, owner=world.alice)
        if kind == "reply":
            loop.reply_to_case(case=case, agent=world.alice, body="We are sorry.")
            return
        step_ = case.steps.filter(key=StepKind.CONTACT, state=StepState.OPEN).first()
        if step_ is not None:
            recovery.complete_step(case=case, step=step_, user=world.alice, now=when)


def _reference(workspace: Any, selection: VoiceSelection, now: Any) -> dict[str, Any]:
    """Close the loop's totals and word of mouth, walking every voice (as before the facts)."""
    target = 24 * 3600
    cals = calendars(workspace)
    voices = selection.apply(Feedback.objects.for_workspace(workspace), workspace).filter(UNHAPPY)
    contacts: dict[int, list[Any]] = {}
    for customer_id, at in [
        *Message.objects.filter(direction=Direction.OUTBOUND, author__isnull=False,
                                workspace=workspace)
            .values_list("conversation__customer_id", "created_at"),
        *Feedback.objects.filter(workspace=workspace, source=Source.INTERACTION,
                                 agent__isnull=False).values_list("customer_id", "occurred_at"),
        *CaseStep.objects.filter(case__workspace=workspace, key=StepKind.CONTACT,
                                 state=StepState.DONE)
            .values_list("case__customer_id", "done_at")]:
        contacts.setdefault(customer_id, []).append(at)
    positive: dict[int, Any] = {}
    for customer_id, at in Feedback.objects.filter(
            workspace=workspace, polarity=Polarity.POSITIVE, mixed=False).values_list(
            "customer_id", "received_at"):
        positive[customer_id] = max(at, positive.get(customer_id, at))
    out = {"unhappy": 0, "measured": 0, "pending": 0, "contacted": 0, "contacted_in_time": 0,
           "recovered": 0}
    waits, latest = [], {}
    for customer_id, received, team_id in voices.values_list(
            "customer_id", "received_at", "team_id"):
        calendar = cals.get(team_id, cals[None])
        times = sorted(contacts.get(customer_id, []))
        i = bisect.bisect_right(times, received)
        out["unhappy"] += 1
        out["recovered"] += customer_id in positive and positive[customer_id] > received
        latest[customer_id] = max(received, latest.get(customer_id, received))
        if i < len(times):
            wait = calendar.between(received, times[i])
            waits.append(wait)
            out["contacted"] += 1
            out["contacted_in_time"] += wait <= target
            out["measured"] += 1
        elif past_target(calendar, received, now, target):
            out["measured"] += 1
        else:
            out["pending"] += 1
    out["median"] = round(statistics.median(waits) / 3600, 2) if waits else None
    out["won_back"] = sum(1 for c, at in latest.items() if c in positive and positive[c] > at)
    out["customers"] = len(latest)
    return out


@example(steps=[(("voice", "bruno", 1, False), 1), (("call", "bruno"), 1), (("delete", 1), 1)],
         later=0)  # the logged call deleted: the voice is no longer contacted
@example(steps=[(("voice", "aija", 1, True), 1), (("voice", "aija", 5, True), 1),
                (("delete", 1), 1)], later=0)  # the praise deleted: no longer won back
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(STEP, st.integers(1, 40)), max_size=10),
       later=st.integers(0, 200))
def test_the_facts_after_any_history_equal_a_recompute_from_the_rows(
        world: Any, steps: list[tuple[tuple[Any, ...], int]], later: int) -> None:
    savepoint = transaction.savepoint()
    try:
        recovery.ensure_defaults(world.acme)
        when = riga(2, 8)  # Monday 2 November 2026, 08:00 in Riga
        for step, hours in steps:
            when += timedelta(hours=hours)
            _act(world, step, when)
        assert loopfacts.differences(world.acme) == []
        selection = VoiceSelection(since=riga(1, 0).date(), until=riga(30, 0).date())
        now = when + timedelta(hours=later)
        figures = close_the_loop(world.acme, selection, now=now).total
        expected = _reference(world.acme, selection, now)
        assert {k: getattr(figures, k) for k in (
            "unhappy", "measured", "pending", "contacted", "contacted_in_time",
            "recovered")} == {k: v for k, v in expected.items()
                              if k not in ("median", "won_back", "customers")}
        assert figures.median_hours_to_contact == expected["median"]
        mouth = word_of_mouth(world.acme, selection)
        assert (mouth.unhappy_customers, mouth.recovered_customers) == (
            expected["customers"], expected["won_back"])
        stored = sorted(LoopVoice.objects.values_list("feedback_id", "first_contact_at",
                                                      "recovered_at", "deadline"))
        rebuild(world.acme)
        assert sorted(LoopVoice.objects.values_list(
            "feedback_id", "first_contact_at", "recovered_at", "deadline")) == stored
    finally:
        transaction.savepoint_rollback(savepoint)


def _facts(world: Any) -> dict[int, tuple[Any, Any]]:
    return {f: (d, s) for f, d, s in LoopVoice.objects.for_workspace(world.acme).values_list(
        "feedback_id", "deadline", "contact_seconds")}


def test_a_new_target_and_new_hours_move_every_deadline(world: Any, run_tasks: Any) -> None:
    from kliento.core.models import Membership
    from kliento.insights.services import set_contact_target

    a = voice(world.acme, "aija", 1, riga(17, 10), team=world.support)  # Tue, before the holiday
    with freeze_time(riga(23, 9, 30)):
        loop.log_interaction(Interaction(
            workspace=world.acme, customer=CustomerRef(email="aija@example.lv"),
            channel="phone", agent=world.alice, occurred_at=riga(23, 9, 30)))
    # 24 business hours from Tue 17 10:00, Wed 18 a holiday: Mon 23 10:00
    assert _facts(world)[a.pk] == (riga(23, 10), 23.5 * 3600)
    with run_tasks():
        set_contact_target(workspace=world.acme, actor=None, hours=8, percent=90)
    assert _facts(world)[a.pk] == (riga(19, 10), 23.5 * 3600)
    admin = Membership.objects.get(workspace=world.acme, user=world.anna)
    every_day = "\n".join(f"{d} 00:00-24:00" for d in
                          ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    with run_tasks():
        loop.set_business_hours(workspace=world.acme, actor=admin, hours_text=every_day,
                                closed_text="")
    # every hour a business hour, Proclamation Day still closed (a national holiday):
    # Tue 14 h, Thu to Sun 4 × 24 h, Mon 9.5 h
    assert _facts(world)[a.pk] == (riga(17, 18), 119.5 * 3600)
    assert loopfacts.differences(world.acme) == []


def test_the_nightly_check_rebuilds_drifted_facts(world: Any, run_tasks: Any,
                                                  caplog: Any) -> None:
    import logging

    from django.utils import timezone

    from kliento.insights.jobs import check_rollups

    today = timezone.now()
    voice(world.acme, "aija", 1, today - timedelta(days=1))
    LoopVoice.objects.for_workspace(world.acme).update(recovered_at=today)
    assert loopfacts.differences(world.acme) != []
    with caplog.at_level(logging.WARNING, logger="kliento.insights.services"), run_tasks():
        check_rollups()
    assert loopfacts.differences(world.acme) == []
    assert LoopVoice.objects.for_workspace(world.acme).get().recovered_at is None
    assert any("loop voice" in r.getMessage() for r in caplog.records)
