"""Faults on purpose: killed workers, a restarted PostgreSQL, a receiver that is down, two
workers on one queue. Is any voice, answer, alert or task lost or run twice?

    python bench/faults.py [--voices 500] [--kills 10] [--rate 50] [--seconds 60]
                           [--receiver-down 300] [--pg-restart service|terminate]
                           [--only kills,postgres,receiver,two-workers]

Each scenario gets a fresh PostgreSQL database and the database task queue:

- kills: unhappy answers POSTed to `kliento serve` while the workers (a general and an
  urgent-only one) are killed with SIGKILL `kills` times and started again at once. Every
  voice must be processed and every alert delivered to the webhook receiver (on loopback);
  the receiver may see a delivery twice only under the same X-Kliento-Delivery id.
- postgres: answers at `rate` per second for `seconds` to `kliento serve --with-worker`
  while PostgreSQL is restarted twice (`pg_ctlcluster`; `--pg-restart terminate` instead
  cuts every connection to the bench database and refuses new ones for 3 s). No answer that
  got a 2xx may be lost; the workers must process voices again within 10 s of the database.
- receiver: the webhook receiver is down (nothing listens) for `receiver-down` seconds
  while alerts are raised; all must arrive after it is back.
- two-workers: two general workers on one queue drain the same backlog; every task must
  have run exactly once.

Prints one table and appends it to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import free_port, publish, start, stop, table, wait_for_port

KLIENTO = [sys.executable, "-m", "kliento.cli"]


class Receiver:
    """A webhook receiver on loopback: which delivery ids arrived for which feedback."""

    def __init__(self, port: int = 0) -> None:
        self.by_feedback: dict[int, set[str]] = {}
        self.receipts: Counter[str] = Counter()
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                match = re.search(r"#feedback-(\d+)", json.loads(body)["links"]["feedback"])
                with owner.lock:
                    delivery = self.headers["X-Kliento-Delivery"]
                    owner.receipts[delivery] += 1
                    if match:
                        owner.by_feedback.setdefault(int(match.group(1)), set()).add(delivery)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def repeats(self) -> int:
        """Receipts beyond the first of one delivery id: deduplicable by the receiver."""
        return sum(n - 1 for n in self.receipts.values())

    def duplicate_alerts(self) -> int:
        """Feedback alerted under more than one delivery id: a duplicate nobody can spot."""
        return sum(len(ids) - 1 for ids in self.by_feedback.values())


def fresh_database(args: argparse.Namespace) -> dict[str, str]:
    env = {"DATABASE_URL": args.database_url, "KLIENTO_TASK_BACKEND": "database",
           "KLIENTO_ALLOW_PRIVATE_TARGETS": "1", "KLIENTO_LOG_LEVEL": "WARNING",
           "KLIENTO_VAR_DIR": str(Path("var/bench").resolve()), "REDIS_URL": ""}
    os.environ.update(env)
    from bench.answers import recreate_database

    if "django" in sys.modules:  # this process still holds a connection to the last one
        from django.db import connections

        connections.close_all()
    recreate_database(args.database_url)
    subprocess.run([*KLIENTO, "migrate", "--no-input", "-v0"], check=True, env={**os.environ})
    return env


def answer_paths(n: int, negative: float, receiver_url: str) -> list[str]:
    from bench.alert_latency import prepare

    return prepare(n, negative, receiver_url)


def workers() -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([*KLIENTO, "worker", *extra], env={**os.environ},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for extra in ([], ["--urgent-only"])]


def post_all(port: int, paths: list[str], rate: float) -> dict[str, int]:
    """POST each path at `rate` per second; the status each got (0: no answer at all)."""
    statuses: dict[str, int] = {}
    local = threading.local()

    def post(path: str) -> None:
        for _attempt in range(2):  # a keep-alive connection the server closed: once more
            conn = getattr(local, "conn", None) or http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30)
            local.conn = conn
            try:
                conn.request("POST", path, body=b"", headers={"Content-Length": "0"})
                response = conn.getresponse()
                response.read()
                statuses[path] = response.status
                return
            except (OSError, http.client.HTTPException):
                conn.close()
                local.conn = None
                statuses[path] = 0

    with ThreadPoolExecutor(max_workers=32) as pool:
        started = time.monotonic()
        for i, path in enumerate(paths):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(post, path)
    return statuses


def wait_for(condition: object, timeout: float) -> float:
    """Seconds until `condition()` holds; `timeout` if it never did."""
    from django.db import DatabaseError, connections

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():  # type: ignore[operator]
                return time.monotonic() - started
        except DatabaseError:  # this process's connection went with a PostgreSQL restart
            connections.close_all()
        time.sleep(0.5)
    return timeout


def all_processed() -> bool:
    from kliento.feedback.models import Feedback

    return not Feedback.objects.filter(processed_at__isnull=True).exists()


def all_delivered(receiver: Receiver) -> bool:
    from kliento.alerts.models import Delivery

    wanted = {str(u) for u in Delivery.objects.values_list("uuid", flat=True)}
    return all_processed() and wanted <= set(receiver.receipts)


def undelivered(receiver: Receiver) -> int:
    from kliento.alerts.models import Alert, Delivery

    wanted = {str(u) for u in Delivery.objects.values_list("uuid", flat=True)}
    alerts_without = Alert.objects.exclude(deliveries__isnull=False).count()
    return len(wanted - set(receiver.receipts)) + alerts_without


def unprocessed() -> int:
    from kliento.feedback.models import Feedback

    return Feedback.objects.filter(processed_at__isnull=True).count()


# -- the scenarios --------------------------------------------------------------------------


def kills(args: argparse.Namespace) -> list[object]:
    env = fresh_database(args)
    receiver = Receiver()
    paths = answer_paths(args.voices, 1.0, receiver.url)
    port = free_port()
    server = start([*KLIENTO, "serve", "--port", str(port)], env)
    procs = workers()
    started = time.monotonic()
    done = 0
    try:
        wait_for_port(port)
        # The answers arrive over about 20 s; a kill every 2 s lands among them.
        poster = threading.Thread(target=post_all, args=(port, paths, args.voices / 20))
        poster.start()
        while done < args.kills:
            time.sleep(2.0)
            for proc in procs:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            done += 1
            procs = workers()
        poster.join()
        took = wait_for(lambda: all_delivered(receiver), args.settle)
    finally:
        for proc in procs:
            stop(proc)
        stop(server)
        receiver.close()
    from django_tasks_db.models import DBTaskResult

    from kliento.feedback.models import Feedback

    rerun = sum(1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
                if len(ids) > 1)
    return ["workers killed (SIGKILL)", f"{Feedback.objects.count()} unhappy voices, "
            f"{done} kills of both workers", unprocessed(), undelivered(receiver),
            receiver.duplicate_alerts(), receiver.repeats(),
            (f"all delivered {time.monotonic() - started:.0f} s after the first answer"
             if took < args.settle else f"NOT all delivered after {args.settle:.0f} s")
            + f"; {rerun} tasks cut off by a kill ran again"]


def restart_postgres(how: str, database: str) -> tuple[float, str]:
    """Restart PostgreSQL (or cut this database off for 3 s); when it answers again, and how
    it was done (a failed restart falls back to cutting the database off)."""
    import psycopg

    admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    if how == "service":
        try:
            cluster = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True,
                                     check=True).stdout.split()
            subprocess.run(["pg_ctlcluster", cluster[0], cluster[1], "restart"], check=True)
        except (OSError, IndexError, subprocess.CalledProcessError) as exc:
            print(f"pg_ctlcluster failed ({exc}); terminating backends instead",
                  file=sys.stderr)
            how = "terminate"
    if how == "terminate":
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid()", [database])
            time.sleep(3)
            conn.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    while True:
        try:
            with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=1):
                return time.time(), how
        except psycopg.OperationalError:
            time.sleep(0.05)


def postgres(args: argparse.Namespace) -> list[object]:
    env = fresh_database(args)
    receiver = Receiver()
    n = int(args.rate * args.seconds)
    paths = answer_paths(n, 0.2, receiver.url)
    port = free_port()
    database = args.database_url.rsplit("/", 1)[1]
    server = start([*KLIENTO, "serve", "--with-worker", "--port", str(port)], env)
    back_at: list[float] = []
    methods: set[str] = set()
    try:
        wait_for_port(port)
        time.sleep(3)  # the workers' imports and first heartbeat
        statuses: dict[str, int] = {}
        poster = threading.Thread(target=lambda: statuses.update(
            post_all(port, paths, args.rate)))
        load_started = time.monotonic()
        poster.start()
        for at in (args.seconds / 4, args.seconds * 2 / 3):
            time.sleep(max(0.0, load_started + at - time.monotonic()))
            back, method = restart_postgres(args.pg_restart, database)
            back_at.append(back)
            methods.add(method)
        poster.join()
        wait_for(all_processed, args.settle)
    finally:
        stop(server)
        receiver.close()
    from django.db import connections

    connections.close_all()
    from kliento.feedback.models import Feedback
    from kliento.surveys.models import Invitation
    from kliento.surveys.services import key_of

    ok = [p for p, s in statuses.items() if 200 <= s < 300]
    answered = set(Invitation.objects.filter(feedback__isnull=False).values_list("key",
                                                                                flat=True))
    lost = sum(1 for p in ok if key_of(p.split("/")[2]) not in answered)
    resumed = []
    for back in back_at:
        first = (Feedback.objects.filter(processed_at__gt=_aware(back))
                 .order_by("processed_at").values_list("processed_at", flat=True).first())
        resumed.append(f"{first.timestamp() - back:.1f}" if first else "never")
    errors = sum(1 for s in statuses.values() if not 200 <= s < 300)
    how = " + ".join(sorted("pg_ctlcluster restart" if m == "service"
                            else "backends terminated, new ones refused 3 s" for m in methods))
    return [f"PostgreSQL restarted twice ({how})",
            f"{n} answers at {args.rate:.0f}/s: {len(ok)} 2xx, {errors} refused",
            unprocessed(), f"{lost} 2xx answers lost", "—", "—",
            f"workers processing again {' s, '.join(resumed)} s after the database"]


def _aware(ts: float) -> object:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC)


def receiver_down(args: argparse.Namespace) -> list[object]:
    env = fresh_database(args)
    port = free_port()  # nothing listens here until the receiver comes back
    paths = answer_paths(args.voices // 5, 1.0, f"http://127.0.0.1:{port}/hook")
    web = free_port()
    server = start([*KLIENTO, "serve", "--with-worker", "--port", str(web)], env)
    receiver: Receiver | None = None
    try:
        wait_for_port(web)
        post_all(web, paths, 20)
        time.sleep(args.receiver_down)
        receiver = Receiver(port)
        took = wait_for(lambda: all_delivered(receiver), args.settle + 1800)
    finally:
        stop(server)
        if receiver is not None:
            receiver.close()
    assert receiver is not None
    return [f"webhook receiver down {args.receiver_down:.0f} s", f"{len(paths)} unhappy voices",
            unprocessed(), undelivered(receiver), receiver.duplicate_alerts(),
            receiver.repeats(), f"all delivered {took:.0f} s after the receiver came back "
            "(retries at 30 s, 2 min, 5 min, 15 min …)"]


def two_workers(args: argparse.Namespace) -> list[object]:
    env = fresh_database(args)
    receiver = Receiver()
    paths = answer_paths(args.voices, 1.0, receiver.url)
    from django_tasks_db.models import DBTaskResult

    port = free_port()
    server = start([*KLIENTO, "serve", "--port", str(port)], env)
    try:  # answered with no worker running: a backlog
        wait_for_port(port)
        post_all(port, paths, 100)
    finally:
        stop(server)
    procs = [subprocess.Popen([*KLIENTO, "worker"], env={**os.environ},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(2)]
    try:
        took = wait_for(lambda: all_delivered(receiver), args.settle)
    finally:
        for proc in procs:
            stop(proc)
        receiver.close()
    results = list(DBTaskResult.objects.values_list("worker_ids", "status"))
    twice = sum(1 for ids, _s in results if len(ids) > 1)
    by_worker = Counter(ids[0] for ids, _s in results if ids)
    return ["two general workers, one queue",
            f"{len(results)} tasks ({' + '.join(str(n) for n in by_worker.values())})",
            unprocessed(), undelivered(receiver), receiver.duplicate_alerts(),
            receiver.repeats(), f"{twice} tasks ran twice; drained in {took:.0f} s"]


SCENARIOS = {"kills": kills, "two-workers": two_workers, "receiver": receiver_down,
             "postgres": postgres}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", type=int, default=500)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--receiver-down", type=float, default=300)
    parser.add_argument("--settle", type=float, default=300,
                        help="seconds to wait for everything to be done after the faults")
    parser.add_argument("--pg-restart", choices=["service", "terminate"],
                        default="service" if shutil.which("pg_ctlcluster") else "terminate")
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kliento_bench_faults"))
    args = parser.parse_args()
    rows = [SCENARIOS[name](args) for name in args.only.split(",")]
    publish(table("Faults on purpose (bench/faults.py)",
                  ["fault", "load", "voices unprocessed", "alerts not delivered",
                   "duplicate alerts (new id)", "repeats (same id)", "recovery"], rows,
                  ["- Database task queue on PostgreSQL; receiver, load and server on one "
                   "machine. Unprocessed, not delivered and duplicate alerts must be 0; "
                   "repeats are sends cut off by a kill after the receiver had them, "
                   "deduplicable by `X-Kliento-Delivery`.",
                   "- A killed worker's task runs again once its heartbeat is stale (60 s); "
                   "a voice left unprocessed is swept up after a minute."]))


if __name__ == "__main__":
    main()
