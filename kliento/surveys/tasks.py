"""Background work of the surveys domain."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from kliento.core.mail import attempt, is_due, log_email
from kliento.core.models import EmailLog, EmailState
from kliento.surveys.emails import render_invitation
from kliento.surveys.models import Invitation, InvitationState

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@task()
def send_invitation(invitation_id: int) -> None:
    """E-mail one invitation, queued or failed and due for a retry; a second run for the
    same invitation sends nothing.

    The e-mail is written to the log under the invitation's row lock; the lock is released
    before SMTP is spoken, so a slow mail server never holds invitations locked.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey", "workspace", "customer", "email_log")
            .filter(pk=invitation_id, feedback__isnull=True,  # answered from another link
                    state__in=[InvitationState.QUEUED, InvitationState.FAILED]).first()
        )
        if invitation is None:
            return
        entry = invitation.email_log
        if entry is None:
            subject, text, html, headers = render_invitation(invitation)
            entry = log_email(to=invitation.email, subject=subject, body_text=text,
                              body_html=html, headers=headers, kind="survey_invitation",
                              workspace=invitation.workspace)
            invitation.email_log = entry
            invitation.save(update_fields=["email_log"])
    if attempt(entry):
        _record(invitation, entry)


def _record(invitation: Invitation, entry: EmailLog) -> None:
    # Only an invitation still waiting on its e-mail changes: one answered (or revoked) in
    # the meantime keeps its state.
    waiting = Invitation.objects.filter(
        pk=invitation.pk, state__in=[InvitationState.QUEUED, InvitationState.FAILED])
    if entry.state == EmailState.FAILED:
        waiting.update(state=InvitationState.FAILED, error=entry.error)
    else:
        waiting.update(state=InvitationState.SENT, sent_at=timezone.now(), error="")


def retry_failed_invitations() -> int:
    """Periodic: enqueue another try of invitation e-mails that failed, with growing pauses,
    5 tries. The task sends; this only finds what is due."""
    now = timezone.now()
    count = 0
    # Failed ones, and queued ones whose e-mail was logged but whose task was lost.
    failed = (Invitation.objects.filter(Q(state=InvitationState.FAILED)
                                        | Q(state=InvitationState.QUEUED, batch__isnull=True,
                                            email_log__created_at__lt=now - timedelta(minutes=2)),
                                        email_log__attempts__lt=MAX_ATTEMPTS)
              .select_related("email_log").only("pk", "email_log")[:100])
    for invitation in failed:
        if invitation.email_log is None or not is_due(invitation.email_log, now):
            continue
        send_invitation.enqueue(invitation.pk)
        count += 1
    return count
