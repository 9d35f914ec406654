"""Periodic jobs of the core domain, run by the worker (settings.PERIODIC_JOBS)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kliento.core.mail import retry_unsent_emails
from kliento.core.ratelimit import prune_rate_counters

__all__ = ["prune_finished_tasks", "prune_rate_counters", "retry_unsent_emails"]


def prune_finished_tasks() -> int:
    """Forget finished background-task records after a week; they only serve debugging."""
    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
