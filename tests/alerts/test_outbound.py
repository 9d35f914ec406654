"""The outbound door refuses every address that is not public, and no send outlives its lease:
a slow receiver is cut off in time, and a retried e-mail reaches only who it missed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.utils import timezone

from kliento.alerts import services
from kliento.alerts.models import AlertChannel, Delivery
from kliento.alerts.tasks import send_delivery
from kliento.core import http

pytestmark = pytest.mark.django_db

# -- the guard -------------------------------------------------------------------------

NOT_PUBLIC = [
    "100.64.0.1", "100.100.100.200", "100.127.255.254",  # carrier NAT, cloud metadata
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
    "2002:6464:64c8::",  # 6to4 of 100.100.100.200
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::6464:64c8",  # NAT64 of 100.100.100.200
    "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:100.100.100.200",  # IPv4-mapped
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "0.0.0.0", "0.1.2.3", "10.0.0.1", "127.0.0.1", "169.254.169.254", "172.16.0.1",
    "192.0.0.1", "192.0.2.1", "192.168.0.1", "198.18.0.1", "198.19.255.254",
    "198.51.100.1", "203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1",
    "255.255.255.255",
    "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "ff0e::1",
    "2001:db8::1", "100::1",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2001:4860:4860::8888",
          "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_the_guard_refuses_addresses_that_are_not_public(address, settings):
    settings.ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(http.HttpError, match="private or local address") as caught:
        http.post(f"http://[{address}]/hook" if ":" in address else f"http://{address}/hook",
                  b"{}", {})
    assert not caught.value.transient


@pytest.mark.parametrize("address", PUBLIC)
def test_the_guard_lets_public_addresses_through(address, settings):
    settings.ALLOW_PRIVATE_TARGETS = False
    assert http.resolve(address, 443) == address  # nothing is connected to


@pytest.mark.parametrize("address", ["100.100.100.200", "[2002:7f00:1::1]",
                                     "[64:ff9b::a9fe:a9fe]", "[::ffff:127.0.0.1]", "10.0.0.1"])
def test_a_channel_to_an_address_that_is_not_public_is_refused_when_saved(world, api,
                                                                          signed_in, address):
    r = api.post("/alert-channels", {"name": "Metadata", "kind": "webhook",
                                     "target": f"http://{address}/latest/meta-data/"})
    assert r.status_code == 422, r.content
    [detail] = r.json()["detail"]
    assert "target" in detail["loc"] and "private, local or reserved address" in detail["msg"]
    page = signed_in(world.carol).post("/alerts/channels/", {
        "name": "Metadata", "kind": "slack", "target": f"https://{address}/hook"})
    assert page.status_code == 200
    assert "private, local or reserved address" in page.content.decode()
    assert AlertChannel.objects.count() == 0


def test_channels_to_private_addresses_may_be_saved_when_allowed(world, api, private_ok):
    r = api.post("/alert-channels", {"name": "On premise", "kind": "webhook",
                                     "target": "http://10.0.0.5/hook"})
    assert r.status_code == 201, r.content


# -- a total deadline under the lease ---------------------------------------------------


@pytest.fixture
def trickler() -> Iterator[dict[str, Any]]:
    """A receiver that answers one byte a second: each read is quick, the answer never ends."""
    seen: dict[str, Any] = {"requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen["requests"] += 1
            self.send_response(200)
            self.send_header("Content-Length", "60")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass  # the client hung up: what we want

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    seen["url"] = f"http://127.0.0.1:{server.server_port}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_receiver_that_trickles_is_cut_off_before_the_lease_ends(world, trickler, settings,
                                                                   private_ok):
    settings.SEND_DEADLINE_SECONDS = 2
    settings.DELIVERY_LEASE_SECONDS = 10
    channel = services.create_channel(workspace=world.acme, actor=None, name="Slow",
                                      kind="webhook", target=trickler["url"])
    delivery = Delivery.objects.create(workspace=world.acme, channel=channel, event="test")
    started = time.monotonic()
    send_delivery.call(delivery.pk)
    took = time.monotonic() - started
    assert 2 <= took < settings.DELIVERY_LEASE_SECONDS  # cut off at the deadline, in the lease
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("retrying", 1)
    assert "timed out" in delivery.last_error and "within 2 s" in delivery.last_error
    assert delivery.lease_until is None
    # Where the lease would have passed, nobody takes it up again before its retry time.
    later = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    assert services.due_deliveries(later) == []
    assert services.claim(delivery.pk, later) is None
    assert trickler["requests"] == 1


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import kliento.settings"], capture_output=True, text=True,
        env={**os.environ, "KLIENTO_SECRET_KEY": "x" * 50, **env}, timeout=60)


def test_a_send_deadline_not_well_inside_the_lease_is_refused_at_start():
    bad = _load_settings(KLIENTO_DELIVERY_LEASE_SECONDS="60", KLIENTO_SEND_DEADLINE_SECONDS="45")
    assert bad.returncode != 0
    assert "KLIENTO_SEND_DEADLINE_SECONDS (45) must be above 0 and at most half" in bad.stderr
    good = _load_settings(KLIENTO_DELIVERY_LEASE_SECONDS="120",
                          KLIENTO_SEND_DEADLINE_SECONDS="45")
    assert good.returncode == 0, good.stderr
    assert django_settings.SEND_DEADLINE_SECONDS * 2 <= django_settings.DELIVERY_LEASE_SECONDS


# -- e-mail: each recipient once ---------------------------------------------------------


class RefusesOnce:
    """Collects messages; refuses each address in `refuse` the first time it is offered."""

    def __init__(self, refuse: set[str]) -> None:
        self.refuse = set(refuse)
        self.received: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.refuse:
            self.refuse.discard(address)
            return "450 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def picky_smtp(settings) -> Iterator[RefusesOnce]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = RefusesOnce({"ben@example.lv"})
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_URL = f"smtp://127.0.0.1:{port}"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield handler
    finally:
        controller.stop()


def _email_delivery(world) -> Delivery:
    channel = services.create_channel(
        workspace=world.acme, actor=None, name="Leads", kind="email",
        target="ann@example.lv, ben@example.lv, cid@example.lv")
    return Delivery.objects.create(workspace=world.acme, channel=channel, event="test")


def test_a_retried_email_goes_only_to_whom_it_missed(world, picky_smtp):
    delivery = _email_delivery(world)
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert sorted(picky_smtp.received) == ["ann@example.lv", "cid@example.lv"]
    assert (delivery.state, delivery.attempts) == ("retrying", 1)
    assert delivery.sent_to == ["ann@example.lv", "cid@example.lv"]
    assert "ben@example.lv: SMTPRecipientsRefused" in delivery.last_error

    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services.due_deliveries() == [delivery.pk]
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert delivery.sent_to == ["ann@example.lv", "cid@example.lv", "ben@example.lv"]
    assert delivery.last_response == "ann@example.lv, ben@example.lv, cid@example.lv"
    assert sorted(picky_smtp.received) == ["ann@example.lv", "ben@example.lv", "cid@example.lv"]


def test_sending_a_failed_email_again_reaches_only_the_missing(world, picky_smtp, api,
                                                               run_tasks):
    delivery = _email_delivery(world)
    send_delivery.call(delivery.pk)
    Delivery.objects.update(state="failed")  # as after the last retry
    with run_tasks():
        assert api.post(f"/deliveries/{delivery.pk}/resend", {}).status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    assert sorted(picky_smtp.received) == ["ann@example.lv", "ben@example.lv", "cid@example.lv"]
    # Sending a sent delivery again is asked for on purpose: everyone gets it again.
    with run_tasks():
        assert api.post(f"/deliveries/{delivery.pk}/resend", {}).status_code == 200
    assert len(picky_smtp.received) == 6


def test_an_email_send_begins_no_new_recipient_after_the_deadline(world, picky_smtp,
                                                                  settings):
    import asyncio

    settings.SEND_DEADLINE_SECONDS = 1
    picky_smtp.refuse = set()
    handle = picky_smtp.handle_DATA

    async def slow_data(server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(1.2)  # a slow server: the first e-mail uses up the deadline
        return await handle(server, session, envelope)

    picky_smtp.handle_DATA = slow_data
    delivery = _email_delivery(world)
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert picky_smtp.received == ["ann@example.lv"]
    assert (delivery.state, delivery.sent_to) == ("retrying", ["ann@example.lv"])
    assert "ben@example.lv: not begun within 1 s" in delivery.last_error

    picky_smtp.handle_DATA = handle
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    assert sorted(picky_smtp.received) == ["ann@example.lv", "ben@example.lv", "cid@example.lv"]
