"""Enqueueing background work so that it runs exactly when its cause is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task
from django_tasks_db import DatabaseBackend

URGENT_QUEUE = "urgent"


def urgent(task: Task[Any, Any]) -> Task[Any, Any]:
    """The same task, taken before all other queued work: someone is waiting for it (an alert
    on its way). The database queue orders by priority; RQ has no priorities, so it gets a
    queue of its own that the worker always empties first."""
    if task.get_backend().supports_priority:
        return task.using(priority=TASK_MAX_PRIORITY)
    return task.using(queue_name=URGENT_QUEUE)


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
