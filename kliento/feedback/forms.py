from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kliento.feedback.models import Channel, Polarity

PERIODS = [("", _("Any time")), ("1", _("Last 24 hours")), ("7", _("Last 7 days")),
           ("30", _("Last 30 days")), ("90", _("Last 90 days"))]


class FeedFilterForm(forms.Form):
    polarity = forms.ChoiceField(label=_("Polarity"), required=False,
                                 choices=[("", _("Any")), *Polarity.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any")), *Channel.choices])
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    agent = forms.TypedChoiceField(label=_("Agent"), required=False, coerce=int,
                                   empty_value=None)
    period = forms.ChoiceField(label=_("Period"), required=False, choices=PERIODS)

    def __init__(self, *args: object, teams: list[tuple[int, str]],
                 agents: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = [("", _("Any")), *teams]  # type: ignore[attr-defined]
        self.fields["agent"].choices = [("", _("Any")), *agents]  # type: ignore[attr-defined]
