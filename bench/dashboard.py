"""Dashboard figures over millions of voices on PostgreSQL, against DuckDB on the same rows.

    python bench/dashboard.py [--rows 10000000] [--repeat 20] [--database-url URL]

Creates a fresh database (dropped at the end, also on failure), runs `kliento migrate`
there and COPYs N generated voices into Kliento's own tables (customers_customer,
feedback_feedback, surveys_invitation, with every column the models have): 20 workspaces of
unequal size, a year of voices, teams, agents, channels, languages, survey scales and
scores, themes on about a third. Builds the rollups with `kliento insights rebuild`
(timed), then serves Kliento (`kliento serve --with-worker`, gunicorn) on loopback and
times every dashboard figure of the biggest workspace over 30 days, 90 days and a year as
a manager's API token would read them (p50/p95 over repeated keep-alive requests), and the
whole /insights/ page with a manager's session when the page exists. In the same run an
in-process DuckDB table holding the same rows (exported once with `COPY … TO STDOUT`)
computes the same figures; only its queries are timed, not the load. Last, a voice posted
through the API must show in the summary within 5 s, and the gunicorn workers' resident
memory is read from /proc. Prints the table and appends it to docs/BENCHMARKS.md.

Needs the `bench` extra (duckdb): pip install -c requirements.lock duckdb
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import free_port, publish, stop, table, wait_for_port

KLIENTO = [sys.executable, "-m", "kliento.cli"]
WORKSPACES = 20
TIME_ZONE = "Europe/Riga"
THEMES = ["speed", "price", "staff", "quality", "delivery", "billing", "app", "wait",
          "refund", "support", "product", "website"]
LANGUAGES = [("lv", 50), ("en", 25), ("ru", 15), ("de", 5), ("lt", 5)]
SURVEY_KINDS = [("csat", 45), ("nps", 30), ("ces", 15), ("thumbs", 10)]
SCORES = {  # weights per score, skewed happy as real answers are
    "csat": {1: 6, 2: 6, 3: 12, 4: 30, 5: 46},
    "nps": {0: 3, 1: 2, 2: 2, 3: 3, 4: 3, 5: 5, 6: 7, 7: 12, 8: 18, 9: 20, 10: 25},
    "ces": {1: 4, 2: 5, 3: 8, 4: 15, 5: 25, 6: 25, 7: 18},
    "thumbs": {0: 22, 1: 78},
}
SOURCES = [("survey", 55), ("message", 30), ("interaction", 10), ("import", 5)]
CHANNELS = {
    "survey": [("email", 60), ("web", 25), ("widget", 15)],
    "message": [("email", 40), ("chat", 25), ("social", 15), ("widget", 10), ("api", 10)],
    "interaction": [("phone", 60), ("visit", 25), ("chat", 15)],
    "import": [("import", 100)],
}
TEXTS = ["Ātri un laipni, paldies!", "Waited far too long for a reply.", "The price went up "
         "again without notice.", "Kurjers kavējās divas dienas.", "Great staff at the desk.",
         "The app logs me out every day.", "Refund still not received.", ""]


def weighted(pairs: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


def polarity_of(scale: str, score: int) -> str:
    low, high = {"csat": (2, 4), "nps": (6, 9), "ces": (3, 5), "thumbs": (0, 1)}[scale]
    return "negative" if score <= low else "positive" if score >= high else "neutral"


# -- database ---------------------------------------------------------------------------


def admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def psql_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


# -- the world: workspaces, teams, agents, surveys, themes ------------------------------


def sizes(rows: int) -> list[int]:
    """Rows per workspace: unequal, the first the biggest (about a fifth of all)."""
    weights = [1 / (i + 1) ** 0.8 for i in range(WORKSPACES)]
    out = [int(rows * w / sum(weights)) for w in weights]
    out[0] += rows - sum(out)
    return out


def make_world(rng: random.Random, rows: int) -> list[dict[str, Any]]:
    from kliento.core.models import Membership, Role, User
    from kliento.core.services import create_team, create_workspace
    from kliento.feedback.models import Theme
    from kliento.surveys.services import create_survey

    world = []
    for i, n in enumerate(sizes(rows)):
        ws = create_workspace(name=f"Bench {i:02d}", slug=f"bench-{i:02d}",
                              default_language="lv", time_zone=TIME_ZONE)
        teams, agents = [], {}
        for t in range(3 + (8 if i == 0 else i % 5)):
            team = create_team(workspace=ws, actor=None, name=f"Team {t}")
            teams.append(team.pk)
            agents[team.pk] = []
            for a in range(3 + rng.randrange(6)):
                user = User.objects.create(email=f"agent{a}.t{t}@ws{i}.bench.example",
                                           full_name=f"Agent {a} of team {t}")
                m = Membership.objects.create(workspace=ws, user=user, role=Role.AGENT)
                m.teams.add(team)
                agents[team.pk].append(user.pk)
        surveys = {kind: create_survey(workspace=ws, actor=None, name=kind.upper(),
                                       kind=kind).pk for kind, _w in SURVEY_KINDS}
        Theme.objects.bulk_create([Theme(workspace=ws, key=k, name=k.title(), examples=[k])
                                   for k in THEMES])
        world.append({"workspace": ws, "rows": n, "teams": teams, "agents": agents,
                      "surveys": surveys})
    return world


def manager_of(ws: Any) -> tuple[str, str]:
    """A manager of the workspace: an API token, and a signed-in session's cookie."""
    from django.conf import settings
    from django.test import Client

    from kliento.core.middleware import SESSION_KEY
    from kliento.core.models import Membership, Role, User
    from kliento.core.services import create_api_token

    user = User.objects.create(email="manager@bench.example", full_name="Bench Manager")
    Membership.objects.create(workspace=ws, user=user, role=Role.MANAGER)
    _token, raw = create_api_token(workspace=ws, name="bench", actor=None)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = ws.pk
    session.save()
    return raw, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# -- rows, COPYed -----------------------------------------------------------------------


