from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP receiver on loopback; answers from `script`, then `default`."""

    url: str
    requests: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    default: tuple[int, dict[str, str]] = (200, {})


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            r = state["r"]
            length = int(self.headers.get("Content-Length", "0"))
            r.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                                       self.rfile.read(length)))
            status, headers = r.script.pop(0) if r.script else r.default
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            body = b'{"ok": true}' if status < 300 else b"nope"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["r"] = Receiver(url=f"http://127.0.0.1:{server.server_port}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["r"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def private_ok(settings: Any) -> None:
    settings.ALLOW_PRIVATE_TARGETS = True
