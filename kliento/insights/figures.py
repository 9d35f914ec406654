"""The figures managers read: summary, trend and breakdown, from the rollups alone.

Never scans Feedback: every figure is a sum over `VoiceCount`, `ThemeCount` and
`InvitationCount` cells in the period (an index range on workspace and day). Formulas and
their rationale are in docs/INSIGHTS.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import Team, User, Workspace
from kliento.feedback.models import Channel, Theme
from kliento.insights.models import InvitationCount, ThemeCount, VoiceCount
from kliento.insights.services import time_zone_of
from kliento.surveys.models import Survey

DEFAULT_DAYS = 30
INTERVALS = ("day", "week", "month")
BREAKDOWNS = ("team", "agent", "channel", "language", "survey", "theme")


@dataclass(frozen=True)
class Filters:
    """Which voices a figure is about: a period of days (inclusive) and optional cells."""

    first: date
    last: date
    team_id: int | None = None
    agent_id: int | None = None
    channel: str | None = None
    language: str | None = None
    survey_id: int | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Filters:
        """The equal period just before this one."""
        return replace(self, first=self.first - timedelta(days=self.days),
                       last=self.first - timedelta(days=1))

    def q(self, *, invitations: bool = False) -> Q:
        q = Q(day__gte=self.first, day__lte=self.last)
        for name, value in (("team_id", self.team_id), ("agent_id", self.agent_id),
                            ("language", self.language), ("survey_id", self.survey_id)):
            if value is not None:
                q &= Q(**{name: value})
        # Invitations have no channel (the answer has): a channel filter leaves them whole.
        if self.channel is not None and not invitations:
            q &= Q(channel=self.channel)
        return q


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
        if scale:
            self.scores[(scale, score)] += n
        self.polarity[polarity] += n

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


def _voices(workspace: Workspace, f: Filters) -> QuerySet[VoiceCount]:
    return VoiceCount.objects.for_workspace(workspace).filter(f.q())


def _invitations(workspace: Workspace, f: Filters) -> QuerySet[InvitationCount]:
    return InvitationCount.objects.for_workspace(workspace).filter(f.q(invitations=True))


def tally(workspace: Workspace, f: Filters) -> Tally:
    t = Tally()
    for r in (_voices(workspace, f).values("scale", "score", "polarity")
              .annotate(n=Sum("voices")).order_by()):
        t.add_voices(r["scale"], r["score"], r["polarity"], r["n"])
    sums = _invitations(workspace, f).aggregate(sent=Sum("sent"), answered=Sum("answered"))
    t.sent, t.answered = sums["sent"] or 0, sums["answered"] or 0
    return t


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
    trunc: Any = {"day": F("day"), "week": TruncWeek("day"), "month": TruncMonth("day")}
    tallies: dict[date, Tally] = defaultdict(Tally)
    for r in (_voices(workspace, f).annotate(bucket=trunc[interval])
              .values("bucket", "scale", "score", "polarity").annotate(n=Sum("voices"))
              .order_by()):
        tallies[_as_date(r["bucket"])].add_voices(r["scale"], r["score"], r["polarity"], r["n"])
    for i in (_invitations(workspace, f).annotate(bucket=trunc[interval]).values("bucket")
              .annotate(sent=Sum("sent"), answered=Sum("answered")).order_by()):
        tallies[_as_date(i["bucket"])].sent += i["sent"]
        tallies[_as_date(i["bucket"])].answered += i["answered"]
    return {"period": {"from": f.first, "to": f.last}, "interval": interval,
            "points": [_point(start, tallies[start]) for start in _buckets(f, interval)]}


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def breakdown(workspace: Workspace, f: Filters, by: str) -> dict[str, Any]:
    """The figures per team, agent, channel, language or survey, or voices per theme;
    largest first."""
    if by == "theme":
        return _themes(workspace, f)
    column = {"team": "team_id", "agent": "agent_id", "survey": "survey_id"}.get(by, by)
    tallies: dict[Any, Tally] = defaultdict(Tally)
    for r in (_voices(workspace, f).values(column, "scale", "score", "polarity")
              .annotate(n=Sum("voices")).order_by()):
        tallies[r[column]].add_voices(r["scale"], r["score"], r["polarity"], r["n"])
    if by != "channel":
        for r in (_invitations(workspace, f).values(column)
                  .annotate(sent=Sum("sent"), answered=Sum("answered")).order_by()):
            tallies[r[column]].sent += r["sent"]
            tallies[r[column]].answered += r["answered"]
    names = _names(workspace, by, tallies)
    rows: list[dict[str, Any]] = [
        {"key": key or None, "name": names.get(key, str(key)),
         **{k: asdict(v) for k, v in t.figures().items()}, "volume": t.volume, **t.polarities()}
        for key, t in tallies.items()]
    rows.sort(key=lambda r: (-r["volume"], str(r["name"])))
    return {"period": {"from": f.first, "to": f.last}, "by": by, "rows": rows}


def _themes(workspace: Workspace, f: Filters) -> dict[str, Any]:
    per_theme: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in (ThemeCount.objects.for_workspace(workspace).filter(f.q())
              .values("theme", "polarity").annotate(n=Sum("voices")).order_by()):
        per_theme[r["theme"]][r["polarity"]] += r["n"]
    volume = _voices(workspace, f).aggregate(n=Sum("voices"))["n"] or 0
    names = _names(workspace, "theme", per_theme)
    rows: list[dict[str, Any]] = []
    for key, counts in per_theme.items():
        voices = sum(counts.values())
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