def columns_of(model: Any, given: list[str]) -> tuple[list[str], dict[str, Any]]:
    """Every concrete column but the id: the given ones, then the rest at their default."""
    rest: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        value = f.get_default()
        if f.get_internal_type() == "JSONField":
            value = json.dumps(value)
        elif callable(value):
            value = value()
        rest[f.column] = value
    return given + list(rest), rest


def copy_rows(conn: Any, model: Any, given: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    from psycopg import sql

    names, rest = columns_of(model, given)
    tail = tuple(rest.values())
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names)))
    n = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + tail)
            n += 1
    return n


def load(url: str, world: list[dict[str, Any]], rng: random.Random,
         now: datetime) -> dict[str, int]:
    import psycopg

    from kliento.customers.models import Customer
    from kliento.feedback.models import Feedback
    from kliento.surveys.models import Invitation

    counts = {"customers": 0, "feedback": 0, "invitations": 0}
    languages, language_w = weighted(LANGUAGES)
    with psycopg.connect(psql_url(url)) as conn:
        for w in world:
            ws = w["workspace"]
            n_customers = max(10, w["rows"] // 5)
            counts["customers"] += copy_rows(
                conn, Customer, ["workspace_id", "name", "language", "vip", "created_at",
                                 "updated_at"],
                ((ws.pk, f"Klients {c}", rng.choices(languages, language_w)[0],
                  rng.random() < 0.03, now, now) for c in range(n_customers)))
            first, last = conn.execute(
                "SELECT min(id), max(id) FROM customers_customer WHERE workspace_id = %s",
                [ws.pk]).fetchone()
            invitations: list[tuple[Any, ...]] = []

            counts["feedback"] += copy_rows(
                conn, Feedback,
                ["workspace_id", "customer_id", "channel", "source", "score", "scale",
                 "polarity", "text", "language", "text_polarity", "text_confidence", "themes",
                 "mixed", "analysed_at", "agent_id", "team_id", "metadata", "occurred_at",
                 "received_at", "processed_at"],
                voices(rng, w, (first, last), invitations, now))
            counts["invitations"] += copy_rows(
                conn, Invitation,
                ["workspace_id", "survey_id", "customer_id", "agent_id", "team_id", "language",
                 "state", "created_at", "sent_at", "answered_at", "key", "email", "expires_at"],
                ((*inv[:8], inv[7], inv[8], uuid.uuid4().hex, f"c{inv[2]}@bench.example",
                  inv[7] + timedelta(days=30)) for inv in invitations))
            conn.commit()
        conn.autocommit = True
        for name in ("customers_customer", "feedback_feedback", "surveys_invitation"):
            conn.execute(f"VACUUM ANALYZE {name}")
    return counts


HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 14, 12, 14, 15, 14, 12, 10, 8, 7, 6, 4, 2, 1]
YEAR = 365 * 86400


