"""Why service breaks and when customers reach out: Pareto of case root causes and of the
themes customers talk about, themes by team and over time, the word-of-mouth risk of
unhappy customers not yet won back, and voices and logged contacts by channel, team,
agent and hour of the week. Each figure carries the feedback list's parameters of the
voices behind it. A fixed number of queries whatever the data."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth, TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core.models import Membership, Team, Workspace
from kliento.feedback.filters import UNHAPPY, VoiceSelection
from kliento.feedback.models import Channel, Feedback, Polarity, Source, Theme
from kliento.insights import figures, loopfacts
from kliento.insights.models import POLARITY_COLUMNS, HourCount, ThemeCount, ThemeDayCount

INTERVALS = ("day", "week", "month")
POLARITIES = ("", "unhappy", *Polarity.values)
# Seed 004 (Customer Thermometer, "How to deal with unhappy customers"): the Coca-Cola
# consumer affairs study of 1980 found unhappy customers told a median of 9–10 people and
# completely satisfied ones 4–5; later studies say 9, 10, 11, 15 or 20.
TOLD_BY_UNHAPPY = (9, 15)
TOLD_BY_SATISFIED = (4, 5)
WORD_OF_MOUTH_SOURCE = gettext_lazy(
    "An unhappy customer tells 9 to 15 other people, a completely satisfied one 4 to 5: "
    "the Coca-Cola consumer affairs study of 1980 found a median of 9–10 for unhappy "
    "customers and 4–5 for completely satisfied ones; later studies say 9, 10, 11, 15 or 20 "
    "(cited by Customer Thermometer, “How to deal with unhappy customers”).")


@dataclass
class Bar:
    key: str
    name: str
    count: int
    percent: float
    cumulative_percent: float
    voices: dict[str, str]


def pareto(counts: Iterable[tuple[str, str, int]], voices: Any) -> list[Bar]:
    """Bars from (key, name, count), largest first (ties by name), with cumulative %."""
    ordered = sorted(((k, n, c) for k, n, c in counts if c), key=lambda b: (-b[2], b[1]))
    whole = sum(c for _k, _n, c in ordered)
    bars, running = [], 0
    for key, name, count in ordered:
        running += count
        bars.append(Bar(key=key, name=name, count=count,
                        percent=round(100 * count / whole, 1),
                        cumulative_percent=round(100 * running / whole, 1),
                        voices=voices(key)))
    return bars


def _voices(workspace: Workspace, selection: VoiceSelection) -> Any:
    return selection.apply(Feedback.objects.for_workspace(workspace), workspace)


def _polarity(voices: Any, polarity: str) -> Any:
    if polarity == "unhappy":
        return voices.filter(UNHAPPY)
    return voices.filter(polarity=polarity) if polarity else voices


def root_causes(workspace: Workspace, selection: VoiceSelection) -> list[Bar]:
    """Pareto of the root causes of the cases opened by the selection's voices."""
    opening = _voices(workspace, selection).filter(opened_cases__root_cause__isnull=False)
    rows = opening.values("opened_cases__root_cause__key", "opened_cases__root_cause__name") \
        .annotate(n=Count("pk", distinct=True)).order_by()
    return pareto(((r["opened_cases__root_cause__key"], r["opened_cases__root_cause__name"],
                    r["n"]) for r in rows),
                  lambda key: selection.params(root_cause=key))


@dataclass
class ThemeFigures:
    pareto: list[Bar]
    # [{"id", "name", "themes": {key: count}}] per team (id None: no team)
    by_team: list[dict[str, Any]]
    interval: str
    # [{"key", "name", "points": [{"period": "YYYY-MM-DD", "count"}]}], every period listed
    trend: list[dict[str, Any]] = field(default_factory=list)


def period_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _periods(since: date, until: date, interval: str) -> list[date]:
    periods, day = [], period_start(since, interval)
    while day <= until:
        periods.append(day)
        day = (day + timedelta(days=32)).replace(day=1) if interval == "month" \
            else day + timedelta(days=7 if interval == "week" else 1)
    return periods


def _theme_keys(themes: Any) -> set[str]:
    return {t["key"] if isinstance(t, dict) else str(t) for t in themes or []}


