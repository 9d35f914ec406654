from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.models import Priority
from kliento.core.scoping import WorkspaceOwned


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")
    WEBHOOK = "webhook", _("Webhook")


class Audience(models.TextChoices):
    """Who an e-mail channel writes to."""

    ADDRESSES = "addresses", _("The addresses given")
    TEAM = "team", _("The feedback's team")
    TEAM_MANAGER = "team_manager", _("The team's manager")
    MANAGERS = "managers", _("The workspace's managers and admins")


def _secret() -> str:
    return secrets.token_urlsafe(32)


class AlertChannel(WorkspaceOwned):
    """Where alerts go: e-mail, a Slack or Teams webhook, or any webhook receiver."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=ChannelKind.choices)
    target = models.CharField(_("target"), max_length=1000, blank=True,
                              help_text=_("The webhook URL, or e-mail addresses separated "
                                          "by commas."))
    audience = models.CharField(_("recipients"), max_length=12, choices=Audience.choices,
                                default=Audience.ADDRESSES)
    secret = models.CharField(max_length=100, default=_secret,
                              help_text="Signs webhook bodies (HMAC-SHA256).")
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EscalationPolicy(WorkspaceOwned):
    """Who is told next, and when, while nobody acknowledges an alert."""

    name = models.CharField(_("name"), max_length=100)
    business_hours = models.BooleanField(
        _("count only business hours"), default=False,
        help_text=_("Delays run only during the workspace's business hours."))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EscalationLevel(models.Model):
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE,
                               related_name="levels")
    position = models.PositiveSmallIntegerField()
    delay_minutes = models.PositiveIntegerField(
        _("after (minutes) without acknowledgement"))
    channels = models.ManyToManyField(AlertChannel, related_name="+")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["policy", "position"],
                                               name="escalation_level_unique")]

    def __str__(self) -> str:
        return f"{self.policy} #{self.position} (+{self.delay_minutes} min)"


class AlertRule(WorkspaceOwned):
    """Which new feedback deserves an alert, to whom, and who is told next."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    # Conditions, all optional, all must hold (see alerts/matching.py for their meaning).
    conditions = models.JSONField(default=dict, blank=True)
    channels = models.ManyToManyField(AlertChannel, blank=True, related_name="rules")
    escalation_policy = models.ForeignKey(EscalationPolicy, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="rules")
    open_case = models.BooleanField(
        _("open a recovery case"), default=False,
        help_text=_("A customer with an open case has the new feedback joined to it."))
    case_priority = models.CharField(
        _("priority of the case"), max_length=10, default=Priority.NORMAL,
        choices=Priority.choices,
        help_text=_("Raised one level for a VIP and one for the lowest score."))
    playbook = models.ForeignKey(
        "recovery.Playbook", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("playbook"),
        help_text=_("Empty: the team's playbook, else the workspace's default."))
    group_minutes = models.PositiveIntegerField(
        _("group repeats for (minutes)"), default=0,
        help_text=_("One alert per customer in this time; later feedback joins it. "
                    "0 = every feedback alerts."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


def _ack_key() -> str:
    return secrets.token_urlsafe(24)


class Alert(WorkspaceOwned):
    """Somebody is unhappy: raised by a rule for one feedback (and its repeats)."""

    rule = models.ForeignKey(AlertRule, null=True, on_delete=models.SET_NULL,
                             related_name="alerts")
    feedback = models.ForeignKey("feedback.Feedback", on_delete=models.CASCADE,
                                 related_name="alerts")
    repeats = models.ManyToManyField("feedback.Feedback", blank=True, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE,
                                 related_name="alerts")
    state = models.CharField(max_length=12, choices=AlertState.choices,
                             default=AlertState.OPEN)
    level = models.PositiveSmallIntegerField(default=0, help_text="Escalations so far.")
    escalate_at = models.DateTimeField(null=True, blank=True)
    ack_key = models.CharField(max_length=40, unique=True, default=_ack_key)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "state", "created_at"], name="alert_ws_state"),
            # the worker's "what is due now" query
            models.Index(fields=["escalate_at"], name="alert_escalate_at",
                         condition=models.Q(state="open", escalate_at__isnull=False)),
            models.Index(fields=["workspace", "customer", "rule", "-created_at"],
                         name="alert_grouping"),
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Alert {self.pk}"

    @property
    def seconds_to_acknowledge(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return (self.acknowledged_at - self.created_at).total_seconds()


class Escalation(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.alert} → level {self.level}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


class Delivery(WorkspaceOwned):
    """The outbox: one message to one channel, sent by tasks, retried until it lands."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="deliveries")
    # Notices of recovery cases (deadlines, promises) travel the same outbox.
    case = models.ForeignKey("recovery.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="deliveries")
    promise = models.ForeignKey("recovery.Promise", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(AlertChannel, on_delete=models.CASCADE,
                                related_name="deliveries")
    event = models.CharField(max_length=30, default="alert.created")
    escalation_level = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_response = models.TextField(blank=True)
    # E-mail addresses this delivery has reached, kept as each one is reached, so that a
    # retry writes only to the others.
    sent_to = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at"], name="delivery_due",
                         condition=models.Q(state__in=["pending", "retrying", "sending"])),
            models.Index(fields=["workspace", "state", "-created_at"], name="delivery_ws_state"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Delivery {self.uuid} ({self.state})"
