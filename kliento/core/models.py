from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core.calendar import DEFAULT_HOURS
from kliento.core.scoping import WorkspaceOwned

LANGUAGE_CHOICES = settings.LANGUAGES


def default_business_hours() -> dict[str, list[str]]:
    return {d: list(v) for d, v in DEFAULT_HOURS.items()}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: an agent, a manager, an admin. Signs in by e-mail."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True,
        help_text=_("Empty: the browser's language."),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def first_name(self) -> str:
        return (self.full_name or self.email).split()[0]


class Workspace(models.Model):
    """One customer-service organisation; nothing of one workspace is visible to another."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=10, choices=LANGUAGE_CHOICES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    country = models.CharField(_("country"), max_length=2, default="LV",
                               help_text=_("ISO 3166 code, for national holidays."))
    # {"mon": ["09:00-12:00", "13:00-17:00"], ...}; see kliento.core.calendar
    business_hours = models.JSONField(_("business hours"), default=default_business_hours)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ClosedDay(WorkspaceOwned):
    """A day the workspace (or one team) does not work besides national holidays."""

    day = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    team = models.ForeignKey("Team", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="closed_days",
                             help_text="Empty: the whole workspace is closed.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "day"], name="closed_day",
                                    condition=models.Q(team__isnull=True)),
            models.UniqueConstraint(fields=["team", "day"], name="closed_day_team",
                                    condition=models.Q(team__isnull=False)),
        ]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}".strip()


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Manager")
    AGENT = "agent", _("Agent")
    VIEWER = "viewer", _("Viewer")


# What each role may do, from most to least; a role can do everything of the roles below it.
ROLE_RANK = {Role.VIEWER: 0, Role.AGENT: 1, Role.MANAGER: 2, Role.ADMIN: 3}


class Priority(models.TextChoices):
    """How urgent a recovery case is. Here, not in recovery, because an alert rule (alerts)
    says which priority the cases it opens get: both domains use it, neither owns it."""

    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_ORDER = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]


class Team(WorkspaceOwned):
    name = models.CharField(_("name"), max_length=100)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("manager"),
    )
    # A team may keep its own hours and time zone (a night shift, an office abroad); empty
    # means the workspace's. Its calendar adds its own closed days to the workspace's.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    business_hours = models.JSONField(_("business hours"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="team_name_unique")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(WorkspaceOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, blank=True, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)
    # Managers and admins may ask for the weekly report by e-mail (kliento.insights.weekly);
    # the Monday of the last week reported keeps a restarted worker from sending it twice.
    weekly_report = models.BooleanField(_("e-mail me the weekly report"), default=False)
    weekly_report_sent_week = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace_id} ({self.role})"

    def can(self, role: str) -> bool:
        """True when this member's role is `role` or above."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ColleagueInvite(WorkspaceOwned):
    """An invitation for a colleague to join a workspace, accepted through an e-mailed link."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AGENT)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash(raw)


class ApiToken(WorkspaceOwned):
    """A per-workspace API token; only its SHA-256 is stored, the token is shown once."""

    PREFIX = "kl_"

    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WorkerHeartbeat(models.Model):
    """The last sign of life of each worker process; /healthz reads the newest."""

    worker_id = models.CharField(max_length=100, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class EmailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    KEPT = "kept", _("Kept in log (no EMAIL_URL)")


class EmailLog(models.Model):
    """Every e-mail Kliento sends, written before it is sent (the e-mail outbox)."""

    workspace = models.ForeignKey(
        Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Some e-mails (survey invitations) are retried by their owner, which tracks their state.
    retried_by_owner = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects: Any = models.Manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "-created_at"], name="emaillog_ws_created")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class RateCounter(models.Model):
    """Requests counted per key and fixed window, for limits shared by all web processes."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_unique")
        ]
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.count}"