def voices(rng: random.Random, w: dict[str, Any], customers: tuple[int, int],
           invitations: list[tuple[Any, ...]], now: datetime) -> Iterator[tuple[Any, ...]]:
    """The workspace's voices as feedback_feedback rows; the invitations they answered
    (and some never answered) added to `invitations`."""
    ws, team_ids, agents, surveys = w["workspace"], w["teams"], w["agents"], w["surveys"]
    first, last = customers
    languages, language_w = weighted(LANGUAGES)
    kinds, kind_w = weighted(SURVEY_KINDS)
    sources, source_w = weighted(SOURCES)
    channels = {s: weighted(c) for s, c in CHANNELS.items()}
    scores = {k: (list(v), list(v.values())) for k, v in SCORES.items()}
    for _i in range(w["rows"]):
        day = now - timedelta(seconds=rng.random() * YEAR)
        at = day.replace(hour=rng.choices(range(24), HOURS)[0])
        if at > now:
            at -= timedelta(days=1)
        received = at + timedelta(seconds=rng.randrange(600))
        source = rng.choices(sources, source_w)[0]
        channel = rng.choices(*channels[source])[0]
        team = rng.choice(team_ids) if rng.random() < 0.9 else None
        agent = rng.choice(agents[team]) if team and rng.random() < 0.85 else None
        if source == "interaction" and agent is None:
            team = rng.choice(team_ids)
            agent = rng.choice(agents[team])
        customer = rng.randint(first, last)
        language = rng.choices(languages, language_w)[0]
        metadata: dict[str, Any] = {}
        score = None
        scale = ""
        if source == "survey":
            scale = rng.choices(kinds, kind_w)[0]
            score = rng.choices(*scores[scale])[0]
            polarity = polarity_of(scale, score)
            metadata = {"survey_id": surveys[scale]}
            invitations.append((ws.pk, surveys[scale], customer, agent, team, language,
                                "answered", at - timedelta(hours=2), received))
            if rng.random() < 1.2 / 2.2:  # about 45 % of invitations answered
                invitations.append((ws.pk, surveys[scale], customer, agent, team, language,
                                    "sent", at - timedelta(hours=3), None))
        else:
            polarity = rng.choices(["negative", "neutral", "positive", ""],
                                   [25, 35, 30, 10])[0]
        text = rng.choice(TEXTS) if source != "survey" or rng.random() < 0.4 else ""
        themes = [{"key": k, "score": 0.8} for k in
                  rng.sample(THEMES, rng.choice((1, 1, 2)))] \
            if text and rng.random() < 0.7 else []
        analysed = received + timedelta(seconds=1)
        yield (ws.pk, customer, channel, source, score, scale, polarity, text,
               language, polarity if text else "", 0.8 if text else None,
               json.dumps(themes), rng.random() < 0.03, analysed, agent, team,
               json.dumps(metadata), at, received, analysed)


# -- DuckDB -----------------------------------------------------------------------------


