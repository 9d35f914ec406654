"""Close the loop (Bain's inner loop): of every unhappy voice, was the customer contacted
within the workspace's target, how soon, were they won back — per team or per agent —
with the recovery cases' service levels, promises kept and open cases by age.

Every unhappy voice counts (negative, or a happy score with unhappy words), whether or not
it got a case. A contact is the first, after the voice, of: an agent's reply to the
customer, a contact (call, visit, chat, …) an agent logged, a case's contact step done.
A voice is recovered when the same customer later gave a positive answer.

A fixed number of queries whatever the data, and no voice read one by one: the facts of each
unhappy voice (its first contact, business seconds to it, deadline, recovery) are kept by
the loop in `LoopVoice` (kliento.insights.loopfacts), and the figures are aggregates over
them."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.calendar import BusinessCalendar, CalendarError, calendar_for
from kliento.core.models import ClosedDay, Membership, Team, Workspace
from kliento.feedback.filters import VoiceSelection
from kliento.insights import loopfacts
from kliento.insights.services import settings_of
from kliento.recovery.models import (
    OPEN_STATUSES,
    Case,
    Promise,
    PromiseState,
)

GROUPINGS = ("team", "agent")
# Open cases by age since opening: (key, younger than), the last without a bound.
AGES = (("under_1d", timedelta(days=1)), ("1_3d", timedelta(days=3)),
        ("3_7d", timedelta(days=7)), ("over_7d", None))


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class LoopRow:
    """One team's or agent's figures (id None: voices of no team / no agent; the total)."""

    id: int | None
    name: str
    unhappy: int = 0
    # Unhappy voices whose target time is over, or whose customer was contacted in time;
    # a voice still within its target and not contacted yet is `pending`, not a miss.
    measured: int = 0
    pending: int = 0
    contacted: int = 0
    contacted_in_time: int = 0
    median_hours_to_contact: float | None = None
    recovered: int = 0
    cases_resolved: int = 0
    resolved_within_sla: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    open_cases: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _a in AGES})
    voices: dict[str, str] | None = None  # the feedback list's parameters for `unhappy`
    # … and for "contacted", "contacted_in_time", "measured", "pending" and "recovered"
    links: dict[str, dict[str, str]] | None = None

    @property
    def contacted_in_time_rate(self) -> float | None:
        return rate(self.contacted_in_time, self.measured)

    @property
    def recovery_rate(self) -> float | None:
        return rate(self.recovered, self.unhappy)

    @property
    def resolved_within_sla_rate(self) -> float | None:
        return rate(self.resolved_within_sla, self.cases_resolved)

    @property
    def promises_kept_rate(self) -> float | None:
        return rate(self.promises_kept, self.promises_kept + self.promises_broken)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "contacted_in_time_rate": self.contacted_in_time_rate,
                "recovery_rate": self.recovery_rate,
                "resolved_within_sla_rate": self.resolved_within_sla_rate,
                "promises_kept_rate": self.promises_kept_rate}


@dataclass
class CloseTheLoop:
    by: str
    target_hours: int
    target_percent: int
    rows: list[LoopRow]
    total: LoopRow

    def meets_target(self, row: LoopRow) -> bool | None:
        r = row.contacted_in_time_rate
        return None if r is None else r >= self.target_percent


def calendars(workspace: Workspace) -> dict[int | None, BusinessCalendar]:
    """Each team's business calendar (key None: the workspace's), in two queries."""
    closed: dict[int | None, list[Any]] = defaultdict(list)
    for team_id, day in ClosedDay.objects.for_workspace(workspace).values_list("team_id", "day"):
        closed[team_id].append(day)
    result: dict[int | None, BusinessCalendar] = {None: calendar_for(
        time_zone=workspace.time_zone, hours=workspace.business_hours,
        country=workspace.country, closed=closed[None])}
    for team in Team.objects.for_workspace(workspace).only(
            "pk", "time_zone", "business_hours"):
        result[team.pk] = calendar_for(
            time_zone=team.time_zone or workspace.time_zone,
            hours=team.business_hours if team.business_hours is not None
            else workspace.business_hours,
            country=workspace.country, closed=closed[None] + closed[team.pk])
    return result


def past_target(calendar: BusinessCalendar, received: datetime, now: datetime,
                target: float) -> bool:
    """Whether more than `target` business seconds passed from `received` to `now`: the
    same as `calendar.between(received, now) > target`, without walking every day up to
    now (a year-old voice would walk 365 of them): past the instant the target is used up,
    is there any business time before now?"""
    try:
        used_up = calendar.add(received, target)
        return calendar.add(used_up, 0) < now
    except CalendarError:  # no working hours within reach: no business time passes
        return False


def _median_hours(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 3600, 2) if seconds else None


def _names(workspace: Workspace, by: str) -> dict[int, str]:
    if by == "team":
        return dict(Team.objects.for_workspace(workspace).values_list("pk", "name"))
    return {m.user_id: str(m.user) for m in
            Membership.objects.for_workspace(workspace).select_related("user")}


def close_the_loop(workspace: Workspace, selection: VoiceSelection, *, by: str = "team",
                   now: datetime | None = None) -> CloseTheLoop:
    """Per team (`by="team"`) or per agent (`by="agent"`): unhappy voices received in the
    selection, % contacted within the target, median business hours to first contact,
    recovery rate; cases opened in the period resolved within their SLA, promises made in
    it kept; cases open now by age. Cases and promises count for the case's team or owner.

    The voices' figures are aggregates over their facts (`loopfacts`): one GROUP BY for the
    counts and one for the medians, whatever the period."""
    if by not in GROUPINGS:
        raise ValueError(by)
    now = now or timezone.now()
    goal = settings_of(workspace)
    target = goal.contact_target_hours * 3600
    start, end = selection.bounds(workspace)
    key = "team_id" if by == "team" else "agent_id"
    names = _names(workspace, by)

    rows: dict[int | None, LoopRow] = {}
    total = LoopRow(id=None, name=_("All"), voices=selection.params(unhappy=1),
                    links=_links(selection))

    def row(group: int | None) -> LoopRow:
        if group not in rows:
            name = names.get(group, "") if group is not None else ""
            rows[group] = LoopRow(
                id=group, name=name or (_("No team") if by == "team" else _("No agent")),
                voices=selection.params(unhappy=1, **{by: group}) if group else None,
                links=_links(selection, **{by: group}) if group else None)
        return rows[group]

    facts = loopfacts.selected(workspace, selection)
    for group, counts, median in _voice_figures(facts, key, target, now):
        if group == TOTAL:
            total.median_hours_to_contact = median
        else:
            r = row(group or None)  # type: ignore[arg-type]
            r.median_hours_to_contact = median
            for t in (r, total):
                for name, n in counts.items():
                    setattr(t, name, getattr(t, name) + n)

    _case_figures(workspace, selection, by, start, end, now, row, total)
    ordered = sorted(rows.values(), key=lambda r: (-r.unhappy, r.id is None, r.name))
    return CloseTheLoop(by=by, target_hours=goal.contact_target_hours,
                        target_percent=goal.contact_target_percent, rows=ordered, total=total)


TOTAL = "total"
COUNTS = ("unhappy", "contacted", "contacted_in_time", "measured", "pending", "recovered")


def _voice_figures(facts: QuerySet[Any], key: str, target: int, now: datetime
                   ) -> list[tuple[int | str, dict[str, int], float | None]]:
    """(group, its counts, its median hours to contact) per group of `key`, and the median of
    them all as group TOTAL. The counts: contacted in time is business seconds ≤ the target;
    measured is contacted, or the deadline before now; pending the rest."""
    if connection.vendor == "postgresql":
        return _voice_figures_postgresql(facts, key, target, now)
    out: list[tuple[int | str, dict[str, int], float | None]] = []
    medians = _medians(facts, key)
    contacted = Q(first_contact_at__isnull=False)
    for r in facts.values(key).annotate(
            unhappy=Count("pk"), contacted=Count("pk", filter=contacted),
            contacted_in_time=Count("pk", filter=contacted & Q(contact_seconds__lte=target)),
            measured=Count("pk", filter=contacted | Q(deadline__lt=now)),
            recovered=Count("pk", filter=Q(recovered_at__isnull=False))).order_by():
        r["pending"] = r["unhappy"] - r["measured"]
        out.append((r[key], {k: r[k] for k in COUNTS}, medians.get(r[key] or None)))
    out.append((TOTAL, {}, medians.get(TOTAL)))
    return out


def _voice_figures_postgresql(facts: QuerySet[Any], key: str, target: int, now: datetime
                              ) -> list[tuple[int | str, dict[str, int], float | None]]:
    """The same in one scan: GROUPING SETS give the groups and the total, and
    `percentile_disc` the one or two middle waits (at ½ and just above it), so the median
    is `statistics.median`'s (a + b) / 2, exactly, not an interpolation."""
    inner = facts.annotate(g=F(key), f=F("first_contact_at"), s=F("contact_seconds"),
                           d=F("deadline"), r=F("recovered_at")).values("g", "f", "s", "d", "r")
    sql, params = inner.query.sql_with_params()
    query = ("SELECT m.g, GROUPING(m.g), COUNT(*), "  # noqa: S608
             "COUNT(*) FILTER (WHERE m.f IS NOT NULL), "
             "COUNT(*) FILTER (WHERE m.f IS NOT NULL AND m.s <= %s), "
             "COUNT(*) FILTER (WHERE m.f IS NOT NULL OR m.d < %s), "
             "COUNT(*) FILTER (WHERE m.r IS NOT NULL), "
             "percentile_disc(ARRAY[0.5, 0.5000000001]::float8[]) WITHIN GROUP (ORDER BY m.s) "
             f"FROM ({sql}) m GROUP BY GROUPING SETS ((m.g), ())")
    out: list[tuple[int | str, dict[str, int], float | None]] = []
    with connection.cursor() as cursor:
        cursor.execute(query, [target, now, *params])
        for group, is_total, unhappy, contacted, in_time, measured, recovered, middle \
                in cursor.fetchall():
            median = _median_hours(middle) if middle and middle[0] is not None else None
            out.append((TOTAL if is_total else group, {
                "unhappy": unhappy, "contacted": contacted, "contacted_in_time": in_time,
                "measured": measured, "pending": unhappy - measured, "recovered": recovered,
            }, median))
    return out


