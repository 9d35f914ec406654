from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kliento.conversations.forms import InteractionForm
from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.forms import errors_to_form
from kliento.core.models import Role, Team
from kliento.customers.services import CustomerRef
from kliento.loop import Interaction, log_interaction


@member_required(Role.AGENT)
def log_interaction_view(request: WorkspaceRequest) -> HttpResponse:
    """An agent documents a call, visit, chat or e-mail; the customer is found or created."""
    ws = request.workspace
    teams = list(Team.objects.for_workspace(ws))
    form = InteractionForm(request.POST or None, teams=[(t.pk, t.name) for t in teams],
                           initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            feedback = log_interaction(Interaction(
                workspace=ws, agent=request.user,
                customer=CustomerRef(email=d["email"], phone=d["phone"], name=d["name"]),
                channel=d["channel"], team=next((t for t in teams if t.pk == d["team"]), None),
                subject=d["subject"], note=d["note"], customer_said=d["customer_said"],
                score=d["score"], scale=d["scale"],
            ))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Interaction logged."))
            return redirect("customer_detail", pk=feedback.customer_id)
    return render(request, "conversations/log.html", {"form": form, "nav": "log"})
