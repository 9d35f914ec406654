"""Drill-downs the Insights page gained for issue 13: every cell of the hour-of-the-week maps,
the logged contacts, the shares and the response rate open the feedback list of exactly the
voices behind them, and `GET /api/v1/feedback` with the same parameters counts the same.
Bad values of the new parameters are named and list nothing."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from freezegun import freeze_time

import kliento.urls  # noqa: F401  (the API's schemas are built before any frozen clock)
from kliento import loop
from kliento.customers.services import CustomerRef
from kliento.feedback.models import Feedback
from kliento.loop import Interaction
from tests.insights.conftest import riga, voice
from tests.insights.test_dashboard import links_of
from tests.insights.test_dashboard import month as month  # a fixture, used by name

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}


def listed(client: Any, api: Any, href: str, now: Any) -> set[int]:
    """The voices the feedback list shows for a link, checked against the API's count."""
    parts = urlsplit(href)
    assert parts.path == "/feed/"
    params = dict(parse_qsl(parts.query))
    with freeze_time(now):
        response = client.get("/feed/", params)
        body = api.get("/feedback", limit=500, **params).json()
    assert response.status_code == 200, href
    ids = {f.pk for f in response.context["items"]}
    assert response.context["count"] == len(ids)
    assert body["count"] == len(ids), (href, body)
    assert {int(item["id"]) for item in body["items"]} == ids
    return ids


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


# -- the hour of the week ------------------------------------------------------------------


@pytest.fixture
def week(world: Any, voices: Any, run_tasks: Any) -> dict[str, Any]:
    """Voices and logged contacts of November at acme, near midnight on Riga's clock (UTC+2),
    where a day or an hour of UTC would put them in another cell; processed, so counted in
    the rollups the heat maps read."""
    a = world.alice
    with run_tasks():
        out = {
            # Monday 2 November 00:30 and 00:45 in Riga: Sunday 22:30 and 22:45 in UTC.
            "anna": voice(world.acme, "anna", 1, riga(2, 0, 30), agent=a, team=world.support),
            "berta": voice(world.acme, "berta", 5, riga(2, 0, 45), agent=world.bob),
            "cilda": voice(world.acme, "cilda", 2, riga(6, 23, 59), channel="chat"),  # Fri 23h
        }
    # Alice logs a call of Tuesday 9:15 at 9:20, and one of Tuesday 23:50 after midnight:
    # both counted on the hour they happened (when the customer spoke).
    for name, spoke, logged in (("call", riga(3, 9, 15), riga(3, 9, 20)),
                                ("late_call", riga(3, 23, 50), riga(4, 0, 10)),
                                ("october", riga(27, 9, 0, month=10), riga(27, 9, 5, month=10))):
        with freeze_time(logged), run_tasks():
            out[name] = loop.log_interaction(Interaction(
                workspace=world.acme, customer=CustomerRef(email=f"{name}@example.lv"),
                channel="phone", agent=a, team=world.support, note="Called back.",
                occurred_at=spoke))
    # An interaction an integration posted without its agent: a voice, not a logged contact.
    with freeze_time(riga(3, 9, 40)):
        out["no_agent"] = voices.hear(email="dita@example.lv", source="interaction",
                                      at=riga(3, 9, 30), channel="phone")
    return out


def heat_cells(html: str, table: str) -> dict[tuple[int, int], tuple[int, str]]:
    """(weekday 1–7, hour) → (figure, link) of every linked cell of a heat map."""
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", section(html, f'id="{table}"',
                                                                  "</table>"), re.S)
    cells = {}
    for day, row in enumerate(rows, start=1):
        for hour, cell in enumerate(re.findall(r"<td class=\"heat-\d\">(.*?)</td>", row)):
            found = links_of(cell).figures
            if found:
                cells[(day, hour)] = found[0][1], found[0][0]
    return cells


