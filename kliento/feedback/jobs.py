"""Periodic jobs of the feedback domain (settings.PERIODIC_JOBS): they only enqueue."""

from __future__ import annotations

from kliento.feedback.exports import expired_exports
from kliento.feedback.tasks import remove_expired_exports as remove_task


def remove_expired_exports() -> int:
    """Export files past their week are removed by a task."""
    if not expired_exports().exists():
        return 0
    remove_task.enqueue()
    return 1
