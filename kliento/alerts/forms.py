from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kliento.alerts.models import AlertChannel, Audience, ChannelKind, EscalationPolicy
from kliento.core.models import Priority
from kliento.feedback.models import Channel, Polarity, Scale
from kliento.recovery.models import Playbook


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    audience = forms.ChoiceField(label=_("Recipients (e-mail)"), choices=Audience.choices,
                                 required=False)
    target = forms.CharField(label=_("Webhook URL or e-mail addresses"), required=False,
                             max_length=1000)


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    polarity = forms.MultipleChoiceField(label=_("Polarity"), required=False,
                                         choices=Polarity.choices,
                                         widget=forms.CheckboxSelectMultiple)
    max_scale = forms.ChoiceField(label=_("Score on scale"), required=False,
                                  choices=[("", "—"), *Scale.choices])
    max_score = forms.IntegerField(label=_("at or below"), required=False)
    channels = forms.MultipleChoiceField(label=_("Came through"), required=False,
                                         choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Language"), required=False,
                                          choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    tags = forms.CharField(label=_("Customer has any tag"), required=False,
                           help_text=_("Separated by commas."))
    vip = forms.BooleanField(label=_("Only VIP customers"), required=False)
    words = forms.CharField(label=_("Text contains any of"), required=False,
                            help_text=_("Separated by commas."))
    themes = forms.CharField(label=_("Themes (any of)"), required=False,
                             help_text=_("Theme keys separated by commas."))
    text_polarity = forms.MultipleChoiceField(label=_("Sentiment of the text"), required=False,
                                              choices=Polarity.choices,
                                              widget=forms.CheckboxSelectMultiple)
    mixed = forms.BooleanField(label=_("Score and words disagree"), required=False)
    notify = forms.ModelMultipleChoiceField(label=_("Notify"), required=False,
                                            queryset=AlertChannel.objects.none(),
                                            widget=forms.CheckboxSelectMultiple)
    escalation_policy = forms.ModelChoiceField(label=_("Escalation"), required=False,
                                               queryset=EscalationPolicy.objects.none())
    group_minutes = forms.IntegerField(label=_("Group repeats for (minutes)"), initial=0,
                                       min_value=0, max_value=10080)
    open_case = forms.BooleanField(label=_("Open a recovery case"), required=False)
    case_priority = forms.ChoiceField(
        label=_("Priority of the case"), initial=Priority.NORMAL, choices=Priority.choices,
        required=False,
        help_text=_("Raised one level for a VIP and one for the lowest score."))
    playbook = forms.ModelChoiceField(
        label=_("Playbook of the case"), required=False, empty_label=_("The team's, else the "
                                                                       "default"),
        queryset=Playbook.objects.none())

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notify"].queryset = AlertChannel.objects.for_workspace(workspace)  # type: ignore[attr-defined]
        self.fields["escalation_policy"].queryset = (  # type: ignore[attr-defined]
            EscalationPolicy.objects.for_workspace(workspace))
        self.fields["playbook"].queryset = (  # type: ignore[attr-defined]
            Playbook.objects.for_workspace(workspace))

    def conditions(self) -> dict[str, Any]:
        d = self.cleaned_data
        split = [w.strip() for w in d["words"].split(",") if w.strip()]
        out: dict[str, Any] = {
            "polarity": d["polarity"], "channels": d["channels"], "languages": d["languages"],
            "tags": [t.strip().lower() for t in d["tags"].split(",") if t.strip()],
            "vip": d["vip"], "words": split,
            "themes": [t.strip() for t in d["themes"].split(",") if t.strip()],
            "text_polarity": d["text_polarity"], "mixed": d["mixed"],
        }
        if d["max_scale"] and d["max_score"] is not None:
            out["max_score"] = {"scale": d["max_scale"], "score": d["max_score"]}
        return out

    @staticmethod
    def initial_from(rule: Any) -> dict[str, Any]:
        c = rule.conditions
        return {
            "name": rule.name, "is_active": rule.is_active, "polarity": c.get("polarity", []),
            "max_scale": c.get("max_score", {}).get("scale", ""),
            "max_score": c.get("max_score", {}).get("score"), "channels": c.get("channels", []),
            "languages": c.get("languages", []), "tags": ", ".join(c.get("tags", [])),
            "vip": c.get("vip", False), "words": ", ".join(c.get("words", [])),
            "themes": ", ".join(c.get("themes", [])),
            "text_polarity": c.get("text_polarity", []), "mixed": c.get("mixed", False),
            "notify": list(rule.channels.all()), "escalation_policy": rule.escalation_policy,
            "group_minutes": rule.group_minutes, "open_case": rule.open_case,
            "playbook": rule.playbook, "case_priority": rule.case_priority,
        }


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    business_hours = forms.BooleanField(label=_("Count only business hours"), required=False)
    levels = forms.CharField(
        label=_("Levels"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One level per line: minutes without acknowledgement, then the channels' "
                    "names, e.g. “30: Managers by e-mail, Slack #support”."))
