"""Case pages: the list (mine, team, overdue first), one case beside the customer's timeline,
and the recovery settings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento import loop
from kliento.alerts.models import AlertRule
from kliento.core import services as core_services
from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.forms import errors_to_form
from kliento.core.models import Membership, Role, Team, Workspace
from kliento.feedback.models import Feedback
from kliento.recovery import services, setup
from kliento.recovery.forms import (
    LevelsForm,
    PlaybookForm,
    RouteForm,
    StepFormSet,
    TeamForm,
    initial_steps,
    steps_from,
)
from kliento.recovery.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    CaseStep,
    NoticeRoute,
    Playbook,
    Priority,
    Promise,
    ReplyTemplate,
    RootCause,
    StepState,
)
from kliento.recovery.report import recovery_report
from kliento.timeline import timeline


@member_required()
def case_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    view = request.GET.get("view", "mine")
    qs = (Case.objects.for_workspace(ws)
          .select_related("customer", "owner", "team", "root_cause"))
    if view == "mine":
        qs = qs.filter(owner=request.user, status__in=OPEN_STATUSES)
    elif view == "team":
        teams = request.membership.teams.all()
        qs = qs.filter(team__in=teams, status__in=OPEN_STATUSES)
    elif view == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    now = timezone.now()
    g = request.GET
    priority = g.get("priority", "") if g.get("priority") in Priority.values else ""
    status = g.get("status", "") if g.get("status") in CaseStatus.values else ""
    team = g.get("team", "") if g.get("team", "").isdigit() else ""
    overdue = g.get("overdue") == "1"
    if priority:
        qs = qs.filter(priority=priority)
    if status:
        qs = qs.filter(status=status)
    if team:
        qs = qs.filter(team_id=int(team))
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES).filter(
            Q(resolution_breached=True) | Q(resolution_due__lte=now)
            | Q(first_contact_at__isnull=True, first_contact_due__lte=now))
    # Breached first, then what is due soonest (cases without a deadline last).
    qs = qs.order_by("-resolution_breached", F("resolution_due").asc(nulls_last=True),
                     "opened_at")
    page = Paginator(qs, 50).get_page(g.get("page"))
    query = urlencode({"view": view, "priority": priority, "status": status, "team": team,
                       "overdue": "1" if overdue else ""})
    return render(request, "recovery/list.html", {
        "page": page, "view": view, "priority": priority, "priorities": Priority.choices,
        "status": status, "statuses": CaseStatus.choices, "team": team, "overdue": overdue,
        "teams": Team.objects.for_workspace(ws), "now": now, "nav": "cases", "query": query})


def _case(request: WorkspaceRequest, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.for_workspace(request.workspace).select_related(
            "customer", "owner", "team", "root_cause", "feedback", "follow_up"), pk=pk)


@member_required()
def case_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    ws = request.workspace
    steps = list(case.steps.select_related("done_by"))
    return render(request, "recovery/detail.html", {
        "case": case, "entries": timeline(case.customer), "nav": "cases",
        "open_case": case if case.is_open else services.open_case_of(case.customer),
        "steps": steps, "promises": case.promises.select_related("owner"),
        "outcomes": case.outcomes.select_related("feedback"),
        # The reply form offers the template of the next step to do.
        "next_step": next((s for s in steps if s.state == StepState.OPEN), None),
        "templates": ReplyTemplate.objects.for_workspace(ws),
        "root_causes": RootCause.objects.for_workspace(ws).filter(is_active=True),
        "members": Membership.objects.for_workspace(ws).select_related("user"),
        "statuses": [(v, label) for v, label in CaseStatus.choices if v in OPEN_STATUSES],
        "priorities": Priority.choices, "now": timezone.now(),
    })


@member_required(Role.AGENT)
@require_POST
def case_action(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Every change to a case from its page: one form per action."""
    case = _case(request, pk)
    action = request.POST.get("action", "")
    p = request.POST
    try:
        if action == "step":
            step = get_object_or_404(CaseStep.objects.filter(case=case), pk=p.get("step"))
            services.complete_step(case=case, step=step, user=request.user,
                                   note=p.get("note", ""), skip="skip" in p)
        elif action == "promise":
            due = parse_datetime(p.get("due_at", ""))
            if due is None:
                raise ValidationError({"due_at": _("Give the date and time it is due.")})
            if timezone.is_naive(due):
                due = timezone.make_aware(due)
            services.add_promise(case=case, owner=request.user,
                                 description=p.get("description", ""), due_at=due)
        elif action in ("kept", "broken"):
            promise = get_object_or_404(Promise.objects.filter(case=case), pk=p.get("promise"))
            services.settle_promise(promise=promise, kept=action == "kept")
        elif action == "reply":
            loop.reply_to_case(case=case, agent=request.user, template_key=p.get("template", ""),
                               subject=p.get("subject", ""), body=p.get("body", ""))
            messages.success(request, _("Reply queued for sending."))
        elif action == "update":
            owner = None
            if p.get("owner"):
                owner = get_object_or_404(Membership.objects.for_workspace(case.workspace),
                                          user_id=p.get("owner")).user
            services.update_case(case=case, changes=services.CaseChanges(
                owner=owner, priority=p.get("priority") or None,
                status=p.get("status") or None,
                compensation_kind=p.get("compensation_kind"),
                compensation_value=_decimal(p.get("compensation_value", "")),
                prevention=p.get("prevention")))
        elif action == "resolve":
            services.resolve(case=case, user=request.user)
            messages.success(request, _("Case resolved; the follow-up survey goes out in "
                                        "three days."))
        elif action == "close":
            services.close(case=case, root_cause_key=p.get("root_cause", ""),
                           prevention=p.get("prevention"),
                           root_cause_confirmed="root_cause_confirmed" in p)
            messages.success(request, _("Case closed."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("case_detail", pk=case.pk)


def _decimal(raw: str) -> Decimal | None:

    if not raw.strip():
        return None
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValidationError({"compensation_value": _("Write the value as a number.")}) \
            from None


@member_required(Role.AGENT)
@require_POST
def open_from_feedback(request: WorkspaceRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(Feedback.objects.for_workspace(request.workspace), pk=pk)
    case = loop.open_case_by_hand(feedback=feedback, owner=request.user)
    return redirect("case_detail", pk=case.pk)


@member_required(Role.MANAGER)
def recovery_settings(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's service levels and notice route, playbooks, root causes, templates."""
    ws = request.workspace
    actor = request.membership
    p = request.POST if request.method == "POST" else None
    action = p.get("action") if p else None
    current, _own = setup.levels_of(ws)
    levels = LevelsForm(p if action == "sla" else None, levels=current, prefix="sla")
    route = setup.route_of(ws)
    route_form = RouteForm(p if action == "route" else None, workspace=ws, prefix="route",
                           initial=_route_initial(route))
    if p is not None:
        try:
            if action == "sla":
                if levels.is_valid():
                    setup.set_levels(workspace=ws, actor=actor, levels=levels.levels())
                    messages.success(request, _("Service levels saved."))
                    return redirect("recovery_settings")
            elif action == "route":
                if route_form.is_valid():
                    _save_route(ws, actor, route_form)
                    messages.success(request, _("Saved."))
                    return redirect("recovery_settings")
            elif action == "cause":
                setup.add_root_cause(workspace=ws, actor=actor, name=p.get("name", ""))
                messages.success(request, _("Root cause added."))
                return redirect("recovery_settings")
            elif action in ("retire", "restore"):
                cause = get_object_or_404(RootCause.objects.for_workspace(ws), pk=p.get("cause"))
                setup.set_root_cause_active(cause=cause, actor=actor, active=action == "restore")
                return redirect("recovery_settings")
            elif action == "template":
                template = get_object_or_404(ReplyTemplate.objects.for_workspace(ws),
                                             pk=p.get("template"))
                setup.save_template_text(template=template, actor=actor,
                                         language=p.get("language", ""),
                                         subject=p.get("subject", ""), body=p.get("body", ""))
                messages.success(request, _("Template saved."))
                return redirect("recovery_settings")
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            if action in ("sla", "route"):
                errors_to_form(levels if action == "sla" else route_form, exc)
            else:
                for m in exc.messages:
                    messages.error(request, m)
    return render(request, "recovery/settings.html", {
        "levels": levels, "route_form": route_form,
        "playbooks": Playbook.objects.for_workspace(ws).select_related("team")
        .prefetch_related("steps"),
        "causes": RootCause.objects.for_workspace(ws),
        "templates": ReplyTemplate.objects.for_workspace(ws), "section": "recovery",
        "teams": Team.objects.for_workspace(ws).select_related("manager"),
        "languages": settings.LANGUAGES})


def _route_initial(route: NoticeRoute | None) -> dict[str, Any]:
    if route is None:
        return {}
    return {"warning_channels": list(route.warning_channels.all()),
            "breach_channels": list(route.breach_channels.all())}


def _save_route(ws: Workspace, actor: Membership, form: RouteForm,
                team: Team | None = None) -> None:
    d = form.cleaned_data
    setup.set_route(workspace=ws, actor=actor, team=team,
                    warning_ids=[c.pk for c in d["warning_channels"]],
                    breach_ids=[c.pk for c in d["breach_channels"]])


@member_required(Role.MANAGER)
def playbook_edit(request: WorkspaceRequest, pk: int | None = None) -> HttpResponse:
    """A playbook's name, team, default flag and ordered steps."""
    ws = request.workspace
    playbook = get_object_or_404(Playbook.objects.for_workspace(ws), pk=pk) if pk else None
    p = request.POST if request.method == "POST" else None
    if p is not None and p.get("action") == "delete" and playbook is not None:
        try:
            setup.delete_playbook(playbook=playbook, actor=request.membership)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            return redirect("playbook_edit", pk=playbook.pk)
        messages.success(request, _("Playbook deleted."))
        return redirect("recovery_settings")
    form = PlaybookForm(p, workspace=ws, initial={
        "name": playbook.name, "team": playbook.team, "is_default": playbook.is_default,
    } if playbook else {})
    steps = StepFormSet(p, prefix="steps", initial=initial_steps(playbook))
    if p is not None and form.is_valid() and steps.is_valid():
        d = form.cleaned_data
        try:
            saved = setup.save_playbook(
                workspace=ws, actor=request.membership, playbook=playbook, name=d["name"],
                team=d["team"], is_default=d["is_default"], steps=steps_from(steps))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Playbook saved."))
            return redirect("playbook_edit", pk=saved.pk)
    return render(request, "recovery/playbook.html", {
        "form": form, "steps": steps, "playbook": playbook, "section": "recovery",
        "rules": AlertRule.objects.for_workspace(ws).filter(playbook=playbook)
        if playbook else []})


@member_required(Role.MANAGER)
def team_settings(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """One team: its name and manager, its calendar, its service levels, who hears of its
    deadlines, and its playbook."""
    ws = request.workspace
    actor = request.membership
    team = get_object_or_404(Team.objects.for_workspace(ws).select_related("manager"), pk=pk)
    p = request.POST if request.method == "POST" else None
    action = p.get("action") if p else None
    hours_text, closed_text = core_services.team_hours_text(team)
    manager = Membership.objects.for_workspace(ws).filter(user=team.manager).first() \
        if team.manager else None
    team_form = TeamForm(p if action == "team" else None, workspace=ws, prefix="team", initial={
        "name": team.name, "manager": manager, "time_zone": team.time_zone,
        "own_hours": team.business_hours is not None, "business_hours": hours_text,
        "closed_days": closed_text})
    current, own = setup.levels_of(ws, team)
    levels = LevelsForm(p if action == "sla" else None, levels=current, prefix="sla")
    route = setup.route_of(ws, team)
    route_form = RouteForm(p if action == "route" else None, workspace=ws, prefix="route",
                           initial=_route_initial(route))
    try:
        if action == "team" and team_form.is_valid():
            d = team_form.cleaned_data
            with transaction.atomic():
                core_services.update_team(team=team, actor=actor, name=d["name"],
                                          manager=d["manager"].user if d["manager"] else None)
                loop.set_team_hours(
                    team=team, actor=actor, time_zone=d["time_zone"], own_hours=d["own_hours"],
                    hours_text=d["business_hours"], closed_text=d["closed_days"])
            messages.success(request, _("Team saved."))
            return redirect("team_settings", pk=team.pk)
        if action == "sla" and levels.is_valid():
            inherit = p is not None and "inherit" in p
            setup.set_levels(workspace=ws, actor=actor, team=team,
                             levels=None if inherit else levels.levels())
            messages.success(request, _("Service levels saved."))
            return redirect("team_settings", pk=team.pk)
        if action == "route" and route_form.is_valid():
            _save_route(ws, actor, route_form, team)
            messages.success(request, _("Saved."))
            return redirect("team_settings", pk=team.pk)
    except ValidationError as exc:
        errors_to_form({"team": team_form, "sla": levels, "route": route_form}[action or "team"],
                   exc)
    team.refresh_from_db()
    return render(request, "recovery/team.html", {
        "team": team, "team_form": team_form, "levels": levels, "own_levels": own,
        "route_form": route_form, "section": "members",
        "playbook": Playbook.objects.for_workspace(ws).filter(team=team).first(),
        "default_playbook": services.playbook_for(ws)})


REPORT_PERIODS = (7, 30, 90, 365)


@member_required()
def report(request: WorkspaceRequest) -> HttpResponse:
    """Promises kept and broken, service levels met, customers won back, root causes."""
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() else 30
    if days not in REPORT_PERIODS:
        days = 30
    now = timezone.now()
    figures = recovery_report(request.workspace, now - timedelta(days=days), now)
    return render(request, "recovery/report.html", {
        "r": figures, "days": days, "periods": REPORT_PERIODS, "nav": "cases",
        "recovery_tables": [
            (_("By team"), figures.recoveries_by_team, "recoveries-by-team"),
            (_("By owner"), figures.recoveries_by_owner, "recoveries-by-owner")]})
