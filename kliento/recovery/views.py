"""Case pages: the list (mine, team, overdue first), one case beside the customer's timeline,
and the recovery settings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento import loop
from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.models import Membership, Role, Team
from kliento.feedback.models import Feedback
from kliento.recovery import services
from kliento.recovery.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    CaseStep,
    Priority,
    Promise,
    ReplyTemplate,
    RootCause,
    SlaPolicy,
)
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
    priority = request.GET.get("priority", "")
    if priority in Priority.values:
        qs = qs.filter(priority=priority)
    now = timezone.now()
    # Breached first, then what is due soonest (cases without a deadline last).
    qs = qs.order_by("-resolution_breached", F("resolution_due").asc(nulls_last=True),
                     "opened_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "recovery/list.html", {
        "page": page, "view": view, "priority": priority, "priorities": Priority.choices,
        "now": now, "nav": "cases", "query": f"view={view}&priority={priority}"})


def _case(request: WorkspaceRequest, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.for_workspace(request.workspace).select_related(
            "customer", "owner", "team", "root_cause", "feedback", "follow_up"), pk=pk)


@member_required()
def case_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    ws = request.workspace
    return render(request, "recovery/detail.html", {
        "case": case, "entries": timeline(case.customer), "nav": "cases",
        "steps": case.steps.select_related("done_by"), "promises": case.promises.all(),
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
                           prevention=p.get("prevention"))
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
    ws = request.workspace
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "sla":
                for priority in Priority.values:
                    first, total = p.get(f"first-{priority}", ""), p.get(f"total-{priority}", "")
                    if not (first.isdigit() and total.isdigit()) or int(first) < 1 or \
                            int(total) < int(first):
                        raise ValidationError(_("Give whole minutes; resolution at least as "
                                                "long as first contact."))
                    SlaPolicy.objects.update_or_create(
                        workspace=ws, team=None, priority=priority,
                        defaults={"first_contact_minutes": int(first),
                                  "resolution_minutes": int(total)})
            elif p.get("action") == "cause":
                from django.utils.text import slugify

                name = p.get("name", "").strip()[:100]
                if not name:
                    raise ValidationError(_("A root cause needs a name."))
                RootCause.objects.get_or_create(workspace=ws,
                                                key=slugify(name).replace("-", "_")[:50],
                                                defaults={"name": name})
            elif p.get("action") == "template":
                template = get_object_or_404(ReplyTemplate.objects.for_workspace(ws),
                                             pk=p.get("template"))
                lang = p.get("language", "")
                template.texts[lang] = {"subject": p.get("subject", "")[:300],
                                        "body": p.get("body", "")[:20_000]}
                template.save(update_fields=["texts"])
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        return redirect("recovery_settings")
    policies = {s.priority: s for s in SlaPolicy.objects.for_workspace(ws).filter(team=None)}
    from kliento.recovery.sla import DEFAULTS

    rows = [(v, label,
             policies[v].first_contact_minutes if v in policies else DEFAULTS[Priority(v)][0],
             policies[v].resolution_minutes if v in policies else DEFAULTS[Priority(v)][1])
            for v, label in Priority.choices]
    return render(request, "recovery/settings.html", {
        "rows": rows, "causes": RootCause.objects.for_workspace(ws),
        "templates": ReplyTemplate.objects.for_workspace(ws), "section": "recovery",
        "teams": Team.objects.for_workspace(ws)})


