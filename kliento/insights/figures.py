"""The figures managers read: summary, trend and breakdown, from the rollups alone.

Never scans Feedback: every figure is a sum over `VoiceCount`, `ThemeCount` and
`InvitationCount` cells in the period (an index range on workspace and day). Formulas and
their rationale are in docs/INSIGHTS.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import Team, User, Workspace
from kliento.feedback.filters import VoiceSelection
from kliento.feedback.models import Channel, Feedback, Theme
from kliento.insights.models import (
    POLARITY_COLUMNS,
    SCORE_COLUMNS,
    DayCount,
    InvitationCount,
    ThemeCount,
    ThemeDayCount,
    VoiceCount,
)
from kliento.insights.services import survey_id_of, theme_keys_of, time_zone_of
from kliento.surveys.models import Invitation, InvitationState, Survey

DEFAULT_DAYS = 30
INTERVALS = ("day", "week", "month")
BREAKDOWNS = ("team", "agent", "channel", "language", "survey", "theme")


@dataclass(frozen=True)
class Filters:
    """Which voices a figure is about: a period of days (inclusive), optional cells, and
    optionally customers with a tag, or VIP customers (or the others)."""

    first: date
    last: date
    team_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    language: str | None = None
    survey_id: int | None = None
    customer_tag: str | None = None
    vip: bool | None = None

    @classmethod
    def of(cls, selection: VoiceSelection) -> Filters:
        """The figures of the voices the feedback list shows for `selection`."""
        return cls(first=selection.since, last=selection.until, team_id=selection.team_id,
                   agent_id=selection.agent_id, channel=selection.channel or None,
                   language=selection.language or None, survey_id=selection.survey_id,
                   customer_tag=selection.customer_tag or None, vip=selection.vip)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Filters:
        """The equal period just before this one."""
        return replace(self, first=self.first - timedelta(days=self.days),
                       last=self.first - timedelta(days=1))

    def cells(self, *, invitations: bool = False) -> dict[str, Any]:
        """The dimensions filtered on, by name (`DayCount.dimension`)."""
        values = {"team": self.team_id, "agent": self.agent_id, "channel": self.channel,
                  "language": self.language, "survey": self.survey_id}
        # Invitations have no channel (the answer has): a channel filter leaves them whole.
        if invitations:
            del values["channel"]
        return {k: v for k, v in values.items() if v is not None}

    @property
    def by_customer(self) -> bool:
        """Customers' tags and VIP are not in the rollups: such figures count the rows."""
        return bool(self.customer_tag) or self.vip is not None

    def q(self, *, invitations: bool = False) -> Q:
        q = Q(day__gte=self.first, day__lte=self.last)
        for name, value in self.cells(invitations=invitations).items():
            q &= Q(**{COLUMNS.get(name, name): value})
        return q

    def selection(self) -> VoiceSelection:
        """The same voices as the feedback list selects them."""
        return VoiceSelection(since=self.first, until=self.last, team_id=self.team_id,
                              agent_id=self.agent_id, channel=self.channel or "",
                              language=self.language or "", survey_id=self.survey_id,
                              customer_tag=self.customer_tag or "", vip=self.vip)


# A dimension's column in the cells of `VoiceCount` and `InvitationCount`.
COLUMNS = {"team": "team_id", "agent": "agent_id", "survey": "survey_id"}


