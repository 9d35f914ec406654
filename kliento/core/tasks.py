"""Enqueueing background work so that it runs exactly when its cause is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task
from django_tasks_db import DatabaseBackend

URGENT_QUEUE = "urgent"


def urgent(task: Task[Any, Any]) -> Task[Any, Any]:
    """The same task, taken before all other queued work: someone is waiting for it (an alert
    on its way). It goes on the "urgent" queue, which every worker empties first (RQ takes
    queues in order, the database queue by priority) and which `kliento worker --urgent-only`
    serves alone, so a backlog of ordinary work never stands in its way."""
    backend = task.get_backend()
    changes: dict[str, Any] = {}
    if backend.supports_priority:
        changes["priority"] = TASK_MAX_PRIORITY
    if URGENT_QUEUE in backend.queues:
        changes["queue_name"] = URGENT_QUEUE
    return task.using(**changes) if changes else task


def enqueue_on_commit(task: Task[Any, Any], *args: Any) -> None:
    """Run `task` once the surrounding transaction commits, never before and never lost.

    With the database queue the task row is written inside the same transaction: it becomes
    visible to workers exactly when the data does, and a crash after the commit cannot lose
    it (and it saves a second commit). Other queues are told after the commit.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
