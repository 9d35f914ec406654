from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.scoping import WorkspaceOwned
from kliento.customers.models import Polarity

__all__ = ["Channel", "Feedback", "Polarity", "Scale", "Source"]


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web")
    WIDGET = "widget", _("Widget")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social")
    IMPORT = "import", _("Import")
    API = "api", _("API")


class Source(models.TextChoices):
    SURVEY = "survey", _("Survey answer")
    MESSAGE = "message", _("Message")
    INTERACTION = "interaction", _("Logged interaction")
    IMPORT = "import", _("Import")


class Scale(models.TextChoices):
    CSAT = "csat", _("CSAT (1–5)")
    NPS = "nps", _("NPS (0–10)")
    CES = "ces", _("CES (1–7)")
    THUMBS = "thumbs", _("Thumbs (0 = down, 1 = up)")


class Feedback(WorkspaceOwned):
    """One voice of the customer, whatever channel it came from."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="feedback"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=6, choices=Scale.choices, blank=True)
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, blank=True,
        help_text="Empty until judged: no score and no text analysed yet.",
    )
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # What text analysis made of the words (kliento.text), filled by the processing task.
    text_polarity = models.CharField(_("sentiment of the text"), max_length=10,
                                     choices=Polarity.choices, blank=True)
    text_confidence = models.FloatField(null=True, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    mixed = models.BooleanField(
        _("mixed"), default=False,
        help_text=_("The score and the words disagree (five stars, angry text)."))
    analysed_at = models.DateTimeField(null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("agent"),
    )
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("team"),
    )
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback",
    )
    metadata = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "-received_at"], name="feedback_ws_received"),
            models.Index(fields=["workspace", "customer", "-occurred_at"],
                         name="feedback_ws_customer"),
            models.Index(fields=["workspace", "polarity", "-received_at"],
                         name="feedback_ws_polarity"),
            # The worker's sweep for voices whose processing was lost (loop.py).
            models.Index(fields=["received_at"], condition=models.Q(processed_at__isnull=True),
                         name="feedback_unprocessed"),
            # The dashboard and the list select voices by the day the customer spoke.
            models.Index(fields=["workspace", "occurred_at"], name="feedback_ws_occurred"),
            # The contacts agents logged, by when they happened (insights' contacts panel).
            models.Index(fields=["workspace", "occurred_at"],
                         condition=models.Q(source="interaction", agent__isnull=False),
                         name="feedback_ws_logged"),
        ]
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.score_label or ''} {self.polarity}".strip()

    @property
    def score_label(self) -> str:
        if self.score is None:
            return ""
        if self.scale == Scale.THUMBS:
            return "👍" if self.score else "👎"
        top = {Scale.CSAT: 5, Scale.NPS: 10, Scale.CES: 7}.get(Scale(self.scale), 0)
        return f"{self.score}/{top}"


class Theme(WorkspaceOwned):
    """A topic customers talk about, found in any language from a few example phrases."""

    key = models.SlugField(_("key"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    examples = models.JSONField(_("example phrases"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="theme_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Correction(WorkspaceOwned):
    """A person's correction of what text analysis made of a feedback; retraining learns it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    polarity = models.CharField(max_length=10, choices=Polarity.choices, blank=True)
    themes = models.JSONField(default=list, blank=True)
    was_polarity = models.CharField(max_length=10, blank=True)
    was_themes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.was_polarity} → {self.polarity}"


class RetrainState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Classifier(WorkspaceOwned):
    """A workspace's own sentiment classifier, retrained from its corrections."""

    state = models.CharField(max_length=10, choices=RetrainState.choices,
                             default=RetrainState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    examples = models.PositiveIntegerField(default=0)
    weights = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workspace", "is_current"], name="classifier_current")]

    def __str__(self) -> str:
        return f"Classifier {self.pk} ({self.state})"


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Export(WorkspaceOwned):
    """A large export of the feedback list, written by a task to a file kept for a week."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    format = models.CharField(max_length=4)
    # The list's filter as query parameters (FeedbackFilter.params()), and the language of
    # the column headers and labels.
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=ExportState.choices,
                             default=ExportState.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        return min(100, 100 * self.done // self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
