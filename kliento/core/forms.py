from __future__ import annotations

import unicodedata
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from kliento.core.mail import queue_email
from kliento.core.models import Membership, Role, User, Workspace


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the e-mail outbox, never SMTP in the request."""

    def send_mail(
        self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
        from_email: str | None, to_email: str, html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(kind="password_reset", to=to_email, subject=subject, body_text=body)

    def get_users(self, email: str) -> Iterator[User]:
        """Who gets a link: Django's choice, plus accounts that never had a password.

        Django skips users without a usable password (in other projects: accounts signed in
        elsewhere). Here such a user is an admin made by `kliento workspace create` who has
        not chosen a password yet; the link goes to their own mailbox, which proves the
        address. Once someone has signed in, a removed password stays removed.
        """
        wanted = unicodedata.normalize("NFKC", email).casefold()
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if unicodedata.normalize("NFKC", user.email).casefold() != wanted:
                continue
            if user.has_usable_password() or user.last_login is None:
                yield user


class WorkspaceForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=[(z, z) for z in sorted(zoneinfo.available_timezones())]
    )

    class Meta:
        model = Workspace
        fields = ["name", "default_language", "time_zone", "country"]

    def clean_country(self) -> str:
        import holidays

        country = self.cleaned_data["country"].upper()
        if country not in holidays.list_supported_countries():
            raise forms.ValidationError(_("Unknown country code."))
        return country


class BusinessHoursForm(forms.Form):
    business_hours = forms.CharField(
        label=_("Business hours"), widget=forms.Textarea(attrs={"rows": 7}), required=False,
        help_text=_("One weekday per line: mon, tue, wed, thu, fri, sat, sun, then the hours, "
                    "e.g. “mon 08:00-12:00, 13:00-17:00”. National holidays of the "
                    "workspace's country are closed days."))
    closed_days = forms.CharField(
        label=_("Other closed days"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("One per line, e.g. “2026-12-24 Christmas Eve”."))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AGENT)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What uses it, e.g. “Helpdesk integration”."))


class AcceptInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                               min_length=10)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]

    def __init__(self, *args: Any, membership: Membership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if membership is not None:  # a manager or admin of the current workspace
            self.fields["weekly_report"] = forms.BooleanField(
                label=_("E-mail me the weekly report of %(workspace)s") % {
                    "workspace": membership.workspace.name},
                required=False, initial=membership.weekly_report,
                help_text=_("On Monday mornings, in your language: last week's figures and "
                            "their change, with links into the dashboard."))


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def errors_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when the form has one,
    else above the form."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            for e in errors:
                form.add_error(key if key in form.fields else None, e)
    else:
        for e in exc.messages:
            form.add_error(None, e)
