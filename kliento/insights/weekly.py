"""The weekly report by e-mail: on Monday from 08:00 in the workspace's time zone, each
subscribed manager and admin gets last week's headline figures, their change against the week
before, and links into the dashboard, in their own language.

The periodic job only enqueues one task per workspace that is due; the task claims each
membership for the week (`weekly_report_sent_week`) in the same transaction as it queues the
e-mail, so a task run twice, or a restarted worker, never sends a week's report twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kliento.core.mail import queue_email
from kliento.core.models import Membership, Role, Workspace
from kliento.core.urls_util import absolute_url
from kliento.feedback.filters import FeedbackFilter, zone
from kliento.feedback.models import Feedback, Polarity, Scale
from kliento.recovery.models import Case

log = logging.getLogger(__name__)
SEND_AT = time(8, 0)
REPORTED_ROLES = [Role.MANAGER, Role.ADMIN]


@dataclass(frozen=True)
class Figures:
    """One period's headline figures; a percentage is None when nobody answered that scale."""

    volume: int
    csat_answers: int
    csat_percent: float | None  # % of CSAT answers that are 4 or 5
    nps_answers: int
    nps: float | None  # % promoters (9–10) − % detractors (0–6)
    negative: int
    cases_opened: int
    cases_resolved: int


@dataclass(frozen=True)
class WeeklyFigures:
    start: date
    end: date
    current: Figures
    previous: Figures


def _bounds(tz: ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time(), tz),
            datetime.combine(last + timedelta(days=1), time(), tz))


def weekly_figures(workspace: Workspace, start: date, end: date) -> WeeklyFigures:
    """The figures of the days `start`..`end` (inclusive, the workspace's calendar days of
    when the customer spoke, as the feedback list's period filter counts them) and of the
    equal period just before: two aggregate queries."""
    tz = zone(workspace.time_zone)
    days = (end - start).days + 1
    periods = {"c": _bounds(tz, start, end),
               "p": _bounds(tz, start - timedelta(days=days), start - timedelta(days=1))}
    csat = Q(scale=Scale.CSAT, score__isnull=False)
    nps = Q(scale=Scale.NPS, score__isnull=False)
    aggregates: dict[str, Any] = {}
    for key, (lo, hi) in periods.items():
        inside = Q(occurred_at__gte=lo, occurred_at__lt=hi)
        aggregates |= {
            f"{key}_volume": Count("pk", filter=inside),
            f"{key}_csat": Count("pk", filter=inside & csat),
            f"{key}_satisfied": Count("pk", filter=inside & csat & Q(score__gte=4)),
            f"{key}_nps": Count("pk", filter=inside & nps),
            f"{key}_promoters": Count("pk", filter=inside & nps & Q(score__gte=9)),
            f"{key}_detractors": Count("pk", filter=inside & nps & Q(score__lte=6)),
            f"{key}_negative": Count("pk", filter=inside & Q(polarity=Polarity.NEGATIVE)),
        }
    lo, hi = periods["p"][0], periods["c"][1]
    voices = (Feedback.objects.for_workspace(workspace)
              .filter(occurred_at__gte=lo, occurred_at__lt=hi).aggregate(**aggregates))
    case_counts: dict[str, Any] = {}
    for key, (lo, hi) in periods.items():
        case_counts |= {
            f"{key}_opened": Count("pk", filter=Q(opened_at__gte=lo, opened_at__lt=hi)),
            f"{key}_resolved": Count("pk", filter=Q(resolved_at__gte=lo, resolved_at__lt=hi)),
        }
    lo, hi = periods["p"][0], periods["c"][1]
    cases = (Case.objects.for_workspace(workspace)
             .filter(Q(opened_at__gte=lo, opened_at__lt=hi)
                     | Q(resolved_at__gte=lo, resolved_at__lt=hi))
             .aggregate(**case_counts))

    def figures(key: str) -> Figures:
        answers = voices[f"{key}_csat"]
        nps_answers = voices[f"{key}_nps"]
        return Figures(
            volume=voices[f"{key}_volume"], csat_answers=answers,
            csat_percent=100.0 * voices[f"{key}_satisfied"] / answers if answers else None,
            nps_answers=nps_answers,
            nps=(100.0 * (voices[f"{key}_promoters"] - voices[f"{key}_detractors"])
                 / nps_answers if nps_answers else None),
            negative=voices[f"{key}_negative"], cases_opened=cases[f"{key}_opened"],
            cases_resolved=cases[f"{key}_resolved"])

    return WeeklyFigures(start=start, end=end, current=figures("c"), previous=figures("p"))


# -- when ------------------------------------------------------------------------------


def report_week(workspace: Workspace, now: datetime) -> date | None:
    """The Monday of the week to report on, when the workspace's Monday 08:00 has come (and
    it is still Monday there); None otherwise."""
    local = timezone.localtime(now, zone(workspace.time_zone))
    if local.weekday() != 0 or local.time() < SEND_AT:
        return None
    return local.date() - timedelta(days=7)


