from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.models import Membership, Team
from kliento.feedback.forms import FeedFilterForm
from kliento.feedback.services import FeedFilter, feed

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
    items = list(feed(ws, f)[:FEED_SIZE])
    context = {"form": form, "items": items, "nav": "feed", "query": request.GET.urlencode()}
    if request.htmx:
        return render(request, "feedback/_feed_items.html", context)
    return render(request, "feedback/feed.html", context)
