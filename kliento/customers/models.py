from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kliento.core.scoping import WorkspaceOwned


class Tag(WorkspaceOwned):
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Polarity(models.TextChoices):
    """How a voice feels, normalised across scales and channels."""

    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Customer(WorkspaceOwned):
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("Empty: the workspace's default language."),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers")
    vip = models.BooleanField(_("VIP"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The customer's current satisfaction, kept up to date by the loop's processing task.
    last_polarity = models.CharField(max_length=10, choices=Polarity.choices, blank=True)
    last_feedback_at = models.DateTimeField(null=True, blank=True)
    rolling_csat = models.FloatField(
        null=True, blank=True,
        help_text="Positive share (%) of the customer's judged feedback in the last 90 days.",
    )

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "-last_feedback_at"], name="customer_ws_lastfb"),
            models.Index(fields=["workspace", "name"], name="customer_ws_name"),
        ]

    def __str__(self) -> str:
        return self.name or _("Customer %(id)s") % {"id": self.pk}

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        if not parts:
            return ""
        # Hungarian names are written family name first.
        return parts[-1] if self.language == "hu" else parts[0]


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    EXTERNAL = "external", _("External id")
    SOCIAL = "social", _("Social handle")


class Identity(WorkspaceOwned):
    """One way to recognise a customer; unique within a workspace."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=10, choices=IdentityKind.choices)
    network = models.CharField(max_length=30, blank=True, help_text="For social handles.")
    value = models.CharField(max_length=254)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "network", "value"], name="identity_unique"
            )
        ]
        ordering = ["kind", "value"]

    def __str__(self) -> str:
        return f"{self.network}:{self.value}" if self.network else self.value
