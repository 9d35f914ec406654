"""Figures against examples worked out by hand, through the API a dashboard would call."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kliento.insights.models import VoiceCount


def today() -> str:
    return str(timezone.localtime(timezone.now(), ZoneInfo("Europe/Riga")).date())


def days_before(n: int) -> str:
    return str(timezone.localtime(timezone.now(), ZoneInfo("Europe/Riga")).date()
               - timedelta(days=n))


@pytest.fixture
def answered(world, voices):
    """This period (the last 30 days) and the 30 days before, answered by hand-picked scores."""
    csat = voices.survey("csat")
    nps = voices.survey("nps")
    ces = voices.survey("ces")
    # CSAT now: 7 of 10 answers are 4 or 5 → 70 %.
    for n, score in enumerate([5, 5, 4, 3, 2, 1, 4, 5, 5, 4]):
        voices.hear(email=f"csat{n}@example.lv", scale="csat", score=score, days_ago=2,
                    channel="email", team="Support", agent_email=world.alice.email,
                    metadata={"survey_id": csat})
    # CSAT before: 5 of 10 → 50 %.
    for n, score in enumerate([5, 4, 4, 5, 4, 1, 2, 3, 3, 1]):
        voices.hear(email=f"old{n}@example.lv", scale="csat", score=score, days_ago=40,
                    channel="email")
    # NPS: 12 answers, promoters 10 9 9 10 9 10 (6), detractors 6 0 3 5 (4):
    # (6 − 4) / 12 = 16.7.
    for n, score in enumerate([10, 9, 9, 8, 7, 6, 0, 10, 3, 9, 10, 5]):
        voices.hear(email=f"nps{n}@example.lv", scale="nps", score=score, days_ago=3,
                    channel="chat", agent_email=world.bob.email,
                    metadata={"survey_id": nps})
    # CES: 7 6 5 5 4 3 2 7 6 5 → 50 / 10 = 5.0.
    for n, score in enumerate([7, 6, 5, 5, 4, 3, 2, 7, 6, 5]):
        voices.hear(email=f"ces{n}@example.lv", scale="ces", score=score, days_ago=4,
                    channel="web", metadata={"survey_id": ces})
    # 👍: 2 of 3 → 66.7 %, but 3 answers are too few to show.
    for n, score in enumerate([1, 1, 0]):
        voices.hear(email=f"t{n}@example.lv", scale="thumbs", score=score, days_ago=1,
                    channel="widget")
    # A message without a score, about waiting: volume and themes, no score.
    voices.hear(text="I waited two hours on the phone and nobody answered.", days_ago=1)
    # Response rate: 16 invitations asked, 4 answered → 25 %. Answers to invitations are
    # voices too (CSAT 5, 5, 1, 4 → added to the survey's answers).
    invitations = [voices.invite(csat, f"inv{n}@example.lv") for n in range(16)]
    for invitation, score in zip(invitations[:4], [5, 5, 1, 4], strict=True):
        voices.click(invitation, score)
    return {"csat": csat, "nps": nps, "ces": ces}


def test_summary_matches_the_hand_computed_figures(api, answered):
    r = api.get("/insights/summary", **{"from": days_before(29), "to": today()})
    assert r.status_code == 200, r.content
    s = r.json()
    # CSAT: the 10 answers above and the 4 invitation answers: (7 + 3) / 14 = 71.4 %.
    assert s["csat"] == {"value": 71.4, "sample": 14, "too_few": False, "previous": 50.0,
                         "previous_sample": 10, "change": 21.4}
    assert s["nps"] == {"value": 16.7, "sample": 12, "too_few": False, "previous": None,
                        "previous_sample": 0, "change": None}
    assert s["ces"]["value"] == 5.0 and s["ces"]["sample"] == 10
    assert s["thumbs_up"] == {"value": 66.7, "sample": 3, "too_few": True, "previous": None,
                              "previous_sample": 0, "change": None}
    assert s["response_rate"] == {"value": 25.0, "sample": 16, "too_few": False,
                                  "previous": None, "previous_sample": 0, "change": None}
    assert s["volume"] == {"value": 14 + 12 + 10 + 3 + 1, "previous": 10, "change": 30}
    # polarity: CSAT 1–2 / 3 / 4–5, NPS 0–6 / 7–8 / 9–10, CES 1–3 / 4 / 5–7, 👎 / 👍, and
    # the message judged by its words.
    assert s["polarity"] == {"negative": 3 + 4 + 2 + 1 + 1, "neutral": 1 + 2 + 1,
                             "positive": 10 + 6 + 7 + 2, "unjudged": 0}
    assert s["period"] == {"from": days_before(29), "to": today()}
    assert s["previous_period"] == {"from": days_before(59), "to": days_before(30)}
    # without a period: the last 30 days; with only its end: the 30 days up to it
    assert api.get("/insights/summary").json() == s
    assert api.get("/insights/summary", to=days_before(30)).json()["period"] == {
        "from": days_before(59), "to": days_before(30)}


def test_filters_narrow_every_figure(api, world, answered):
    period = {"from": days_before(29), "to": today()}
    s = api.get("/insights/summary", agent=world.alice.pk, **period).json()
    assert (s["csat"]["value"], s["csat"]["sample"], s["nps"]["sample"]) == (70.0, 10, 0)
    s = api.get("/insights/summary", channel="chat", **period).json()
    assert (s["nps"]["value"], s["volume"]["value"], s["csat"]["sample"]) == (16.7, 12, 0)
    s = api.get("/insights/summary", survey=answered["csat"], **period).json()
    assert (s["csat"]["sample"], s["response_rate"]["value"]) == (14, 25.0)
    s = api.get("/insights/summary", survey=answered["nps"], **period).json()
    assert s["response_rate"] == {"value": None, "sample": 0, "too_few": True,
                                  "previous": None, "previous_sample": 0, "change": None}


def test_breakdowns_by_agent_channel_survey_and_theme(api, world, answered):
    period = {"from": days_before(29), "to": today()}
    rows = api.get("/insights/breakdown", by="agent", **period).json()["rows"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["Alice Agent"]["csat"]["value"] == 70.0
    assert by_name["Bob Agent"]["nps"] == {"value": 16.7, "sample": 12, "too_few": False}
    assert by_name["No agent"]["key"] is None
    assert sum(r["volume"] for r in rows) == 40
    rows = api.get("/insights/breakdown", by="survey", **period).json()["rows"]
    survey = next(r for r in rows if r["key"] == answered["csat"])
    assert (survey["name"], survey["response_rate"]["value"]) == ("After support (csat)", 25.0)
    rows = api.get("/insights/breakdown", by="channel", **period).json()["rows"]
    assert [(r["key"], r["volume"]) for r in rows][:2] == [("email", 14), ("chat", 12)]
    assert rows[0]["name"] == "E-mail"
    r = api.get("/insights/breakdown", by="theme", **period).json()
    assert r["volume"] == 40
    waiting = next(row for row in r["rows"] if row["key"] == "waiting_time")
    assert (waiting["volume"], waiting["negative"], waiting["share"]) == (1, 1, 2.5)


def test_timeseries_by_day_week_and_month_adds_up(api, answered):
    period = {"from": days_before(59), "to": today()}
    daily = api.get("/insights/timeseries", interval="day", **period).json()["points"]
    assert len(daily) == 60 and daily[0]["start"] == days_before(59)
    assert sum(p["volume"] for p in daily) == 50
    two_days_ago = next(p for p in daily if p["start"] == days_before(2))
    assert two_days_ago["csat"] == {"value": 70.0, "sample": 10, "too_few": False}
    for interval in ("week", "month"):
        points = api.get("/insights/timeseries", interval=interval, **period).json()["points"]
        assert sum(p["volume"] for p in points) == 50
        assert sum(p["csat"]["sample"] for p in points) == 24
        assert sum(p["response_rate"]["sample"] for p in points) == 16


def test_bad_filters_are_422_naming_the_field(api, world):
    cases = [({"interval": "year"}, "/insights/timeseries", "interval"),
             ({"by": "colour"}, "/insights/breakdown", "by"),
             ({}, "/insights/breakdown", "by"),
             ({"team": 999999}, "/insights/summary", "team"),
             ({"team": "support"}, "/insights/summary", "team"),
             ({"agent": world.mallory.pk}, "/insights/summary", "agent"),
             ({"survey": 424242}, "/insights/summary", "survey"),
             ({"channel": "pigeon"}, "/insights/summary", "channel"),
             ({"language": "x" * 20}, "/insights/summary", "language"),
             ({"from": "yesterday"}, "/insights/summary", "from"),
             ({"from": today(), "to": days_before(3)}, "/insights/summary", "from"),
             ({"from": "2024-01-01", "to": "2026-01-01"}, "/insights/summary", "from"),
             ({"from": "0001-01-01", "to": "0001-01-05"}, "/insights/summary", "from"),
             ({"to": "9999-12-31"}, "/insights/timeseries", "to"),
             ({"to": "0001-01-01"}, "/insights/summary", "to"),
             ({"team": 2**63}, "/insights/summary", "team"),
             ({"survey": 0}, "/insights/summary", "survey"),
             ({"from": "2025-01-01", "to": "2026-06-01", "interval": "day"},
              "/insights/timeseries", "interval")]
    for params, path, field in cases:
        r = api.get(path, **params)
        assert r.status_code == 422, (params, r.content)
        assert field in [d["loc"][-1] for d in r.json()["detail"]], (params, r.json())


def test_another_workspace_sees_nothing_of_acme(api, other_api, world, voices, answered,
                                                run_tasks):
    period = {"from": days_before(29), "to": today()}
    s = other_api.get("/insights/summary", **period).json()
    assert s["volume"] == {"value": 0, "previous": 0, "change": 0}
    assert s["csat"]["sample"] == 0 and s["response_rate"]["sample"] == 0
    for by in ("team", "agent", "channel", "language", "survey", "theme"):
        assert other_api.get("/insights/breakdown", by=by, **period).json()["rows"] == []
    points = other_api.get("/insights/timeseries", **period).json()["points"]
    assert sum(p["volume"] for p in points) == 0
    # acme's ids are unknown to globex, exactly like ids of nothing
    r = other_api.get("/insights/summary", team=world.support.pk)
    assert r.status_code == 422
    r = other_api.get("/insights/summary", survey=answered["csat"])
    assert r.status_code == 422
    # globex's own voice is globex's alone
    with run_tasks():
        other_api.post("/feedback", {"customer": {"email": "x@globex.test"}, "scale": "csat",
                                     "score": 5, "channel": "email"})
    assert VoiceCount.objects.for_workspace(world.globex).get().voices == 1
    assert other_api.get("/insights/summary").json()["csat"]["sample"] == 1
    assert api.get("/insights/summary", **period).json()["volume"]["value"] == 40


def test_figures_are_read_from_the_rollups_alone(api, answered, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for path, extra in (("/insights/summary", {}), ("/insights/timeseries",
                            {"interval": "week"}), ("/insights/breakdown", {"by": "agent"})):
            assert api.get(path, **extra).status_code == 200
    assert not [q for q in queries.captured_queries if "feedback_feedback" in q["sql"]]
    with django_assert_max_num_queries(8):
        api.get("/insights/breakdown", by="team")
