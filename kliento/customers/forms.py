from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kliento.customers.models import Polarity
from kliento.customers.services import SOCIAL_NETWORKS


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False)
    vip = forms.NullBooleanField(label=_("VIP"), required=False, widget=forms.Select(choices=[
        ("", _("Any")), ("true", _("VIP only")), ("false", _("Not VIP"))]))
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any")), *settings.LANGUAGES])
    polarity = forms.ChoiceField(label=_("Latest mood"), required=False,
                                 choices=[("", _("Any")), *Polarity.choices])


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Workspace default")), *settings.LANGUAGES])
    vip = forms.BooleanField(label=_("VIP"), required=False)
    tags = forms.CharField(label=_("Tags"), required=False,
                           help_text=_("Separated by commas."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    email = forms.CharField(label=_("Add e-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Add phone"), required=False, max_length=40)
    social_network = forms.ChoiceField(
        label=_("Social network"), required=False,
        choices=[("", "—"), *[(n, n.title()) for n in SOCIAL_NETWORKS]])
    social_handle = forms.CharField(label=_("Social handle"), required=False, max_length=100)
