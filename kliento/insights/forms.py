from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


PERIOD_PRESETS = (7, 30, 90, 365)


class DashboardForm(SelectionForm):
    """The Insights page's filters, kept in the URL so a view can be bookmarked and shared:
    the period (`from`, `to`), `team`, `agent`, `channel`, `language`, `survey`,
    `customer_tag`, `vip` and the trend's `interval`. Every choice is read in one query
    per list, whatever the data."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    survey = forms.TypedChoiceField(label=_("Survey"), required=False, coerce=int,
                                    empty_value=None)
    customer_tag = forms.ChoiceField(label=_("Customer tag"), required=False)
    vip = forms.ChoiceField(label=_("VIP"), required=False, choices=[
        ("", _("Any customer")), ("yes", _("VIP only")), ("no", _("Not VIP"))])
    breakdown = forms.ChoiceField(label=_("Breakdown by"), required=False, choices=[
        ("", _("Team")), ("team", _("Team")), ("agent", _("Agent")), ("channel", _("Channel")),
        ("language", _("Language")), ("survey", _("Survey")), ("theme", _("Theme"))],
        widget=forms.HiddenInput)

    def __init__(self, data: Any, *, workspace: Workspace,
                 only: tuple[int, frozenset[int]] | None = None) -> None:
        """`only`: an agent's (user id, team ids), the one agent and the teams offered."""
        from django.conf import settings

        from kliento.customers.models import Tag
        from kliento.surveys.models import Survey

        super().__init__(data, workspace=workspace)
        any_ = ("", _("Any"))
        teams_qs = Team.objects.for_workspace(workspace)
        members = Membership.objects.for_workspace(workspace)
        if only is not None:
            teams_qs = teams_qs.filter(pk__in=only[1])
            members = members.filter(user_id=only[0])
        teams = list(teams_qs.values_list("pk", "name"))
        agents = [(m.user_id, str(m.user)) for m in members.select_related("user").order_by(
            "user__full_name", "user__email")]
        self.fields["team"] = forms.TypedChoiceField(
            label=_("Team"), required=False, coerce=int, empty_value=None,
            choices=[any_, *teams])
        self.fields["agent"] = forms.TypedChoiceField(
            label=_("Agent"), required=False, coerce=int, empty_value=None,
            choices=[any_, *agents])
        self.fields["channel"].label = _("Channel")
        self.fields["channel"].choices = [any_, *Channel.choices]  # type: ignore[attr-defined]
        self.fields["interval"].label = _("Trend by")
        self.fields["interval"].choices = [  # type: ignore[attr-defined]
            ("", _("Automatic")), ("day", _("Day")), ("week", _("Week")),
            ("month", _("Month"))]
        self.fields["language"].choices = [any_, *settings.LANGUAGES]  # type: ignore[attr-defined]
        self.fields["survey"].choices = [  # type: ignore[attr-defined]
            any_, *Survey.objects.for_workspace(workspace).values_list("pk", "name")]
        self.fields["customer_tag"].choices = [any_, *(  # type: ignore[attr-defined]
            (name, name) for name in Tag.objects.for_workspace(workspace).values_list(
                "name", flat=True))]
        self.fields["from"].label = pgettext_lazy("period", "From")
        self.fields["to"].label = pgettext_lazy("period", "To")
        for name in ("from", "to"):
            self.fields[name].widget = forms.DateInput(format="%Y-%m-%d",
                                                       attrs={"type": "date"})
        self.team_names = dict(teams)
        self.agent_names = dict(agents)
        # The page never reads these two of the API's parameters.
        del self.fields["by"], self.fields["polarity"]

    # The choices already hold only this workspace's teams and members.
    def clean_team(self) -> int | None:
        return self.cleaned_data["team"]

    def clean_agent(self) -> int | None:
        return self.cleaned_data["agent"]

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.errors:
            # Show the period the figures are for, also when the URL left it to the default.
            self.data = {**dict(self.data.items()), "from": self.cleaned_data["since"].isoformat(),
                         "to": self.cleaned_data["until"].isoformat()}

    def trend_interval(self) -> str:
        """The trend's interval: as chosen, else days up to a month, weeks up to half a
        year, months beyond."""
        chosen = self.cleaned_data.get("interval")
        if chosen:
            return str(chosen)
        days = (self.cleaned_data["until"] - self.cleaned_data["since"]).days + 1
        return "day" if days <= 31 else "week" if days <= 183 else "month"

    def params(self, **changes: Any) -> dict[str, str]:
        """The page's own query parameters (for links that keep the view), with `changes`."""
        d = self.cleaned_data
        values: dict[str, Any] = {
            "from": d["since"].isoformat(), "to": d["until"].isoformat(), "team": d.get("team"),
            "agent": d.get("agent"), "channel": d.get("channel"), "language": d.get("language"),
            "survey": d.get("survey"), "customer_tag": d.get("customer_tag"),
            "vip": d.get("vip"), "interval": d.get("interval"),
            "breakdown": d.get("breakdown"), **changes}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}
