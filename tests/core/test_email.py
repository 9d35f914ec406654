from __future__ import annotations

import pytest
from django.db import transaction

from kliento.core.mail import queue_email, retry_unsent_emails
from kliento.core.models import EmailLog

pytestmark = pytest.mark.django_db(transaction=True)


def test_email_goes_out_through_real_smtp_after_commit(smtp_settings):
    with transaction.atomic():
        entry = queue_email(to="ilze@example.lv", subject="Paldies!", body_text="Sveiki, Ilze",
                            body_html="<p>Sveiki, <b>Ilze</b></p>", kind="test")
        assert smtp_settings.messages == []  # nothing leaves inside the transaction
    entry.refresh_from_db()
    assert entry.state == "sent"
    [message] = smtp_settings.messages
    assert message["To"] == "ilze@example.lv"
    assert message["Subject"] == "Paldies!"
    assert message.get_body(("plain",)).get_content().strip() == "Sveiki, Ilze"
    assert "<b>Ilze</b>" in message.get_body(("html",)).get_content()


def test_unreachable_smtp_is_recorded_and_retried(settings, smtp_settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    entry = queue_email(to="jan@example.pl", subject="Dzień dobry", body_text="x", kind="test")
    entry.refresh_from_db()
    assert entry.state == "failed"
    assert entry.error
    assert entry.attempts == 1
    settings.EMAIL_PORT = smtp_settings_port(settings)
    EmailLog.objects.filter(pk=entry.pk).update(created_at="2020-01-01T00:00Z")
    assert retry_unsent_emails() == 1
    entry.refresh_from_db()
    assert entry.state == "sent"
    assert len(smtp_settings.messages) == 1


def smtp_settings_port(settings) -> int:
    return int(settings.EMAIL_URL.rsplit(":", 1)[1])
