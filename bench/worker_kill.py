"""Kill the worker with SIGKILL again and again while deliveries are pending: is anything lost?

    python bench/worker_kill.py [--deliveries 500] [--kills 8] [--backend database]

Prepares `deliveries` alert deliveries to a webhook receiver in this process (which answers
slowly, so kills land mid-send), then runs `kliento worker` and kills it with SIGKILL every
few seconds, restarting it each time, until every delivery is sent or time runs out. Reports
deliveries lost (never received: must be 0) and duplicates the receiver saw (deduplicable by
X-Kliento-Delivery), and appends the table to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import publish, table

KLIENTO = [sys.executable, "-m", "kliento.cli"]
received: Counter[str] = Counter()


class SlowReceiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(0.02)  # a slow receiver keeps sends in flight when the kill comes
        received[self.headers["X-Kliento-Delivery"]] += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between kills")
    parser.add_argument("--backend", default="database", choices=["database", "redis"])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kliento_bench"))
    args = parser.parse_args()
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), SlowReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    env = {"DATABASE_URL": args.database_url, "KLIENTO_TASK_BACKEND": args.backend,
           "KLIENTO_ALLOW_PRIVATE_TARGETS": "1", "KLIENTO_LOG_LEVEL": "WARNING",
           "KLIENTO_VAR_DIR": str(Path("var/bench").resolve()),
           "REDIS_URL": "redis://127.0.0.1:6379/6" if args.backend == "redis" else ""}
    os.environ.update(env)
    from bench.answers import recreate_database

    recreate_database(args.database_url)
    subprocess.run([*KLIENTO, "migrate", "--no-input", "-v0"], check=True, env={**os.environ})
    if args.backend == "redis":
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    uuids = prepare(args.deliveries, f"http://127.0.0.1:{receiver.server_port}/hook")

    kills = 0
    started = time.monotonic()
    deadline = started + 300
    worker = subprocess.Popen([*KLIENTO, "worker"], env={**os.environ},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() < deadline and len(set(received) & uuids) < len(uuids):
            time.sleep(args.every)
            if kills < args.kills:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                kills += 1
                worker = subprocess.Popen([*KLIENTO, "worker"], env={**os.environ},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    elapsed = time.monotonic() - started
    lost = len(uuids - set(received))
    duplicates = sum(n - 1 for u, n in received.items() if u in uuids and n > 1)
    publish(table("Worker killed mid-send (bench/worker_kill.py)",
                  ["backend", "deliveries", "SIGKILLs", "lost", "duplicates seen", "seconds"],
                  [[args.backend, len(uuids), kills, lost, duplicates, f"{elapsed:.0f}"]],
                  ["- Lost must be 0. Duplicates are deliveries whose send was cut off by the "
                   "kill after the receiver got them; receivers deduplicate them by "
                   "`X-Kliento-Delivery`. A dead worker's claim is retaken after its 60 s lease."]))


def prepare(n: int, url: str) -> set[str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    django.setup()
    from kliento.alerts import services
    from kliento.alerts.models import Alert, Delivery
    from kliento.core.services import create_workspace
    from kliento.customers.models import Customer
    from kliento.feedback.models import Feedback

    ws = create_workspace(name="Kill", slug="kill")
    hook = services.create_channel(workspace=ws, actor=None, name="hook", kind="webhook",
                                   target=url)
    customer = Customer.objects.create(workspace=ws, name="Jānis")
    feedback = Feedback.objects.create(workspace=ws, customer=customer, channel="email",
                                       source="survey", score=1, scale="csat",
                                       polarity="negative")
    alert = Alert.objects.create(workspace=ws, feedback=feedback, customer=customer)
    deliveries = Delivery.objects.bulk_create(
        [Delivery(workspace=ws, alert=alert, channel=hook) for _ in range(n)])
    # Written straight to the outbox, with no task queued: the worker's periodic dispatch
    # finds them, as it finds the work of a worker that died.
    Delivery.objects.update(next_attempt_at=Delivery.objects.first().created_at.replace(
        year=2000))
    return {str(d.uuid) for d in deliveries}


if __name__ == "__main__":
    main()
