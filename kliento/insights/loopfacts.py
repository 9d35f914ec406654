"""The close-the-loop facts: one `LoopVoice` row per unhappy voice, saying when its
customer was first contacted after it (and how many business hours that took on its team's
calendar), when the contact target runs out, and whether the customer later gave a clear
positive answer. Close the loop and word of mouth are aggregates over these rows, so they
answer in a few queries whatever the period (docs/INSIGHTS.md).

The facts of one customer's voices depend only on that customer's rows, so every event
that may change them refreshes that customer in its own transaction: a voice counted or
forgotten (`follow_voice`, `forget_voice`, through the rollups' `count_voice` and
`forget_voice`), an agent's reply or a case's contact step (`customer_contacted`). What the
calendar or the target decides — deadlines, business seconds — is recomputed by a task when
they change (`recompute`). `rebuild` and `differences` serve the rebuild and the nightly
check."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kliento.conversations.models import Direction, Message
from kliento.core.calendar import BusinessCalendar, CalendarError
from kliento.core.models import Workspace
from kliento.customers.models import Customer
from kliento.feedback.filters import NONE, UNHAPPY, VoiceSelection
from kliento.feedback.models import Feedback, Polarity, Source
from kliento.insights.models import DEFAULT_TARGET_HOURS, InsightsSettings, LoopVoice
from kliento.recovery.models import CaseStep, StepKind, StepState

# A clear positive answer wins the customer back; a contact is one of these three.
POSITIVE = Q(polarity=Polarity.POSITIVE, mixed=False)
LOGGED_CONTACT = Q(source=Source.INTERACTION, agent__isnull=False)
VOICE_FIELDS = ("pk", "customer_id", "occurred_at", "received_at", "team_id", "agent_id",
                "channel", "language", "metadata")


@dataclass(frozen=True)
class Facts:
    """The values of one LoopVoice row (compared as a whole: a change is a rewrite)."""

    feedback_id: int
    workspace_id: int
    day: date
    team_id: int
    agent_id: int
    channel: str
    language: str
    survey_id: int
    customer_id: int
    received_at: datetime
    deadline: datetime | None
    first_contact_at: datetime | None
    contact_seconds: float | None
    recovered_at: datetime | None

    @classmethod
    def of(cls, row: LoopVoice) -> Facts:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    def row(self) -> LoopVoice:
        return LoopVoice(**{f.name: getattr(self, f.name) for f in fields(self)})


def target_seconds(workspace: Workspace | int) -> int:
    hours = (InsightsSettings.objects.filter(workspace=workspace)
             .values_list("contact_target_hours", flat=True).first())
    return (hours or DEFAULT_TARGET_HOURS) * 3600


def deadline_of(calendar: BusinessCalendar, received: datetime, target: float
                ) -> datetime | None:
    """The first business instant after `target` business seconds from `received`: a voice
    not contacted is past its target exactly when this is before now (`closing.past_target`);
    None when no working hours are within reach (then it never is)."""
    try:
        return calendar.add(calendar.add(received, target), 0)
    except CalendarError:
        return None


class _Context:
    """What computing facts needs beyond a customer's rows, read once and only if needed:
    the calendars (two queries and the holidays) and the contact target (one)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._calendars: dict[int | None, BusinessCalendar] | None = None
        self._target: int | None = None

    def calendar(self, team_id: int) -> BusinessCalendar:
        if self._calendars is None:
            from kliento.insights.closing import calendars  # closing reads these facts

            self._calendars = calendars(self.workspace)
        return self._calendars.get(team_id or None, self._calendars[None])

    @property
    def target(self) -> int:
        if self._target is None:
            self._target = target_seconds(self.workspace)
        return self._target


def _times(workspace: Workspace, customers: Any, excluding: int | None
           ) -> tuple[dict[int, list[datetime]], dict[int, list[datetime]]]:
    """(contacts, clear positive answers) of these customers, each sorted (four queries);
    the voice `excluding` (about to be deleted) is neither."""
    voices = Feedback.objects.for_workspace(workspace).exclude(pk=excluding) \
        if excluding is not None else Feedback.objects.for_workspace(workspace)
    contacts: dict[int, list[datetime]] = defaultdict(list)
    replies = Message.objects.for_workspace(workspace).filter(
        direction=Direction.OUTBOUND, author__isnull=False,
        conversation__customer_id__in=customers,
    ).values_list("conversation__customer_id", "created_at")
    logged = voices.filter(LOGGED_CONTACT, customer_id__in=customers).values_list(
        "customer_id", "occurred_at")
    steps = CaseStep.objects.filter(
        case__workspace=workspace, key=StepKind.CONTACT, state=StepState.DONE,
        case__customer_id__in=customers, done_at__isnull=False,
    ).values_list("case__customer_id", "done_at")
    for rows in (replies, logged, steps):
        for customer_id, at in rows:
            if at is not None:
                contacts[customer_id].append(at)
    positive: dict[int, list[datetime]] = defaultdict(list)
    for customer_id, at in voices.filter(POSITIVE, customer_id__in=customers).values_list(
            "customer_id", "received_at"):
        positive[customer_id].append(at)
    for times in (*contacts.values(), *positive.values()):
        times.sort()
    return contacts, positive