def test_every_cell_of_the_hour_of_the_week_maps_lists_its_voices(
        world, signed_in, api, week):
    carol = signed_in(world.carol)
    now = riga(30, 10)
    with freeze_time(now):
        html = carol.get("/insights/", PERIOD).content.decode()
    voices = heat_cells(html, "heat-voices")
    logged = heat_cells(html, "heat-logged")
    assert {k: n for k, (n, _l) in voices.items()} == {
        (1, 0): 2, (5, 23): 1, (2, 9): 2, (2, 23): 1}
    assert {k: n for k, (n, _l) in logged.items()} == {(2, 9): 1, (2, 23): 1}
    for (day, hour), (n, link) in [*voices.items(), *logged.items()]:
        assert f"weekday={day}" in link and f"hour={hour}" in link
        assert len(listed(carol, api, link, now)) == n, link
    assert listed(carol, api, voices[(1, 0)][1], now) == {week["anna"].pk, week["berta"].pk}
    assert listed(carol, api, voices[(2, 9)][1], now) == {week["call"].pk, week["no_agent"]}
    assert listed(carol, api, logged[(2, 9)][1], now) == {week["call"].pk}
    assert listed(carol, api, logged[(2, 23)][1], now) == {week["late_call"].pk}
    # The list says what it holds, and a filter changed there keeps the cell's hour.
    with freeze_time(now):
        shown = carol.get(logged[(2, 9)][1]).content.decode()
    assert re.search(r'<option value="2" selected>Tuesday</option>', shown)
    assert re.search(r'name="hour" value="9"', shown)
    assert re.search(r'<option value="1" selected>Only contacts agents logged</option>', shown)
    assert '<details class="more-filters" open>' in shown
    # The logged-contacts column of the contact tables links too.
    contacts = links_of(section(html, 'id="contacts"', "</section>")).figures
    logged_links = [(h, n) for h, n in contacts if "logged=1" in h and "weekday" not in h]
    assert sorted(n for _h, n in logged_links) == [2, 2, 2]  # phone, Support, Alice
    for href, _n in logged_links:
        assert listed(carol, api, href, now) == {week["call"].pk, week["late_call"].pk}


def test_a_heat_map_cell_follows_the_pages_filters(world, signed_in, api, week):
    carol = signed_in(world.carol)
    now = riga(30, 10)
    with freeze_time(now):
        html = carol.get("/insights/", {**PERIOD, "team": world.support.pk}).content.decode()
    voices = heat_cells(html, "heat-voices")
    assert {k: n for k, (n, _l) in voices.items()} == {(1, 0): 1, (2, 9): 1, (2, 23): 1}
    assert listed(carol, api, voices[(1, 0)][1], now) == {week["anna"].pk}
    logged = heat_cells(html, "heat-logged")
    assert {k: n for k, (n, _l) in logged.items()} == {(2, 9): 1, (2, 23): 1}


