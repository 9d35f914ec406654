"""The weekly report: subscribed managers get last week's figures on Monday from 08:00 in
their workspace's time zone, in their language, once per week, through real SMTP."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from kliento.insights.weekly import send_weekly_report, send_weekly_reports, weekly_figures
from kliento.recovery.models import Case

pytestmark = pytest.mark.django_db

# Riga is UTC+2 in November: Monday 30 November 08:00 there is 06:00 UTC.
MONDAY_8_RIGA = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


@pytest.fixture
def history(world, api):
    """Last week (23–29 Nov, Riga) and the week before, with voices right at Riga's midnight."""

    def say(score, scale, occurred_at):
        email = f"c{re.sub(r'[^0-9]', '', occurred_at)}@example.lv"
        r = api.post("/feedback", {"customer": {"email": email},
                                   "score": score, "scale": scale, "occurred_at": occurred_at})
        assert r.status_code == 201, r.content
        return r.json()["id"]

    # last week: CSAT 5, 4, 2 → 66.7 %; NPS 10, 9, 7, 3 → (2 − 1) / 4 = 25; 2 negative
    first = say(2, "csat", "2026-11-22T22:30:00Z")  # 00:30 on Monday 23rd in Riga
    for score, scale, when in [(5, "csat", "2026-11-24T09:00:00Z"),
                               (4, "csat", "2026-11-25T09:00:00Z"),
                               (10, "nps", "2026-11-26T09:00:00Z"),
                               (9, "nps", "2026-11-27T09:00:00Z"),
                               (7, "nps", "2026-11-28T09:00:00Z"),
                               (3, "nps", "2026-11-29T21:59:00Z")]:  # 23:59 Sunday in Riga
        say(score, scale, when)
    say(0, "nps", "2026-11-29T22:30:00Z")  # 00:30 on Monday 30th in Riga: this week
    # the week before: CSAT 5, 1 → 50 %; NPS 10 → 100; 1 negative
    say(5, "csat", "2026-11-17T09:00:00Z")
    old = say(1, "csat", "2026-11-18T09:00:00Z")
    say(10, "nps", "2026-11-19T09:00:00Z")
    # cases: one opened last week and resolved, one opened the week before
    for feedback_id, opened, resolved in [(first, "2026-11-23T08:00:00Z", "2026-11-26T08:00Z"),
                                          (old, "2026-11-18T10:00:00Z", None)]:
        case = api.post("/cases", {"feedback_id": feedback_id}).json()
        Case.objects.filter(pk=case["id"]).update(opened_at=opened, resolved_at=resolved)
    return first


