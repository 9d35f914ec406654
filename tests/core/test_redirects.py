"""A posted `next` only ever leads back into Kliento (issue #12, item 8)."""

from __future__ import annotations

import pytest

from kliento.alerts import services as alert_services
from kliento.alerts.models import Alert
from kliento.feedback.models import Feedback

pytestmark = pytest.mark.django_db

ELSEWHERE = ["https://evil.test/phish", "//evil.test/phish", "http:\\\\evil.test",
             "javascript:alert(1)", "https://testserver.evil.test/"]


def _alert(world, api, run_tasks) -> Alert:
    channel = alert_services.create_channel(workspace=world.acme, actor=None, name="Duty",
                                            kind="email", target="duty@acme.test")
    alert_services.save_rule(workspace=world.acme, actor=None, data=alert_services.RuleInput(
        name="Unhappy", conditions={"polarity": ["negative"]}, channel_ids=[channel.pk]))
    with run_tasks():
        r = api.post("/feedback", {"customer": {"email": "ilze@example.lv"}, "score": 1,
                                   "scale": "csat"})
    assert r.status_code == 201, r.content
    return Alert.objects.get(workspace=world.acme)


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_acknowledging_an_alert_never_leaves_the_site(world, api, run_tasks, signed_in,
                                                      elsewhere):
    alert = _alert(world, api, run_tasks)
    r = signed_in(world.alice).post(f"/alerts/{alert.pk}/acknowledge/", {"next": elsewhere})
    assert r.status_code == 302
    assert r["Location"] == "/alerts/"
    alert.refresh_from_db()
    assert alert.state == "acknowledged"


def test_acknowledging_an_alert_goes_back_to_a_page_of_the_site(world, api, run_tasks,
                                                                signed_in):
    alert = _alert(world, api, run_tasks)
    r = signed_in(world.alice).post(f"/alerts/{alert.pk}/acknowledge/",
                                    {"next": f"/alerts/{alert.pk}/"})
    assert r.status_code == 302 and r["Location"] == f"/alerts/{alert.pk}/"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_correcting_feedback_never_leaves_the_site(world, api, run_tasks, signed_in,
                                                   elsewhere):
    with run_tasks():
        pk = api.post("/feedback", {"customer": {"email": "a@example.lv"},
                                    "text": "Viss labi"}).json()["id"]
    carol = signed_in(world.carol)
    r = carol.post(f"/feedback/{pk}/correct/", {"polarity": "negative", "next": elsewhere})
    assert r.status_code == 302 and r["Location"] == "/feed/"
    assert Feedback.objects.get(pk=pk).polarity == "negative"
    r = carol.post(f"/feedback/{pk}/correct/", {"polarity": "negative",
                                                "next": f"/customers/?q={pk}"})
    assert r.status_code == 302 and r["Location"] == f"/customers/?q={pk}"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_signing_in_never_leaves_the_site(world, client, elsewhere):
    r = client.post(f"/accounts/login/?next={elsewhere}",
                    {"username": "alice@acme.test", "password": "correct horse battery staple",
                     "next": elsewhere})
    assert r.status_code == 302 and r["Location"] == "/feed/"