def test_weekday_and_hour_are_read_on_the_workspaces_clock(world, api, week):
    with freeze_time(riga(30, 10)):
        # Sunday 22h in UTC is Monday 0h in Riga.
        assert api.get("/feedback", weekday=1, hour=0).json()["count"] == 2
        assert api.get("/feedback", weekday=7, hour=22).json()["count"] == 0
        assert api.get("/feedback", weekday=2).json()["count"] == 4  # Tuesday in Riga
        assert api.get("/feedback", hour=23, logged="yes").json()["count"] == 1
        assert api.get("/feedback", logged="1", **PERIOD).json()["count"] == 2


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"weekday": "0"}, "weekday", "The weekday is a number from 1 (Monday) to 7 (Sunday)"),
    ({"weekday": "8"}, "weekday", "not “8”"),
    ({"weekday": "mon"}, "weekday", "not “mon”"),
    ({"hour": "24"}, "hour", "The hour is a number from 0 to 23, not “24”."),
    ({"hour": "-1"}, "hour", "not “-1”"),
    ({"hour": "9.5"}, "hour", "not “9.5”"),
    ({"logged": "maybe"}, "logged", "“maybe” is not yes or no."),
    ({"asked_from": "yesterday"}, "asked_from", "“yesterday” is not a date (YYYY-MM-DD)."),
    ({"asked_from": "2026-11-05", "asked_to": "2026-11-04"}, "asked_to",
     "The invitations' days end before they begin."),
])
def test_a_bad_new_parameter_is_named_and_lists_nothing(world, signed_in, api, params, field,
                                                        message):
    voice(world.acme, "anna", 1, riga(2, 10))
    before = Feedback.objects.count()
    page = signed_in(world.carol).get("/feed/", params)
    assert page.status_code == 400
    assert list(page.context["items"]) == []
    assert message in page.content.decode().replace("&#x27;", "'")
    r = api.get("/feedback", **params)
    assert r.status_code == 422, r.content
    assert [d["loc"] for d in r.json()["detail"]] == [["query", field]]
    assert message in r.json()["detail"][0]["msg"]
    export = signed_in(world.carol).get("/feedback/export.csv", params)
    assert export.status_code == 400 and field.encode() in export.content
    assert Feedback.objects.count() == before


# -- shares ----------------------------------------------------------------------------------


def test_every_share_links_the_voices_of_its_numerator(world, signed_in, api, month):
    carol = signed_in(world.carol)
    now = riga(30, 10)
    for params in ({}, {"breakdown": "theme"}):
        with freeze_time(now):
            html = carol.get("/insights/", {**PERIOD, **params}).content.decode()
        shares = [(href, int(n)) for href, n in re.findall(
            r'<a href="([^"]+)" data-figure="(\d+)"[^>]*>[\d.]+ %</a>', html)]
        assert shares, params
        for href, n in shares:
            assert len(listed(carol, api, href.replace("&amp;", "&"), now)) == n, href
    # Root causes and themes: the share of "Long wait" is its 3 voices.
    root = section(html, 'id="root-causes"', "</section>")
    assert 'data-figure="3" title="3 voices: the share\'s numerator">75.0 %' in root


def test_every_linked_figure_on_the_page_counts_the_same_in_the_api(world, signed_in, api,
                                                                     month):
    carol = signed_in(world.carol)
    now = riga(30, 10)
    with freeze_time(now):
        html = carol.get("/insights/", PERIOD).content.decode()
    figures = links_of(html).figures
    assert len(figures) >= 30
    for href, n in figures:
        assert len(listed(carol, api, href, now)) == n, href


# -- the response rate -----------------------------------------------------------------------


@pytest.fixture
def asked(world: Any, voices: Any) -> dict[str, Any]:
    """Invitations of a CSAT survey around November, on Riga's clock: asked on 31 October
    (answered in November), on 1 November at 00:30 (31 October in UTC), five on 5
    November (three answered, one answer's voice deleted since), one on 29 November answered
    on 1 December, after the period."""
    with freeze_time(riga(20, 10, month=10)):
        survey = voices.survey("csat")

    def invite(who: str, when: Any) -> dict[str, Any]:
        with freeze_time(when):
            return voices.invite(survey, f"{who}@example.lv", team="Support",
                                 agent_email=world.alice.email)

    def answer(invitation: dict[str, Any], score: int, when: Any) -> int:
        with freeze_time(when):
            voices.click(invitation, score)
        return int(Feedback.objects.latest("pk").pk)  # the answer just heard

    early = invite("early", riga(31, 23, 30, month=10))
    edge = invite("edge", riga(1, 0, 30))
    fives = [invite(f"five{n}", riga(5, 9 + n)) for n in range(5)]
    late = invite("late", riga(29, 18))
    out = {"survey": survey,
           "early": answer(early, 4, riga(2, 9)),
           "edge": answer(edge, 5, riga(1, 8)),
           "five": [answer(i, s, riga(6, 10)) for i, s in zip(fives[:3], [1, 2, 5],
                                                                strict=True)],
           "late": answer(late, 3, riga(1, 12, month=12))}
    with freeze_time(riga(7, 10)):
        loop.delete_feedback(Feedback.objects.get(pk=out["five"][2]))
    return out