def _after(times: list[datetime], moment: datetime) -> datetime | None:
    i = bisect.bisect_right(times, moment)
    return times[i] if i < len(times) else None


def compute(workspace: Workspace, voices: QuerySet[Feedback], context: _Context,
            known: dict[int, Facts] | None = None, excluding: int | None = None
            ) -> dict[int, Facts]:
    """The facts of these unhappy voices, from the rows, as if the voice `excluding` were
    gone already. Business time is counted only where `known` facts do not already hold it
    for the same instant, team and contact."""
    from kliento.insights.services import survey_id_of, time_zone_of

    tz = time_zone_of(workspace)
    known = known or {}
    if excluding is not None:
        voices = voices.exclude(pk=excluding)
    rows = list(voices.order_by().values_list(*VOICE_FIELDS))
    if not rows:
        return {}
    contacts, positive = _times(workspace, voices.values("customer_id"), excluding)
    out = {}
    for pk, customer_id, occurred, received, team_id, agent_id, channel, language, meta \
            in rows:
        customer_id = customer_id or 0
        first = _after(contacts.get(customer_id, []), received)
        old = known.get(pk)
        if old is not None and (old.received_at, old.team_id, old.first_contact_at) == (
                received, team_id or 0, first):
            deadline, seconds = old.deadline, old.contact_seconds
        else:
            calendar = context.calendar(team_id or 0)
            deadline = deadline_of(calendar, received, context.target)
            seconds = calendar.between(received, first) if first is not None else None
        out[pk] = Facts(
            feedback_id=pk, workspace_id=workspace.pk,
            day=timezone.localtime(occurred, tz).date(), team_id=team_id or 0,
            agent_id=agent_id or 0, channel=channel, language=language,
            survey_id=survey_id_of(meta.get("survey_id") if isinstance(meta, dict) else None),
            customer_id=customer_id, received_at=received, deadline=deadline,
            first_contact_at=first, contact_seconds=seconds,
            recovered_at=_after(positive.get(customer_id, []), received))
    return out


def _write(stored: dict[int, Facts], wanted: dict[int, Facts]) -> int:
    """Make the stored rows the wanted ones (two statements at most); how many changed."""
    gone = [pk for pk, f in stored.items() if wanted.get(pk) != f]
    new = [f.row() for pk, f in wanted.items() if stored.get(pk) != f]
    if gone:
        LoopVoice.objects.filter(feedback_id__in=gone).delete()
    LoopVoice.objects.bulk_create(new, batch_size=1000)
    return len(set(gone) | {r.feedback_id for r in new})


def refresh_customer(workspace: Workspace, customer_id: int | None, *,
                     excluding: int | None = None) -> int:
    """Bring the facts of one customer's unhappy voices up to date with the rows (leaving out
    `excluding`, a voice about to be deleted). The customer row is locked, so two workers
    refreshing the same customer take turns."""
    with transaction.atomic():
        if customer_id:
            Customer.objects.select_for_update().filter(pk=customer_id).first()
        stored = {f.feedback_id: f for f in map(Facts.of, LoopVoice.objects.for_workspace(
            workspace).filter(customer_id=customer_id or 0))}
        voices = Feedback.objects.for_workspace(workspace).filter(UNHAPPY).filter(
            customer_id=customer_id) if customer_id else Feedback.objects.none()
        return _write(stored, compute(workspace, voices, _Context(workspace), stored,
                                      excluding))


def follow_voice(feedback_id: int) -> None:
    """A voice was counted (heard, judged, corrected, rescored): its own facts, and those of
    its customer's earlier voices when it is a contact logged by an agent or a clear
    positive answer. Called in the transaction that records it (`loop.hear`) and in each
    that counts it again (`services.count_voice`)."""
    feedback = Feedback.objects.select_related("workspace").filter(pk=feedback_id).first()
    mine = LoopVoice.objects.filter(feedback_id=feedback_id).values_list(
        "workspace_id", "customer_id").first()
    if mine is not None and (feedback is None or feedback.customer_id != mine[1]):
        # gone, or moved to another customer: the old customer's facts first
        refresh_customer(Workspace.objects.get(pk=mine[0]), mine[1])
    if feedback is None:
        return
    unhappy = feedback.polarity == Polarity.NEGATIVE or feedback.mixed
    touches_others = (feedback.polarity == Polarity.POSITIVE and not feedback.mixed) or (
        feedback.source == Source.INTERACTION and feedback.agent_id is not None)
    if unhappy or mine is not None or (touches_others and LoopVoice.objects.filter(
            workspace_id=feedback.workspace_id, customer_id=feedback.customer_id).exists()):
        refresh_customer(feedback.workspace, feedback.customer_id)


