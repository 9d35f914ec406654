"""Close the loop and word of mouth over a year of unhappy voices: how long the figures take
and how many queries they make, read from the close-the-loop facts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_loop python -m bench.loop_facts 100000

Loads one workspace with N unhappy voices spread over the last year (two teams, ten agents,
three voices a customer; a logged call within four days after two in three of them, praise
within 20 days after one in five), rebuilds its facts, then times each figure for 30, 90 and
365 days (best of five) and counts its queries."""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from kliento.core.models import Team, User, Workspace  # noqa: E402
from kliento.customers.models import Customer  # noqa: E402
from kliento.feedback.filters import VoiceSelection  # noqa: E402
from kliento.feedback.models import Feedback  # noqa: E402
from kliento.insights import loopfacts  # noqa: E402
from kliento.insights.causes import word_of_mouth  # noqa: E402
from kliento.insights.closing import close_the_loop  # noqa: E402


def load(n: int, rng: random.Random) -> Workspace:
    ws = Workspace.objects.create(name="Bench loop", slug=f"bench-loop-{rng.randrange(10**9)}",
                                  time_zone="Europe/Riga", country="LV")
    teams = [Team.objects.create(workspace=ws, name=f"Team {i}") for i in range(2)]
    agents = [User.objects.create_user(f"agent{i}-{ws.slug}@bench.test", "x",
                                       full_name=f"Agent {i}") for i in range(10)]
    customers = Customer.objects.bulk_create(
        [Customer(workspace=ws, name=f"c{i}") for i in range(n // 3)], batch_size=5000)
    now = timezone.now()
    rows = []
    for _i in range(n):
        customer = rng.choice(customers)
        at = now - timedelta(seconds=rng.randrange(365 * 86400))
        agent = rng.choice(agents)
        rows.append(Feedback(workspace=ws, customer=customer, channel="email", source="survey",
                             scale="csat", score=1, polarity="negative", agent=agent,
                             team=rng.choice(teams), occurred_at=at, received_at=at))
        if rng.random() < 2 / 3:
            call = at + timedelta(hours=rng.randrange(1, 96))
            rows.append(Feedback(workspace=ws, customer=customer, channel="phone",
                                 source="interaction", agent=agent, occurred_at=call,
                                 received_at=call))
        if rng.random() < 1 / 5:
            praise = at + timedelta(days=rng.randrange(1, 20))
            rows.append(Feedback(workspace=ws, customer=customer, channel="email",
                                 source="survey", scale="csat", score=5, polarity="positive",
                                 occurred_at=praise, received_at=praise))
    Feedback.objects.bulk_create(rows, batch_size=5000)
    return ws


def timed(fn: object, repeat: int = 5) -> tuple[float, int]:
    best, queries = float("inf"), 0
    for _r in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()  # type: ignore[operator]
            best = min(best, time.perf_counter() - started)
        queries = len(captured)
    return best, queries


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    ws = load(n, random.Random(4))
    started = time.perf_counter()
    facts = loopfacts.rebuild(ws)
    print(f"{n} unhappy voices; facts rebuilt ({facts} rows) in "
          f"{time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    print("| figure | days | seconds | queries |\n| --- | --- | --- | --- |")
    for days in (30, 90, 365):
        selection = VoiceSelection(since=today - timedelta(days=days - 1), until=today)
        for name, fn in (
                ("close the loop by team", lambda s=selection: close_the_loop(ws, s)),
                ("close the loop by agent",
                 lambda s=selection: close_the_loop(ws, s, by="agent")),
                ("word of mouth", lambda s=selection: word_of_mouth(ws, s))):
            seconds, queries = timed(fn)
            print(f"| {name} | {days} | {seconds:.3f} | {queries} |")


if __name__ == "__main__":
    main()
