from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.scoping import WorkspaceOwned


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Conversation(WorkspaceOwned):
    """A contact with a customer on one channel: a call, a visit, an e-mail thread, a chat."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="conversations"
    )
    channel = models.CharField(_("channel"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "customer", "-started_at"], name="conv_ws_customer")
        ]
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.subject or self.get_channel_display()

    def get_channel_display(self) -> str:
        from kliento.feedback.models import Channel

        return str(dict(Channel.choices).get(self.channel, self.channel))


class Direction(models.TextChoices):
    INBOUND = "inbound", _("From the customer")
    OUTBOUND = "outbound", _("To the customer")
    NOTE = "note", _("Internal note")


class Message(WorkspaceOwned):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField()
    external_id = models.CharField(max_length=255, blank=True,
                                   help_text="The e-mail's Message-ID, for threading.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]
