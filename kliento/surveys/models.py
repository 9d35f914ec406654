from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.scoping import WorkspaceOwned
from kliento.feedback.models import Scale


class SurveyKind(models.TextChoices):
    CSAT = "csat", _("CSAT (1–5)")
    NPS = "nps", _("NPS (0–10)")
    CES = "ces", _("CES (1–7)")
    THUMBS = "thumbs", _("Thumbs up / down")


SCORES: dict[str, list[int]] = {
    SurveyKind.CSAT: [1, 2, 3, 4, 5],
    SurveyKind.NPS: list(range(11)),
    SurveyKind.CES: [1, 2, 3, 4, 5, 6, 7],
    SurveyKind.THUMBS: [0, 1],
}


def _public_key() -> str:
    return secrets.token_urlsafe(12)


class Survey(WorkspaceOwned):
    """A one-click rating survey with its texts in every customer language."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=6, choices=SurveyKind.choices)
    # {language: {question, low_label, high_label, followup_negative, followup_positive,
    #  thank_you, email_subject, email_intro}}
    texts = models.JSONField(default=dict)
    logo_url = models.URLField(_("logo URL"), blank=True)
    brand_color = models.CharField(_("brand colour"), max_length=7, default="#2457c5")
    expiry_days = models.PositiveSmallIntegerField(_("links valid for (days)"), default=30)
    quiet_days = models.PositiveSmallIntegerField(
        _("quiet period (days)"), default=7,
        help_text=_("At most one invitation per customer in this many days, across surveys."))
    edit_window_minutes = models.PositiveSmallIntegerField(
        _("answer can be changed for (minutes)"), default=30)
    allowed_origins = models.TextField(
        _("widget origins"), blank=True,
        help_text=_("Web sites allowed to embed the widget, one per line, e.g. "
                    "https://shop.example.com"))
    send_rate_per_minute = models.PositiveIntegerField(_("bulk sending rate (per minute)"),
                                                       default=60)
    public_key = models.CharField(max_length=20, unique=True, default=_public_key)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> str:
        return Scale(self.kind).value

    @property
    def scores(self) -> list[int]:
        return SCORES[self.kind]

    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.splitlines() if o.strip()]


class InvitationState(models.TextChoices):
    LINK = "link", _("Link created")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    ANSWERED = "answered", _("Answered")
    REVOKED = "revoked", _("Revoked")


class SkipReason(models.TextChoices):
    QUIET_PERIOD = "quiet_period", _("Asked recently (quiet period)")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    INVALID_ADDRESS = "invalid_address", _("No valid e-mail address")
    INACTIVE_SURVEY = "inactive_survey", _("Survey switched off")


def _invitation_key() -> str:
    return secrets.token_urlsafe(18)


class SendBatch(WorkspaceOwned):
    """A bulk send from an uploaded list, sent by the worker at the survey's rate."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=200, blank=True)
    total = models.PositiveIntegerField(default=0)
    rate_per_minute = models.PositiveIntegerField(default=60)
    created_at = models.DateTimeField(auto_now_add=True)
    last_step_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or 'batch'} ({self.total})"


class Invitation(WorkspaceOwned):
    """One customer asked one survey question, through a signed link."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE,
                                 related_name="invitations")
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    batch = models.ForeignKey(SendBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="invitations")
    key = models.CharField(max_length=32, unique=True, default=_invitation_key)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=10)
    reference = models.CharField(max_length=200, blank=True,
                                 help_text="The helpdesk's ticket or order reference.")
    metadata = models.JSONField(default=dict, blank=True)
    unverified = models.BooleanField(
        default=False, help_text="Made by an open link pasted in a reply, not sent by Kliento.")
    state = models.CharField(max_length=10, choices=InvitationState.choices,
                             default=InvitationState.LINK)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    error = models.TextField(blank=True)
    email_log = models.ForeignKey("core.EmailLog", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    feedback = models.OneToOneField("feedback.Feedback", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="invitation")
    bypass_quiet = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "customer", "-sent_at"], name="inv_ws_customer"),
            models.Index(fields=["survey", "-created_at"], name="inv_survey_created"),
            models.Index(fields=["batch", "state"], name="inv_batch_state"),
        ]
        constraints = [
            # An open link is answered once per (reference, e-mail).
            models.UniqueConstraint(
                fields=["survey", "reference", "email"], condition=models.Q(unverified=True),
                name="inv_open_link_unique"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.survey} → {self.email or self.customer_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at < timezone.now()

    def edit_deadline(self) -> datetime | None:
        if self.answered_at is None:
            return None
        return self.answered_at + timedelta(minutes=self.survey.edit_window_minutes)


class OptOut(WorkspaceOwned):
    """A customer who asked not to receive feedback surveys from this workspace."""

    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "email"], name="optout_unique")]

    def __str__(self) -> str:
        return self.email
