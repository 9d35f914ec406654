from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.models import Membership, Role, Team
from kliento.core.urls_util import safe_next
from kliento.feedback.filters import filter_voices
from kliento.feedback.forms import FeedFilterForm
from kliento.feedback.judging import (
    MIN_CORRECTIONS_TO_RETRAIN,
    revert_to_shipped,
    save_theme,
    start_retraining,
)
from kliento.feedback.models import Classifier, Correction, RetrainState, Theme
from kliento.feedback.services import FeedFilter, feed
from kliento.loop import correct_feedback as correct

FEED_SIZE = 50


@member_required()
def feed_page(request: WorkspaceRequest) -> HttpResponse:
    """The live feed; HTMX polls it and swaps in the list alone."""
    ws = request.workspace
    teams = [(t.pk, t.name) for t in Team.objects.for_workspace(ws)]
    agents = [(m.user_id, str(m.user)) for m in
              Membership.objects.for_workspace(ws).select_related("user")]
    form = FeedFilterForm(request.GET or None, teams=teams, agents=agents)
    f = FeedFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = FeedFilter(polarity=d["polarity"], channel=d["channel"], team_id=d["team"],
                       agent_id=d["agent"])
        if d["period"]:
            f.since = timezone.now() - timedelta(days=int(d["period"]))
    try:
        voices = filter_voices(feed(ws, f), ws, request.GET)
    except ValidationError as exc:
        voices = feed(ws, f).none()
        for name, errors in exc.message_dict.items():
            messages.error(request, f"{name}: {' '.join(errors)}")
    items = list(voices[:FEED_SIZE])
    context = {"form": form, "items": items, "nav": "feed", "query": request.GET.urlencode()}
    if request.htmx:
        return render(request, "feedback/_feed_items.html", context)
    return render(request, "feedback/feed.html", context)


@member_required(Role.AGENT)
@require_POST
def correct_feedback(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Correct what text analysis made of a feedback; answers the updated item for HTMX."""
    feedback = get_object_or_404(feed(request.workspace, FeedFilter()), pk=pk)
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
