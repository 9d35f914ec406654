"""Service levels of a case: when the first contact and the resolution are due, in business
time, not counting time spent waiting on the customer."""

from __future__ import annotations

from datetime import datetime

from kliento.core.calendar import BusinessCalendar
from kliento.recovery.models import Case, Priority, SlaPolicy

# Business minutes (first contact, resolution) when the workspace set no policy. The seeds'
# rule "answer an e-mail within 24 business hours" is the normal resolution target's bound.
DEFAULTS = {
    Priority.URGENT: (30, 8 * 60),
    Priority.HIGH: (60, 16 * 60),
    Priority.NORMAL: (4 * 60, 24 * 60),
    Priority.LOW: (8 * 60, 40 * 60),
}
WARN_PERCENT = 80


def targets(case: Case) -> tuple[int, int, int]:
    """(first contact minutes, resolution minutes, warn percent) for the case."""
    policies = SlaPolicy.objects.for_workspace(case.workspace).filter(priority=case.priority)
    policy = (policies.filter(team=case.team).first() if case.team_id else None) or \
        policies.filter(team__isnull=True).first()
    if policy is not None:
        return policy.first_contact_minutes, policy.resolution_minutes, policy.warn_percent
    first, resolution = DEFAULTS[Priority(case.priority)]
    return first, resolution, WARN_PERCENT


def deadline(calendar: BusinessCalendar, opened: datetime, seconds: float,
             pauses: list[tuple[datetime, datetime]], now: datetime) -> datetime:
    """The instant at which `seconds` of business time, not counting the pauses, have passed
    since `opened` — in the future while time remains, else when it ran out (in the past)."""
    used = calendar.between(opened, now, excluding=pauses)
    if used < seconds:
        return calendar.add(max(now, opened), seconds - used)
    # Already spent: find the moment it ran out. Each round adds the business time paused
    # before the candidate; it settles after at most one round per pause.
    moment = calendar.add(opened, seconds)
    for _round in range(len(pauses) + 2):
        paused = calendar.between(opened, moment) - calendar.between(opened, moment,
                                                                      excluding=pauses)
        later = calendar.add(opened, seconds + paused)
        if later == moment:
            break
        moment = later
    return moment


def recompute(case: Case, calendar: BusinessCalendar, now: datetime) -> None:
    """Set the stored due times from the opening (or the latest reopening), the targets and
    the pauses so far."""
    if not case.is_open or case.status == "waiting_on_customer":
        case.first_contact_due = case.resolution_due = case.warn_at = None
        return
    first, resolution, warn = targets(case)
    # A reopened case is a fresh attempt: its targets count from the reopening.
    start = case.reopened_at or case.opened_at
    pauses = [(p.started_at, p.ended_at or now) for p in case.pauses.all()
              if p.ended_at is None or p.ended_at > start]

    def due(minutes: float) -> datetime:
        return deadline(calendar, start, minutes * 60, pauses, now)

    case.first_contact_due = None if case.first_contact_at else due(first)
    case.resolution_due = due(resolution)
    case.warn_at = due(resolution * warn / 100)
    if case.warned_at is not None and case.warn_at > now:
        case.warned_at = None  # more time was given: warn again when it runs short


def contacted(case: Case, at: datetime) -> None:
    """The first contact happened: late is a breach, whether or not the check ran yet."""
    if case.first_contact_at is None:
        case.first_contact_at = at
        if case.first_contact_due is not None and at > case.first_contact_due:
            case.first_contact_breached = True