def themes(workspace: Workspace, selection: VoiceSelection, *, polarity: str = "",
           interval: str = "week") -> ThemeFigures:
    """Pareto of the themes of the selection's voices (of one polarity, or "unhappy"),
    themes by team, and each theme's count per day, week or month (workspace time zone).
    A voice counts once per theme it mentions."""
    if interval not in INTERVALS or polarity not in POLARITIES:
        raise ValueError(interval if interval not in INTERVALS else polarity)
    tz = ZoneInfo(workspace.time_zone)
    names = dict(Theme.objects.for_workspace(workspace).values_list("key", "name"))
    teams = dict(Team.objects.for_workspace(workspace).values_list("pk", "name"))
    total: Counter[str] = Counter()
    per_team: dict[int | None, Counter[str]] = defaultdict(Counter)
    per_period: dict[str, Counter[date]] = defaultdict(Counter)
    for keys, team_id, spoke, n in _theme_counts(workspace, selection, polarity, tz, interval):
        for key in keys:
            if spoke is not None:  # None: a count per team only (the day rows' second query)
                total[key] += n
                per_period[key][period_start(spoke, interval)] += n
            if team_id != ALL_TEAMS:
                per_team[team_id][key] += n
    extra = {"polarity": polarity} if polarity in Polarity.values else \
        {"unhappy": 1} if polarity else {}
    bars = pareto(((k, names.get(k, k), n) for k, n in total.items()),
                  lambda key: selection.params(theme=key, **extra))
    by_team = [{"id": team_id, "name": teams.get(team_id, "") if team_id else _("No team"),
                "themes": dict(counts)}
               for team_id, counts in sorted(per_team.items(),
                                             key=lambda t: (-sum(t[1].values()), t[0] or 0))]
    periods = _periods(selection.since, selection.until, interval)
    trend = [{"key": bar.key, "name": bar.name,
              "points": [{"period": p.isoformat(), "count": per_period[bar.key][p]}
                         for p in periods]} for bar in bars]
    return ThemeFigures(pareto=bars, by_team=by_team, interval=interval, trend=trend)


ALL_TEAMS = -1  # a count of every team at once


def counted_in_rollups(selection: VoiceSelection, polarity: str) -> bool:
    """Whether the theme rollups hold these voices' themes (not "unhappy", which takes mixed
    voices in, nor customers' tags or VIP)."""
    return polarity != "unhappy" and not selection.customer_tag and selection.vip is None


def _date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _theme_counts(workspace: Workspace, selection: VoiceSelection, polarity: str,
                  tz: ZoneInfo, interval: str = "day"
                  ) -> Iterable[tuple[Iterable[str], int | None, date | None, int]]:
    """(theme keys, team, day or start of the `interval` the customer spoke in, voices) of
    the selection's themed voices; a count of all teams (`ALL_TEAMS`), or of a team over
    the whole period (day None), when the day rows answer those apart.

    Read from the theme rollups, kept exact by the loop, which count each voice once per
    theme on that day in the workspace's time zone: the day rows per team when at most the
    team is filtered on (as many rows as days × teams × themes, summed per period in the
    database), the cells otherwise. "Unhappy" also takes the happy-scored voices with
    unhappy words (`mixed`), which the rollups do not tell apart, nor customers' tags or
    VIP: those are counted from the voices themselves."""
    cells = {name: value for name, value in (
        ("team_id", selection.team_id), ("agent_id", selection.agent_id),
        ("channel", selection.channel), ("language", selection.language),
        ("survey_id", selection.survey_id)) if value is not None and value != ""}
    if counted_in_rollups(selection, polarity):
        columns = [POLARITY_COLUMNS[polarity]] if polarity else list(POLARITY_COLUMNS.values())
        trunc: Any = {"day": F("day"), "week": TruncWeek("day"), "month": TruncMonth("day")}
        if set(cells) <= {"team_id"}:
            # Two sums of the day rows: per theme and period (the whole workspace's rows, or
            # the team's), and per theme and team.
            voices: Any = Sum(sum((F(c) for c in columns[1:]), F(columns[0])))
            rows: Any = ThemeDayCount.objects.for_workspace(workspace).filter(
                day__gte=selection.since, day__lte=selection.until)
            if cells:
                rows = rows.filter(key=str(cells["team_id"]))
            trend = rows.filter(dimension="team" if cells else "")
            for theme, period, n in (trend.annotate(p=trunc[interval]).values("theme", "p")
                                     .annotate(n=voices).order_by()
                                     .values_list("theme", "p", "n")):
                if n:
                    yield (theme,), ALL_TEAMS, _date(period), n
            for theme, team_id, n in (rows.filter(dimension="team").values("theme", "key")
                                      .annotate(n=voices).order_by()
                                      .values_list("theme", "key", "n")):
                if n:
                    yield (theme,), int(team_id) or None, None, n
            return
        cells_rows = ThemeCount.objects.for_workspace(workspace).filter(
            day__gte=selection.since, day__lte=selection.until, **cells)
        if polarity:
            cells_rows = cells_rows.filter(polarity=polarity)
        for theme, team_id, period, n in (
                cells_rows.annotate(p=trunc[interval]).values("theme", "team_id", "p")
                .annotate(n=Sum("voices")).order_by()
                .values_list("theme", "team_id", "p", "n")):
            if n:
                yield (theme,), team_id or None, _date(period), n
        return
    # JSON lists are counted here: SQLite and PostgreSQL unnest them differently.
    rows = _polarity(_voices(workspace, selection), polarity).exclude(themes=[]).order_by() \
        .values_list("themes", "team_id", "occurred_at")  # the day the selection reads
    for found, team_id, spoke in rows:
        yield _theme_keys(found), team_id, spoke.astimezone(tz).date(), 1


