from __future__ import annotations

import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kliento.alerts.models import AlertChannel
from kliento.core.models import Membership, Team
from kliento.recovery.models import Playbook, Priority, StepKind
from kliento.recovery.setup import MAX_DUE_MINUTES, Level, StepInput


class PlaybookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    team = forms.ModelChoiceField(label=_("Used for the cases of the team"), required=False,
                                  queryset=Team.objects.none(), empty_label="—")
    is_default = forms.BooleanField(
        label=_("The workspace's default"), required=False,
        help_text=_("Cases of teams without their own playbook, and rules without one, use "
                    "the default."))

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.for_workspace(workspace)  # type: ignore[attr-defined]


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StepKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    due_hours = forms.DecimalField(
        label=_("Due after (business hours)"), min_value=Decimal(0), decimal_places=2,
        max_value=Decimal(MAX_DUE_MINUTES // 60), widget=forms.NumberInput(attrs={"step": "0.25"}))
    optional = forms.BooleanField(label=_("Optional"), required=False)

    def step(self) -> StepInput:
        d = self.cleaned_data
        return StepInput(kind=d["kind"], title=d["title"],
                         due_minutes=int(d["due_hours"] * 60), optional=d["optional"])


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, can_order=True,
                                    max_num=30, validate_max=True)


def steps_from(formset: Any) -> list[StepInput]:
    """The kept rows of a valid step formset, in the order the manager gave (rows without
    a number last); empty extra rows are left out."""
    return [f.step() for f in formset.ordered_forms]


def initial_steps(playbook: Playbook | None) -> list[dict[str, Any]]:
    if playbook is None:
        return []
    return [{"kind": s.key, "title": s.title, "due_hours": Decimal(s.due_minutes) / 60,
             "optional": s.optional, "ORDER": s.position} for s in playbook.steps.all()]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.full_name or obj.user.email)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    manager = MemberChoiceField(label=_("Manager"), required=False,
                                queryset=Membership.objects.none(), empty_label="—")
    time_zone = forms.ChoiceField(
        label=_("Time zone"), required=False,
        choices=[("", _("The workspace's")),
                 *[(z, z) for z in sorted(zoneinfo.available_timezones())]])
    own_hours = forms.BooleanField(label=_("The team keeps its own business hours"),
                                   required=False)
    business_hours = forms.CharField(
        label=_("Business hours"), widget=forms.Textarea(attrs={"rows": 7}), required=False,
        help_text=_("One weekday per line: mon, tue, wed, thu, fri, sat, sun, then the hours, "
                    "e.g. “mon 08:00-12:00, 13:00-17:00”."))
    closed_days = forms.CharField(
        label=_("The team's own closed days"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Besides national holidays and the workspace's closed days; one per "
                    "line, e.g. “2026-12-24 Christmas Eve”."))

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.for_workspace(workspace).select_related("user"))


class LevelsForm(forms.Form):
    """First contact and resolution targets (business minutes) and the warning, per
    priority."""

    def __init__(self, *args: Any, levels: list[Level], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for level in levels:
            label = Priority(level.priority).label
            p = level.priority
            self.fields[f"first-{p}"] = forms.IntegerField(
                label=label, min_value=1, max_value=MAX_DUE_MINUTES,
                initial=level.first_contact_minutes)
            self.fields[f"total-{p}"] = forms.IntegerField(
                label=label, min_value=1, max_value=MAX_DUE_MINUTES,
                initial=level.resolution_minutes)
            self.fields[f"warn-{p}"] = forms.IntegerField(
                label=label, min_value=1, max_value=99, initial=level.warn_percent)

    def rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [(Priority(p).label, self[f"first-{p}"], self[f"total-{p}"], self[f"warn-{p}"])
                for p in Priority.values]

    def levels(self) -> list[Level]:
        d = self.cleaned_data
        return [Level(p, d[f"first-{p}"], d[f"total-{p}"], d[f"warn-{p}"])
                for p in Priority.values]


class RouteForm(forms.Form):
    warning_channels = forms.ModelMultipleChoiceField(
        label=_("Before a deadline, and when a promise is overdue"), required=False,
        queryset=AlertChannel.objects.none(), widget=forms.CheckboxSelectMultiple)
    breach_channels = forms.ModelMultipleChoiceField(
        label=_("At a breach, and when a promise is still not kept hours later"),
        required=False, queryset=AlertChannel.objects.none(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("warning_channels", "breach_channels"):
            self.fields[name].queryset = AlertChannel.objects.for_workspace(workspace)  # type: ignore[attr-defined]
