"""Periodic jobs of the core domain, run by the worker (settings.PERIODIC_JOBS)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kliento.core.mail import retry_unsent_emails
from kliento.core.models import WorkerHeartbeat
from kliento.core.ratelimit import prune_rate_counters

__all__ = ["prune_finished_tasks", "prune_rate_counters", "requeue_stalled_tasks",
           "retry_unsent_emails"]

log = logging.getLogger(__name__)

# A task that kills every worker that runs it is not run forever: after this many workers
# it stays failed (visible in the admin), and the sweeps of its domain take over.
MAX_TASK_RUNS = 5
# A task that failed because the database went away did nothing wrong: it runs again.
CONNECTION_ERRORS = ("django.db.utils.OperationalError", "django.db.utils.InterfaceError")


def prune_finished_tasks() -> int:
    """Forget finished background-task records after a week; they only serve debugging."""
    cutoff = timezone.now() - timedelta(days=7)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def requeue_stalled_tasks() -> int:
    """Periodic: tasks whose worker died (SIGKILL, OOM, a lost machine) run again.

    Database queue: a task still `running` under a worker whose heartbeat is older than
    WORKER_STALE_SECONDS, or that never wrote one, goes back to `ready`; so does a task that
    failed only because the database connection broke. Every task is idempotent, so a
    second run is harmless. RQ: jobs its own cleanup moved to the failed registry as
    abandoned (their worker died) are enqueued again, once.
    """
    if settings.TASK_BACKEND == "redis":
        return _requeue_abandoned_rq_jobs()
    if settings.TASK_BACKEND != "database":
        return 0
    now = timezone.now()
    stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(last_seen__gte=stale)
                .values_list("worker_id", flat=True))
    stalled = 0
    candidates = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.RUNNING, started_at__lt=stale)
        | Q(status=TaskResultStatus.FAILED, exception_class_path__in=CONNECTION_ERRORS,
            finished_at__gte=now - timedelta(hours=1))
    ).only("pk", "status", "worker_ids", "started_at", "finished_at")[:500]
    for result in candidates:
        if (result.status == TaskResultStatus.RUNNING and result.worker_ids
                and result.worker_ids[-1] in alive):
            continue  # a long task on a live worker
        # Only the run seen here is undone: a worker that claimed the task again meanwhile
        # (or a second general worker doing this same pass) changed its start or finish.
        same_run = DBTaskResult.objects.filter(pk=result.pk, status=result.status,
                                               started_at=result.started_at,
                                               finished_at=result.finished_at)
        if len(result.worker_ids) >= MAX_TASK_RUNS:
            same_run.filter(status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now,
                exception_class_path="kliento.core.jobs.WorkerDied",
                traceback=f"Its worker died {MAX_TASK_RUNS} times while running it.")
            continue
        stalled += same_run.update(status=TaskResultStatus.READY, finished_at=None,
                                   exception_class_path="", traceback="")
    if stalled:
        log.warning("put %d task(s) of dead workers back on the queue", stalled)
    return stalled


def _requeue_abandoned_rq_jobs() -> int:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    count = 0
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name, job_class=Job)
        # Cleaning the started registry moves jobs whose worker stopped renewing them to the
        # failed registry, marked abandoned; RQ itself would leave them there.
        StartedJobRegistry(queue=queue, job_class=Job).cleanup()
        failed = FailedJobRegistry(queue=queue, job_class=Job)
        for job_id in failed.get_job_ids():
            job = queue.fetch_job(job_id)
            result = job.latest_result() if job is not None else None
            if job is None or result is None or "AbandonedJobError" not in (
                    result.exc_string or ""):
                continue
            runs = int(job.meta.get("kliento_requeued", 0))
            if runs >= MAX_TASK_RUNS:
                continue
            job.meta["kliento_requeued"] = runs + 1
            job.save_meta()
            failed.requeue(job)
            count += 1
    if count:
        log.warning("enqueued %d abandoned RQ job(s) again", count)
    return count
