from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_TARGET_HOURS = 24
DEFAULT_TARGET_PERCENT = 90


class InsightsSettings(models.Model):
    """A workspace's close-the-loop goal: contact this share of unhappy customers within
    this many business hours. Made on the first save; until then the defaults hold."""

    workspace = models.OneToOneField("core.Workspace", on_delete=models.CASCADE,
                                     related_name="+")
    contact_target_hours = models.PositiveSmallIntegerField(
        _("contact within (business hours)"), default=DEFAULT_TARGET_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(720)])
    contact_target_percent = models.PositiveSmallIntegerField(
        _("target share of unhappy voices contacted in time (%)"),
        default=DEFAULT_TARGET_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)])

    def __str__(self) -> str:
        return f"{self.contact_target_percent} % within {self.contact_target_hours} h"
