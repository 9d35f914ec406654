from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kliento.core.models import WorkerHeartbeat
from kliento.core.worker import PeriodicJobs

pytestmark = pytest.mark.django_db


def test_healthz_is_503_without_a_worker(client):
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["database"] == "ok"
    assert r.json()["worker"] == "missing"


def test_a_periodic_tick_records_the_heartbeat_and_healthz_is_ok(world):
    jobs = PeriodicJobs("w-1", [("kliento.core.jobs.retry_unsent_emails", 60)])
    jobs.tick()
    r = Client().get("/healthz")
    assert r.status_code == 200, r.json()
    assert r.json()["worker"] == "ok"
    assert r.json()["worker_heartbeat_age_seconds"] < 5


def test_stale_heartbeat_is_unhealthy(world):
    WorkerHeartbeat.objects.create(worker_id="old", hostname="h", pid=1,
                                   started_at=timezone.now(),
                                   last_seen=timezone.now() - timedelta(minutes=5))
    r = Client().get("/healthz")
    assert r.status_code == 503
    assert r.json()["worker"] == "stale"


def test_a_failing_job_does_not_stop_the_others():
    ran = []

    def boom() -> None:
        raise RuntimeError("broken job")

    jobs = PeriodicJobs("w-2", [])
    jobs.jobs = [("boom", boom, 1), ("ok", lambda: ran.append(1), 1)]
    jobs.next_run = {"boom": 0, "ok": 0}
    jobs.tick()
    assert ran == [1]


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_the_loop_task(settings):
    """The real database backend: hear() enqueues, the worker's loop runs it."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from kliento.core.services import create_workspace
    from kliento.customers.services import CustomerRef
    from kliento.loop import Voice, hear

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ws = create_workspace(name="Acme", slug="acme")
    fb = hear(Voice(workspace=ws, customer=CustomerRef(email="ieva@example.lv"),
                    channel="email", source="survey", score=1, scale="csat"))
    assert DBTaskResult.objects.ready().count() == 1
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="t", excluded_queue_names=[]).run()
    fb.refresh_from_db()
    assert fb.processed_at is not None
    assert fb.customer.last_polarity == "negative"
    assert DBTaskResult.objects.successful().count() == 1
