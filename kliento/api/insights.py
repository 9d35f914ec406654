"""Insights: the figures of the dashboard, from the rollups (docs/INSIGHTS.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as QueryError

from kliento.api.base import ERRORS, MAX_INT, workspace_of
from kliento.api.schemas import ChannelName
from kliento.core.models import Membership, Team, Workspace
from kliento.insights import figures
from kliento.surveys.models import Survey

router = Router(tags=["insights"])

MAX_DAYS = 731  # two years, as the other Insights endpoints
# Dates far from now only come from typing mistakes, and the previous period of 0001-01-01
# cannot be computed at all.
EARLIEST, LATEST = date(1970, 1, 1), date(9000, 12, 31)
MAX_DAILY_POINTS = 366


class InsightsQuery(Schema):
    date_from: date | None = Field(None, alias="from",
                                   description="first day, in the workspace's time zone")
    date_to: date | None = Field(None, alias="to", description="last day (inclusive)")
    team: int | None = Field(None, ge=1, le=MAX_INT, description="team id")
    agent: int | None = Field(None, ge=1, le=MAX_INT, description="agent (user) id")
    channel: ChannelName | None = None
    language: str | None = Field(None, pattern=r"^[A-Za-z-]{1,10}$")
    survey: int | None = Field(None, ge=1, le=MAX_INT, description="survey id")
    customer_tag: str | None = Field(None, min_length=1, max_length=50,
                                     description="customers with this tag")
    vip: Literal["yes", "no"] | None = Field(None, description="VIP customers, or the others")


def _bad(field: str, message: str) -> QueryError:
    return QueryError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def _filters(workspace: Workspace, q: InsightsQuery) -> figures.Filters:
    """The query as Filters; ids of another workspace are as unknown as ids of none."""
    for name, day in (("from", q.date_from), ("to", q.date_to)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise _bad(name, _("Give a day between %(first)s and %(last)s.")
                       % {"first": EARLIEST, "last": LATEST})
    first, last = figures.default_period(workspace)
    if q.date_to is not None:
        last = q.date_to
        first = last - timedelta(days=figures.DEFAULT_DAYS - 1)
    if q.date_from is not None:
        first = q.date_from
    if first > last:
        raise _bad("from", _("The period starts after it ends."))
    if (last - first).days + 1 > MAX_DAYS:
        raise _bad("from", _("The period is at most two years."))
    if q.team is not None and not Team.objects.for_workspace(workspace).filter(pk=q.team).exists():
        raise _bad("team", _("No team of this workspace has this id."))
    if q.agent is not None and not Membership.objects.for_workspace(workspace).filter(
            user_id=q.agent).exists():
        raise _bad("agent", _("No member of this workspace has this id."))
    if q.survey is not None and not Survey.objects.for_workspace(workspace).filter(
            pk=q.survey).exists():
        raise _bad("survey", _("No survey of this workspace has this id."))
    return figures.Filters(first=first, last=last, team_id=q.team, agent_id=q.agent,
                           channel=q.channel, language=q.language, survey_id=q.survey,
                           customer_tag=q.customer_tag,
                           vip=None if q.vip is None else q.vip == "yes")


class FigureOut(Schema):
    value: float | None
    sample: int
    too_few: bool


class HeadlineOut(FigureOut):
    previous: float | None
    previous_sample: int
    change: float | None


class VolumeOut(Schema):
    value: int
    previous: int
    change: int


class PolarityOut(Schema):
    negative: int
    neutral: int
    positive: int
    unjudged: int


class SummaryOut(Schema):
    period: dict[str, date]
    previous_period: dict[str, date]
    csat: HeadlineOut
    nps: HeadlineOut
    ces: HeadlineOut
    thumbs_up: HeadlineOut
    response_rate: HeadlineOut
    volume: VolumeOut
    polarity: PolarityOut
    previous_polarity: PolarityOut


class PointOut(PolarityOut):
    start: date
    csat: FigureOut
    nps: FigureOut
    ces: FigureOut
    thumbs_up: FigureOut
    response_rate: FigureOut
    volume: int


class TimeseriesOut(Schema):
    period: dict[str, date]
    interval: str
    points: list[PointOut]


class BreakdownRowOut(PolarityOut):
    key: Any = Field(None, description="id (team, agent, survey), code or theme key; "
                                       "null for none")
    name: str
    volume: int
    csat: FigureOut | None = None
    nps: FigureOut | None = None
    ces: FigureOut | None = None
    thumbs_up: FigureOut | None = None
    response_rate: FigureOut | None = None
    share: float | None = Field(None, description="themes: % of the period's voices")


class BreakdownOut(Schema):
    period: dict[str, date]
    by: str
    rows: list[BreakdownRowOut]
    volume: int | None = None


@router.get("/summary", response={200: SummaryOut, **ERRORS})
def summary(request: HttpRequest, q: Query[InsightsQuery]) -> dict[str, Any]:
    """CSAT %, NPS, CES average, 👍 %, response rate and volume, with the previous equal
    period's value and the change; `too_few` below the minimum sample."""
    workspace = workspace_of(request)
    return figures.summary(workspace, _filters(workspace, q))


@router.get("/timeseries", response={200: TimeseriesOut, **ERRORS})
def timeseries(request: HttpRequest, q: Query[InsightsQuery],
               interval: Literal["day", "week", "month"] = "day") -> dict[str, Any]:
    """The figures per day, week (from Monday) or month; every bucket of the period listed."""
    workspace = workspace_of(request)
    f = _filters(workspace, q)
    if interval == "day" and f.days > MAX_DAILY_POINTS:
        raise _bad("interval", _("Over %(days)s days, ask for weeks or months.")
                   % {"days": MAX_DAILY_POINTS})
    return figures.timeseries(workspace, f, interval)


@router.get("/breakdown", response={200: BreakdownOut, **ERRORS})
def breakdown(request: HttpRequest, q: Query[InsightsQuery],
              by: Literal["team", "agent", "channel", "language", "survey", "theme"]
              ) -> dict[str, Any]:
    """The figures per team, agent, channel, language or survey; voices per theme."""
    workspace = workspace_of(request)
    return figures.breakdown(workspace, _filters(workspace, q), by)
