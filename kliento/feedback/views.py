from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.models import Membership, Role, Team
from kliento.core.tabular import FORMATS
from kliento.core.urls_util import safe_next
from kliento.feedback import exports
from kliento.feedback.filters import FeedbackFilter, FilterError, feedback_list
from kliento.feedback.forms import FeedFilterForm
from kliento.feedback.judging import (
    MIN_CORRECTIONS_TO_RETRAIN,
    revert_to_shipped,
    save_theme,
    start_retraining,
    theme_names,
)
from kliento.feedback.models import (
    Classifier,
    Correction,
    Export,
    ExportState,
    Feedback,
    RetrainState,
    Theme,
)
from kliento.loop import correct_feedback as correct
from kliento.recovery.models import RootCause
from kliento.surveys.models import Survey

FEED_SIZE = 50


def as_response(response: HttpResponseBase) -> HttpResponse:
    # member_required is typed for HttpResponse; streamed and file responses serve as well.
    return cast(HttpResponse, response)


def filter_form(request: WorkspaceRequest) -> FeedFilterForm:
    """The feedback list's filters with their choices; a fixed number of queries."""
    ws = request.workspace
    request.theme_names = theme_names(ws)  # type: ignore[attr-defined]
    return FeedFilterForm(
        request.GET, workspace=ws,
        teams=[(t.pk, t.name) for t in Team.objects.for_workspace(ws)],
        agents=[(m.user_id, str(m.user)) for m in
                Membership.objects.for_workspace(ws).select_related("user")],
        surveys=list(Survey.objects.for_workspace(ws).values_list("pk", "name")),
        themes=list(request.theme_names.items()),  # type: ignore[attr-defined]
        root_causes=list(RootCause.objects.for_workspace(ws).values_list("key", "name")),
    )


@member_required()
def feed_page(request: WorkspaceRequest) -> HttpResponse:
    """The feedback list, live: HTMX polls it and swaps in the list alone.

    Its filters (kliento.feedback.filters) are the dashboard's: a figure links here and the
    count shown equals the figure. A bad parameter shows its error and lists nothing."""
    ws = request.workspace
    form = filter_form(request)
    valid = form.is_valid()
    items: list[object] = []
    count = 0
    if valid:
        voices = feedback_list(ws, form.filter)
        count = voices.count()
        items = list(voices[:FEED_SIZE])
    query = form.filter.querystring() if valid else ""
    context = {"form": form, "items": items, "count": count, "nav": "feed", "valid": valid,
               "query": query}
    status = 200 if valid else 400
    if request.htmx:
        return render(request, "feedback/_feed_items.html", context, status=status)
    return render(request, "feedback/feed.html", context, status=status)


def _filter_or_400(request: WorkspaceRequest) -> FeedbackFilter | HttpResponse:
    try:
        return FeedbackFilter.from_params(request.GET, request.workspace)
    except FilterError as exc:
        lines = [f"{name}: {' '.join(m for e in errors for m in e.messages)}"
                 for name, errors in exc.error_dict.items()]
        return HttpResponse("\n".join(lines), status=400,
                            content_type="text/plain; charset=utf-8")


@member_required()
def export_feedback(request: WorkspaceRequest, format: str) -> HttpResponse:
    """The feedback list with its filters as CSV or XLSX: streamed, or a task when large."""
    if format not in FORMATS:
        raise Http404
    f = _filter_or_400(request)
    if isinstance(f, HttpResponse):
        return f
    ws = request.workspace
    total = exports.matching(ws, f).count()
    if exports.is_large(total):
        export = exports.start_export(workspace=ws, actor=request.user, f=f, format=format,
                                      total=total)
        return redirect("feedback_export", pk=export.pk)
    return as_response(exports.stream(ws, f, format))


@member_required()
def export_progress(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """A large export's progress; HTMX polls it until the download link shows."""
    export = get_object_or_404(Export.objects.for_workspace(request.workspace), pk=pk)
    context = {"export": export, "nav": "feed", "back_query": urlencode(export.params)}
    if request.htmx:
        return render(request, "feedback/_export_progress.html", context)
    return render(request, "feedback/export.html", context)


@member_required()
def export_download(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The file of a finished export, for members of its workspace only."""
    export = get_object_or_404(Export.objects.for_workspace(request.workspace), pk=pk)
    path = exports.path_of(export)
    if export.state != ExportState.DONE or not export.file_name or not path.is_file():
        raise Http404
    return as_response(FileResponse(
        path.open("rb"), as_attachment=True,
        filename=f"{exports.filename(request.workspace)}.{export.format}"))


@member_required(Role.AGENT)
@require_POST
def correct_feedback(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Correct what text analysis made of a feedback; answers the updated item for HTMX."""
    feedback = get_object_or_404(Feedback.objects.for_workspace(request.workspace), pk=pk)
    themes = request.POST.getlist("themes") if "themes_given" in request.POST else None
    try:
        correct(feedback=feedback, user=request.user, polarity=request.POST.get("polarity", ""),
                themes=themes)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    feedback.refresh_from_db()
    if request.htmx:
        return render(request, "feedback/_feedback.html", {"f": feedback})
    return redirect(safe_next(request, "feed"))


@member_required(Role.MANAGER)
def text_settings(request: WorkspaceRequest) -> HttpResponse:
    """Themes, corrections and the workspace's own sentiment classifier."""
    ws = request.workspace
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "retrain":
                start_retraining(workspace=ws)
                messages.success(request, _("Retraining started."))
            elif action == "revert":
                revert_to_shipped(workspace=ws)
                messages.success(request, _("Back to the shipped classifier."))
            elif action == "theme":
                save_theme(workspace=ws, key=request.POST.get("key", ""),
                           name=request.POST.get("name", ""),
                           examples=request.POST.get("examples", "").splitlines(),
                           is_active="is_active" in request.POST)
                messages.success(request, _("Theme saved."))
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        return redirect("text_settings")
    jobs = Classifier.objects.for_workspace(ws).defer("weights")[:5]
    context = {
        "themes": Theme.objects.for_workspace(ws), "jobs": jobs, "section": "text",
        "corrections": Correction.objects.for_workspace(ws).exclude(polarity="").count(),
        "needed": MIN_CORRECTIONS_TO_RETRAIN,
        "running": any(j.state in (RetrainState.QUEUED, RetrainState.RUNNING) for j in jobs),
    }
    if request.htmx:
        return render(request, "feedback/_retrain.html", context)
    return render(request, "feedback/text_settings.html", context)
