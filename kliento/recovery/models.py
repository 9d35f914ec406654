from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.models import Priority
from kliento.core.scoping import WorkspaceOwned


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting_on_customer", _("Waiting on the customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.WAITING]


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not known yet")
    RECOVERED = "recovered", _("Recovered")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    NO_ANSWER = "no_answer", _("No answer")


class RootCause(WorkspaceOwned):
    key = models.SlugField(max_length=50)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"],
                                               name="root_cause_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Playbook(WorkspaceOwned):
    """The steps of a recovery, in order, each due some business minutes after opening.

    A case takes its rule's playbook, else its team's, else the workspace's default."""

    name = models.CharField(_("name"), max_length=100)
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("team"),
                             help_text=_("The team whose cases use this playbook."))
    is_default = models.BooleanField(_("the workspace's default"), default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace"], condition=models.Q(is_default=True),
                                    name="playbook_one_default"),
            models.UniqueConstraint(fields=["workspace", "team"],
                                    condition=models.Q(team__isnull=False),
                                    name="playbook_one_per_team"),
        ]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    """What a step does; the kind picks its reply template, and "contact" is first contact."""

    CONTACT = "contact", _("Contact and apologise")
    FIND_OUT = "find_out", _("Find out what went wrong")
    EXPLAIN = "explain", _("Explain")
    FIX = "fix", _("Fix")
    COMPENSATE = "compensate", _("Compensate")
    PREVENT = "prevent", _("Prevent recurrence")
    FOLLOW_UP = "follow_up", _("Follow up")
    OTHER = "other", _("Other")


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(_("kind"), max_length=50, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_minutes = models.PositiveIntegerField(_("due after (business minutes)"),
                                              help_text="Business minutes after opening.")
    optional = models.BooleanField(_("optional"), default=False)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class SlaPolicy(WorkspaceOwned):
    """Business minutes to first contact and to resolution, per team and priority."""

    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    priority = models.CharField(max_length=10, choices=Priority.choices)
    first_contact_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    warn_percent = models.PositiveSmallIntegerField(default=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "team", "priority"],
                                               name="sla_unique")]

    def __str__(self) -> str:
        return f"{self.team or '—'} {self.priority}"


class NoticeRoute(WorkspaceOwned):
    """Which alert channels hear of a team's cases nearing or missing their deadlines
    (besides the e-mails to the owner and the manager); no team: the workspace's route."""

    team = models.OneToOneField("core.Team", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    warning_channels = models.ManyToManyField(
        "alerts.AlertChannel", blank=True, related_name="+",
        verbose_name=_("before a deadline, and for overdue promises"))
    breach_channels = models.ManyToManyField(
        "alerts.AlertChannel", blank=True, related_name="+",
        verbose_name=_("at a breach, and for promises still not kept"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"],
                                               condition=models.Q(team__isnull=True),
                                               name="notice_route_workspace")]

    def __str__(self) -> str:
        return f"{self.team or '—'}"


class Case(WorkspaceOwned):
    """One unhappy customer, walked through the playbook to a fix and a follow-up."""

    number = models.PositiveIntegerField()
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE,
                                 related_name="cases")
    feedback = models.ForeignKey("feedback.Feedback", on_delete=models.CASCADE,
                                 related_name="opened_cases")
    voices = models.ManyToManyField("feedback.Feedback", blank=True, related_name="cases")
    rule = models.ForeignKey("alerts.AlertRule", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    priority = models.CharField(max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    playbook = models.ForeignKey(Playbook, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    compensation_kind = models.CharField(_("compensation"), max_length=100, blank=True)
    compensation_value = models.DecimalField(max_digits=10, decimal_places=2, null=True,
                                             blank=True)
    root_cause = models.ForeignKey(RootCause, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="cases")
    prevention = models.TextField(_("what changes so it does not happen again"), blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    opened_at = models.DateTimeField(default=timezone.now)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Deadlines are computed when they change and stored, so "what is due" is one query.
    first_contact_due = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution_due = models.DateTimeField(null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    first_contact_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    follow_up_at = models.DateTimeField(null=True, blank=True, db_index=True)
    follow_up = models.ForeignKey("surveys.Invitation", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    conversation = models.ForeignKey("conversations.Conversation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # An unhappy follow-up reopens the case: its clock starts again from `reopened_at`.
    reopened_count = models.PositiveSmallIntegerField(default=0)
    reopened_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Closed with a root cause, then reopened: closing again asks whether it still holds.
    root_cause_in_doubt = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "number"],
                                               name="case_number_unique")]
        indexes = [models.Index(fields=["workspace", "status", "resolution_due"],
                                name="case_ws_status_due"),
                   # Insights and the recovery report read the cases opened in a period.
                   models.Index(fields=["workspace", "opened_at"], name="case_ws_opened")]
        ordering = ["resolution_due", "opened_at"]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseOutcome(models.Model):
    """One follow-up's verdict: attempt 1 is the first resolution, attempt 2 the resolution
    after the first reopening, and so on."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    attempt = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    answered_at = models.DateTimeField(null=True, blank=True)
    feedback = models.ForeignKey("feedback.Feedback", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    invitation = models.ForeignKey("surveys.Invitation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "attempt"],
                                               name="case_outcome_attempt_unique")]
        ordering = ["attempt"]

    def __str__(self) -> str:
        return f"{self.case} attempt {self.attempt}: {self.outcome}"


class CasePause(models.Model):
    """Time waiting on the customer, which the SLA does not count."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.case} paused {self.started_at}"


class StepState(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class CaseStep(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    optional = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=StepState.choices, default=StepState.OPEN)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class PromiseState(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Promise(WorkspaceOwned):
    """Whatever was promised to the customer, with a due time and an owner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="promises")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE,
                                 related_name="promises")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    description = models.CharField(_("promise"), max_length=300)
    due_at = models.DateTimeField(_("due"), db_index=True)
    state = models.CharField(max_length=10, choices=PromiseState.choices,
                             default=PromiseState.OPEN)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.description


class ReplyTemplate(WorkspaceOwned):
    """A reply with one text per language and safe placeholders."""

    key = models.SlugField(max_length=50)
    name = models.CharField(_("name"), max_length=100)
    texts = models.JSONField(default=dict)  # {language: {"subject": ..., "body": ...}}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"],
                                               name="reply_template_unique")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
