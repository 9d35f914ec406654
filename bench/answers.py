"""One-click answers under load, against `kliento serve` (gunicorn) on PostgreSQL.

    python bench/answers.py [--invitations 3000] [--concurrency 32] [--database-url URL]

Prepares a fresh database with N invitations, serves Kliento on loopback, and has
`concurrency` keep-alive clients POST one answer per invitation. In the same run it serves a
bare Django JSON view (same settings, same server) as the baseline. Prints answers/s, p50, p99,
the ratio to the baseline and the Feedback rows recorded (must equal the answers sent), and
appends the table to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import free_port, load, publish, start, stop, table, wait_for_port

KLIENTO = [sys.executable, "-m", "kliento.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kliento_bench"
        ),
    )
    args = parser.parse_args()

    env = {
        "DATABASE_URL": args.database_url,
        "KLIENTO_TASK_BACKEND": "database",
        "KLIENTO_VAR_DIR": str(Path("var/bench").resolve()),
        "KLIENTO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    recreate_database(args.database_url)
    subprocess.run([*KLIENTO, "migrate", "--no-input", "-v0"], check=True, env={**os.environ})
    paths = prepare(args.invitations)

    port = free_port()
    server = start(
        [
            *KLIENTO,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env,
    )
    try:
        wait_for_port(port)
        load(port, paths[:50], 4)  # warm up each process's connections and imports
        answers = load(port, paths[50:], args.concurrency)
    finally:
        stop(server)

    port = free_port()
    baseline_server = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.baseline_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
        ],
        env,
    )
    try:
        wait_for_port(port)
        load(port, paths[:50], 4)
        baseline = load(port, paths[50:], args.concurrency)
    finally:
        stop(baseline_server)

    recorded = count_answers() - 50
    ratio = answers["rps"] / baseline["rps"]
    rows = [
        [
            "Kliento answer POST",
            f"{answers['rps']:.0f}",
            f"{answers['p50_ms']:.1f}",
            f"{answers['p99_ms']:.1f}",
            answers["ok"],
            answers["errors"],
        ],
        [
            "bare Django JSON view",
            f"{baseline['rps']:.0f}",
            f"{baseline['p50_ms']:.1f}",
            f"{baseline['p99_ms']:.1f}",
            baseline["ok"],
            baseline["errors"],
        ],
    ]
    notes = [
        f"- answers sent: {answers['requests']}, Feedback rows recorded: {recorded} "
        f"({'equal' if recorded == answers['requests'] else 'MISMATCH'})",
        f"- throughput ratio to the baseline: {100 * ratio:.0f} % (goal ≥ 40 %)",
        f"- {args.concurrency} concurrent keep-alive clients; gunicorn gthread, "
        f"{args.workers} workers × {args.threads} threads; PostgreSQL on loopback; "
        "the client runs on the same machine.",
    ]
    publish(
        table(
            "One-click answers (bench/answers.py)",
            ["server", "req/s", "p50 ms", "p99 ms", "2xx", "errors"],
            rows,
            notes,
        )
    )


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(n: int) -> list[str]:
    """N invitations of one CSAT survey, each for its own customer; their answer paths."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from kliento.core.services import create_workspace
    from kliento.customers.models import Customer, Identity
    from kliento.surveys.models import Invitation
    from kliento.surveys.services import create_survey, token_for

    ws = create_workspace(name="Bench", slug="bench")
    survey = create_survey(workspace=ws, actor=None, name="CSAT", kind="csat")
    customers = Customer.objects.bulk_create(
        [Customer(workspace=ws, name=f"Klients {i}", language="lv") for i in range(n)]
    )
    Identity.objects.bulk_create(
        [
            Identity(workspace=ws, customer=c, kind="email", value=f"klients{i}@example.lv")
            for i, c in enumerate(customers)
        ]
    )
    expires = timezone.now() + timedelta(days=30)
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                workspace=ws,
                survey=survey,
                customer=c,
                email=f"klients{i}@example.lv",
                language="lv",
                state="sent",
                expires_at=expires,
            )
            for i, c in enumerate(customers)
        ]
    )
    return [f"/a/{token_for(inv)}/{1 + i % 5}/" for i, inv in enumerate(invitations)]


def count_answers() -> int:
    from kliento.feedback.models import Feedback

    return Feedback.objects.count()


if __name__ == "__main__":
    main()
