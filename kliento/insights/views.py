from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kliento.core.decorators import WorkspaceRequest, member_required
from kliento.core.models import Role
from kliento.insights.causes import WORD_OF_MOUTH_SOURCE
from kliento.insights.forms import ContactTargetForm
from kliento.insights.services import set_contact_target, settings_of


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
            for name, errors in exc.message_dict.items():
                for e in errors:
                    form.add_error(name if name in form.fields else None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("insights_settings")
    return render(request, "insights/settings.html", {
        "form": form, "section": "insights", "word_of_mouth_source": WORD_OF_MOUTH_SOURCE},
        status=422 if form.errors else 200)
