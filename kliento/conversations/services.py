"""Use cases of the conversations domain."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from kliento.conversations.models import Conversation, ConversationStatus, Direction, Message
from kliento.core.models import Team, User, Workspace
from kliento.customers.models import Customer


def record_contact(
    *, workspace: Workspace, customer: Customer, channel: str, agent: User | None,
    team: Team | None, subject: str = "", note: str = "", occurred_at: datetime | None = None,
) -> Conversation:
    """Document one contact with a customer (a call, a visit, a chat), with the agent's note."""
    when = occurred_at or timezone.now()
    conversation = Conversation.objects.create(
        workspace=workspace, customer=customer, channel=channel, subject=subject[:200],
        agent=agent, team=team, started_at=when, status=ConversationStatus.CLOSED,
    )
    if note.strip():
        Message.objects.create(
            workspace=workspace, conversation=conversation, direction=Direction.NOTE,
            author=agent, body=note.strip(), created_at=when,
        )
    return conversation
