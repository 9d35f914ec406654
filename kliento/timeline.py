"""A customer's timeline: everything about them from every domain, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice
from typing import Any

from kliento.conversations.models import Conversation
from kliento.customers.models import Customer
from kliento.feedback.models import Feedback


@dataclass
class Entry:
    kind: str  # "feedback" | "conversation"
    at: datetime
    item: Any


def timeline(customer: Customer, *, limit: int = 100) -> list[Entry]:
    """The newest `limit` entries; a fixed number of queries whatever the history's length."""
    ws = customer.workspace_id
    feedback = (
        Feedback.objects.filter(workspace_id=ws, customer=customer)
        .select_related("agent", "team").order_by("-occurred_at", "-pk")[:limit]
    )
    conversations = (
        Conversation.objects.filter(workspace_id=ws, customer=customer)
        .select_related("agent", "team").prefetch_related("messages")
        .order_by("-started_at", "-pk")[:limit]
    )
    # On equal times the contact comes before what was said in it (merge is stable).
    streams = [
        (Entry("conversation", c.started_at, c) for c in conversations),
        (Entry("feedback", f.occurred_at, f) for f in feedback),
    ]
    return list(islice(merge(*streams, key=lambda e: e.at, reverse=True), limit))
