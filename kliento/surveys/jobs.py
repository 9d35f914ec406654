"""Periodic jobs of the surveys domain (settings.PERIODIC_JOBS)."""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from kliento.surveys.models import Invitation, InvitationState, SendBatch
from kliento.surveys.tasks import retry_failed_invitations, send_invitation

__all__ = ["advance_batches", "retry_failed_invitations"]

log = logging.getLogger(__name__)


def advance_batches() -> int:
    """Enqueue the next invitations of each running bulk send, at most at its rate.

    One task per invitation sends it; invitations whose task has not started yet may be
    enqueued twice, which sends nothing twice (send_invitation is idempotent).
    """
    enqueued = 0
    now = timezone.now()
    for batch in SendBatch.objects.filter(finished_at__isnull=True):
        elapsed = (now - (batch.last_step_at or batch.created_at)).total_seconds()
        allowance = max(1, math.floor(batch.rate_per_minute * elapsed / 60))
        waiting = Invitation.objects.filter(batch=batch, state=InvitationState.QUEUED)
        # An invitation whose e-mail was logged but never settled lost its task (a worker
        # killed mid-send): after two minutes it is enqueued again.
        due = list(waiting.filter(Q(email_log__isnull=True)
                                  | Q(email_log__created_at__lt=now - timedelta(minutes=2)))
                   .order_by("pk")
                   .values_list("pk", flat=True)[:allowance])
        for pk in due:
            send_invitation.enqueue(pk)
        enqueued += len(due)
        batch.last_step_at = now
        if not waiting.exists():
            batch.finished_at = now
        batch.save(update_fields=["last_step_at", "finished_at"])
    return enqueued
