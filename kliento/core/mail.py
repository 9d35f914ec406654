"""The e-mail outbox: every e-mail is logged first, then sent by a task."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from kliento.core.models import EmailLog, EmailState, Workspace
from kliento.core.tasks import enqueue_on_commit

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class KeepInLogBackend(BaseEmailBackend):
    """Used when EMAIL_URL is unset: messages stay in the e-mail log, readable in the UI."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        return len(email_messages)


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kind: str,
    workspace: Workspace | None = None,
    headers: dict[str, str] | None = None,
) -> EmailLog:
    """Log an e-mail and send it after the surrounding transaction commits."""
    entry = EmailLog.objects.create(
        workspace=workspace, kind=kind, to=to, subject=subject[:300],
        body_text=body_text, body_html=body_html, headers=headers or {},
    )
    enqueue_on_commit(send_email, entry.pk)
    return entry


def log_email(
    *, to: str, subject: str, body_text: str, body_html: str = "", kind: str,
    workspace: Workspace | None = None, headers: dict[str, str] | None = None,
) -> EmailLog:
    """Log an e-mail whose sending (and retrying) its owner's task takes care of."""
    return EmailLog.objects.create(
        workspace=workspace, kind=kind, to=to, subject=subject[:300], body_text=body_text,
        body_html=body_html, headers=headers or {}, retried_by_owner=True,
    )


def send_now(
    *, to: str, subject: str, body_text: str, body_html: str = "", kind: str,
    workspace: Workspace | None = None, headers: dict[str, str] | None = None,
) -> EmailLog:
    """Log and send an e-mail at once; for tasks, which own the retrying of what they send."""
    entry = log_email(to=to, subject=subject, body_text=body_text, body_html=body_html,
                      kind=kind, workspace=workspace, headers=headers)
    deliver(entry)
    return entry


def deliver(entry: EmailLog) -> None:
    """Hand one logged e-mail to the configured backend and record what happened."""
    entry.attempts += 1
    _hand_over(entry)


def _hand_over(entry: EmailLog) -> None:
    if not settings.EMAIL_URL:
        entry.state = EmailState.KEPT
        entry.sent_at = timezone.now()
        entry.save(update_fields=["state", "sent_at", "attempts"])
        return
    message = EmailMultiAlternatives(
        subject=entry.subject, body=entry.body_text, to=[entry.to], headers=entry.headers,
    )
    if entry.body_html:
        message.attach_alternative(entry.body_html, "text/html")
    try:
        get_connection(fail_silently=False).send_messages([message])
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        entry.state = EmailState.FAILED
        entry.error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("e-mail %s to %s failed: %s", entry.pk, entry.to, entry.error)
    else:
        entry.state = EmailState.SENT
        entry.error = ""
        entry.sent_at = timezone.now()
    entry.save(update_fields=["state", "error", "attempts", "sent_at"])


def is_due(entry: EmailLog, now: datetime | None = None) -> bool:
    """Whether an unsent e-mail may be tried now: at once the first time, then after 2, 4,
    8, 16 minutes from when it was written; never after MAX_ATTEMPTS."""
    now = now or timezone.now()
    if entry.state not in (EmailState.QUEUED, EmailState.FAILED):
        return False
    if entry.attempts >= MAX_ATTEMPTS:
        return False
    return entry.attempts == 0 or entry.created_at <= now - timedelta(minutes=2 ** entry.attempts)


def attempt(entry: EmailLog) -> bool:
    """Try to send one logged e-mail if it is due; False when it is not (sent already, not
    yet time to retry, or another run just took this attempt).

    The attempt is claimed by counting it in one conditional UPDATE, then SMTP is spoken
    with no row locked and no transaction open: a slow or dead mail server holds up
    nothing else. A worker killed mid-send leaves the attempt counted and the e-mail
    unsent; the periodic retry takes it up again.
    """
    if not is_due(entry):
        return False
    claimed = EmailLog.objects.filter(
        pk=entry.pk, state=entry.state, attempts=entry.attempts,
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return False
    entry.attempts += 1
    _hand_over(entry)
    return True


@task()
def send_email(email_id: int) -> None:
    """Send one logged e-mail; a second run for the same e-mail sends nothing."""
    entry = EmailLog.objects.filter(pk=email_id).first()
    if entry is not None:
        attempt(entry)


def retry_unsent_emails() -> int:
    """Periodic: enqueue a send for e-mails whose task was lost and for failed ones whose
    next try has come. Sending happens in the tasks, never here."""
    now = timezone.now()
    due = EmailLog.objects.filter(retried_by_owner=False).filter(
        Q(state=EmailState.QUEUED, created_at__lt=now - timedelta(minutes=2))
        | Q(state=EmailState.FAILED, attempts__lt=MAX_ATTEMPTS)
    ).only("pk", "state", "attempts", "created_at")[:200]
    count = 0
    for entry in due:
        if entry.state == EmailState.FAILED and not is_due(entry, now):
            continue
        send_email.enqueue(entry.pk)
        count += 1
    return count