def default_period(workspace: Workspace, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    today = timezone.localtime(timezone.now(), time_zone_of(workspace)).date()
    return today - timedelta(days=days - 1), today


@dataclass
class Figure:
    """One figure with what it stands on: `sample` answers (or invitations)."""

    value: float | None
    sample: int
    too_few: bool


@dataclass
class Tally:
    """Sums of rollup cells: answers per (scale, score), voices per polarity, invitations."""

    scores: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    polarity: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sent: int = 0
    answered: int = 0

    def add_voices(self, scale: str, score: int, polarity: str, n: int) -> None:
        # A score outside its scale (an edited row) is a voice, not an answer.
        if (scale, score) in SCORE_COLUMNS:
            self.scores[(scale, score)] += n
        self.polarity[polarity if polarity in POLARITY_COLUMNS else ""] += n

    def add_day(self, sums: dict[str, int | None]) -> None:
        """Add summed `DayCount` columns."""
        for key, column in SCORE_COLUMNS.items():
            if sums.get(column):
                self.scores[key] += sums[column]  # type: ignore[operator]
        for polarity, column in POLARITY_COLUMNS.items():
            if sums.get(column):
                self.polarity[polarity] += sums[column]  # type: ignore[operator]
        self.sent += sums.get("sent") or 0
        self.answered += sums.get("answered") or 0

    def answers(self, scale: str) -> int:
        return sum(n for (s, _score), n in self.scores.items() if s == scale)

    def share(self, scale: str, low: int, high: int) -> int:
        return sum(n for (s, score), n in self.scores.items()
                   if s == scale and low <= score <= high)

    def figures(self) -> dict[str, Figure]:
        csat, nps, ces, thumbs = (self.answers(s) for s in ("csat", "nps", "ces", "thumbs"))
        ces_total = sum(score * n for (s, score), n in self.scores.items() if s == "ces")
        return {
            "csat": _figure(_percent(self.share("csat", 4, 5), csat), csat),
            "nps": _figure(_percent(self.share("nps", 9, 10) - self.share("nps", 0, 6), nps),
                           nps),
            "ces": _figure(round(ces_total / ces, 2) if ces else None, ces),
            "thumbs_up": _figure(_percent(self.share("thumbs", 1, 1), thumbs), thumbs),
            "response_rate": _figure(_percent(self.answered, self.sent), self.sent),
        }

    @property
    def volume(self) -> int:
        return sum(self.polarity.values())

    def polarities(self) -> dict[str, int]:
        return {"negative": self.polarity.get("negative", 0),
                "neutral": self.polarity.get("neutral", 0),
                "positive": self.polarity.get("positive", 0),
                "unjudged": self.polarity.get("", 0)}


def _percent(part: int, whole: int) -> Any:
    return round(100.0 * part / whole, 1) if whole else None


def _figure(value: float | None, sample: int) -> Figure:
    if value is not None:
        value = round(value, 2)
    return Figure(value=value, sample=sample, too_few=sample < settings.INSIGHTS_MIN_SAMPLE)


# -- reading the counts ---------------------------------------------------------------
#
# A figure is summed from the narrowest source that holds it exactly:
# - `DayCount`, one row per day and team (or agent, channel, …): for the whole workspace,
#   one filter, or one filter and a breakdown by the same dimension — what the page and the
#   API ask most, in as many rows as days × teams, however many voices;
# - the cells (`VoiceCount`, `InvitationCount`) for any other combination of filters;
# - the voices and invitations themselves when customers' tags or VIP narrow them, which
#   no rollup records (the feedback list's own filter, so a drill-down's count matches).

DIMENSIONS = ("team", "agent", "channel", "language", "survey")
VOICE_COLUMNS = [*POLARITY_COLUMNS.values(), *SCORE_COLUMNS.values()]
NOTHING = Value(None, output_field=CharField())  # the group of a figure not grouped
TRUNC_DAY: dict[str, Any] = {"day": F("day"), "week": TruncWeek("day"),
                             "month": TruncMonth("day")}


def _grain(cells: dict[str, Any], group: str | None) -> tuple[str, str | None] | None:
    """The `DayCount` dimension (and key) whose rows hold exactly the voices of `cells`
    per `group`; None when only the cells do."""
    by = group if group in DIMENSIONS else None
    if not cells:
        return by or "", None
    if len(cells) > 1:
        return None
    [(dimension, value)] = cells.items()
    if by not in (None, dimension):
        return None
    return dimension, str(value)


def _group_key(group: str | None, value: Any) -> Any:
    if group in ("team", "agent", "survey"):
        return int(value)
    return _as_date(value) if group in INTERVALS else value


def _day_sums(model: type[DayCount] | type[ThemeDayCount], workspace: Workspace, f: Filters,
              grain: tuple[str, str | None], group: str | None, columns: list[str],
              also: tuple[str, ...] = ()) -> Iterable[tuple[Any, dict[str, Any]]]:
    """(group, {column: sum}) over the day rows of the grain in the period; group None
    when not grouped. `also` groups by more columns (the theme)."""
    dimension, key = grain
    rows = model.objects.for_workspace(workspace).filter(
        dimension=dimension, day__gte=f.first, day__lte=f.last)
    if key is not None:
        rows = rows.filter(key=key)
    sums = {c: Sum(c) for c in columns}
    if group is None and not also:
        yield None, rows.aggregate(**sums)
        return
    grouped: Any = rows
    names: list[str] = list(also)
    if group is not None:
        grouped = rows.annotate(g=F("key") if group in DIMENSIONS else TRUNC_DAY[group])
        names.insert(0, "g")
    for r in grouped.values(*names).annotate(**sums).order_by():
        yield _group_key(group, r["g"]) if group is not None else None, r


def _cell_group(group: str | None) -> Any:
    """The expression grouping cells (NOTHING: one group)."""
    if group in INTERVALS:
        return TRUNC_DAY[group]
    return F(COLUMNS.get(group, group)) if group else NOTHING


def _rows_group(group: str | None, tz: Any, when: str) -> Any:
    """The expression grouping voices or invitations as the rollups group their days
    (NOTHING: one group)."""
    if group in INTERVALS:
        trunc = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth}[group]
        return trunc(when, tzinfo=tz)
    if group == "survey" and when == "occurred_at":
        return KT("metadata__survey_id")
    return F(COLUMNS.get(group, group)) if group else NOTHING


