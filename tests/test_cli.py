from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kliento.core.models import ApiToken, Membership, Workspace
from kliento.customers.models import Customer
from kliento.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_working_token_once(world, client):
    out = StringIO()
    call_command("token", "create", "--workspace", "acme", "--name", "Zendesk", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(name="Zendesk")
    assert token.workspace == world.acme and token.token_hash == ApiToken.hash_token(raw)
    r = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200


def test_token_create_for_unknown_workspace_fails_clearly(db):
    with pytest.raises(CommandError, match="No workspace with the slug 'nope'"):
        call_command("token", "create", "--workspace", "nope", "--name", "x")


def test_demo_is_alive_and_idempotent(db):
    out = StringIO()
    call_command("demo", stdout=out)
    ws = Workspace.objects.get(slug="demo")
    assert Customer.objects.for_workspace(ws).count() == 60
    count = Feedback.objects.for_workspace(ws).count()
    assert count > 200
    assert set(Feedback.objects.for_workspace(ws).values_list("language", flat=True)) >= {
        "en", "lv", "pl", "sr", "sr-latn", "et", "hu"}
    assert set(Membership.objects.for_workspace(ws).values_list("role", flat=True)) == {
        "admin", "manager", "agent"}
    assert "kliento-demo" in out.getvalue()
    # followed-up demo cases have their attempt in the outcome history, so the report counts
    # them as recovered at the first attempt
    from kliento.recovery.models import Case, CaseOutcome

    answered = Case.objects.for_workspace(ws).exclude(outcome="pending")
    assert answered.exists()
    assert CaseOutcome.objects.filter(case__in=answered).count() == answered.count()
    call_command("demo", stdout=StringIO())
    assert Feedback.objects.for_workspace(ws).count() == count
    assert Workspace.objects.filter(slug="demo").count() == 1


def test_workspace_create_gives_an_admin_and_the_default_alert_rule(db):
    from kliento.alerts.models import AlertRule
    from kliento.feedback.models import Theme

    out = StringIO()
    call_command("workspace", "create", "--name", "Baltic Shop", "--admin", "Ilze@Shop.lv",
                 "--slug", "baltic", "--country", "lv", stdout=out)
    ws = Workspace.objects.get(slug="baltic")
    assert Membership.objects.get(workspace=ws).user.email == "ilze@shop.lv"
    assert AlertRule.objects.filter(workspace=ws).count() == 1
    assert Theme.objects.filter(workspace=ws).count() == 7
    with pytest.raises(CommandError, match="exists already"):
        call_command("workspace", "create", "--name", "X", "--admin", "a@b.lv", "--slug",
                     "baltic")


@pytest.mark.django_db(transaction=True)
def test_demo_leaves_no_backlog_its_history_judged_and_counted(settings):
    from django_tasks_db.models import DBTaskResult

    from kliento.insights.services import recount, stored
    from kliento.surveys.models import Invitation

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["urgent", "default"]}}
    call_command("demo", stdout=StringIO())
    ws = Workspace.objects.get(slug="demo")
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    voices = Feedback.objects.for_workspace(ws)
    assert voices.count() > 200
    assert not voices.filter(processed_at__isnull=True).exists()
    assert not voices.exclude(text="").filter(analysed_at__isnull=True).exists()
    assert stored(ws) == recount(ws), stored(ws).differences(recount(ws))
    # today's invitations have left, none waits "Queued"
    assert not Invitation.objects.for_workspace(ws).filter(state="queued").exists()
    assert Invitation.objects.for_workspace(ws).filter(state="sent").count() == 8
