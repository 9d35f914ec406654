"""Periodic jobs of the surveys domain (settings.PERIODIC_JOBS)."""

from __future__ import annotations

import logging
import math

from django.db import transaction
from django.utils import timezone

from kliento.surveys.models import Invitation, InvitationState, SendBatch
from kliento.surveys.tasks import retry_failed_invitations, send_invitation_now

__all__ = ["advance_batches", "retry_failed_invitations"]

log = logging.getLogger(__name__)


def advance_batches() -> int:
    """Send the next invitations of each running bulk send, at most at its rate."""
    sent = 0
    now = timezone.now()
    for batch in SendBatch.objects.filter(finished_at__isnull=True):
        elapsed = (now - (batch.last_step_at or batch.created_at)).total_seconds()
        allowance = max(1, math.floor(batch.rate_per_minute * elapsed / 60))
        with transaction.atomic():
            due = list(
                Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("survey", "workspace", "customer")
                .filter(batch=batch, state=InvitationState.QUEUED).order_by("pk")[:allowance]
            )
            for invitation in due:
                send_invitation_now(invitation)
            sent += len(due)
            batch.last_step_at = now
            if not Invitation.objects.filter(batch=batch, state=InvitationState.QUEUED).exists():
                batch.finished_at = now
            batch.save(update_fields=["last_step_at", "finished_at"])
    return sent
