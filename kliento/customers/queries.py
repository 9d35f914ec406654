"""Reading customers: search and filters for the list page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kliento.core.models import Workspace
from kliento.customers.models import Customer


@dataclass
class CustomerFilter:
    q: str = ""
    tag: str = ""
    vip: bool | None = None
    language: str = ""
    polarity: str = ""


def search_customers(workspace: Workspace, f: CustomerFilter) -> QuerySet[Customer]:
    qs = Customer.objects.for_workspace(workspace)
    if f.q.strip():
        term = f.q.strip()
        qs = qs.filter(
            Q(name__icontains=term) | Q(identities__value__icontains=term.lower().lstrip("@"))
        ).distinct()
    if f.tag:
        qs = qs.filter(tags__name=f.tag.strip().lower())
    if f.vip is not None:
        qs = qs.filter(vip=f.vip)
    if f.language:
        qs = qs.filter(language=f.language)
    if f.polarity:
        qs = qs.filter(last_polarity=f.polarity)
    return qs.order_by("-last_feedback_at", "name", "pk")
