from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kliento.surveys.defaults import FIELDS
from kliento.surveys.models import InvitationState, Survey, SurveyKind

FIELD_LABELS = {
    "question": _("Question"), "low_label": _("Label of the lowest score"),
    "high_label": _("Label of the highest score"),
    "followup_negative": _("Follow-up question after an unhappy answer"),
    "followup_positive": _("Follow-up question after a happy answer"),
    "thank_you": _("Thank-you text"), "email_subject": _("E-mail subject"),
    "email_intro": _("E-mail introduction"),
}


class NewSurveyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)


class SurveySettingsForm(forms.ModelForm):
    allowed_origins = forms.CharField(label=_("Widget origins"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Survey
        fields = ["name", "is_active", "logo_url", "brand_color", "expiry_days", "quiet_days",
                  "edit_window_minutes", "send_rate_per_minute", "allowed_origins"]
        widgets = {"brand_color": forms.TextInput(attrs={"type": "color"})}


def texts_form_fields(survey: Survey, data: Any = None) -> list[dict[str, Any]]:
    """Per language, the editable text fields with their current values."""
    languages = []
    for code, name in settings.LANGUAGES:
        current = survey.texts.get(code, {})
        languages.append({
            "code": code, "name": name,
            "fields": [{"key": key, "label": FIELD_LABELS[key],
                        "name": f"text-{code}-{key}",
                        "value": (data or {}).get(f"text-{code}-{key}", current.get(key, "")),
                        "long": key in ("email_intro", "thank_you")}
                       for key in FIELDS],
        })
    return languages


def texts_from_post(data: dict[str, str]) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for code, _name in settings.LANGUAGES:
        for key in FIELDS:
            value = data.get(f"text-{code}-{key}")
            if value is not None:
                texts.setdefault(code, {})[key] = value
    return texts


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Customer e-mail"))
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Customer's language")), *settings.LANGUAGES])
    reference = forms.CharField(label=_("Reference"), required=False, max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"),
                           help_text=_("Columns: email, name, language, agent, team, reference. "
                                       "UTF-8, comma or semicolon separated."))


class InvitationFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any")), *InvitationState.choices])


HELPDESKS = {
    "generic": ("Generic", "{{ticket_id}}", "{{customer_email}}"),
    "zendesk": ("Zendesk", "{{ticket.id}}", "{{ticket.requester.email}}"),
    "freshdesk": ("Freshdesk", "{{ticket.id}}", "{{ticket.requester.email}}"),
    "helpscout": ("Help Scout", "{%conversation.number%}", "{%customer.email%}"),
    "gmail": ("E-mail signature (no helpdesk)", "", ""),
}


class SnippetForm(forms.Form):
    helpdesk = forms.ChoiceField(label=_("Where you paste it"), choices=[
        (k, v[0]) for k, v in HELPDESKS.items()])
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