def test_weekly_figures_on_a_known_history(world, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        w = weekly_figures(world.acme, date(2026, 11, 23), date(2026, 11, 29))
    c, p = w.current, w.previous
    assert (c.volume, c.csat_answers, c.nps_answers, c.negative) == (7, 3, 4, 2)
    assert c.csat_percent == pytest.approx(200 / 3)
    assert c.nps == pytest.approx(25.0)
    assert (c.cases_opened, c.cases_resolved) == (1, 1)
    assert (p.volume, p.csat_answers, p.nps_answers, p.negative) == (3, 2, 1, 1)
    assert (p.csat_percent, p.nps) == (50.0, 100.0)
    assert (p.cases_opened, p.cases_resolved) == (1, 0)
    empty = weekly_figures(world.acme, date(2026, 1, 5), date(2026, 1, 11)).current
    assert (empty.volume, empty.csat_percent, empty.nps) == (0, None, None)


@pytest.fixture
def subscribed(world, signed_in):
    world.carol.language = "lv"
    world.carol.save()
    carol = signed_in(world.carol)
    assert "weekly_report" in carol.get("/accounts/profile/").content.decode()
    r = carol.post("/accounts/profile/", {"full_name": "Carol Manager", "language": "lv",
                                          "weekly_report": "on"})
    assert r.status_code == 302
    # an agent has no such choice, and posting it changes nothing
    alice = signed_in(world.alice)
    assert "weekly_report" not in alice.get("/accounts/profile/").content.decode()
    alice.post("/accounts/profile/", {"full_name": "Alice Agent", "language": "en",
                                      "weekly_report": "on"})
    return carol


def test_a_latvian_manager_gets_the_report_on_monday_at_eight_riga_time_once(
        world, history, subscribed, smtp_settings, run_tasks):
    with run_tasks():
        assert send_weekly_reports(now=MONDAY_8_RIGA - timedelta(minutes=1)) == 0
        assert send_weekly_reports(now=MONDAY_8_RIGA - timedelta(days=1)) == 0  # Sunday
    assert smtp_settings.messages == []
    with run_tasks():
        assert send_weekly_reports(now=MONDAY_8_RIGA) == 1
    [message] = smtp_settings.messages  # carol only: anna did not subscribe, alice cannot
    assert message["To"] == "carol@acme.test"
    # (a folded encoded subject reads back with a leading space)
    assert message["Subject"].strip() == "Acme: nedēļa 23.11.2026 – 29.11.2026"  # in Latvian
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert '<html lang="lv">' in html
    assert "2026. gada 23. novembris" in text  # Latvian dates
    # figures with their change, with a Latvian decimal comma
    assert re.search(r"CSAT: 66,7 % \(.*: \+16,7 p\.p\.\), atbildes: 3(?!\d)", text), text
    assert re.search(r"NPS: 25 \(.*: −75\), atbildes: 4(?!\d)", text), text
    assert re.search(r": 7 \(.*: \+4\)", text)
    links = re.findall(r"https?://\S+", text)
    assert "http://127.0.0.1:8000/insights/?from=2026-11-23&to=2026-11-29" in links
    negative = next(link for link in links if "polarity=negative" in link)
    # the link lands on the feedback list of exactly the voices counted
    page = subscribed.get(urlsplit(negative).path + "?" + urlsplit(negative).query)
    assert re.search(r'class="count">2 [^<]+<', page.content.decode())  # "2 atsauksmes"
    assert "insights/?from=2026-11-23&amp;to=2026-11-29" in html
    # a restarted worker, a second pass, a task run twice: still one e-mail
    with run_tasks():
        assert send_weekly_reports(now=MONDAY_8_RIGA + timedelta(minutes=5)) == 0
        send_weekly_report.call(world.acme.pk, "2026-11-23")
    assert len(smtp_settings.messages) == 1
    # next Monday brings the next week
    with run_tasks():
        assert send_weekly_reports(now=MONDAY_8_RIGA + timedelta(days=7)) == 1
    assert len(smtp_settings.messages) == 2
    assert "30.11.2026 – 6.12.2026" in smtp_settings.messages[1]["Subject"]


def test_each_workspace_gets_it_at_eight_in_its_own_time_zone(
        world, signed_in, smtp_settings, run_tasks):
    mallory = signed_in(world.mallory)  # globex keeps UTC
    mallory.post("/accounts/profile/", {"full_name": "Mallory", "language": "en",
                                        "weekly_report": "on"})
    with run_tasks():
        assert send_weekly_reports(now=MONDAY_8_RIGA) == 0  # 06:00 in UTC
        assert send_weekly_reports(now=MONDAY_8_RIGA + timedelta(hours=2)) == 1
    [message] = smtp_settings.messages
    assert message["To"] == "mallory@globex.test"
    assert "Globex" in message["Subject"]


def test_unsubscribing_stops_the_report(world, history, subscribed, smtp_settings, run_tasks):
    subscribed.post("/accounts/profile/", {"full_name": "Carol Manager", "language": "lv"})
    with run_tasks():
        assert send_weekly_reports(now=MONDAY_8_RIGA) == 0
    assert smtp_settings.messages == []
