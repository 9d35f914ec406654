"""Workers die, databases restart: no unhappy voice is dropped and the work carries on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kliento.alerts.models import Alert, Delivery
from kliento.core.models import WorkerHeartbeat
from kliento.core.worker import PeriodicJobs, Supervisor
from kliento.feedback.models import Feedback
from kliento.loop import sweep_unprocessed_feedback
from tests.alerts.test_deliveries import make_rule

database_queue_only = pytest.mark.skipif(os.environ["KLIENTO_TASK_BACKEND"] == "redis",
                                         reason="the database queue")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["urgent", "default"]}}
    settings.TASK_BACKEND = "database"


def drain() -> None:
    """A worker that runs what is ready now, then stops."""
    Worker(queue_names=["urgent", "default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="drain",
           excluded_queue_names=[]).run()


def periodic_pass(settings) -> None:
    """One pass of the general worker's periodic jobs, as a surviving worker runs them."""
    PeriodicJobs("survivor", settings.PERIODIC_JOBS).tick()


def unhappy(api, email="ilze@example.lv"):
    r = api.post("/feedback", {"customer": {"email": email}, "score": 1, "scale": "csat",
                               "text": "Kurjers neatbrauca."})
    assert r.status_code == 201, r.content
    return Feedback.objects.get(pk=r.json()["id"])


def heartbeat(worker_id: str, age: timedelta) -> None:
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="h", pid=1,
                                   started_at=timezone.now() - timedelta(hours=1),
                                   last_seen=timezone.now() - age)


@database_queue_only
@pytest.mark.django_db(transaction=True)
def test_an_unhappy_voice_whose_worker_was_killed_still_alerts(world, api, receiver, private_ok,
                                                               database_queue, settings):
    make_rule(world, receiver)
    feedback = unhappy(api)
    other = unhappy(api, "janis@example.lv")
    killed, busy = DBTaskResult.objects.ready().order_by("enqueued_at")
    # Two minutes ago a worker took the first voice and was killed with SIGKILL: its task
    # row still says running and its heartbeat stopped. A live worker is busy with the other.
    killed.claim("killed-worker")
    busy.claim("busy-worker")
    DBTaskResult.objects.filter(pk__in=[killed.pk, busy.pk]).update(
        started_at=timezone.now() - timedelta(minutes=2))
    heartbeat("killed-worker", timedelta(minutes=2))
    heartbeat("busy-worker", timedelta(seconds=1))
    drain()
    assert receiver.requests == [] and not Alert.objects.exists()

    periodic_pass(settings)
    killed.refresh_from_db()
    busy.refresh_from_db()
    assert (killed.status, busy.status) == ("READY", "RUNNING")
    drain()
    feedback.refresh_from_db()
    assert feedback.processed_at is not None
    [alert] = Alert.objects.all()
    assert alert.feedback_id == feedback.pk
    [delivery] = Delivery.objects.all()
    assert delivery.state == "sent"
    assert [r.headers["x-kliento-delivery"] for r in receiver.requests] == [str(delivery.uuid)]
    killed.refresh_from_db()
    assert killed.status == "SUCCESSFUL" and killed.worker_ids == ["killed-worker", "drain"]
    assert Feedback.objects.get(pk=other.pk).processed_at is None  # still the busy worker's


@database_queue_only
@pytest.mark.django_db(transaction=True)
def test_a_task_that_failed_because_the_database_went_away_runs_again(
        world, api, receiver, private_ok, database_queue, settings):
    from django.db import OperationalError

    make_rule(world, receiver)
    feedback = unhappy(api)
    [task] = DBTaskResult.objects.ready()
    task.claim("some-worker")  # PostgreSQL restarted under the task, as the worker records it
    task.set_failed(OperationalError("server closed the connection unexpectedly"))
    periodic_pass(settings)
    task.refresh_from_db()
    assert task.status == "READY"
    drain()
    feedback.refresh_from_db()
    assert feedback.processed_at is not None
    assert len(receiver.requests) == 1
    periodic_pass(settings)  # done: nothing runs again
    drain()
    assert len(receiver.requests) == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"


