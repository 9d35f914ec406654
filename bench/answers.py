"""One-click answers under load, against `kliento serve` (gunicorn) on PostgreSQL.

    python bench/answers.py [--invitations 3000] [--concurrency 32] [--database-url URL]
                            [--no-publish]

Prepares a fresh database with N invitations, serves Kliento on loopback, and has
`concurrency` keep-alive clients POST one answer per invitation. In the same run it serves a
bare Django JSON view (same settings, same server) as the baseline. Prints answers/s, p50, p99,
the ratio to the baseline, the Feedback rows recorded (must equal the answers sent), the CPU
per answer (the server's processes and PostgreSQL's, from /proc) and the SQL statements per
answer (a first answer and a changed score, counted in-process), and appends the table to
docs/BENCHMARKS.md unless --no-publish.
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
    parser.add_argument("--no-publish", action="store_true",
                        help="print the table only, do not append it to docs/BENCHMARKS.md")
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
        cpu_before = cpu_seconds(server.pid)
        answers = load(port, paths[50:], args.concurrency)
        cpu_after = cpu_seconds(server.pid)
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
        base_before = cpu_seconds(baseline_server.pid)
        baseline = load(port, paths[50:], args.concurrency)
        base_after = cpu_seconds(baseline_server.pid)
    finally:
        stop(baseline_server)

    recorded = count_answers() - 50
    first, changed = statements_per_answer()

    def per_answer_ms(before: tuple[float, float], after: tuple[float, float],
                      n: int) -> tuple[str, str]:
        return (f"{1000 * (after[0] - before[0]) / max(n, 1):.2f}",
                f"{1000 * (after[1] - before[1]) / max(n, 1):.2f}")
    ratio = answers["rps"] / baseline["rps"]
    rows = [
        [
            "Kliento answer POST",
            f"{answers['rps']:.0f}",
            f"{answers['p50_ms']:.1f}",
            f"{answers['p99_ms']:.1f}",
            answers["ok"],
            answers["errors"],
            *per_answer_ms(cpu_before, cpu_after, answers["requests"]),
        ],
        [
            "bare Django JSON view",
            f"{baseline['rps']:.0f}",
            f"{baseline['p50_ms']:.1f}",
            f"{baseline['p99_ms']:.1f}",
            baseline["ok"],
            baseline["errors"],
            *per_answer_ms(base_before, base_after, baseline["requests"]),
        ],
    ]
    notes = [
        f"- answers sent: {answers['requests']}, Feedback rows recorded: {recorded} "
        f"({'equal' if recorded == answers['requests'] else 'MISMATCH'})",
        f"- throughput ratio to the baseline: {100 * ratio:.0f} % (goal ≥ 40 %)",
        f"- SQL statements per answer (BEGIN/COMMIT not counted): first answer {first}, "
        f"changed score {changed} (goal ≤ 4)",
        "- CPU per answer: the server's processes (app) and every `postgres` process on this "
        "machine (db), user + system time over the run divided by the answers sent",
        f"- {args.concurrency} concurrent keep-alive clients; gunicorn gthread, "
        f"{args.workers} workers × {args.threads} threads; PostgreSQL on loopback; "
        "the client runs on the same machine.",
    ]
    text = table(
        "One-click answers (bench/answers.py)",
        ["server", "req/s", "p50 ms", "p99 ms", "2xx", "errors", "CPU ms app", "CPU ms db"],
        rows,
        notes,
    )
    if args.no_publish:
        print(text)
    else:
        publish(text)


def cpu_seconds(root: int) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by `root` and its descendants, and by every
    PostgreSQL process on this machine, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue  # gone, or not ours to read
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        # fields[1] is the parent pid; utime, stime, cutime, cstime are fields 11..14
        used = sum(int(f) for f in fields[11:15]) / tick
        stats[int(entry.name)] = (int(fields[1]), name, used)
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _name, _used) in stats.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    app = sum(stats[pid][2] for pid in tree if pid in stats)
    db = sum(used for pid, (_ppid, name, used) in stats.items()
             if name.startswith("postgres") and pid not in tree)
    return app, db


def statements_per_answer(n: int = 20) -> tuple[float, float]:
    """SQL statements of a first answer and of a changed score, through the real view."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kliento.surveys.models import Invitation

    paths = prepare(n, slug="bench-count")
    client = Client(HTTP_HOST="127.0.0.1")
    counts: list[list[int]] = [[], []]
    for path in paths:
        for i, score in enumerate(("2", "5")):
            with CaptureQueriesContext(connection) as ctx:
                assert client.post(path.rsplit("/", 2)[0] + f"/{score}/").status_code == 200
            counts[i].append(sum(1 for q in ctx.captured_queries
                                 if q["sql"].split()[0] not in ("BEGIN", "COMMIT")))
    assert Invitation.objects.filter(workspace__slug="bench-count",
                                     feedback__isnull=False).count() == n
    return sum(counts[0]) / n, sum(counts[1]) / n


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


def prepare(n: int, slug: str = "bench") -> list[str]:
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

    ws = create_workspace(name=slug.title(), slug=slug)
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
