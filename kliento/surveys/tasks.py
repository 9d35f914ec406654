"""Background work of the surveys domain."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kliento.core.mail import deliver, send_now
from kliento.core.models import EmailState
from kliento.surveys.emails import render_invitation
from kliento.surveys.models import Invitation, InvitationState

log = logging.getLogger(__name__)


@task()
def send_invitation(invitation_id: int) -> None:
    """E-mail one queued invitation; a second run for the same invitation sends nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey", "workspace", "customer")
            .filter(pk=invitation_id, state=InvitationState.QUEUED).first()
        )
        if invitation is None:
            return
        send_invitation_now(invitation)


def send_invitation_now(invitation: Invitation) -> None:
    subject, text, html, headers = render_invitation(invitation)
    entry = send_now(to=invitation.email, subject=subject, body_text=text, body_html=html,
                     headers=headers, kind="survey_invitation", workspace=invitation.workspace)
    _record(invitation, entry.state, entry.error, entry.pk)


def _record(invitation: Invitation, state: str, error: str, email_id: int) -> None:
    invitation.email_log_id = email_id
    if state == EmailState.FAILED:
        invitation.state = InvitationState.FAILED
        invitation.error = error
    else:
        invitation.state = InvitationState.SENT
        invitation.sent_at = timezone.now()
        invitation.error = ""
    invitation.save(update_fields=["email_log", "state", "error", "sent_at"])


def retry_failed_invitations() -> int:
    """Periodic: re-send invitation e-mails that failed, with growing pauses, 5 tries."""
    now = timezone.now()
    count = 0
    failed = (Invitation.objects.filter(state=InvitationState.FAILED, email_log__attempts__lt=5)
              .select_related("email_log")[:100])
    for invitation in failed:
        entry = invitation.email_log
        if entry is None or entry.created_at > now - timedelta(minutes=2 ** entry.attempts):
            continue
        with transaction.atomic():
            deliver(entry)
            _record(invitation, entry.state, entry.error, entry.pk)
        count += 1
    return count
