"""The loop: every voice of the customer, step by step. The only module that composes domains.

    hear(voice)             record the Feedback (one transaction), then on commit:
    process_feedback(id)    a task: update the customer's satisfaction
                            (later: analyse text, evaluate alert rules, open or join a case)

Sources (surveys, conversations, imports, the API) build a `Voice` and call `hear`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kliento.conversations.services import record_contact
from kliento.core.models import Team, User, Workspace
from kliento.customers.models import Customer
from kliento.customers.services import CustomerRef, find_or_create_customer, set_satisfaction
from kliento.feedback.models import Feedback, Source
from kliento.feedback.services import (
    mark_processed,
    record_feedback,
    satisfaction_of,
    validate_voice_fields,
)

log = logging.getLogger(__name__)


@dataclass
class Voice:
    """What a customer said, through any channel, before it becomes a Feedback row."""

    workspace: Workspace
    customer: CustomerRef | Customer
    channel: str
    source: str
    score: int | None = None
    scale: str = ""
    text: str = ""
    language: str = ""
    agent: User | None = None
    team: Team | None = None
    conversation_id: int | None = None
    occurred_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def hear(voice: Voice) -> Feedback:
    """Record a voice as Feedback and have it processed once the record is committed.

    Raises ValidationError (naming each bad field) and writes nothing when the voice is invalid.
    """
    validate_voice_fields(channel=voice.channel, source=voice.source, score=voice.score,
                          scale=voice.scale, text=voice.text)
    with transaction.atomic():
        customer = voice.customer
        if isinstance(customer, CustomerRef):
            customer = find_or_create_customer(workspace=voice.workspace, ref=customer)
        feedback = record_feedback(
            workspace=voice.workspace, customer=customer, channel=voice.channel,
            source=voice.source, score=voice.score, scale=voice.scale, text=voice.text,
            language=voice.language, agent=voice.agent, team=voice.team,
            conversation_id=voice.conversation_id, occurred_at=voice.occurred_at,
            metadata=voice.metadata,
        )
        transaction.on_commit(lambda: process_feedback.enqueue(feedback.pk))
    return feedback


@task()
def process_feedback(feedback_id: int) -> None:
    """The loop's processing step for one Feedback, run by the worker after commit."""
    feedback = Feedback.objects.select_related("customer__workspace").filter(pk=feedback_id).first()
    if feedback is None:
        log.warning("feedback %s vanished before processing", feedback_id)
        return
    customer = feedback.customer
    s = satisfaction_of(customer)
    set_satisfaction(customer=customer, last_polarity=s.last_polarity,
                     last_feedback_at=s.last_feedback_at, rolling_csat=s.rolling_csat)
    mark_processed(feedback)


@dataclass
class Interaction:
    """A contact an agent documents by hand: a call, a visit, a chat or an e-mail."""

    workspace: Workspace
    customer: CustomerRef | Customer
    channel: str
    agent: User
    team: Team | None = None
    subject: str = ""
    note: str = ""
    customer_said: str = ""
    score: int | None = None
    scale: str = ""
    occurred_at: datetime | None = None


def log_interaction(interaction: Interaction) -> Feedback:
    """Document a contact and hear what the customer said (or how they rated it)."""
    i = interaction
    validate_voice_fields(channel=i.channel, source=Source.INTERACTION, score=i.score,
                          scale=i.scale, text=i.customer_said)
    when = i.occurred_at or timezone.now()
    with transaction.atomic():
        customer = i.customer
        if isinstance(customer, CustomerRef):
            customer = find_or_create_customer(workspace=i.workspace, ref=customer)
        conversation = record_contact(
            workspace=i.workspace, customer=customer, channel=i.channel, agent=i.agent,
            team=i.team, subject=i.subject, note=i.note, occurred_at=when,
        )
        return hear(Voice(
            workspace=i.workspace, customer=customer, channel=i.channel,
            source=Source.INTERACTION, score=i.score, scale=i.scale, text=i.customer_said,
            agent=i.agent, team=i.team, conversation_id=conversation.pk,
            occurred_at=when,
        ))