def _rows_key(group: str | None, value: Any) -> Any:
    if group == "survey":
        return survey_id_of(value)
    if group in ("team", "agent"):
        return value or 0
    return _as_date(value) if group in INTERVALS else value


def _asked(workspace: Workspace, f: Filters) -> QuerySet[Invitation]:
    """The invitations asked in the period that the response rate counts, of customers
    with the tag or VIP when asked (`recount`'s rule: not skipped, not an open link)."""
    tz = time_zone_of(workspace)
    start = datetime.combine(f.first, time(), tz)
    end = datetime.combine(f.last + timedelta(days=1), time(), tz)
    asked = Invitation.objects.for_workspace(workspace).filter(
        unverified=False, skip_reason="", created_at__gte=start, created_at__lt=end)
    for name, value in f.cells(invitations=True).items():
        column = COLUMNS.get(name, name)
        asked = asked.filter(**({column: value} if value or name == "language"
                                else {f"{column}__isnull": True}))
    if f.customer_tag:
        asked = asked.filter(customer__tags__name=f.customer_tag)
    if f.vip is not None:
        asked = asked.filter(customer__vip=f.vip)
    return asked


def _tallies(workspace: Workspace, f: Filters, group: str | None = None, *,
             invitations: bool = True) -> dict[Any, Tally]:
    """The voices and invitations of `f` summed per `group`: a breakdown's dimension, a
    trend's interval, or None for the whole period (one tally, key None)."""
    tallies: dict[Any, Tally] = defaultdict(Tally)
    invitations = invitations and group != "channel"  # an answer's channel only
    if f.by_customer:
        tz = time_zone_of(workspace)
        voices: Any = f.selection().apply(Feedback.objects.for_workspace(workspace), workspace)
        g = _rows_group(group, tz, "occurred_at")
        for r in voices.annotate(g=g) \
                .values("g", "scale", "score", "polarity").annotate(n=Count("pk")).order_by():
            tallies[_rows_key(group, r["g"])].add_voices(
                r["scale"], r["score"] or 0, r["polarity"], r["n"])
        if invitations:
            asked: Any = _asked(workspace, f)
            g = _rows_group(group, tz, "created_at")
            for r in asked.annotate(g=g) \
                    .values("g").annotate(sent=Count("pk", distinct=True), answered=Count(
                        "pk", distinct=True, filter=Q(state=InvitationState.ANSWERED))) \
                    .order_by():
                t = tallies[_rows_key(group, r["g"])]
                t.sent += r["sent"]
                t.answered += r["answered"]
        return tallies
    grain = _grain(f.cells(), group)
    if grain is not None:
        for key, sums in _day_sums(DayCount, workspace, f, grain, group, VOICE_COLUMNS):
            tallies[key].add_day(sums)
    else:
        cells: Any = VoiceCount.objects.for_workspace(workspace).filter(f.q())
        g = _cell_group(group)
        for r in cells.annotate(g=g) \
                .values("g", "scale", "score", "polarity").annotate(n=Sum("voices")) \
                .order_by():
            tallies[_group_key(group, r["g"])].add_voices(
                r["scale"], r["score"], r["polarity"], r["n"])
    if not invitations:
        return tallies
    grain = _grain(f.cells(invitations=True), group)
    if grain is not None:
        for key, sums in _day_sums(DayCount, workspace, f, grain, group,
                                   ["sent", "answered"]):
            tallies[key].add_day(sums)
    else:
        asked_cells: Any = InvitationCount.objects.for_workspace(workspace).filter(
            f.q(invitations=True))
        g = _cell_group(group)
        for r in asked_cells.annotate(g=g) \
                .values("g").annotate(sent=Sum("sent"), answered=Sum("answered")).order_by():
            t = tallies[_group_key(group, r["g"])]
            t.sent += r["sent"] or 0
            t.answered += r["answered"] or 0
    return tallies


