"""Urgent work (an unhappy voice, an alert on its way) is taken before everything else."""

from __future__ import annotations

import os

import pytest
from django.test import override_settings

from kliento.alerts.tasks import send_delivery
from kliento.core.tasks import URGENT_QUEUE, urgent
from kliento.loop import process_feedback

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(os.environ["KLIENTO_TASK_BACKEND"] == "redis", reason="database queue")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                     "QUEUES": ["urgent", "default"]}})
def test_the_database_queue_takes_unhappy_voices_and_deliveries_first(world, api):
    from django_tasks_db.models import DBTaskResult

    for email, score in [("a@example.lv", 5), ("b@example.lv", 1), ("c@example.lv", 4)]:
        api.post("/feedback", {"customer": {"email": email}, "score": score, "scale": "csat"})
    queued = list(DBTaskResult.objects.filter(task_path="kliento.loop.process_feedback"))
    assert len(queued) == 3
    from kliento.feedback.models import Feedback

    unhappy = Feedback.objects.get(score=1)
    first = DBTaskResult.objects.ready().first()  # the order the worker takes them in
    assert first.args_kwargs["args"] == [unhappy.pk] and first.priority == 100
    assert sorted((t.priority, t.queue_name) for t in queued) == [
        (0, "default"), (0, "default"), (100, URGENT_QUEUE)]
    assert urgent(send_delivery).priority == 100


@pytest.mark.skipif(os.environ["KLIENTO_TASK_BACKEND"] != "redis", reason="RQ queue")
def test_rq_puts_urgent_work_on_a_queue_the_worker_empties_first():
    from kliento.core.worker import rq_worker

    assert urgent(process_feedback).queue_name == URGENT_QUEUE
    assert [q.name for q in rq_worker("order").queues] == [URGENT_QUEUE, "default"]
    assert [q.name for q in rq_worker("alerts", urgent_only=True).queues] == [URGENT_QUEUE]
