from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kliento.core.models import Workspace
from kliento.feedback.filters import NONE, FeedbackFilter, FilterError
from kliento.feedback.models import Channel, Polarity, Scale

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PERIODS = [("", _("Any time")), ("1", _("Last 24 hours")), ("7", _("Last 7 days")),
           ("30", _("Last 30 days")), ("90", _("Last 90 days"))]
ANY = ("", _("Any"))
Choices = list[tuple[Any, Any]]


def _select(label: StrOrPromise, choices: Choices) -> forms.CharField:
    # Plain text fields shown as selects: FeedbackFilter alone says what is valid, so the
    # page, the API and the exports refuse the same values with the same messages.
    return forms.CharField(label=label, required=False,
                           widget=forms.Select(choices=[ANY, *choices]))


# The dashboard's hour-of-the-week cells, logged contacts and response rate: shown, so that a
# list opened from them says what it holds and a changed filter keeps them.
DRILL_DOWNS = ["weekday", "hour", "logged", "asked_from", "asked_to"]
WEEKDAYS = [("1", _("Monday")), ("2", _("Tuesday")), ("3", _("Wednesday")),
            ("4", _("Thursday")), ("5", _("Friday")), ("6", _("Saturday")), ("7", _("Sunday"))]


class FeedFilterForm(forms.Form):
    """The feedback list's filters as a form; `filter` holds the parsed FeedbackFilter."""

    MORE = ["from", "to", "language", "survey", "scale", "score", "theme", "customer_tag",
            "vip", "root_cause", "contact", "recovered", *DRILL_DOWNS]

    def __init__(self, data: Any, *, workspace: Workspace, teams: Choices, agents: Choices,
                 surveys: Choices, themes: Choices, root_causes: Choices) -> None:
        super().__init__(data)
        self.workspace = workspace
        self.filter = FeedbackFilter(time_zone=workspace.time_zone or "UTC")
        f = self.fields
        f["polarity"] = _select(_("Polarity"), list(Polarity.choices))
        f["channel"] = _select(_("Channel"), list(Channel.choices))
        f["team"] = _select(_("Team"), [*teams, (NONE, _("No team"))])
        f["agent"] = _select(_("Agent"), [*agents, (NONE, _("No agent"))])
        f["period"] = forms.CharField(label=_("Period"), required=False,
                                      widget=forms.Select(choices=PERIODS))
        f["from"] = forms.CharField(label=_("From"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
        f["to"] = forms.CharField(label=_("To"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
        f["language"] = forms.CharField(label=_("Language"), required=False, max_length=10,
                                        widget=forms.TextInput(attrs={"size": 5}))
        f["survey"] = _select(_("Survey"), [*surveys, (NONE, _("No survey"))])
        f["scale"] = _select(_("Scale"), list(Scale.choices))
        f["score"] = forms.CharField(label=_("Score"), required=False, widget=forms.NumberInput(
            attrs={"min": 0, "max": 10}))
        f["theme"] = _select(_("Theme"), themes)
        f["customer_tag"] = forms.CharField(label=_("Customer tag"), required=False,
                                            max_length=50)
        f["vip"] = _select(_("VIP"), [("yes", _("VIP customers")), ("no", _("Others"))])
        f["root_cause"] = _select(_("Root cause"), root_causes)
        # Close the loop's drill-down: unhappy voices by what became of them.
        f["contact"] = _select(_("Contact"), [
            ("yes", _("Contacted")), ("in_time", _("Contacted in time")),
            ("late", _("Contacted late")), ("none", _("Not contacted")),
            ("missed", _("Not contacted, time is up")), ("pending", _("Still within time")),
            ("measured", _("Contacted, or time is up"))])
        f["recovered"] = _select(_("Recovered"), [("yes", _("Won back")),
                                                  ("no", _("Not won back"))])
        f["weekday"] = _select(_("Weekday"), list(WEEKDAYS))
        f["hour"] = forms.CharField(label=_("Hour (0–23)"), required=False,
                                    widget=forms.NumberInput(attrs={"min": 0, "max": 23}))
        f["logged"] = _select(_("Logged contacts"), [("1", _("Only contacts agents logged"))])
        f["asked_from"] = forms.CharField(label=_("Invitations asked from"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))
        f["asked_to"] = forms.CharField(label=_("Invitations asked to"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        try:
            # The raw parameters: those the form does not show (the API's since, until,
            # customer_id) still filter a link that carries them.
            self.filter = FeedbackFilter.from_params(self.data, self.workspace)
        except FilterError as exc:
            for name, errors in exc.error_dict.items():
                for error in errors:
                    if name in self.fields:
                        self.add_error(name, error.message)
                    else:
                        self.add_error(None, f"{name}: {error.message}")
        return data

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n not in self.MORE]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.MORE]

    def more_in_use(self) -> bool:
        return any(self.data.get(n) for n in self.MORE) or any(
            n in self.errors for n in self.MORE)
