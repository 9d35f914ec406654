"""Shared fixtures: workspace "acme" with agents alice and bob, manager carol, admin anna;
a second workspace "globex" (mallory) for isolation."""

from __future__ import annotations

import os

os.environ.setdefault("KLIENTO_TASK_BACKEND", "immediate")

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if os.environ["KLIENTO_TASK_BACKEND"] == "redis":
        import django_rq

        django_rq.get_connection("default").flushdb()
    else:
        settings.TASKS = {"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class World:
    acme: Any
    globex: Any
    alice: Any
    bob: Any
    carol: Any
    anna: Any
    mallory: Any
    support: Any  # acme's team
    acme_token: str
    globex_token: str


@pytest.fixture
def world(db: None) -> World:
    from kliento.core.models import Role, User
    from kliento.core.services import (
        add_member,
        create_api_token,
        create_team,
        create_workspace,
    )

    def user(email: str, name: str, language: str = "en") -> User:
        return User.objects.create_user(email, PASSWORD, full_name=name, language=language)

    anna = user("anna@acme.test", "Anna Admin")
    alice = user("alice@acme.test", "Alice Agent")
    bob = user("bob@acme.test", "Bob Agent")
    carol = user("carol@acme.test", "Carol Manager")
    mallory = user("mallory@globex.test", "Mallory Other")
    acme = create_workspace(name="Acme", slug="acme", owner=anna, country="LV",
                            time_zone="Europe/Riga")
    globex = create_workspace(name="Globex", slug="globex", owner=mallory, country="PL")
    support = create_team(workspace=acme, actor=None, name="Support")
    add_member(workspace=acme, user=alice, role=Role.AGENT, teams=[support])
    add_member(workspace=acme, user=bob, role=Role.AGENT, teams=[support])
    add_member(workspace=acme, user=carol, role=Role.MANAGER)
    _t, acme_token = create_api_token(workspace=acme, name="tests", actor=None)
    _t, globex_token = create_api_token(workspace=globex, name="tests", actor=None)
    return World(acme, globex, alice, bob, carol, anna, mallory, support, acme_token,
                 globex_token)


@pytest.fixture
def signed_in(world: World) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


class Api:
    """A client of the REST API holding one workspace's token."""

    def __init__(self, token: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(f"/api/v1{path}", body, content_type="application/json")

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json")


@pytest.fixture
def api(world: World) -> Api:
    return Api(world.acme_token)


@pytest.fixture
def other_api(world: World) -> Api:
    return Api(world.globex_token)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Use as `with run_tasks():` — what the block enqueues has run when it ends.

    With the immediate backend tasks run as they are enqueued after commit; with Redis/RQ
    (KLIENTO_TASK_BACKEND=redis) a real RQ worker drains the queue, as many times as tasks
    enqueue more tasks.
    """

    @contextmanager
    def ctx() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield
        if os.environ["KLIENTO_TASK_BACKEND"] == "redis":
            from kliento.core.worker import rq_worker

            # Tasks enqueue tasks on commit; the test's transaction never commits, so each
            # round's on-commit work is run by hand until a round enqueues nothing more.
            for _round in range(10):
                with django_capture_on_commit_callbacks(execute=True) as callbacks:
                    rq_worker("tests").work(burst=True)
                if not callbacks:
                    break

    return ctx


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on loopback collecting every message it receives."""
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self) -> None:
            self.messages: list[Any] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            import email
            from email import policy

            self.messages.append(email.message_from_bytes(envelope.content,
                                                          policy=policy.default))
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings: Any, smtp_server: Any) -> Any:
    controller, handler = smtp_server
    port = controller.port
    settings.EMAIL_URL = f"smtp://127.0.0.1:{port}"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    return handler
