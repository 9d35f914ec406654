"""Periodic jobs of the alerts domain (settings.PERIODIC_JOBS)."""

from __future__ import annotations

from kliento.alerts import services
from kliento.alerts.tasks import send_delivery
from kliento.core.tasks import urgent


def dispatch_due_deliveries() -> int:
    """Retries whose time has come, and deliveries a dead worker left behind."""
    due = services.due_deliveries()
    services.mark_dispatched(due)
    for pk in due:
        urgent(send_delivery).enqueue(pk)
    return len(due)


def escalate_due_alerts() -> int:
    return services.escalate_due()