def _medians(facts: QuerySet[Any], key: str) -> dict[int | str | None, float | None]:
    """Median business hours to first contact per group (and for TOTAL), exactly as
    `statistics.median` of every wait would give: the database numbers the contacted voices
    by wait within each group and overall, and only the one or two middle waits of each
    come back (a window query, for SQLite, which has no percentile function)."""
    waits = facts.filter(contact_seconds__isnull=False).annotate(
        g=F(key), v=F("contact_seconds"),
        g_rn=Window(RowNumber(), partition_by=[F(key)], order_by=F("contact_seconds").asc()),
        g_n=Window(Count("pk"), partition_by=[F(key)]),
        t_rn=Window(RowNumber(), order_by=F("contact_seconds").asc()),
        t_n=Window(Count("pk")),
    ).values("g", "v", "g_rn", "g_n", "t_rn", "t_n").order_by()
    sql, params = waits.query.sql_with_params()
    # The middle of n waits numbered 1…n: 2·rn ∈ {n, n+1, n+2} holds for the one (n odd) or
    # the two (n even) middle ones.
    middle = ("SELECT m.g, m.v, 2 * m.g_rn BETWEEN m.g_n AND m.g_n + 2, "  # noqa: S608
              "2 * m.t_rn BETWEEN m.t_n AND m.t_n + 2 "
              f"FROM ({sql}) m WHERE 2 * m.g_rn BETWEEN m.g_n AND m.g_n + 2 "
              "OR 2 * m.t_rn BETWEEN m.t_n AND m.t_n + 2")
    values: dict[int | str | None, list[float]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(middle, params)
        for group, wait, in_group, in_total in cursor.fetchall():
            if in_group:
                values[group or None].append(wait)
            if in_total:
                values[TOTAL].append(wait)
    return {group: _median_hours(v) for group, v in values.items()}


def _links(selection: VoiceSelection, **group: int | None) -> dict[str, dict[str, str]]:
    """The feedback list's parameters of the voices behind each of a row's counts."""
    return {name: selection.params(unhappy=1, **group, **more) for name, more in (
        ("contacted", {"contact": "yes"}), ("contacted_in_time", {"contact": "in_time"}),
        ("measured", {"contact": "measured"}), ("pending", {"contact": "pending"}),
        ("recovered", {"recovered": "yes"}))}


def _case_figures(workspace: Workspace, selection: VoiceSelection, by: str, start: datetime,
                  end: datetime, now: datetime, row: Any, total: LoopRow) -> None:
    """Cases' SLA, promises and open cases by age, added to the rows (three queries)."""
    owner = "team_id" if by == "team" else "owner_id"
    cases = Case.objects.for_workspace(workspace)
    if selection.team_id:
        cases = cases.filter(team_id=selection.team_id)
    if selection.agent_id:
        cases = cases.filter(owner_id=selection.agent_id)
    if selection.channel:
        cases = cases.filter(feedback__channel=selection.channel)
    resolved = Q(resolved_at__isnull=False)
    for r in cases.filter(opened_at__gte=start, opened_at__lt=end).values(owner).annotate(
            resolved=Count("pk", filter=resolved),
            within=Count("pk", filter=resolved & Q(resolution_breached=False))):
        for target in (row(r[owner]), total):
            target.cases_resolved += r["resolved"]
            target.resolved_within_sla += r["within"]
    promise_owner = "case__team_id" if by == "team" else "owner_id"
    promises = Promise.objects.for_workspace(workspace).filter(
        case__in=cases, created_at__gte=start, created_at__lt=end)
    for r in promises.values(promise_owner).annotate(
            kept=Count("pk", filter=Q(state=PromiseState.KEPT)),
            broken=Count("pk", filter=Q(state=PromiseState.BROKEN))):
        for target in (row(r[promise_owner]), total):
            target.promises_kept += r["kept"]
            target.promises_broken += r["broken"]
    ages: dict[str, Count] = {}
    newer: datetime | None = None
    for name, age in AGES:
        older = now - age if age else None
        span = Q(opened_at__gt=older) if older else Q()
        if newer is not None:
            span &= Q(opened_at__lte=newer)
        ages[name] = Count("pk", filter=span)
        newer = older
    for r in cases.filter(status__in=OPEN_STATUSES).values(owner).annotate(**ages):
        for target in (row(r[owner]), total):
            for name, _age in AGES:
                target.open_cases[name] += r[name]
