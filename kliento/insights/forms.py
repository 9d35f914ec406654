from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.models import Membership, Team, Workspace
from kliento.feedback.filters import VoiceSelection
from kliento.feedback.models import Channel
from kliento.insights.causes import INTERVALS, POLARITIES
from kliento.insights.closing import GROUPINGS
from kliento.insights.models import InsightsSettings

DEFAULT_DAYS = 30
MAX_DAYS = 731


class SelectionForm(forms.Form):
    """The Insights filters as query parameters (`from`, `to`, `team`, `agent`, `channel`,
    `by`, `interval`, `polarity`); a bad one is an error naming it."""

    team = forms.IntegerField(required=False)
    agent = forms.IntegerField(required=False)
    channel = forms.ChoiceField(required=False, choices=[("", ""), *Channel.choices])
    by = forms.ChoiceField(required=False, choices=[(g, g) for g in GROUPINGS])
    interval = forms.ChoiceField(required=False, choices=[(i, i) for i in INTERVALS])
    polarity = forms.ChoiceField(required=False, choices=[(p, p) for p in POLARITIES])

    def __init__(self, data: Any, *, workspace: Workspace) -> None:
        super().__init__(data)
        self.workspace = workspace
        # `from` is a Python keyword: the field is added by name.
        self.fields["from"] = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
        self.fields["to"] = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_team(self) -> int | None:
        team = self.cleaned_data["team"]
        if team is not None and not Team.objects.for_workspace(self.workspace).filter(
                pk=team).exists():
            raise forms.ValidationError(_("No team of this workspace has this id."))
        return team

    def clean_agent(self) -> int | None:
        agent = self.cleaned_data["agent"]
        if agent is not None and not Membership.objects.for_workspace(self.workspace).filter(
                user_id=agent).exists():
            raise forms.ValidationError(_("No member of this workspace has this id."))
        return agent

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.now().astimezone(ZoneInfo(self.workspace.time_zone)).date()
        until: date = data.get("to") or today
        since: date = data.get("from") or until - timedelta(days=DEFAULT_DAYS - 1)
        if "from" not in self.errors and "to" not in self.errors:
            if since > until:
                self.add_error("from", _("The period starts after it ends."))
            elif (until - since).days >= MAX_DAYS:
                self.add_error("from", _("The period is at most two years."))
        data["since"], data["until"] = since, until
        return data

    def selection(self) -> VoiceSelection:
        d = self.cleaned_data
        return VoiceSelection(since=d["since"], until=d["until"], team_id=d.get("team"),
                              agent_id=d.get("agent"), channel=d.get("channel") or "")


class ContactTargetForm(forms.ModelForm):
    class Meta:
        model = InsightsSettings
        fields = ["contact_target_hours", "contact_target_percent"]
