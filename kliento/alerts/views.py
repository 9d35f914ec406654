"""Alert pages: the live list, one alert, acknowledging, channels, rules, policies, deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.alerts import services
from kliento.alerts.forms import ChannelForm, PolicyForm, RuleForm
from kliento.alerts.models import (
    Alert,
    AlertChannel,
    AlertRule,
    AlertState,
    Delivery,
    DeliveryState,
    EscalationPolicy,
)
from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.forms import errors_to_form
from kliento.core.middleware import SESSION_KEY
from kliento.core.models import Membership, Role
from kliento.core.urls_util import safe_next


def _alerts(request: WorkspaceRequest) -> QuerySet[Alert]:
    return (Alert.objects.for_workspace(request.workspace)
            .select_related("customer", "feedback", "rule", "acknowledged_by",
                            "feedback__agent", "feedback__team"))


@member_required()
def alert_list(request: WorkspaceRequest) -> HttpResponse:
    """Open alerts, oldest unacknowledged first; HTMX refreshes the list alone."""
    state = request.GET.get("state", AlertState.OPEN)
    qs = _alerts(request)
    if state in AlertState.values:
        qs = qs.filter(state=state)
    qs = qs.order_by("created_at") if state == AlertState.OPEN else qs.order_by("-created_at")
    page = Paginator(qs.prefetch_related("deliveries__channel", "repeats"), 50).get_page(
        request.GET.get("page"))
    context = {"page": page, "state": state, "nav": "alerts", "query": f"state={state}"}
    if request.htmx:
        return render(request, "alerts/_list.html", context)
    return render(request, "alerts/list.html", context)


@member_required()
def alert_count(request: WorkspaceRequest) -> JsonResponse:
    """For the navigation badge and browser notifications."""
    qs = Alert.objects.for_workspace(request.workspace).filter(state=AlertState.OPEN)
    newest = qs.order_by("-created_at").values_list("pk", flat=True).first()
    return JsonResponse({"open": qs.count(), "newest": newest})


@member_required()
def alert_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(_alerts(request), pk=pk)
    return render(request, "alerts/detail.html", {
        "alert": alert, "nav": "alerts",
        "deliveries": alert.deliveries.select_related("channel"),
        "escalations": alert.escalations.all(), "repeats": alert.repeats.all(),
    })


@member_required(Role.AGENT)
@require_POST
def acknowledge(request: WorkspaceRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.for_workspace(request.workspace), pk=pk)
    if services.acknowledge(alert=alert, user=request.user):
        messages.success(request, _("Alert acknowledged."))
    if request.htmx:
        return alert_list(request)
    return redirect(safe_next(request, "alert_list"))


@login_required
def acknowledge_link(request: WorkspaceRequest, key: str) -> HttpResponse:
    """The link in an alert. GET shows the alert (scanners open links); POST acknowledges."""
    alert = get_object_or_404(Alert.objects.select_related("customer", "feedback", "workspace"),
                              ack_key=key)
    membership = Membership.objects.filter(user=request.user, workspace=alert.workspace).first()
    if membership is None:
        return render(request, "alerts/not_yours.html", status=404)
    if request.session.get(SESSION_KEY) != alert.workspace_id:
        request.session[SESSION_KEY] = alert.workspace_id
    if request.method == "POST":
        if not membership.can(Role.AGENT):
            return HttpResponse(status=403)
        services.acknowledge(alert=alert, user=request.user)
        messages.success(request, _("Alert acknowledged."))
        return redirect("alert_detail", pk=alert.pk)
    return render(request, "alerts/acknowledge.html", {"alert": alert})


@member_required(Role.MANAGER)
def channels(request: WorkspaceRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    ws = request.workspace
    if request.method == "POST":
        action = request.POST.get("action", "create")
        if action in ("test", "on", "off"):
            channel = get_object_or_404(AlertChannel.objects.for_workspace(ws),
                                        pk=request.POST.get("channel"))
            if action == "test":
                delivery = services.send_test(channel=channel)
                return redirect(f"{request.path}?test={delivery.pk}")
            services.set_channel_active(channel=channel, actor=request.membership,
                                        active=action == "on")
            return redirect("alert_channels")
        if form.is_valid():
            try:
                channel = services.create_channel(workspace=ws, actor=request.membership,
                                                  **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("Channel created."))
                if channel.kind == "webhook":
                    messages.info(request, _("Signing secret (shown once): %(secret)s")
                                  % {"secret": channel.secret})
                return redirect("alert_channels")
    test = None
    if request.GET.get("test", "").isdigit():
        test = Delivery.objects.for_workspace(ws).filter(pk=int(request.GET["test"])).first()
    return render(request, "alerts/channels.html", {
        "form": form, "channels": AlertChannel.objects.for_workspace(ws), "test": test,
        "nav": "alerts", "tab": "channels"})


@member_required(Role.MANAGER)
def test_result(request: WorkspaceRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.for_workspace(request.workspace), pk=pk)
    return render(request, "alerts/_test_result.html", {"test": delivery})


@member_required(Role.MANAGER)
def rules(request: WorkspaceRequest) -> HttpResponse:
    qs = (AlertRule.objects.for_workspace(request.workspace)
          .select_related("escalation_policy").prefetch_related("channels"))
    return render(request, "alerts/rules.html", {"rules": qs, "nav": "alerts", "tab": "rules"})


@member_required(Role.MANAGER)
def rule_edit(request: WorkspaceRequest, pk: int | None = None) -> HttpResponse:
    ws = request.workspace
    rule = get_object_or_404(AlertRule.objects.for_workspace(ws), pk=pk) if pk else None
    initial = RuleForm.initial_from(rule) if rule else {"is_active": True, "group_minutes": 0}
    form = RuleForm(request.POST or None, workspace=ws, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if request.POST.get("action") == "preview":
                preview = services.would_have_matched(form.conditions(), ws)
            else:
                saved = services.save_rule(workspace=ws, actor=request.membership,
                                           rule=rule, data=services.RuleInput(
                    name=d["name"], conditions=form.conditions(),
                    channel_ids=[c.pk for c in d["notify"]],
                    escalation_policy_id=d["escalation_policy"].pk
                    if d["escalation_policy"] else None,
                    group_minutes=d["group_minutes"], open_case=d["open_case"],
                    is_active=d["is_active"],
                    playbook_id=d["playbook"].pk if d["playbook"] else None,
                    case_priority=d["case_priority"] or "normal"))
                messages.success(request, _("Rule saved."))
                return redirect("alert_rule_edit", pk=saved.pk)
        except ValidationError as exc:
            errors_to_form(form, exc)
    template = "alerts/_preview.html" if request.htmx and preview else "alerts/rule_edit.html"
    return render(request, template, {"form": form, "rule": rule, "preview": preview,
                                      "nav": "alerts", "tab": "rules"})


@member_required(Role.MANAGER)
def policies(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        by_name = {c.name.lower(): c.pk for c in AlertChannel.objects.for_workspace(ws)}
        levels = []
        try:
            for line in form.cleaned_data["levels"].splitlines():
                if not line.strip():
                    continue
                minutes, _sep, names = line.partition(":")
                ids = []
                for name in (n.strip().lower() for n in names.split(",") if n.strip()):
                    if name not in by_name:
                        raise ValidationError({"levels": _("No channel is called “%(name)s”.")
                                               % {"name": name}})
                    ids.append(by_name[name])
                levels.append((int(minutes.strip()), ids))
            services.save_policy(workspace=ws, actor=request.membership,
                                 name=form.cleaned_data["name"], levels=levels,
                                 business_hours=form.cleaned_data["business_hours"])
        except ValueError:
            form.add_error("levels", _("Start each line with the minutes, e.g. “30: …”."))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Escalation policy saved."))
            return redirect("alert_policies")
    qs = EscalationPolicy.objects.for_workspace(ws).prefetch_related("levels__channels")
    return render(request, "alerts/policies.html", {"form": form, "policies": qs,
                                                    "nav": "alerts", "tab": "policies"})


@member_required()
def deliveries(request: WorkspaceRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    qs = Delivery.objects.for_workspace(request.workspace).select_related("channel", "alert")
    if state in DeliveryState.values:
        qs = qs.filter(state=state)
    if request.method == "POST":
        if not request.membership.can(Role.AGENT):
            return HttpResponse(status=403)
        delivery = get_object_or_404(qs, pk=request.POST.get("delivery"))
        try:
            services.resend(delivery=delivery)
            messages.success(request, _("Delivery queued again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{request.path}?state={state}")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "alerts/deliveries.html", {
        "page": page, "state": state, "states": DeliveryState.choices, "nav": "alerts",
        "tab": "deliveries", "query": f"state={state}"})
