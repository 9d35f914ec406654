"""Periodic jobs only enqueue: a mail server that is down never stalls a pass, and what it
could not take leaves later, one task per e-mail."""

from __future__ import annotations

import os
import socket
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kliento.core.mail import queue_email, send_email
from kliento.core.models import EmailLog
from kliento.core.worker import PeriodicJobs
from kliento.surveys.models import Invitation, SendBatch
from kliento.surveys.tasks import send_invitation
from tests.core.test_worker_faults import drain
from tests.surveys.test_bulk_and_pages import upload

pytestmark = pytest.mark.skipif(os.environ["KLIENTO_TASK_BACKEND"] == "redis",
                                reason="the database queue")


def point_email_at(settings, port: int) -> None:
    settings.EMAIL_URL = f"smtp://127.0.0.1:{port}"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1


@pytest.mark.django_db(transaction=True)
def test_a_pass_with_smtp_down_returns_at_once_and_the_mails_leave_later(
        world, api, signed_in, survey, smtp_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["urgent", "default"]}}
    controller, collected = smtp_server
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        point_email_at(settings, closed.getsockname()[1])  # nothing listens there
    for email in ("ilze@example.lv", "janis@example.lv"):
        r = api.post(f"/surveys/{survey['id']}/invitations",
                     {"customer": {"email": email}, "send": True})
        assert r.status_code == 201, r.content
    with transaction.atomic():
        for to in ("alice@acme.test", "carol@acme.test"):
            queue_email(workspace=world.acme, kind="case_sla_warning", to=to,
                        subject="Case 7 is due soon", body_text="Case 7 is due in an hour.")
    drain()  # the first tries meet the closed port
    assert sorted(EmailLog.objects.values_list("state", "attempts")) == [("failed", 1)] * 4
    assert set(Invitation.objects.values_list("state", flat=True)) == {"failed"}

    client = signed_in(world.alice)
    upload(client, survey["id"], "email\nmari@example.ee\npeter@example.hu\n")
    client.post(f"/surveys/{survey['id']}/send/", {"action": "send"})
    # Three minutes later the retries are due; the mail server now takes connections but
    # never answers, so every e-mail sent inline would hold the pass for EMAIL_TIMEOUT.
    EmailLog.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    SendBatch.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        point_email_at(settings, silent.getsockname()[1])
        DBTaskResult.objects.all().delete()
        started = time.monotonic()
        PeriodicJobs("general", settings.PERIODIC_JOBS).tick()
        elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"a periodic pass waited {elapsed:.1f} s on the mail server"
    assert sorted(EmailLog.objects.values_list("state", "attempts")) == [("failed", 1)] * 4
    queued = sorted(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert queued == ["kliento.core.mail.send_email"] * 2 + [
        "kliento.surveys.tasks.send_invitation"] * 4

    point_email_at(settings, controller.port)  # the mail server is back
    drain()
    assert sorted(m["To"] for m in collected.messages) == [
        "alice@acme.test", "carol@acme.test", "ilze@example.lv", "janis@example.lv",
        "mari@example.ee", "peter@example.hu"]
    assert set(EmailLog.objects.values_list("state", flat=True)) == {"sent"}
    assert set(Invitation.objects.values_list("state", flat=True)) == {"sent"}
    for invitation in Invitation.objects.all():  # a task run twice sends nothing twice
        send_invitation.enqueue(invitation.pk)
    for entry in EmailLog.objects.filter(kind="case_sla_warning"):
        send_email.enqueue(entry.pk)
    PeriodicJobs("general", settings.PERIODIC_JOBS).tick()
    drain()
    assert len(collected.messages) == 6
    assert SendBatch.objects.get().finished_at is not None