def forget_voice(feedback: Feedback) -> None:
    """A voice is about to be deleted: its facts go, and its customer's others follow (it
    may have been a contact or a positive answer). Called by `services.forget_voice`."""
    mine = LoopVoice.objects.filter(feedback_id=feedback.pk).values_list(
        "customer_id", flat=True).first()
    for customer_id in {feedback.customer_id, *([mine] if mine is not None else [])}:
        refresh_customer(feedback.workspace, customer_id, excluding=feedback.pk)


def customer_contacted(workspace: Workspace, customer_id: int | None) -> None:
    """An agent replied to the customer or did a case's contact step: their unhappy voices
    before it count it as their first contact (if none came sooner)."""
    if customer_id and LoopVoice.objects.filter(workspace=workspace,
                                                customer_id=customer_id).exists():
        refresh_customer(workspace, customer_id)


# -- calendar and target changes, rebuild, check ----------------------------------------


def recompute(workspace: Workspace, team_id: int | None = None) -> int:
    """Deadlines and business seconds again on the current calendars and target (of one
    team's voices, or all); returns how many rows changed. Run by a task: a year of voices
    is a few seconds of business-time arithmetic."""
    context = _Context(workspace)
    rows = LoopVoice.objects.for_workspace(workspace)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    changed = []
    for row in rows.order_by("feedback_id").iterator(2000):
        calendar = context.calendar(row.team_id)
        deadline = deadline_of(calendar, row.received_at, context.target)
        seconds = calendar.between(row.received_at, row.first_contact_at) \
            if row.first_contact_at is not None else None
        if (deadline, seconds) != (row.deadline, row.contact_seconds):
            row.deadline, row.contact_seconds = deadline, seconds
            changed.append(row)
    LoopVoice.objects.bulk_update(changed, ["deadline", "contact_seconds"], batch_size=1000)
    return len(changed)


def target_changed(workspace: Workspace) -> None:
    """The contact target changed: every deadline moves (a task, after commit)."""
    from kliento.core.tasks import enqueue_on_commit
    from kliento.insights.tasks import recompute_loop_deadlines

    enqueue_on_commit(recompute_loop_deadlines, workspace.pk)


def _voices_of_days(workspace: Workspace, first: date | None, last: date | None
                    ) -> QuerySet[Feedback]:
    from kliento.insights.services import time_zone_of

    tz = time_zone_of(workspace)
    voices = Feedback.objects.for_workspace(workspace).filter(UNHAPPY)
    if first is not None:
        voices = voices.filter(occurred_at__gte=datetime.combine(first, time(), tz))
    if last is not None:
        voices = voices.filter(occurred_at__lt=datetime.combine(
            last + timedelta(days=1), time(), tz))
    return voices


def _stored(workspace: Workspace, first: date | None, last: date | None) -> dict[int, Facts]:
    rows = LoopVoice.objects.for_workspace(workspace)
    if first is not None:
        rows = rows.filter(day__gte=first)
    if last is not None:
        rows = rows.filter(day__lte=last)
    return {f.feedback_id: f for f in map(Facts.of, rows)}


def rebuild(workspace: Workspace) -> int:
    """Recompute every fact of a workspace from its rows; returns the rows written."""
    with transaction.atomic():
        LoopVoice.objects.for_workspace(workspace).delete()
        wanted = compute(workspace, _voices_of_days(workspace, None, None), _Context(workspace))
        LoopVoice.objects.bulk_create([f.row() for f in wanted.values()], batch_size=1000)
    return len(wanted)


def differences(workspace: Workspace, first: date | None = None,
                last: date | None = None) -> list[str]:
    """How the stored facts of the voices of these days differ from a recompute."""
    stored = _stored(workspace, first, last)
    wanted = compute(workspace, _voices_of_days(workspace, first, last), _Context(workspace))
    out = []
    for pk in sorted(set(stored) | set(wanted)):
        if stored.get(pk) != wanted.get(pk):
            out.append(f"loop voice {pk}: {stored.get(pk)} ≠ {wanted.get(pk)}")
    return out


# -- reading ------------------------------------------------------------------------------


def selected(workspace: Workspace, selection: VoiceSelection) -> QuerySet[LoopVoice]:
    """The facts of the unhappy voices `selection.apply` selects: the same filters, on the
    cell each voice is counted in, and customers' tags and VIP through the customer."""
    rows = LoopVoice.objects.for_workspace(workspace).filter(
        day__gte=selection.since, day__lte=selection.until)
    for name, value in (("team_id", selection.team_id), ("agent_id", selection.agent_id),
                        ("survey_id", selection.survey_id)):
        if value is not None:
            rows = rows.filter(**{name: value})
    if selection.channel:
        rows = rows.filter(channel=selection.channel)
    if selection.language:
        rows = rows.filter(language="" if selection.language == NONE else selection.language)
    customers = Customer.objects.for_workspace(workspace)
    if selection.customer_tag:
        rows = rows.filter(customer_id__in=customers.filter(
            tags__name=selection.customer_tag).values("pk"))
    if selection.vip is not None:
        rows = rows.filter(customer_id__in=customers.filter(vip=selection.vip).values("pk"))
    return rows