@database_queue_only
@pytest.mark.django_db(transaction=True)
def test_a_voice_whose_task_was_lost_is_swept_up_after_a_minute(world, api, receiver,
                                                               private_ok, database_queue):
    make_rule(world, receiver)
    feedback = unhappy(api)
    DBTaskResult.objects.all().delete()  # the queue lost the task (flushed, failed for good)
    assert sweep_unprocessed_feedback() == 0  # not a minute old yet
    assert sweep_unprocessed_feedback(timezone.now() + timedelta(seconds=30)) == 0
    later = timezone.now() + timedelta(minutes=2)
    assert sweep_unprocessed_feedback(later) == 1
    assert sweep_unprocessed_feedback(later) == 0  # its task waits in the queue: not twice
    [task] = DBTaskResult.objects.ready()
    assert task.queue_name == "urgent"
    drain()
    feedback.refresh_from_db()
    assert feedback.processed_at is not None
    assert Alert.objects.get().feedback_id == feedback.pk
    assert len(receiver.requests) == 1
    assert sweep_unprocessed_feedback(later) == 0


@database_queue_only
@pytest.mark.django_db(transaction=True)
def test_the_worker_carries_on_after_postgresql_drops_and_refuses_connections(
        world, api, database_queue, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "kliento.cli", "worker", "--interval", "0.05"],
        env={**os.environ, "DATABASE_URL": url, "KLIENTO_TASK_BACKEND": "database",
             "KLIENTO_WORKER_HEARTBEAT_SECONDS": "1", "REDIS_URL": ""},
        stdout=log, stderr=subprocess.STDOUT)
    try:
        first = unhappy(api)
        wait_until(lambda: Feedback.objects.get(pk=first.pk).processed_at is not None)

        # A PostgreSQL restart, for this database only: every connection of the worker is
        # cut, and for two seconds no new one is let in.
        import psycopg

        with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                             user=db["USER"], password=db["PASSWORD"] or None,
                             dbname="postgres", autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{db["NAME"]}" ALLOW_CONNECTIONS false')
            try:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> %s",
                              [db["NAME"], connection.connection.info.backend_pid])
                time.sleep(2)
            finally:
                admin.execute(f'ALTER DATABASE "{db["NAME"]}" ALLOW_CONNECTIONS true')

        second = unhappy(api, "janis@example.lv")
        wait_until(lambda: Feedback.objects.get(pk=second.pk).processed_at is not None)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert "lost its connection" in (tmp_path / "worker.log").read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)
        log.close()


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.1)


def test_serve_restarts_a_worker_process_that_dies():
    command = [sys.executable, "-c", "import time; time.sleep(120)"]
    supervisor = Supervisor([command, command], first_delay=0.1, check_every=0.05)
    supervisor.start()
    try:
        first, steady = supervisor.processes
        first.send_signal(signal.SIGKILL)
        wait_until(lambda: supervisor.restarts == 1, timeout=10)
        restarted = supervisor.processes[0]
        assert restarted.pid != first.pid and restarted.poll() is None
        assert supervisor.processes[1] is steady and steady.poll() is None
        restarted.send_signal(signal.SIGKILL)  # dies again: restarted after a longer pause
        wait_until(lambda: supervisor.restarts == 2, timeout=10)
        assert supervisor.delays[0] == pytest.approx(0.4)
    finally:
        supervisor.stop(timeout=5)
    assert all(p.poll() is not None for p in supervisor.processes)


@pytest.mark.skipif(os.environ["KLIENTO_TASK_BACKEND"] != "redis", reason="RQ queue")
@pytest.mark.django_db
def test_rq_jobs_of_a_dead_worker_run_again(world, api, receiver, private_ok, run_tasks,
                                            django_capture_on_commit_callbacks):
    from rq.executions import Execution
    from rq.job import JobStatus

    from kliento.core.jobs import requeue_stalled_tasks
    from kliento.core.worker import rq_worker

    make_rule(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = unhappy(api)
    [queue] = rq_worker("tests", urgent_only=True).queues
    [job] = queue.get_jobs()
    # A worker took the job and was killed: the job says started, its execution's heartbeat
    # ran out a second later, and it left the queue.
    with queue.connection.pipeline() as pipeline:
        queue.remove(job, pipeline=pipeline)
        job.set_status(JobStatus.STARTED, pipeline=pipeline)
        Execution.create(job, ttl=1, pipeline=pipeline, worker_name="killed-worker")
        pipeline.execute()
    time.sleep(2)
    assert requeue_stalled_tasks() == 1
    assert requeue_stalled_tasks() == 0
    with run_tasks():  # a surviving worker
        pass
    feedback.refresh_from_db()
    assert feedback.processed_at is not None
    assert Alert.objects.get().feedback_id == feedback.pk
    assert len(receiver.requests) == 1
