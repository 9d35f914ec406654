"""The e-mail outbox: every e-mail is logged first, then sent by a task."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
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


def send_now(
    *, to: str, subject: str, body_text: str, body_html: str = "", kind: str,
    workspace: Workspace | None = None, headers: dict[str, str] | None = None,
) -> EmailLog:
    """Log and send an e-mail at once; for tasks, which own the retrying of what they send."""
    entry = EmailLog.objects.create(
        workspace=workspace, kind=kind, to=to, subject=subject[:300], body_text=body_text,
        body_html=body_html, headers=headers or {}, retried_by_owner=True,
    )
    deliver(entry)
    return entry


def deliver(entry: EmailLog) -> None:
    """Hand one logged e-mail to the configured backend and record what happened."""
    if not settings.EMAIL_URL:
        entry.state = EmailState.KEPT
        entry.sent_at = timezone.now()
        entry.save(update_fields=["state", "sent_at"])
        return
    message = EmailMultiAlternatives(
        subject=entry.subject, body=entry.body_text, to=[entry.to], headers=entry.headers,
    )
    if entry.body_html:
        message.attach_alternative(entry.body_html, "text/html")
    entry.attempts += 1
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


@task()
def send_email(email_id: int) -> None:
    with transaction.atomic():
        entry = (
            EmailLog.objects.select_for_update()
            .filter(pk=email_id, state__in=[EmailState.QUEUED, EmailState.FAILED])
            .first()
        )
        if entry is None:
            return  # already sent by another run: at-least-once enqueueing, exactly-once sending
        deliver(entry)


def retry_unsent_emails() -> int:
    """Periodic: send e-mails whose task was lost, and retry failed ones with backoff."""
    now = timezone.now()
    due = EmailLog.objects.filter(retried_by_owner=False).filter(
        Q(state=EmailState.QUEUED, created_at__lt=now - timedelta(minutes=2))
        | Q(state=EmailState.FAILED, attempts__lt=MAX_ATTEMPTS)
    ).values_list("pk", "state", "attempts", "created_at")[:200]
    count = 0
    for pk, state, attempts, created_at in due:
        if state == EmailState.FAILED and created_at > now - timedelta(minutes=2 ** attempts):
            continue
        send_email.call(pk)
        count += 1
    return count
