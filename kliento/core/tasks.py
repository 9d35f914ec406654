"""Enqueueing background work so that it runs exactly when its cause is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


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
