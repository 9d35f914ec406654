"""From a negative answer to the webhook receiver: how long does the alert take?

    python bench/alert_latency.py [--rate 100] [--seconds 60] [--negative 0.2]

For each task backend (database, then Redis/RQ): a fresh PostgreSQL database, `kliento serve
--with-worker` on loopback, a webhook channel pointing at a receiver in this process, and a
rule "negative → webhook". Answers are POSTed at `rate` per second for `seconds`, a share of
them negative; the receiver timestamps each alert's arrival. Prints p50/p99 from answer POST
to webhook received and how many alerts never arrived, and appends to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import free_port, publish, start, stop, table, wait_for_port

KLIENTO = [sys.executable, "-m", "kliento.cli"]
arrivals: dict[int, float] = {}


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        now = time.perf_counter()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        match = re.search(r"#feedback-(\d+)", json.loads(body)["links"]["feedback"])
        if match:
            arrivals.setdefault(int(match.group(1)), now)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


async def paced_posts(port: int, paths: list[str], rate: float) -> dict[str, float]:
    """POST each path at `rate` per second over keep-alive connections; send times."""
    sent: dict[str, float] = {}
    failed: list[str] = []
    queue: asyncio.Queue[str] = asyncio.Queue()

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while True:
            path = await queue.get()
            sent[path] = time.perf_counter()
            for _attempt in range(3):
                # The server closes idle keep-alive connections: reconnect and send again.
                writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Length: 0\r\n\r\n".encode())
                try:
                    await writer.drain()
                    status = await reader.readline()
                except ConnectionError:
                    status = b""
                if status:
                    break
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if status.split()[1:2] != [b"200"]:
                failed.append(path)
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            queue.task_done()

    workers = [asyncio.create_task(client()) for _ in range(64)]
    started = time.perf_counter()
    for i, path in enumerate(paths):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait(path)
    await queue.join()
    for w in workers:
        w.cancel()
    if failed:
        print(f"{len(failed)} answers were not accepted (first: {failed[0]})", file=sys.stderr)
    return sent


def run(backend: str, args: argparse.Namespace, receiver_url: str) -> list[object]:
    env = {"DATABASE_URL": args.database_url, "KLIENTO_TASK_BACKEND": backend,
           "KLIENTO_ALLOW_PRIVATE_TARGETS": "1", "KLIENTO_LOG_LEVEL": "WARNING",
           "KLIENTO_VAR_DIR": str(Path("var/bench").resolve()),
           "REDIS_URL": args.redis_url if backend == "redis" else ""}
    os.environ.update(env)
    from bench.answers import recreate_database

    if "django" in sys.modules:  # this process still holds a connection to the last run's
        from django.db import connections

        connections.close_all()
    recreate_database(args.database_url)
    subprocess.run([*KLIENTO, "migrate", "--no-input", "-v0"], check=True, env={**os.environ})
    if backend == "redis":
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
    n = int(args.rate * args.seconds)
    paths = prepare(n, args.negative, receiver_url)
    arrivals.clear()
    port = free_port()
    server = start([*KLIENTO, "serve", "--with-worker", "--port", str(port)], env)
    try:
        wait_for_port(port)
        time.sleep(3)  # the worker's first heartbeat and imports
        sent = asyncio.run(paced_posts(port, paths, args.rate))
        expected = negative_feedback_ids(paths)
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and len(set(expected) & set(arrivals)) < len(
                expected):
            time.sleep(0.2)
    finally:
        stop(server)
    latencies = sorted(arrivals[fid] - sent[path] for path, fid in expected.items()
                       if fid in arrivals)
    late = len(expected) - len(latencies)  # still queued 30 s after the load (or lost)

    def pct(p: float) -> str:
        if not latencies:
            return "—"
        return f"{1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]:.0f}"

    return [backend, n, len(expected), pct(0.5), pct(0.99), late]


def prepare(n: int, negative: float, receiver_url: str) -> list[str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    django.setup()
    from bench.answers import prepare as invitations
    from kliento.alerts import services
    from kliento.core.models import Workspace

    paths = invitations(n)
    ws = Workspace.objects.get(slug="bench")
    hook = services.create_channel(workspace=ws, actor=None, name="bench", kind="webhook",
                                   target=receiver_url)
    services.save_rule(workspace=ws, actor=None, data=services.RuleInput(
        name="negative", conditions={"polarity": ["negative"]}, channel_ids=[hook.pk]))
    every = max(1, round(1 / negative))
    # answers.prepare gives scores 1..5 in turn; make every `every`-th one negative only
    return [re.sub(r"/\d/$", "/1/" if i % every == 0 else "/5/", p) for i, p in enumerate(paths)]


def negative_feedback_ids(paths: list[str]) -> dict[str, int]:
    from kliento.surveys.models import Invitation
    from kliento.surveys.services import key_of

    keys = {key_of(p.split("/")[2]): p for p in paths if p.endswith("/1/")}
    rows = Invitation.objects.filter(key__in=list(keys), feedback__isnull=False).values_list(
        "key", "feedback_id")
    return {keys[k]: fid for k, fid in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--negative", type=float, default=0.2)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kliento_bench"))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--backends", default="database,redis")
    args = parser.parse_args()
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_port}/hook"
    rows = [run(b, args, url) for b in args.backends.split(",")]
    publish(table("Alert latency, answer POST → webhook received (bench/alert_latency.py)",
                  ["backend", "answers", "negative", "p50 ms", "p99 ms",
                   "not arrived 30 s after the load"], rows,
                  [f"- {args.rate:.0f} answers/s for {args.seconds:.0f} s, "
                   f"{100 * args.negative:.0f} % negative; `kliento serve --with-worker` "
                   "(a general and an urgent-only worker) on PostgreSQL; receiver and load client "
                   "on the same machine.",
                   "- Goal: p99 < 1 s (database), < 300 ms (Redis)."]))


if __name__ == "__main__":
    main()