def tally(workspace: Workspace, f: Filters) -> Tally:
    return _tallies(workspace, f).get(None) or Tally()


def volumes(workspace: Workspace, f: Filters, by: str) -> dict[Any, int]:
    """Voices per team, agent, channel, language or survey (ids: 0 for none)."""
    return {key: t.volume for key, t in _tallies(workspace, f, by, invitations=False).items()
            if t.volume}


def _change(now: Figure, before: Figure) -> float | None:
    if now.value is None or before.value is None or now.too_few or before.too_few:
        return None
    return round(now.value - before.value, 2)


def summary(workspace: Workspace, f: Filters) -> dict[str, Any]:
    """Headline figures of the period, each beside the previous equal period's."""
    previous = f.previous()
    now, before = tally(workspace, f), tally(workspace, previous)
    before_figures = before.figures()
    figures: dict[str, Any] = {}
    for name, figure in now.figures().items():
        was = before_figures[name]
        figures[name] = {**asdict(figure), "previous": was.value,
                         "previous_sample": was.sample, "change": _change(figure, was)}
    return {
        "period": {"from": f.first, "to": f.last},
        "previous_period": {"from": previous.first, "to": previous.last},
        **figures,
        "volume": {"value": now.volume, "previous": before.volume,
                   "change": now.volume - before.volume},
        "polarity": now.polarities(),
        "previous_polarity": before.polarities(),
    }


def _bucket_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _buckets(f: Filters, interval: str) -> list[date]:
    out, day = [], _bucket_start(f.first, interval)
    while day <= f.last:
        out.append(day)
        if interval == "day":
            day += timedelta(days=1)
        elif interval == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def _point(start: date, t: Tally) -> dict[str, Any]:
    return {"start": start, **{k: asdict(v) for k, v in t.figures().items()},
            "volume": t.volume, **t.polarities()}


def timeseries(workspace: Workspace, f: Filters, interval: str) -> dict[str, Any]:
    """The figures per day, week (from Monday) or month, every bucket of the period listed."""
    tallies = _tallies(workspace, f, interval)
    return {"period": {"from": f.first, "to": f.last}, "interval": interval,
            "points": [_point(start, tallies.get(start) or Tally())
                       for start in _buckets(f, interval)]}


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def breakdown(workspace: Workspace, f: Filters, by: str) -> dict[str, Any]:
    """The figures per team, agent, channel, language or survey, or voices per theme;
    largest first."""
    if by == "theme":
        return _themes(workspace, f)
    tallies = {key: t for key, t in _tallies(workspace, f, by).items()
               if t.volume or t.sent}  # a row whose voices were all deleted is no row
    names = _names(workspace, by, tallies)
    rows: list[dict[str, Any]] = [
        {"key": key or None, "name": names.get(key, str(key)),
         **{k: asdict(v) for k, v in t.figures().items()}, "volume": t.volume, **t.polarities()}
        for key, t in tallies.items()]
    rows.sort(key=lambda r: (-r["volume"], str(r["name"])))
    return {"period": {"from": f.first, "to": f.last}, "by": by, "rows": rows}


