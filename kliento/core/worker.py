"""The background worker: runs queued tasks and the periodic jobs, and says it is alive."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
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
            except (OperationalError, InterfaceError) as exc:
                log.warning("heartbeat: database unavailable (%s)", str(exc).strip()[:200])
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
            except (OperationalError, InterfaceError) as exc:
                # The database is away (restarting): one line per job, not a traceback.
                log.warning("periodic job %s: database unavailable (%s)", path,
                            str(exc).strip()[:200])
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
            try:
                # A connection the database dropped is closed here and opened afresh by the
                # next pass: a restarted PostgreSQL costs a few failed passes, not the thread.
                close_old_connections()
            except Exception:
                log.exception("closing database connections failed")
            if beat:
                last_beat = time.monotonic()
            self.stopping.wait(1.0)


class Backoff:
    """Exponential pauses between attempts at an unreachable service, capped, reset on
    success: quick to notice a restarted database, gentle on one that stays down."""

    def __init__(self, first: float = 0.5, cap: float = 10.0) -> None:
        self.first, self.cap = first, cap
        self.delay = first

    def next(self) -> float:
        delay = self.delay
        self.delay = min(self.cap, self.delay * 2)
        return delay

    def reset(self) -> None:
        self.delay = self.first


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


def _connection_errors() -> tuple[type[BaseException], ...]:
    """What a lost database (or Redis) raises: the worker waits and reconnects on these."""
    errors: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
    if settings.TASK_BACKEND == "redis":
        import redis

        errors += (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
    return errors


def run_worker(*, interval: float = 0.1, urgent_only: bool = False) -> None:
    """Run until SIGINT/SIGTERM: periodic jobs on a thread, tasks on this one. An urgent-only
    worker takes only urgent tasks (alerts on their way) and leaves the periodic jobs to the
    general worker; it still reports its heartbeat.

    A lost database connection (PostgreSQL restarted, a network blip) does not end the
    worker: it closes its connections, waits with exponential backoff and carries on, and
    puts the task it was running when the connection broke back on the queue."""
    worker_id = new_worker_id()
    periodic = PeriodicJobs(worker_id, [] if urgent_only else settings.PERIODIC_JOBS)
    periodic.start()
    log.info("worker %s started (backend: %s)", worker_id, settings.TASK_BACKEND)
    backoff = Backoff()
    attempt = 0
    try:
        while True:
            try:
                if settings.TASK_BACKEND == "immediate":
                    # Tasks run where they are enqueued; only periodic jobs here.
                    periodic.join()
                    return
                requeue_own_tasks(worker_id)
                backoff.reset()
                _take_tasks(worker_id, interval=interval, urgent_only=urgent_only,
                            attempt=attempt)
                return
            except _connection_errors() as exc:
                delay = backoff.next()
                log.warning("worker %s lost its connection (%s: %s); retrying in %.1f s",
                            worker_id, type(exc).__name__, str(exc).strip()[:200], delay)
                _close_connections()
                attempt += 1
                time.sleep(delay)
    finally:
        periodic.stopping.set()
        log.info("worker %s stopped", worker_id)


def _take_tasks(worker_id: str, *, interval: float, urgent_only: bool, attempt: int) -> None:
    if settings.TASK_BACKEND == "redis":
        # RQ keeps the name of a worker that lost Redis registered for a while: a new name
        # after each reconnection. Three INFO lines per job cost more than some jobs;
        # failures are still logged.
        name = worker_id if attempt == 0 else f"{worker_id}.{attempt}"
        rq_worker(name, urgent_only=urgent_only).work(
            with_scheduler=not urgent_only, logging_level="WARNING")
        return
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=[URGENT_QUEUE] if urgent_only else [URGENT_QUEUE, "default"],
        interval=interval, batch=False,
        backend_name="default", startup_delay=False, max_tasks=None,
        worker_id=worker_id, excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def run_waiting_tasks() -> None:
    """Run every task waiting in the queue here, in this process, until none is left (the
    tasks they enqueue included): for a command that makes a lot of work at once and
    should leave no backlog behind it (`kliento demo`). Periodic jobs are not run."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.management.commands.db_worker import Worker

        Worker(queue_names=[URGENT_QUEUE, "default"], interval=0, batch=True,
               backend_name="default", startup_delay=False, max_tasks=None,
               worker_id=new_worker_id(), excluded_queue_names=[]).run()
    elif settings.TASK_BACKEND == "redis":
        rq_worker(new_worker_id()).work(burst=True, logging_level="WARNING")
    # The immediate backend has run each task as it was enqueued.


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a dead socket may fail to close; it is dropped all the same
            log.debug("closing %s failed", conn.alias, exc_info=True)


def requeue_own_tasks(worker_id: str) -> int:
    """Tasks this worker was running when its database connection broke are run again: the
    worker takes one task at a time, so any still marked running under its id is orphaned."""
    if settings.TASK_BACKEND != "database":
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    orphans = [r.pk for r in DBTaskResult.objects.running().only("pk", "worker_ids")
               if r.worker_ids[-1:] == [worker_id]]
    if orphans:
        DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY)
        log.warning("worker %s put %d interrupted task(s) back on the queue",
                    worker_id, len(orphans))
    return len(orphans)


class Supervisor(threading.Thread):
    """Keeps worker processes running: one that dies (a crash, the OOM killer, a bug) is
    started again, after a pause that doubles while it keeps dying (1 s up to 30 s) and
    resets once it has stayed up for a minute. `serve --with-worker` runs one."""

    def __init__(self, commands: list[list[str]], *, first_delay: float = 1.0,
                 max_delay: float = 30.0, check_every: float = 0.5) -> None:
        super().__init__(name="kliento-supervisor", daemon=True)
        self.commands = commands
        self.first_delay, self.max_delay, self.check_every = first_delay, max_delay, check_every
        self.processes: list[subprocess.Popen[bytes]] = [subprocess.Popen(c) for c in commands]
        self.started = [time.monotonic()] * len(commands)
        self.delays = [first_delay] * len(commands)
        self.restarts = 0
        self.stopping = threading.Event()

    def check(self) -> None:
        """One look at every process; a dead one is restarted once its pause has passed."""
        for i, proc in enumerate(self.processes):
            if self.stopping.is_set() or proc.poll() is None:
                continue
            now = time.monotonic()
            if now - self.started[i] > 60:
                self.delays[i] = self.first_delay
            # Under gunicorn its arbiter may reap the process first: the status then reads 0.
            log.error("worker process %s (%s) is gone (status %s); restarting in %.0f s",
                      proc.pid, " ".join(self.commands[i][-2:]), proc.returncode, self.delays[i])
            if self.stopping.wait(self.delays[i]):
                return
            self.delays[i] = min(self.max_delay, self.delays[i] * 2)
            self.processes[i] = subprocess.Popen(self.commands[i])
            self.started[i] = time.monotonic()
            self.restarts += 1
            log.warning("worker process restarted as %s", self.processes[i].pid)

    def run(self) -> None:
        while not self.stopping.wait(self.check_every):
            self.check()

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to every worker (they finish their task), SIGKILL after `timeout`."""
        self.stopping.set()
        for proc in self.processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
