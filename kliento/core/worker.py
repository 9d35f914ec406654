"""The background worker: runs queued tasks and the periodic jobs, and says it is alive."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from kliento.core.services import record_heartbeat
from kliento.core.tasks import URGENT_QUEUE

log = logging.getLogger("kliento.worker")


class PeriodicJobs(threading.Thread):
    """Heartbeat and periodic jobs, on their own thread so a long task never silences them."""

    def __init__(self, worker_id: str, jobs: list[tuple[str, float]]) -> None:
        super().__init__(name="kliento-periodic", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.jobs: list[tuple[str, Callable[[], object], float]] = [
            (path, import_string(path), every) for path, every in jobs
        ]
        self.next_run = {path: 0.0 for path, _f, _e in self.jobs}
        self.stopping = threading.Event()

    def tick(self, *, heartbeat: bool = True) -> None:
        """One pass: the heartbeat (when asked), then every job that is due. Never raises."""
        now = time.monotonic()
        if heartbeat:
            try:
                record_heartbeat(self.worker_id, self.started_at)
            except Exception:
                log.exception("heartbeat failed")
        for path, job, every in self.jobs:
            if now < self.next_run[path]:
                continue
            self.next_run[path] = now + every
            try:
                result = job()
                if result:
                    log.info("periodic %s: %s", path, result)
            except Exception:
                # A broken job must not stop the others nor the heartbeat.
                log.exception("periodic job %s failed", path)

    def run(self) -> None:
        # Jobs are looked at every second (the shortest period is 2 s); the heartbeat is
        # written every WORKER_HEARTBEAT_SECONDS, not every pass.
        last_beat = 0.0
        while not self.stopping.is_set():
            beat = time.monotonic() - last_beat >= settings.WORKER_HEARTBEAT_SECONDS
            self.tick(heartbeat=beat)
            close_old_connections()
            if beat:
                last_beat = time.monotonic()
            self.stopping.wait(1.0)


def rq_worker(name: str, *, urgent_only: bool = False) -> Any:
    """An RQ worker for the Tasks API's jobs on the urgent and the default queue.

    The Tasks API wraps each RQ job: the worker itself must use that Job class, or it calls
    the Task object instead of its function. SimpleWorker runs jobs in this process instead
    of forking one per job: a fork would share the parent's database connections.
    """
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    # RQ takes from the first queue that has work: urgent jobs jump everything else.
    names = [URGENT_QUEUE] if urgent_only else [URGENT_QUEUE, "default"]
    queues = [django_rq.get_queue(q, job_class=Job) for q in names]
    return SimpleWorker(queues, connection=queues[0].connection, job_class=Job, name=name)


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def run_worker(*, interval: float = 0.1, urgent_only: bool = False) -> None:
    """Run until SIGINT/SIGTERM: periodic jobs on a thread, tasks on this one. An urgent-only
    worker takes only urgent tasks (alerts on their way) and leaves the periodic jobs to the
    general worker; it still reports its heartbeat."""
    worker_id = new_worker_id()
    periodic = PeriodicJobs(worker_id, [] if urgent_only else settings.PERIODIC_JOBS)
    periodic.start()
    log.info("worker %s started (backend: %s)", worker_id, settings.TASK_BACKEND)
    try:
        if settings.TASK_BACKEND == "redis":
            # Three INFO lines per job cost more than some jobs; failures are still logged.
            rq_worker(worker_id, urgent_only=urgent_only).work(
                with_scheduler=not urgent_only, logging_level="WARNING")
        elif settings.TASK_BACKEND == "database":
            from django_tasks_db.management.commands.db_worker import Worker

            worker = Worker(
                queue_names=[URGENT_QUEUE] if urgent_only else [URGENT_QUEUE, "default"],
                interval=interval, batch=False,
                backend_name="default", startup_delay=False, max_tasks=None,
                worker_id=worker_id, excluded_queue_names=[],
            )
            worker.configure_signals()
            worker.run()
        else:  # immediate: tasks run where they are enqueued; only periodic jobs here
            periodic.join()
    finally:
        periodic.stopping.set()
        log.info("worker %s stopped", worker_id)
