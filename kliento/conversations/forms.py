from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kliento.feedback.models import Scale

CHANNELS = [("phone", _("Phone call")), ("visit", _("Visit")), ("chat", _("Chat")),
            ("email", _("E-mail")), ("social", _("Social message"))]


class InteractionForm(forms.Form):
    channel = forms.ChoiceField(label=_("Contact"), choices=CHANNELS)
    email = forms.CharField(label=_("Customer e-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Customer phone"), required=False, max_length=40)
    name = forms.CharField(label=_("Customer name"), required=False, max_length=200)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=200)
    scale = forms.ChoiceField(label=_("Rating scale"), required=False,
                              choices=[("", _("No rating")), *Scale.choices])
    score = forms.IntegerField(label=_("Rating"), required=False)
    customer_said = forms.CharField(label=_("What the customer said"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    note = forms.CharField(label=_("Internal note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)

    def __init__(self, *args: object, teams: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = [("", "—"), *teams]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone"):
            raise ValidationError(_("Give the customer's e-mail or phone."))
        return data
