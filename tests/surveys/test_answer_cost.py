"""The one-click answer path does the least work that keeps its guarantees: a first answer
and a changed score take at most four SQL statements each, the task row included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kliento.feedback.models import Feedback
from kliento.insights.services import recount, stored
from kliento.surveys.models import Invitation
from tests.surveys.conftest import path_of

# No test transaction around the request: statements are counted as in production, where
# the answer's transaction is the outermost one (no savepoints).
pytestmark = pytest.mark.django_db(transaction=True)


# Django logs the answer's transaction's BEGIN and COMMIT too; they are not statements of
# their own on the wire worth counting here.
BOUNDS = 2


def statements(ctx):
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"].split()[0] not in ("BEGIN", "COMMIT")]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["urgent", "default"]}}


def run_queue():
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["urgent", "default"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="tests",
           excluded_queue_names=[]).run()


def test_first_answer_and_changed_score_take_four_statements_each(
        world, invite, database_queue, django_assert_max_num_queries):
    created = invite(customer={"language": "lv"})
    customer = Client()
    with django_assert_max_num_queries(4 + BOUNDS) as ctx:
        r = customer.post(path_of(created["links"]["2"]))
    assert len(statements(ctx)) == 4
    assert r.status_code == 200
    page = r.content.decode()
    assert 'lang="lv"' in page and "<title>Acme</title>" in page
    assert 'action="/a/' in page  # the follow-up comment is offered
    feedback = Feedback.objects.get()
    assert (feedback.score, feedback.polarity) == (2, "negative")
    invitation = Invitation.objects.get()
    assert invitation.feedback == feedback and invitation.answered_at is not None
    # Nothing is lost between commit and processing: the task row was written with the
    # answer, on the urgent queue (an unhappy score).
    [task] = DBTaskResult.objects.filter(status="READY")
    assert (task.queue_name, task.args_kwargs["args"]) == ("urgent", [feedback.pk])

    run_queue()
    invitation.refresh_from_db()
    assert invitation.state == "answered"
    assert stored(world.acme) == recount(world.acme)
    asked = stored(world.acme).invitations
    assert sum(n for (_key, what), n in asked.items() if what == "answered") == 1

    with django_assert_max_num_queries(4 + BOUNDS) as ctx:
        r = customer.post(path_of(created["links"]["5"]))
    assert len(statements(ctx)) == 4
    assert r.status_code == 200
    assert 'class="notice"' in r.content.decode()  # "your rating has been updated"
    feedback.refresh_from_db()
    assert (feedback.score, feedback.polarity) == (5, "positive")
    run_queue()
    assert stored(world.acme) == recount(world.acme)
    asked = stored(world.acme).invitations
    assert sum(n for (_key, what), n in asked.items() if what == "answered") == 1

    # the same score again, and a change after the edit window, change nothing
    with django_assert_max_num_queries(2 + BOUNDS):
        customer.post(path_of(created["links"]["5"]))
    Invitation.objects.update(answered_at=timezone.now() - timedelta(hours=2))
    with django_assert_max_num_queries(2 + BOUNDS):
        customer.post(path_of(created["links"]["1"]))
    feedback.refresh_from_db()
    assert feedback.score == 5
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_an_answer_counts_once_even_if_its_task_runs_twice(world, invite, database_queue):
    from kliento.loop import process_feedback

    created = invite()
    Client().post(path_of(created["links"]["4"]))
    feedback = Feedback.objects.get()
    run_queue()
    process_feedback.call(feedback.pk)  # a worker killed after its commit runs it again
    asked = stored(world.acme).invitations
    assert sum(n for (_key, what), n in asked.items() if what == "answered") == 1
    assert stored(world.acme) == recount(world.acme)


def test_an_answer_waiting_to_be_processed_stops_its_invitation_e_mail(
        api, survey, database_queue, mailoutbox):
    r = api.post(f"/surveys/{survey['id']}/invitations",
                 {"customer": {"email": "ilze@example.lv"}, "send": True})
    created = r.json()[0]
    assert created["state"] == "queued"
    # answered from a link handed out before the e-mail left (a reply, say)
    Client().post(path_of(created["links"]["5"]))
    run_queue()
    assert mailoutbox == []
    assert Invitation.objects.get().state == "answered"