def subscribers(workspace: Workspace) -> Any:
    return (Membership.objects.for_workspace(workspace)
            .filter(weekly_report=True, role__in=REPORTED_ROLES, user__is_active=True))


def send_weekly_reports(now: datetime | None = None) -> int:
    """Periodic: enqueue one task per workspace whose report is due and not yet sent to
    everyone subscribed. Sends nothing itself."""
    now = now or timezone.now()
    due = 0
    workspace_ids = (Membership.objects.filter(weekly_report=True, role__in=REPORTED_ROLES)
                     .values_list("workspace_id", flat=True).distinct())
    for workspace in Workspace.objects.filter(pk__in=list(workspace_ids)):
        week = report_week(workspace, now)
        if week is None:
            continue
        waiting = subscribers(workspace).filter(
            Q(weekly_report_sent_week__isnull=True) | Q(weekly_report_sent_week__lt=week))
        if waiting.exists():
            send_weekly_report.enqueue(workspace.pk, week.isoformat())
            due += 1
    return due


# -- what ------------------------------------------------------------------------------


@task()
def send_weekly_report(workspace_id: int, week: str) -> None:
    """Queue the week's report to every subscribed manager who has not had it yet."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return
    start = date.fromisoformat(week)
    figures = weekly_figures(workspace, start, start + timedelta(days=6))
    for membership in subscribers(workspace).select_related("user"):
        with transaction.atomic():
            claimed = Membership.objects.filter(pk=membership.pk).filter(
                Q(weekly_report_sent_week__isnull=True) | Q(weekly_report_sent_week__lt=start)
            ).update(weekly_report_sent_week=start)
            if not claimed:
                continue  # sent already, by an earlier run of this task
            language = membership.user.language or workspace.default_language
            subject, text, html = render_report(workspace, figures, language)
            queue_email(to=membership.user.email, subject=subject, body_text=text,
                        body_html=html, kind="weekly_report", workspace=workspace)


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    change: str
    link: str
    answers: str = ""


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(round(value, digits), digits, use_l10n=True)


def _change(now: float | None, before: float | None, digits: int = 0, unit: str = "") -> str:
    if now is None or before is None:
        return "—"
    delta = round(now - before, digits)
    if delta == 0:
        return _("no change")
    sign = "+" if delta > 0 else "−"
    return f"{sign}{formats.number_format(abs(delta), digits, use_l10n=True)}{unit}"


def render_report(workspace: Workspace, w: WeeklyFigures, language: str
                  ) -> tuple[str, str, str]:
    """(subject, text, html) of the weekly report in `language`."""
    week = FeedbackFilter(date_from=w.start, date_to=w.end)

    def feed(**extra: Any) -> str:
        return f"{absolute_url('feed')}?{week.but(**extra).querystring()}"

    dashboard = f"{settings.BASE_URL}/insights/?{week.querystring()}"
    c, p = w.current, w.previous
    with translation.override(language):
        period = (f"{formats.date_format(w.start, 'SHORT_DATE_FORMAT')} – "
                  f"{formats.date_format(w.end, 'SHORT_DATE_FORMAT')}")
        long_period = (f"{formats.date_format(w.start, 'DATE_FORMAT')} – "
                       f"{formats.date_format(w.end, 'DATE_FORMAT')}")
        points = _(" pp")
        answers = _("%(n)s answers")
        lines = [
            Line(_("Voices"), _number(c.volume), _change(c.volume, p.volume), feed()),
            Line(_("CSAT"), f"{_number(c.csat_percent, 1)} %" if c.csat_percent is not None
                 else "—", _change(c.csat_percent, p.csat_percent, 1, points),
                 feed(scale="csat"), answers % {"n": c.csat_answers}),
            Line(_("NPS"), _number(c.nps), _change(c.nps, p.nps), feed(scale="nps"),
                 answers % {"n": c.nps_answers}),
            Line(_("Negative voices"), _number(c.negative), _change(c.negative, p.negative),
                 feed(polarity="negative")),
            Line(_("Cases opened"), _number(c.cases_opened),
                 _change(c.cases_opened, p.cases_opened), absolute_url("case_list")),
            Line(_("Cases resolved"), _number(c.cases_resolved),
                 _change(c.cases_resolved, p.cases_resolved), absolute_url("case_list")),
        ]
        subject = _("%(workspace)s: the week of %(period)s") % {
            "workspace": workspace.name, "period": period}
        context = {"workspace": workspace, "lines": lines, "period": period,
                   "long_period": long_period, "dashboard": dashboard, "language": language,
                   "profile": absolute_url("profile"), "subject": subject}
        text = render_to_string("insights/email/weekly_report.txt", context)
        html = render_to_string("insights/email/weekly_report.html", context)
    return subject, text, html