@dataclass
class WordOfMouth:
    """People likely told by unhappy customers of the period not won back yet."""

    unhappy_customers: int
    recovered_customers: int
    not_recovered_customers: int
    reach_low: int
    reach_high: int
    each_recovery_spares: tuple[int, int] = TOLD_BY_UNHAPPY
    recoveries_to_halve: int = 0
    source: str = ""


def word_of_mouth(workspace: Workspace, selection: VoiceSelection) -> WordOfMouth:
    """9× to 15× the customers whose latest unhappy voice in the selection has no positive
    answer after it; each customer won back spares 9 to 15 people (seed 004).

    One aggregate over the unhappy voices' facts: a positive answer after a customer's
    latest unhappy voice is after each of their earlier ones too, so a customer is not won
    back exactly when any of their voices has no positive answer after it."""
    counts = loopfacts.selected(workspace, selection).aggregate(
        customers=Count("customer_id", distinct=True),
        left=Count("customer_id", distinct=True, filter=Q(recovered_at__isnull=True)))
    customers, left = counts["customers"], counts["left"]
    low, high = TOLD_BY_UNHAPPY
    return WordOfMouth(unhappy_customers=customers, recovered_customers=customers - left,
                       not_recovered_customers=left, reach_low=low * left,
                       reach_high=high * left, recoveries_to_halve=math.ceil(left / 2),
                       source=str(WORD_OF_MOUTH_SOURCE))


@dataclass
class Breakdown:
    id: int | str | None
    name: str
    voices: int = 0
    logged_contacts: int = 0
    voices_filter: dict[str, str] | None = None
    logged_filter: dict[str, str] | None = None


@dataclass
class ContactStatistics:
    by_channel: list[Breakdown]
    by_team: list[Breakdown]
    by_agent: list[Breakdown]
    # [weekday 0 = Monday][hour 0–23] in the workspace's time zone
    voices_by_hour: list[list[int]]
    logged_contacts_by_hour: list[list[int]]
    time_zone: str
    # The feedback list's parameters of all the voices and all the logged contacts counted;
    # a cell of the week adds `weekday` (1 = Monday) and `hour`.
    voices_filter: dict[str, str] = field(default_factory=dict)
    logged_filter: dict[str, str] = field(default_factory=dict)


def hours_in_rollups(selection: VoiceSelection, *, logged: bool) -> bool:
    """Whether the hour rollups hold the heat map's voices: the selection has no filter but
    the period (for the contacts agents logged, which are read by period, team, agent and
    channel only: none of these three)."""
    if logged:
        return not selection.team_id and not selection.agent_id and not selection.channel
    return (selection.team_id is None and selection.agent_id is None and not selection.channel
            and not selection.language and selection.survey_id is None
            and not selection.customer_tag and selection.vip is None)


