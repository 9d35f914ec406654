from __future__ import annotations

from datetime import timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.forms import errors_to_form
from kliento.core.models import Role
from kliento.insights import dashboard as page
from kliento.insights.causes import WORD_OF_MOUTH_SOURCE
from kliento.insights.export import table_response
from kliento.insights.forms import PERIOD_PRESETS, ContactTargetForm, DashboardForm
from kliento.insights.services import set_contact_target, settings_of


@member_required(Role.AGENT)
def insights_dashboard(request: WorkspaceRequest) -> HttpResponse:
    """Where service breaks and why, for the filters in the URL; an agent sees their own
    figures and their teams'. A bad filter is named and nothing is shown."""
    ws = request.workspace
    scope = page.Scope.of(request.membership)
    form = DashboardForm(request.GET, workspace=ws, only=scope.only)
    context: dict[str, Any] = {"form": form, "nav": "insights", "scope": scope,
                               "word_of_mouth_source": WORD_OF_MOUTH_SOURCE}
    if not form.is_valid():
        return render(request, "insights/dashboard.html", context, status=400)
    context.update(page.build(ws, form, scope))
    query = form.params()
    context.update({
        "query": query, "query_string": urlencode(query),
        "presets": [(days, _preset(form, days)) for days in PERIOD_PRESETS],
        "target": settings_of(ws),
        "intervals": [(key, name, form.params(interval=key)) for key, name in (
            ("day", _("Day")), ("week", _("Week")), ("month", _("Month")))],
        "breakdowns": [(key, page.BREAKDOWNS[key], form.params(breakdown=key))
                       for key in context["splits"]],
    })
    return render(request, "insights/dashboard.html", context)


def _preset(form: DashboardForm, days: int) -> dict[str, str]:
    until = form.cleaned_data["until"]
    return form.params(**{"from": (until - timedelta(days=days - 1)).isoformat()})


@member_required(Role.AGENT)
def insights_export(request: WorkspaceRequest, panel: str, format: str) -> HttpResponse:
    """One table of the page, for the same filters and the same member, as CSV or XLSX."""
    scope = page.Scope.of(request.membership)
    form = DashboardForm(request.GET, workspace=request.workspace, only=scope.only)
    if not form.is_valid():
        return HttpResponse("\n".join(f"{name}: {' '.join(str(e) for e in errors)}"
                                      for name, errors in form.errors.items()),
                            status=400, content_type="text/plain; charset=utf-8")
    built = page.build(request.workspace, form, scope)
    tables = page.tables(built)
    if panel not in tables:
        raise Http404
    headers, rows = tables[panel]
    d = form.cleaned_data
    # member_required is typed for HttpResponse; a streamed one serves as well.
    return cast(HttpResponse, table_response(
        rows, headers, f"kliento-{panel}-{d['since']}-{d['until']}", format))


@member_required(Role.MANAGER)
def insights_settings(request: WorkspaceRequest) -> HttpResponse:
    """The close-the-loop goal: contact this share of unhappy voices within these hours."""
    current = settings_of(request.workspace)
    form = ContactTargetForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            set_contact_target(workspace=request.workspace, actor=request.membership,
                               hours=form.cleaned_data["contact_target_hours"],
                               percent=form.cleaned_data["contact_target_percent"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("insights_settings")
    return render(request, "insights/settings.html", {
        "form": form, "section": "insights", "word_of_mouth_source": WORD_OF_MOUTH_SOURCE},
        status=422 if form.errors else 200)