def duckdb_tables(url: str, workdir: Path) -> Any:
    """The same rows in an in-process DuckDB: exported once as CSV, loaded, not timed."""
    import duckdb
    import psycopg

    exports = {
        "fb": "SELECT workspace_id AS ws, customer_id AS customer, channel, source, score, "
              "scale, polarity, mixed, language, themes, agent_id AS agent, team_id AS team, "
              "(metadata->>'survey_id')::bigint AS survey, occurred_at, received_at "
              "FROM feedback_feedback",
        "inv": "SELECT workspace_id AS ws, created_at, team_id AS team, agent_id AS agent, "
               "language, survey_id AS survey, state FROM surveys_invitation "
               "WHERE NOT unverified AND skip_reason = ''",
    }
    db = duckdb.connect()
    db.execute(f"SET threads = {os.cpu_count() or 2}")
    with psycopg.connect(psql_url(url)) as conn:
        for name, query in exports.items():
            path = workdir / f"{name}.csv"
            with path.open("wb") as out, conn.cursor() as cur, cur.copy(
                    f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    out.write(chunk)
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=true)")
            path.unlink()
    # Themes as a list of keys, as the JSON is stored; timestamps as instants.
    db.execute("ALTER TABLE fb ALTER themes TYPE VARCHAR[] USING "
               "CAST(json_extract_string(themes, '$[*].key') AS VARCHAR[])")
    return db


def duckdb_queries(ws: int, first: date, last: date) -> dict[str, list[str]]:
    """Per figure, the DuckDB statements that compute it from the rows."""
    days = (last - first).days + 1
    prev = first - timedelta(days=days)
    tz = TIME_ZONE
    d = f"CAST(timezone('{tz}', occurred_at) AS DATE)"
    di = f"CAST(timezone('{tz}', created_at) AS DATE)"
    period = f"ws = {ws} AND {d} BETWEEN DATE '{first}' AND DATE '{last}'"
    iperiod = f"ws = {ws} AND {di} BETWEEN DATE '{first}' AND DATE '{last}'"
    start = f"TIMESTAMPTZ '{first} 00:00:00 {tz}'"
    unhappy = f"{period} AND (polarity = 'negative' OR mixed)"
    q: dict[str, list[str]] = {
        "summary": [
            f"SELECT {d} >= DATE '{first}' AS now, scale, score, polarity, count(*) FROM fb "
            f"WHERE ws = {ws} AND {d} BETWEEN DATE '{prev}' AND DATE '{last}' GROUP BY ALL",
            f"SELECT {di} >= DATE '{first}', count(*), count(*) FILTER (state = 'answered') "
            f"FROM inv WHERE ws = {ws} AND {di} BETWEEN DATE '{prev}' AND DATE '{last}' "
            "GROUP BY ALL"],
    }
    for interval in ("day", "week", "month"):
        q[f"timeseries {interval}"] = [
            f"SELECT date_trunc('{interval}', {d}), scale, score, polarity, count(*) FROM fb "
            f"WHERE {period} GROUP BY ALL",
            f"SELECT date_trunc('{interval}', {di}), count(*), count(*) FILTER "
            f"(state = 'answered') FROM inv WHERE {iperiod} GROUP BY ALL"]
    for by, column in (("team", "team"), ("agent", "agent"), ("channel", "channel"),
                       ("language", "language"), ("survey", "survey")):
        q[f"breakdown {by}"] = [
            f"SELECT {column}, scale, score, polarity, count(*) FROM fb WHERE {period} "
            "GROUP BY ALL"]
        if by != "channel":
            q[f"breakdown {by}"].append(
                f"SELECT {column}, count(*), count(*) FILTER (state = 'answered') FROM inv "
                f"WHERE {iperiod} GROUP BY ALL")
    q["breakdown theme"] = [
        f"SELECT t, polarity, count(*) FROM (SELECT unnest(themes) AS t, polarity FROM fb "
        f"WHERE {period}) GROUP BY ALL",
        f"SELECT count(*) FROM fb WHERE {period}"]
    q["close-the-loop"] = [
        f"WITH u AS (SELECT customer, received_at, team FROM fb WHERE {unhappy}), "
        f"c AS (SELECT customer, occurred_at AS at FROM fb WHERE ws = {ws} AND "
        f"source = 'interaction' AND agent IS NOT NULL AND occurred_at >= {start}), "
        f"p AS (SELECT customer, max(received_at) AS last FROM fb WHERE ws = {ws} AND "
        f"polarity = 'positive' AND NOT mixed AND received_at >= {start} GROUP BY customer) "
        "SELECT u.team, count(*), count(c.at), "
        "count(*) FILTER (c.at - u.received_at <= INTERVAL 24 HOUR), "
        "median(epoch(c.at - u.received_at)) / 3600, "
        "count(*) FILTER (p.last > u.received_at) "
        "FROM u ASOF LEFT JOIN c ON u.customer = c.customer AND c.at > u.received_at "
        "LEFT JOIN p ON p.customer = u.customer GROUP BY u.team"]
    themed = f"SELECT unnest(themes) AS t, team, date_trunc('week', {d}) AS w FROM fb " \
             f"WHERE {period} AND len(themes) > 0"
    q["themes"] = [
        f"WITH x AS ({themed}) SELECT 'all', t, NULL, count(*) FROM x GROUP BY ALL "
        "UNION ALL SELECT 'team', t, team, count(*) FROM x GROUP BY ALL "
        "UNION ALL SELECT 'week', t, epoch(w), count(*) FROM x GROUP BY ALL"]
    q["word-of-mouth"] = [
        f"WITH l AS (SELECT customer, max(received_at) AS last FROM fb WHERE {unhappy} "
        f"GROUP BY customer), p AS (SELECT customer, max(received_at) AS last FROM fb "
        f"WHERE ws = {ws} AND polarity = 'positive' AND NOT mixed AND received_at >= {start} "
        "GROUP BY customer) SELECT count(*), count(*) FILTER (p.last > l.last) "
        "FROM l LEFT JOIN p USING (customer)"]
    logged = f"ws = {ws} AND source = 'interaction' AND agent IS NOT NULL AND " \
             f"occurred_at >= {start} AND occurred_at < {start} + INTERVAL {days} DAY"
    q["contacts"] = [
        f"SELECT channel, team, agent, count(*) FROM fb WHERE {period} GROUP BY ALL",
        f"SELECT channel, team, agent, count(*) FROM fb WHERE {logged} GROUP BY ALL",
        f"SELECT isodow(timezone('{tz}', received_at)), hour(timezone('{tz}', received_at)), "
        f"count(*) FROM fb WHERE {period} GROUP BY ALL",
        f"SELECT isodow(timezone('{tz}', occurred_at)), hour(timezone('{tz}', occurred_at)), "
        f"count(*) FROM fb WHERE {logged} GROUP BY ALL"]
    return q


