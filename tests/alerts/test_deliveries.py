"""Alerts reach real receivers: signed, retried, switched off when gone, never lost."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from kliento.alerts import services
from kliento.alerts.models import Alert, AlertChannel, Delivery
from kliento.alerts.tasks import send_delivery
from kliento.core.models import EmailLog

pytestmark = pytest.mark.django_db


def make_rule(world, receiver, kind="webhook", **extra):
    channel = services.create_channel(workspace=world.acme, actor=None, name=f"{kind} hook",
                                      kind=kind, target=receiver.url)
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="Unhappy", conditions={"polarity": ["negative"]}, channel_ids=[channel.pk],
        **extra))
    return channel


def unhappy(api, run_tasks, email="ilze@example.lv", text="Kurjers neatbrauca.", score=1):
    with run_tasks():
        r = api.post("/feedback", {"customer": {"email": email, "name": "Ilze <b>B</b>"},
                                   "score": score, "scale": "csat", "text": text,
                                   "agent_email": "alice@acme.test", "team": "Support"})
    assert r.status_code == 201, r.content
    return r.json()


def test_negative_answer_reaches_the_webhook_signed(world, api, run_tasks, receiver,
                                                    private_ok):
    channel = make_rule(world, receiver)
    fb = unhappy(api, run_tasks)
    alert = Alert.objects.get()
    assert alert.feedback_id == fb["id"] and alert.state == "open"
    [req] = receiver.requests
    delivery = Delivery.objects.get()
    assert delivery.state == "sent" and delivery.last_status == 200
    assert req.headers["x-kliento-delivery"] == str(delivery.uuid)
    t, v1 = (p.split("=", 1)[1] for p in req.headers["x-kliento-signature"].split(","))
    expected = hmac.new(channel.secret.encode(), f"{t}.".encode() + req.body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(v1, expected)
    body = req.json()
    assert body["type"] == "alert.created" and body["alert_id"] == alert.pk
    assert body["links"]["acknowledge"].endswith(f"/alerts/ack/{alert.ack_key}/")
    assert "Kurjers" not in req.body.decode()  # thin: no customer text leaves by webhook


def test_server_errors_are_retried_with_the_same_delivery_id(world, api, run_tasks, receiver,
                                                             private_ok):
    receiver.script = [(500, {}), (503, {})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("retrying", 1, 500)
    assert timedelta(seconds=20) < delivery.next_attempt_at - timezone.now() < timedelta(
        seconds=40)
    for _ in range(2):
        Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert services.due_deliveries() == [delivery.pk]
        send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 3)
    assert len({r.headers["x-kliento-delivery"] for r in receiver.requests}) == 1
    assert len(receiver.requests) == 3


def test_429_honours_retry_after(world, api, run_tasks, receiver, private_ok):
    receiver.script = [(429, {"Retry-After": "600"})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    assert delivery.state == "retrying"
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=590)


def test_client_errors_fail_at_once(world, api, run_tasks, receiver, private_ok):
    receiver.script = [(400, {})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 1, 400)
    assert services.due_deliveries() == []


def test_410_switches_the_channel_off_and_tells_the_admins(world, api, run_tasks, receiver,
                                                           private_ok):
    receiver.script = [(410, {})]
    channel = make_rule(world, receiver)
    unhappy(api, run_tasks)
    channel.refresh_from_db()
    assert not channel.is_active and "410" in channel.disabled_reason
    assert Delivery.objects.get().state == "failed"
    notice = EmailLog.objects.get(kind="channel_disabled")
    assert notice.to == "anna@acme.test" and channel.name in notice.subject
    unhappy(api, run_tasks, email="second@example.lv")
    assert len(receiver.requests) == 1  # nothing more is sent there


def test_the_guard_refuses_loopback_unless_allowed(world, api, run_tasks, receiver, settings):
    settings.ALLOW_PRIVATE_TARGETS = False
    # A name is judged where it leads, at every send (an address would be refused at once).
    receiver.url = receiver.url.replace("127.0.0.1", "localhost")
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    assert delivery.state == "failed"
    assert "localhost resolves to a private or local address" in delivery.last_error
    assert receiver.requests == []


def test_redirects_to_another_host_are_refused(world, api, run_tasks, receiver, private_ok):
    other = receiver.url.replace("127.0.0.1", "localhost")
    receiver.script = [(307, {"Location": other})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    assert delivery.state == "failed" and "redirect to another host refused" in delivery.last_error
    assert len(receiver.requests) == 1


def test_slack_and_teams_get_their_own_formats(world, api, run_tasks, receiver, private_ok):
    slack = services.create_channel(workspace=world.acme, actor=None, name="Slack",
                                    kind="slack", target=receiver.url)
    teams = services.create_channel(workspace=world.acme, actor=None, name="Teams",
                                    kind="teams", target=receiver.url)
    services.save_rule(workspace=world.acme, actor=None, data=services.RuleInput(
        name="All", conditions={}, channel_ids=[slack.pk, teams.pk]))
    unhappy(api, run_tasks, text="<script>alert(1)</script> Tragiski!")
    bodies = [r.json() for r in receiver.requests]
    slack_body = next(b for b in bodies if "blocks" in b)
    teams_body = next(b for b in bodies if b.get("type") == "message")
    quote = next(b for b in slack_body["blocks"] if b["type"] == "section" and "text" in b)
    assert "&lt;script&gt;" in quote["text"]["text"] and "<script>" not in quote["text"]["text"]
    card = teams_body["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert any(a["title"] == "Acknowledge" for a in card["actions"])


def test_a_delivery_left_by_a_dead_worker_is_sent_after_its_lease(world, api, run_tasks,
                                                                   receiver, private_ok):
    receiver.script = [(500, {})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    # a worker claimed it and died mid-send
    Delivery.objects.update(state="sending", lease_until=timezone.now() + timedelta(seconds=30))
    assert services.claim(delivery.pk) is None  # its lease still holds
    assert services.due_deliveries() == []
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert services.due_deliveries() == [delivery.pk]
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == "sent"


def test_failed_delivery_can_be_sent_again(world, api, run_tasks, receiver, private_ok):
    receiver.script = [(400, {})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    delivery = Delivery.objects.get()
    with run_tasks():
        r = api.post(f"/deliveries/{delivery.pk}/resend", {})
    assert r.status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    assert api.get("/deliveries", state="sent").json()["count"] == 1


def test_test_alert_shows_the_receivers_answer(world, signed_in, receiver, private_ok,
                                               run_tasks):
    channel = services.create_channel(workspace=world.acme, actor=None, name="Hook",
                                      kind="webhook", target=receiver.url)
    carol = signed_in(world.carol)
    with run_tasks():
        r = carol.post("/alerts/channels/", {"action": "test", "channel": channel.pk})
    page = carol.get(r["Location"]).content.decode()
    assert "HTTP 200" in page and "{&quot;ok&quot;: true}" in page
    assert receiver.requests[0].json()["type"] == "test"


def test_channel_kinds_and_targets_are_checked(world, api):
    for body, field in [
        ({"name": "x", "kind": "pager", "target": "https://a.example"}, "kind"),
        ({"name": "x", "kind": "webhook", "target": "not a url"}, "target"),
        ({"name": "x", "kind": "email", "target": "bad@", "audience": "addresses"}, "target"),
    ]:
        r = api.post("/alert-channels", body)
        assert r.status_code == 422, r.content
        assert any(field in d["loc"] for d in r.json()["detail"])
    r = api.post("/alert-channels", {"name": "Hook", "kind": "webhook",
                                     "target": "https://hooks.example.com/k"})  # not sent to
    assert r.status_code == 201 and len(r.json()["secret"]) >= 32
    assert "secret" not in api.get("/alert-channels").json()["items"][0]
    assert AlertChannel.objects.count() == 1


def test_periodic_dispatch_hands_each_due_delivery_to_one_task(world, api, run_tasks,
                                                               receiver, private_ok):
    from kliento.alerts.jobs import dispatch_due_deliveries

    receiver.script = [(500, {})]
    make_rule(world, receiver)
    unhappy(api, run_tasks)
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with run_tasks():
        assert dispatch_due_deliveries() == 1
    assert Delivery.objects.get().state == "sent"
    assert dispatch_due_deliveries() == 0