def contact_statistics(workspace: Workspace, selection: VoiceSelection) -> ContactStatistics:
    """Voices (by when the customer spoke, the clock the selection's days are read on) and
    contacts agents logged (by when they happened) by channel, team, agent and hour of the
    week, in the workspace's time zone (at most six queries and two for the names).

    Voices per channel, team and agent are the rollups' (voices judged by the loop, within
    seconds of their arrival); so are the heat maps while nothing but the period is chosen
    (`HourCount`, as many rows as days × 24); with a filter they count the rows. The
    contacts per channel, team and agent count the logged contacts themselves (a partial
    index holds just those)."""
    tz = ZoneInfo(workspace.time_zone)
    start, end = selection.bounds(workspace)
    voices = _voices(workspace, selection)
    logged = Feedback.objects.for_workspace(workspace).filter(
        source=Source.INTERACTION, agent__isnull=False, occurred_at__gte=start,
        occurred_at__lt=end)
    if selection.team_id:
        logged = logged.filter(team_id=selection.team_id)
    if selection.agent_id:
        logged = logged.filter(agent_id=selection.agent_id)
    if selection.channel:
        logged = logged.filter(channel=selection.channel)
    # The same contacts on the feedback list: the period, team, agent and channel only.
    logged_params = {k: v for k, v in selection.params().items()
                     if k in ("from", "to", "channel") or (k in ("team", "agent") and v != "0")}
    logged_params["logged"] = "1"
    channels = dict(Channel.choices)
    teams = dict(Team.objects.for_workspace(workspace).values_list("pk", "name"))
    agents = {m.user_id: str(m.user) for m in
              Membership.objects.for_workspace(workspace).select_related("user")}
    label_sets: dict[str, dict[Any, Any]] = {"channel": channels, "team": teams,
                                              "agent": agents}
    groups: dict[str, dict[Any, Breakdown]] = {"channel": {}, "team": {}, "agent": {}}

    def group(by: str, value: Any) -> Breakdown:
        if value not in groups[by]:
            labels: dict[Any, Any] = label_sets[by]
            label = labels.get(value)
            none = {"channel": "—", "team": _("No team"), "agent": _("No agent")}[by]
            narrowed = {by: value or "none"}
            groups[by][value] = Breakdown(
                id=value, name=str(label or value or none),
                voices_filter=selection.params(**narrowed),
                logged_filter={**logged_params, **{k: str(v) for k, v in narrowed.items()}})
        return groups[by][value]

    # Voices per channel, team and agent from the rollups (the day rows, mostly); the
    # contacts agents logged from those voices themselves.
    f = figures.Filters.of(selection)
    for by in ("channel", "team", "agent"):
        for value, n in figures.volumes(workspace, f, by).items():
            group(by, value or None).voices += n
    for r in logged.values("channel", "team_id", "agent_id").annotate(n=Count("pk")).order_by():
        for by, value in (("channel", r["channel"]), ("team", r["team_id"]),
                          ("agent", r["agent_id"])):
            group(by, value).logged_contacts += r["n"]

    def matrix(qs: Any, when: str) -> list[list[int]]:
        cells = [[0] * 24 for _day in range(7)]
        for r in qs.annotate(d=ExtractIsoWeekDay(when, tzinfo=tz), h=ExtractHour(when, tzinfo=tz)) \
                .values("d", "h").annotate(n=Count("pk")).order_by():
            cells[r["d"] - 1][r["h"]] += r["n"]
        return cells

    # The hour rollups: one query for both maps, a row per weekday and hour.
    from_rollups = {"voices": hours_in_rollups(selection, logged=False),
                    "logged": hours_in_rollups(selection, logged=True)}
    counted = {what: [[0] * 24 for _day in range(7)] for what, read in from_rollups.items()
               if read}
    if counted:
        sums: dict[str, Any] = {f"n_{what}": Sum(what) for what in counted}
        hours: Any = (HourCount.objects.for_workspace(workspace)
                      .filter(day__gte=selection.since, day__lte=selection.until)
                      .annotate(d=ExtractIsoWeekDay("day")).values("d", "hour")
                      .annotate(**sums).order_by())
        for row in hours:
            for what, cells in counted.items():
                cells[row["d"] - 1][row["hour"]] += row[f"n_{what}"] or 0

    def ordered(by: str) -> list[Breakdown]:
        return sorted(groups[by].values(),
                      key=lambda b: (-(b.voices + b.logged_contacts), b.name))

    return ContactStatistics(
        by_channel=ordered("channel"), by_team=ordered("team"), by_agent=ordered("agent"),
        voices_by_hour=counted.get("voices") or matrix(voices, "occurred_at"),
        logged_contacts_by_hour=counted.get("logged") or matrix(logged, "occurred_at"),
        time_zone=workspace.time_zone,
        voices_filter=selection.params(), logged_filter=logged_params)