def theme_counts(workspace: Workspace, f: Filters, group: str | None = None
                 ) -> dict[tuple[Any, str], dict[str, int]]:
    """Voices per (group, theme) by polarity ("" unjudged): a voice counts once per theme.
    `group` as `_tallies`'s."""
    out: dict[tuple[Any, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if f.by_customer:
        tz = time_zone_of(workspace)
        voices = f.selection().apply(Feedback.objects.for_workspace(workspace), workspace)
        g = {"team": "team_id", "agent": "agent_id"}.get(group or "", group)
        fields = ["themes", "polarity", "occurred_at", *([g] if g and group not in INTERVALS
                                                         and group != "survey" else [])]
        for r in voices.exclude(themes=[]).order_by().values(*fields, "metadata").iterator(2000):
            if group in INTERVALS:
                key: Any = _bucket_start(r["occurred_at"].astimezone(tz).date(), group)
            elif group == "survey":
                meta = r["metadata"] if isinstance(r["metadata"], dict) else {}
                key = survey_id_of(meta.get("survey_id"))
            else:
                key = _rows_key(group, r[g]) if g else None
            for theme in theme_keys_of(r["themes"]):
                out[(key, theme)][r["polarity"] if r["polarity"] in POLARITY_COLUMNS else ""] += 1
        return out
    grain = _grain(f.cells(), group)
    if grain is not None:
        columns = list(POLARITY_COLUMNS.values())
        polarity_of = {c: p for p, c in POLARITY_COLUMNS.items()}
        for key, sums in _day_sums(ThemeDayCount, workspace, f, grain, group, columns,
                                   also=("theme",)):
            for column in columns:
                if sums[column]:
                    out[(key, sums["theme"])][polarity_of[column]] += sums[column]
        return out
    cells: Any = ThemeCount.objects.for_workspace(workspace).filter(f.q())
    g = _cell_group(group)
    for r in cells.annotate(g=g) \
            .values("g", "theme", "polarity").annotate(n=Sum("voices")).order_by():
        out[(_group_key(group, r["g"]), r["theme"])][
            r["polarity"] if r["polarity"] in POLARITY_COLUMNS else ""] += r["n"]
    return out


def _themes(workspace: Workspace, f: Filters) -> dict[str, Any]:
    per_theme = {theme: counts for (_g, theme), counts in theme_counts(workspace, f).items()}
    volume = tally(workspace, f).volume
    names = _names(workspace, "theme", per_theme)
    rows: list[dict[str, Any]] = []
    for key, counts in per_theme.items():
        voices = sum(counts.values())
        if not voices:
            continue
        rows.append({"key": key, "name": names.get(key, key), "volume": voices,
                     "share": _percent(voices, volume),
                     "negative": counts.get("negative", 0), "neutral": counts.get("neutral", 0),
                     "positive": counts.get("positive", 0), "unjudged": counts.get("", 0)})
    rows.sort(key=lambda r: (-r["volume"], r["name"]))
    return {"period": {"from": f.first, "to": f.last}, "by": "theme", "volume": volume,
            "rows": rows}


def _names(workspace: Workspace, by: str, keys: Iterable[Any]) -> dict[Any, str]:
    """Readable names of breakdown keys, looked up within the workspace only."""
    ids = [k for k in keys if k]
    none = {"team": _("No team"), "agent": _("No agent"), "survey": _("No survey"),
            "language": _("Unknown language")}
    names: dict[Any, str] = {0: none[by]} if by in ("team", "agent", "survey") else {}
    if by == "language":
        names[""] = none["language"]
        names.update({code: str(name) for code, name in settings.LANGUAGES})
    elif by == "channel":
        names.update({c.value: str(c.label) for c in Channel})
    elif by == "team":
        names.update(Team.objects.for_workspace(workspace).filter(pk__in=ids)
                     .values_list("pk", "name"))
    elif by == "agent":
        names.update((u.pk, str(u)) for u in User.objects.filter(
            pk__in=ids, memberships__workspace=workspace).distinct())
    elif by == "survey":
        names.update(Survey.objects.for_workspace(workspace).filter(pk__in=ids)
                     .values_list("pk", "name"))
    elif by == "theme":
        names.update(Theme.objects.for_workspace(workspace).filter(key__in=ids)
                     .values_list("key", "name"))
    return names