def test_the_response_rate_links_the_answers_to_the_invitations_it_counts(
        world, signed_in, api, asked, settings):
    settings.INSIGHTS_MIN_SAMPLE = 1
    carol = signed_in(world.carol)
    now = riga(2, 10, month=12)
    with freeze_time(now):
        html = carol.get("/insights/", {**PERIOD, "interval": "week"}).content.decode()
    cell = section(html, 'id="figure-response_rate"', "</div>")
    # 7 asked in November (Riga), 5 answered, one of whose voices is deleted: the link
    # lists the 4 answers there are, and says so.
    assert "71.4 %" in cell
    assert "invitations answered ÷ invitations asked in the period; 7 invitations" in cell
    found = links_of(cell).figures
    assert [n for _h, n in found] == [4, 4]
    assert "4 answers to these invitations" in cell
    expected = {asked["edge"], *asked["five"][:2], asked["late"]}
    for href, _n in found:
        assert "asked_from=2026-11-01" in href and "asked_to=2026-11-30" in href
        assert "from=" not in href.replace("asked_from=", "")
        assert listed(carol, api, href, now) == expected
    # The trend's weeks: each week's answers to the invitations asked in it.
    trend = section(html, 'id="trends"', "</section>")
    weekly = [(h, n) for h, n in links_of(trend).figures if "asked_from" in h]
    assert sorted(n for _h, n in weekly) == [1, 1, 2]  # 26 Oct–1 Nov, 2–8 Nov, 23–29 Nov
    for href, n in weekly:
        assert len(listed(carol, api, href, now)) == n
    assert set().union(*(listed(carol, api, h, now) for h, _n in weekly)) == expected
    # The breakdown by survey and by team: one row each, its answers.
    for by in ("survey", "team", "agent"):
        with freeze_time(now):
            html = carol.get("/insights/", {**PERIOD, "breakdown": by}).content.decode()
        rows = [(h, n) for h, n in links_of(section(html, 'id="breakdown"', "</section>"))
                .figures if "asked_from" in h]
        assert [n for _h, n in rows] == [4], by
        assert listed(carol, api, rows[0][0], now) == expected


def test_the_response_rate_ignores_the_channel_and_its_link_too(world, signed_in, api, asked,
                                                                 settings):
    settings.INSIGHTS_MIN_SAMPLE = 1
    carol = signed_in(world.carol)
    now = riga(2, 10, month=12)
    with freeze_time(now):
        html = carol.get("/insights/", {**PERIOD, "channel": "phone"}).content.decode()
    cell = section(html, 'id="figure-response_rate"', "</div>")
    assert "71.4 %" in cell
    href, n = links_of(cell).figures[0]
    assert "channel" not in href and n == 4
    assert len(listed(carol, api, href, now)) == 4


def test_a_response_rate_of_too_few_invitations_is_greyed_and_still_lists_its_answers(
        world, signed_in, api, asked):
    carol = signed_in(world.carol)  # 7 invitations, the minimum is 10
    now = riga(2, 10, month=12)
    with freeze_time(now):
        html = carol.get("/insights/", {**PERIOD, "interval": "month"}).content.decode()
    cell = section(html, 'id="figure-response_rate"', "</div>")
    assert 'too-few-figure" id="figure-response_rate"' in html
    assert "too few answers (7)" in cell and "71.4" not in cell
    [(href, n)] = links_of(cell).figures
    assert n == 4 and len(listed(carol, api, href, now)) == 4
    trend = section(html, 'id="trends"', "</section>")
    assert "71.4" not in trend and "too few answers (7)" in trend
    split = section(html, 'id="breakdown"', "</section>")
    assert "71.4" not in split and "too few answers (7)" in split
