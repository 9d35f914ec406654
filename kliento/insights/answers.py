"""The response rate's drill-down: the answers to the invitations a response rate counts.

Invitations have no list of their own, and a response rate's sample is invitations asked:
its honest drill-down is its numerator, the answers, on the feedback list (`asked_from`,
`asked_to`: invitations asked on those days, whenever the customer answered). The number
shown on that link is counted here with the list's own filter, so the list always shows it,
also where the rollups still count an answer whose voice was deleted since. One query per
panel, whatever the data."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

from kliento.core.models import Workspace
from kliento.feedback.filters import NONE, FeedbackFilter, zone
from kliento.feedback.models import Feedback
from kliento.insights import figures
from kliento.insights.services import survey_id_of


def params(f: figures.Filters, **more: Any) -> dict[str, str]:
    """The feedback list's parameters of the answers to the invitations `f` counts (its
    channel left out: an invitation has none, so the response rate ignores it)."""
    selection = f.selection().params(**more)
    selection.pop("channel", None)
    dates = {"asked_from": selection.pop("from"), "asked_to": selection.pop("to")}
    return {**dates, **selection}


def _answers(workspace: Workspace, f: figures.Filters) -> QuerySet[Feedback]:
    return FeedbackFilter(
        asked_from=f.first, asked_to=f.last, team=f.team_id, agent=f.agent_id,
        language=f.language or "", survey=f.survey_id, customer_tag=f.customer_tag or "",
        vip=f.vip, time_zone=workspace.time_zone or "UTC",
    ).apply(Feedback.objects.for_workspace(workspace)).order_by()


def count(workspace: Workspace, f: figures.Filters) -> int:
    return _answers(workspace, f).count()


def by_day(workspace: Workspace, f: figures.Filters) -> Counter[date]:
    """Answers per day their invitation was asked (the workspace's calendar)."""
    out: Counter[date] = Counter()
    rows = _answers(workspace, f).annotate(
        asked=TruncDate("invitation__created_at", tzinfo=zone(workspace.time_zone))) \
        .values("asked").annotate(n=Count("pk"))
    for r in rows:
        out[r["asked"]] += r["n"]
    return out


def by(workspace: Workspace, f: figures.Filters, by: str) -> Counter[Any]:
    """Answers per team, agent, language or survey, keyed as the breakdown's rows are (None
    for none), by the same fields the list filters on."""
    out: Counter[Any] = Counter()
    if by not in ("team", "agent", "language", "survey"):
        return out
    column = {"team": "team_id", "agent": "agent_id"}.get(by, by)
    rows: Any = _answers(workspace, f)
    if by == "survey":
        rows = rows.annotate(survey=KT("metadata__survey_id"))
    for r in rows.values(column).annotate(n=Count("pk")):
        key = survey_id_of(r[column]) if by == "survey" else r[column]
        out[key or None] += r["n"]
    return out


def narrowed(f: figures.Filters, by: str, key: Any) -> dict[str, str]:
    """`params(f)` for one row of the breakdown."""
    return params(f, **{by: str(key) if key not in (None, "", 0) else NONE})
