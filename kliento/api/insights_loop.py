"""Close the loop, root causes, themes, word of mouth and contact statistics: the Learn
step's figures for one workspace and period (see kliento.insights.closing and .causes)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from kliento.api.base import ERRORS, Id, api, workspace_of
from kliento.core.models import Workspace
from kliento.insights import causes, closing
from kliento.insights.forms import SelectionForm

router = Router(tags=["insights"])


class Selection(Schema):
    """The filters every figure takes; documented here, checked by the page's own form."""

    from_: date | None = Field(None, alias="from", description="First day, included "
                               "(workspace's time zone); default 30 days before `to`.")
    to: date | None = Field(None, description="Last day, included; default today.")
    team: Id | None = Field(None, description="Only this team's voices.")
    agent: Id | None = Field(None, description="Only voices about this agent.")
    channel: str | None = Field(None, description="Only voices from this channel.")
    by: Literal["team", "agent"] | None = Field(None, description="Rows per team or agent.")
    interval: Literal["day", "week", "month"] | None = None
    polarity: Literal["negative", "neutral", "positive", "unhappy"] | None = None


FIGURES: dict[int, Any] = {200: dict[str, Any], **ERRORS}


def _form(request: HttpRequest) -> tuple[Workspace, SelectionForm, HttpResponse | None]:
    workspace = workspace_of(request)
    form = SelectionForm(request.GET, workspace=workspace)
    if form.is_valid():
        return workspace, form, None
    detail = [{"loc": ["query", name], "msg": " ".join(str(m) for m in errors),
               "type": "value_error"} for name, errors in form.errors.items()]
    return workspace, form, api.create_response(request, {"detail": detail}, status=422)


def _period(form: SelectionForm) -> dict[str, str]:
    s = form.selection()
    return {"from": s.since.isoformat(), "to": s.until.isoformat()}


@router.get("/insights/close-the-loop", response=FIGURES)
def close_the_loop(request: HttpRequest, filters: Query[Selection]) -> Any:
    """Per team (`by=team`, the default) or agent: unhappy voices, % contacted within the
    target in business hours, median hours to first contact, recovery rate, cases resolved
    within SLA, promises kept, open cases by age. Filters: `from`, `to` (dates, both
    included), `team`, `agent`, `channel`."""
    workspace, form, error = _form(request)
    if error:
        return error
    figures = closing.close_the_loop(workspace, form.selection(),
                                     by=form.cleaned_data["by"] or "team")
    return {**_period(form), "by": figures.by, "target_hours": figures.target_hours,
            "target_percent": figures.target_percent,
            "rows": [{**r.as_dict(), "meets_target": figures.meets_target(r)}
                     for r in figures.rows],
            "total": {**figures.total.as_dict(),
                      "meets_target": figures.meets_target(figures.total)}}


@router.get("/insights/root-causes", response=FIGURES)
def root_causes(request: HttpRequest, filters: Query[Selection]) -> Any:
    """Pareto of the root causes of cases opened by the period's voices, with cumulative %."""
    workspace, form, error = _form(request)
    if error:
        return error
    bars = causes.root_causes(workspace, form.selection())
    return {**_period(form), "bars": [asdict(b) for b in bars]}


@router.get("/insights/themes", response=FIGURES)
def themes(request: HttpRequest, filters: Query[Selection]) -> Any:
    """Pareto of themes (`polarity=negative|neutral|positive|unhappy` to narrow), themes by
    team and the trend of each theme per `interval=day|week|month`."""
    workspace, form, error = _form(request)
    if error:
        return error
    figures = causes.themes(workspace, form.selection(),
                            polarity=form.cleaned_data["polarity"] or "",
                            interval=form.cleaned_data["interval"] or "week")
    return {**_period(form), "pareto": [asdict(b) for b in figures.pareto],
            "by_team": figures.by_team, "interval": figures.interval, "trend": figures.trend}


@router.get("/insights/word-of-mouth", response=FIGURES)
def word_of_mouth(request: HttpRequest, filters: Query[Selection]) -> Any:
    """People likely told by unhappy customers not won back yet: 9× to 15× their number."""
    workspace, form, error = _form(request)
    if error:
        return error
    return {**_period(form), **asdict(causes.word_of_mouth(workspace, form.selection()))}


@router.get("/insights/contacts", response=FIGURES)
def contacts(request: HttpRequest, filters: Query[Selection]) -> Any:
    """Voices and logged contacts by channel, team, agent and hour of the week (7×24,
    Monday first, in the workspace's time zone)."""
    workspace, form, error = _form(request)
    if error:
        return error
    return {**_period(form), **asdict(causes.contact_statistics(workspace, form.selection()))}