def time_duckdb(db: Any, statements: list[str], repeat: int) -> float:
    """Median ms of computing one figure (all its statements), after one warm-up."""
    times = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        for s in statements:
            db.execute(s).fetchall()
        if i:
            times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


# -- HTTP -------------------------------------------------------------------------------


def timed_gets(port: int, path: str, headers: dict[str, str], repeat: int,
               budget_s: float = 10.0) -> dict[str, float]:
    """GET `path` `repeat` times on one keep-alive connection (at least 3 times, fewer
    than `repeat` when over the budget), after one warm-up; p50/p95 ms."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    times: list[float] = []
    status = 0
    spent = time.monotonic()
    for i in range(repeat + 1):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        if i:
            times.append(1000 * (time.perf_counter() - started))
        if i >= 3 and time.monotonic() - spent > budget_s:
            break
    conn.close()
    times.sort()
    return {"p50": statistics.median(times),
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "n": len(times)}


def get_json(port: int, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, json.loads(body) if response.status == 200 else body


def get_status(port: int, path: str, headers: dict[str, str]) -> int:
    """The status of a GET whose body is not JSON (a page)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def figure_paths() -> dict[str, str]:
    paths = {"summary": "/api/v1/insights/summary"}
    for interval in ("day", "week", "month"):
        paths[f"timeseries {interval}"] = f"/api/v1/insights/timeseries?interval={interval}"
    for by in ("team", "agent", "channel", "language", "survey", "theme"):
        paths[f"breakdown {by}"] = f"/api/v1/insights/breakdown?by={by}"
    for name in ("close-the-loop", "root-causes", "themes", "word-of-mouth", "contacts"):
        paths[name] = f"/api/v1/insights/{name}"
    return paths


def with_period(path: str, first: date, last: date) -> str:
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode({'from': first.isoformat(), 'to': last.isoformat()})}"


def new_answer_seconds(port: int, headers: dict[str, str], today: date,
                       limit: float = 30.0) -> float | None:
    """Post a voice through the API; seconds until today's summary counts it."""
    path = with_period("/api/v1/insights/summary", today, today)
    _status, before = get_json(port, path, headers)
    body = json.dumps({"customer": {"email": "new.answer@bench.example"}, "channel": "api",
                       "source": "survey", "scale": "csat", "score": 5,
                       "text": "Fast and friendly."})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("POST", "/api/v1/feedback", body=body,
                 headers={**headers, "Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 201:
        raise RuntimeError(f"POST /api/v1/feedback: {response.status}")
    while time.perf_counter() - started < limit:
        _status, now = get_json(port, path, headers)
        if now["volume"]["value"] > before["volume"]["value"]:
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def gunicorn_workers(master: int) -> list[int]:
    """The gunicorn workers under `kliento serve` (not the task workers it also starts)."""
    workers = []
    for pid in (int(c) for task in Path(f"/proc/{master}/task").iterdir()
                for c in (task / "children").read_text().split()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"worker" not in cmdline:  # `kliento.cli worker` are the task workers
            workers.append(pid)
    return workers


# -- main -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per figure")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-publish", action="store_true",
                        help="print the table without appending it to docs/BENCHMARKS.md")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kliento_benchdash"))
    args = parser.parse_args()

    env = {"DATABASE_URL": args.database_url, "KLIENTO_TASK_BACKEND": "database",
           "KLIENTO_VAR_DIR": str(Path("var/bench").resolve()), "KLIENTO_LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "kliento.settings"}
    os.environ.update(env)
    rng = random.Random(args.seed)
    server = None
    create_database(args.database_url)
    try:
        subprocess.run([*KLIENTO, "migrate", "--no-input", "-v0"], check=True)
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        now = timezone.now()
        world = make_world(rng, args.rows)
        ws = world[0]["workspace"]
        token, cookie = manager_of(ws)
        connections.close_all()

        started = time.perf_counter()
        counts = load(args.database_url, world, rng, now)
        load_s = time.perf_counter() - started
        print(f"loaded {counts} in {load_s:.0f} s", flush=True)

        started = time.perf_counter()
        subprocess.run([*KLIENTO, "insights", "rebuild"], check=True, stdout=subprocess.DEVNULL)
        rebuild_s = time.perf_counter() - started
        print(f"rollups rebuilt in {rebuild_s:.0f} s", flush=True)

        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            db = duckdb_tables(args.database_url, Path(tmp))
            duck_load_s = time.perf_counter() - started
        print(f"DuckDB loaded in {duck_load_s:.0f} s", flush=True)

        port = free_port()
        log_path = Path(env["KLIENTO_VAR_DIR"]) / "dashboard-serve.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        server_log = log_path.open("wb")
        server = subprocess.Popen(
            [*KLIENTO, "serve", "--with-worker", "--port", str(port), "--workers",
             str(args.workers), "--threads", str(args.threads)],
            stdout=subprocess.DEVNULL, stderr=server_log)
        wait_for_port(port, timeout=120)
        api = {"Authorization": f"Bearer {token}"}
        from kliento.insights.figures import default_period

        today = default_period(ws)[1]
        periods = {"30 d": 30, "90 d": 90, "365 d": 365}
        results: list[list[object]] = []
        missed: list[str] = []
        for name, path in figure_paths().items():
            for label, days in periods.items():
                first = today - timedelta(days=days - 1)
                statements = duckdb_queries(ws.pk, first, today).get(name)
                duck = time_duckdb(db, statements, 5) if statements else None
                try:
                    k = timed_gets(port, with_period(path, first, today), api, args.repeat)
                except (RuntimeError, OSError) as e:  # a 500, or gunicorn's 30 s timeout
                    missed.append(f"{name} {label} (failed: {e})")
                    results.append([f"{name} ({label})", "failed", "—",
                                    "—" if duck is None else f"{duck:.1f}", "no"])
                    continue
                met = "—" if duck is None else "yes" if k["p50"] <= duck else "no"
                if met == "no":
                    missed.append(f"{name} {label}")
                results.append([f"{name} ({label})", f"{k['p50']:.1f}", f"{k['p95']:.1f}",
                                "—" if duck is None else f"{duck:.1f}", met])
                print(results[-1], flush=True)

        status = get_status(port, "/insights/", {"Cookie": cookie})
        page = None
        if status == 200:
            page = timed_gets(port, "/insights/", {"Cookie": cookie}, args.repeat)
            results.append(["whole /insights/ page (30 d)", f"{page['p50']:.1f}",
                            f"{page['p95']:.1f}", "—",
                            "yes" if page["p95"] < 300 else "no (goal p95 < 300 ms)"])
        else:
            results.append(["whole /insights/ page", f"not served ({status})", "—", "—", "—"])

        fresh = new_answer_seconds(port, api, today)
        workers = gunicorn_workers(server.pid)
        rss = max((rss_mb(p) for p in workers), default=0.0)
        results.append(["new answer on the dashboard",
                        "not within 30 s" if fresh is None else f"{fresh:.2f} s", "—", "—",
                        "yes" if fresh is not None and fresh <= 5 else "no (goal ≤ 5 s)"])
        results.append(["web process RSS (largest gunicorn worker)", f"{rss:.0f} MB", "—", "—",
                        "yes" if 0 < rss < 300 else "no (goal < 300 MB)"])
        biggest = world[0]["rows"]
        notes = [
            f"- {counts['feedback']:,} voices ({biggest:,} in the workspace timed), "
            f"{counts['customers']:,} customers, {counts['invitations']:,} invitations in "
            f"{WORKSPACES} workspaces over a year; COPY {load_s:.0f} s; "
            f"`kliento insights rebuild` {rebuild_s:.0f} s; DuckDB load (not timed in the "
            f"figures) {duck_load_s:.0f} s.",
            f"- Kliento: GET of the API endpoint with a manager's token over HTTP on loopback "
            f"(`kliento serve --with-worker`, gunicorn gthread {args.workers} workers × "
            f"{args.threads} threads, PostgreSQL on loopback), one keep-alive client, up to "
            f"{args.repeat} requests after a warm-up (fewer past 10 s); JSON included. "
            "DuckDB: in-process, the same rows in one table, the query (or queries) of the "
            "figure only, median of 5 after a warm-up. Goal met: Kliento p50 ≤ DuckDB.",
            "- DuckDB's close-the-loop counts hours on the wall clock and first contacts from "
            "logged interactions only; Kliento counts business hours and also replies and "
            "case steps (none in this data set). No cases are generated: root causes reads "
            "an empty Case table on both sides, so it has no DuckDB figure.",
            f"- missed: {', '.join(missed) or 'none'}.",
            f"- {platform.machine()}, {platform.system()} {platform.release()}; the machine "
            "was shared with other jobs while it ran.",
        ]
        header = ["figure (biggest workspace)", "Kliento p50 ms", "Kliento p95 ms",
                  "DuckDB ms", "goal met?"]
        text = table(f"Dashboard figures over {counts['feedback']:,} voices "
                     "(bench/dashboard.py)", header, results, notes)
        if args.no_publish:
            print(text)
        else:
            publish(text)
    finally:
        if server is not None:
            stop(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 — Django may not be set up yet
            pass
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
