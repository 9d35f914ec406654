"""The Insights page as managers and agents use it: the filters live in the URL, every
linked figure opens the feedback list of exactly the voices behind it, formulas and sample
sizes stand beside the shares, too few answers are greyed, agents see only their own and
their teams' figures, and the page costs a fixed number of queries."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import openpyxl
import pytest
from freezegun import freeze_time

import kliento.urls  # noqa: F401  (the API's schemas are built before any frozen clock)
from kliento import loop
from kliento.core.services import create_team
from kliento.feedback.judging import ensure_default_themes
from kliento.recovery import services as recovery
from tests.insights.conftest import riga, voice

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
NOW = riga(30, 10)
# Session, workspace, the filters' choices, and each panel's fixed queries.
QUERIES = 64


class Links(HTMLParser):
    """Every link of the page that carries the figure it stands for (`data-figure`)."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, int]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
            if values.get("data-figure"):
                self.figures.append((values["href"] or "", int(values["data-figure"] or 0)))


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def page(client: Any, **params: Any) -> Any:
    with freeze_time(NOW):
        return client.get("/insights/", {**PERIOD, **params})


def feed_ids(client: Any, href: str) -> set[int]:
    parts = urlsplit(href)
    assert parts.path == "/feed/"
    with freeze_time(NOW):
        response = client.get(parts.path, dict(parse_qsl(parts.query)))
    assert response.status_code == 200
    return {f.pk for f in response.context["items"]}


@pytest.fixture
def month(world: Any, run_tasks: Any) -> dict[str, Any]:
    """November 2026 at acme: unhappy and happy voices of alice (Support) and bob (no
    team), themes, cases closed with root causes; one voice of October and one of globex."""
    recovery.ensure_defaults(world.acme)
    ensure_default_themes(world.acme)
    billing = create_team(workspace=world.acme, actor=None, name="Billing")

    def said(who: str, score: int, day: int, agent: Any, team: Any, themes: list[str],
             cause: str = "", month: int = 11, channel: str = "email") -> Any:
        with run_tasks():  # judged and counted in the rollups, as the worker does
            feedback = voice(world.acme, who, score, riga(day, 11, month=month), agent=agent,
                             team=team, channel=channel)
        if themes:
            loop.correct_feedback(feedback=feedback, user=world.carol, themes=themes)
        if cause:
            with freeze_time(riga(day, 12, month=month)):
                case = loop.open_case_by_hand(feedback=feedback, owner=agent)
                recovery.close(case=case, root_cause_key=cause)
        return feedback

    a = world.alice
    b = world.bob
    voices = [
        said("aija", 1, 3, a, world.support, ["waiting_time"], "long_wait"),
        said("bruno", 2, 4, a, world.support, ["waiting_time", "staff_attitude"], "long_wait"),
        said("cilda", 1, 5, b, None, ["delivery"], "billing_error", channel="phone"),
        said("dace", 5, 6, a, world.support, ["staff_attitude"]),
        said("edgars", 4, 9, b, billing, []),
        said("fricis", 1, 10, b, billing, ["waiting_time"], "long_wait"),
        said("gatis", 2, 12, a, world.support, []),
    ]
    said("vecais", 1, 20, a, world.support, ["waiting_time"], "long_wait", month=10)
    with run_tasks():
        voice(world.globex, "svesais", 1, riga(5, 11))
    return {"voices": voices, "billing": billing}


def test_manager_sees_insights_in_the_navigation_and_every_panel(world, signed_in, month):
    carol = signed_in(world.carol)
    response = page(carol)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<a href="/insights/"\s+aria-current="page">Insights</a>', html)
    for panel in ("close-loop-team", "close-loop-agent", "root-causes", "themes",
                  "themes-over-time", "word-of-mouth", "contacts", "heat-voices",
                  "heat-logged"):
        assert f'id="{panel}"' in html, panel
    # Each chart has its data beside it, read by the static script, with the CSP nonce.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    blocks = re.findall(r'<script id="(chart-[\w-]+)" type="application/json" nonce="([^"]+)">',
                        html)
    assert {i for i, _n in blocks} == {
        "chart-volume", "chart-scores", "chart-close-loop-team", "chart-close-loop-agent",
        "chart-root-causes", "chart-themes", "chart-theme-trend"}
    assert {n for _i, n in blocks} == {nonce}
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "/static/kliento/insights.js" in html


def test_every_linked_figure_opens_a_list_of_exactly_that_many_voices(world, signed_in, month):
    carol = signed_in(world.carol)
    html = page(carol).content.decode()
    figures = links_of(html).figures
    # 7 unhappy-voice counts (team, agent tables with totals), 2 root causes, 3 themes,
    # themes by team, voices by channel, team and agent.
    assert len(figures) >= 20
    for href, figure in figures:
        assert len(feed_ids(carol, href)) == figure, href
    # The root cause bar of "long_wait" is the three November voices, not October's.
    long_wait = [h for h, _n in figures if "root_cause=long_wait" in h]
    assert feed_ids(carol, long_wait[0]) == {month["voices"][i].pk for i in (0, 1, 5)}


@pytest.mark.parametrize("by", ["team", "agent", "channel", "language", "survey", "theme"])
def test_each_breakdown_links_every_row_to_its_voices(world, signed_in, month, by):
    carol = signed_in(world.carol)
    response = page(carol, breakdown=by)
    assert response.status_code == 200
    html = response.content.decode()
    split = html[html.index('id="breakdown"'):html.index('id="close-loop-team"')]
    header = {"team": "Team", "agent": "Agent", "channel": "Channel", "language": "Language",
              "survey": "Survey", "theme": "Theme"}[by]
    assert f'<thead><tr><th scope="col">{header}</th>' in split
    figures = links_of(split).figures
    assert figures, by
    assert sum(n for _h, n in figures) >= 7 if by != "theme" else True
    for href, figure in figures:
        assert len(feed_ids(carol, href)) == figure, href


def test_headline_scores_carry_formula_sample_and_change(world, signed_in, month, settings):
    settings.INSIGHTS_MIN_SAMPLE = 1
    html = page(signed_in(world.carol)).content.decode()
    csat = html[html.index('id="figure-csat"'):html.index('id="figure-nps"')]
    # dace 5 and edgars 4 of 7 November answers; October's one answer was a 1 (0 %).
    assert "28.6 %" in csat
    assert "CSAT = share (%) of answers 4 or 5 on the 1–5 scale; 7 answers" in csat
    assert "▲ +28.6" in csat
    nps = html[html.index('id="figure-nps"'):html.index('id="figure-ces"')]
    assert "NPS = promoters (9–10) as % − detractors (0–6) as %; 0 answers" in nps
    volume = html[html.index('id="figure-volume"'):]
    assert 'data-figure="7">7</a>' in volume


def test_headline_with_too_few_answers_is_greyed(world, signed_in, month):
    html = page(signed_in(world.carol)).content.decode()  # 7 answers, the minimum is 10
    csat = html[html.index('id="figure-csat"'):html.index('id="figure-nps"')]
    assert "too-few-figure" in csat and "too few answers (7)" in csat
    assert "28.6" not in csat and "▲" not in csat


def test_chart_points_link_to_the_same_voices_as_their_table_cells(world, signed_in, month):
    import json

    carol = signed_in(world.carol)
    html = page(carol).content.decode()
    data = json.loads(re.search(
        r'<script id="chart-root-causes" type="application/json" nonce="[^"]+">(.*?)</script>',
        html, re.S)[1])
    bars = data["datasets"][0]
    assert data["labels"] == ["Long wait", "Billing error"]
    assert bars["data"] == [3, 1]
    for link, count in zip(bars["links"], bars["data"], strict=True):
        assert len(feed_ids(carol, link)) == count


def test_filters_round_trip_in_the_url(world, signed_in, month):
    carol = signed_in(world.carol)
    params = {"from": "2026-11-02", "to": "2026-11-20", "team": str(world.support.pk),
              "agent": str(world.alice.pk), "channel": "email", "language": "lv",
              "vip": "yes", "interval": "week"}
    response = page(carol, **params)
    assert response.status_code == 200
    form = response.context["form"]
    assert {k: str(v) for k, v in form.params().items()} == params
    html = response.content.decode()
    assert 'value="2026-11-02"' in html and 'value="2026-11-20"' in html
    assert re.search(rf'<option value="{world.support.pk}" selected>Support</option>', html)
    assert '<option value="yes" selected>' in html
    # The presets and every download keep the rest of the view.
    hrefs = links_of(html).hrefs
    downloads = [h for h in hrefs if h.startswith("/insights/export/")]
    assert downloads
    for href in downloads:
        kept = dict(parse_qsl(urlsplit(href).query))
        assert kept == params
    last_7 = next(h for h in hrefs if "from=2026-11-14" in h)
    assert dict(parse_qsl(urlsplit(last_7).query)) == {**params, "from": "2026-11-14"}
    # A narrower view is what the figures count: only alice's Support voices by e-mail.
    figures = links_of(html).figures
    for href, figure in figures:
        assert len(feed_ids(carol, href)) == figure
        query = dict(parse_qsl(urlsplit(href).query))
        assert query["team"] == str(world.support.pk) and query["agent"] == str(world.alice.pk)


@pytest.mark.parametrize("params, field", [
    ({"from": "yesterday"}, "from"),
    ({"from": "2026-11-20", "to": "2026-11-01"}, "from"),
    ({"team": "999999"}, "team"),
    ({"channel": "pigeon"}, "channel"),
    ({"vip": "maybe"}, "vip"),
    ({"interval": "hour"}, "interval"),
])
def test_a_bad_filter_is_named_and_nothing_is_shown(world, signed_in, month, params, field):
    response = page(signed_in(world.carol), **params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert "loops" not in response.context


def test_another_workspaces_team_is_refused_and_its_voices_never_counted(world, signed_in,
                                                                         month):
    from kliento.core.services import create_team as team

    theirs = team(workspace=world.globex, actor=None, name="Theirs")
    response = page(signed_in(world.carol), team=str(theirs.pk))
    assert response.status_code == 400
    # Mallory sees her own workspace only: one voice, none of acme's.
    mallory = page(signed_in(world.mallory))
    assert mallory.status_code == 200
    total = mallory.context["loops"][0]["figures"].total
    assert total.unhappy == 1


def test_formulas_and_sample_sizes_stand_beside_the_shares(world, signed_in, month):
    html = page(signed_in(world.carol)).content.decode()
    assert "Recovered = unhappy voices followed by a positive answer of the same customer" \
        " ÷ unhappy voices; 5 voices." in html
    assert "Contacted in time = unhappy voices contacted within 24 business hours" in html
    assert "An unhappy customer tells 9 to 15 other people" in html


def test_too_few_answers_are_greyed_not_shown_as_a_percentage(world, signed_in, month,
                                                              settings):
    settings.INSIGHTS_MIN_SAMPLE = 3
    html = page(signed_in(world.carol)).content.decode()
    agents = html[html.index('id="close-loop-agent"'):html.index('id="root-causes"')]
    # bob has 2 unhappy voices: too few; alice 3 and the total 5 show a recovery rate.
    bob = agents[agents.index(">Bob Agent<"):]
    bob = bob[:bob.index("</tr>")]
    assert '<span class="too-few"' in bob and "too few answers (2)" in bob
    assert " %" not in bob.split("</td>", 4)[3]
    settings.INSIGHTS_MIN_SAMPLE = 1
    html = page(signed_in(world.carol)).content.decode()
    agents = html[html.index('id="close-loop-agent"'):html.index('id="root-causes"')]
    bob = agents[agents.index(">Bob Agent<"):]
    assert "too few answers" not in bob[:bob.index("</tr>")]


def test_an_agent_sees_their_own_figures_and_their_teams_only(world, signed_in, month):
    alice = signed_in(world.alice)
    own = page(alice)
    assert own.status_code == 200
    assert own.context["selection"].agent_id == world.alice.pk
    # No row per agent, no colleague's name: alice's own 3 unhappy voices.
    html = own.content.decode()
    assert "Bob Agent" not in html
    assert own.context["loops"][0]["figures"].total.unhappy == 3
    for href, figure in links_of(html).figures:
        assert f"agent={world.alice.pk}" in href
        assert len(feed_ids(alice, href)) == figure
    team = page(alice, team=str(world.support.pk), agent="")
    assert team.status_code == 200
    assert [loop["by"] for loop in team.context["loops"]] == ["team"]
    assert "Bob Agent" not in team.content.decode()
    # A colleague or another team is not even offered: the filter is refused, naming it.
    for name, value in (("agent", world.bob.pk), ("team", month["billing"].pk)):
        refused = page(alice, **{name: str(value)})
        assert refused.status_code == 400 and name in refused.context["form"].errors
        assert "loops" not in refused.context
    assert signed_in(world.alice).get("/insights/export/close_loop_agent.csv",
                                      {**PERIOD, "team": str(world.support.pk)}
                                      ).status_code == 404


def test_viewers_and_strangers_see_nothing(world, signed_in, client, month):
    from kliento.core.models import Role, User
    from kliento.core.services import add_member

    viewer = User.objects.create_user("vera@acme.test", "x", full_name="Vera Viewer")
    add_member(workspace=world.acme, user=viewer, role=Role.VIEWER, teams=[])
    assert page(signed_in(viewer)).status_code == 403
    assert page(client).status_code == 302  # to sign in
    assert '"/insights/"' not in signed_in(viewer).get("/feed/").content.decode()


def test_each_table_downloads_as_csv_and_xlsx_with_formulas_kept_as_text(world, signed_in,
                                                                         month):
    from kliento.core.models import Team

    Team.objects.filter(pk=month["billing"].pk).update(name="=HYPERLINK(\"x\")")
    carol = signed_in(world.carol)
    with freeze_time(NOW):
        response = carol.get("/insights/export/close_loop_team.csv", PERIOD)
        xlsx = carol.get("/insights/export/close_loop_team.xlsx", PERIOD)
        missing = carol.get("/insights/export/nothing.csv", PERIOD)
        bad = carol.get("/insights/export/themes.csv", {"from": "soon"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="kliento-close_loop_team-2026-11-01-2026-11-30.csv"' in \
        response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Team", "Unhappy voices", "Contacted"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Support"][1] == "3" and by_name["All"][1] == "5"
    assert by_name["'=HYPERLINK(\"x\")"][1] == "1"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = [[c.value for c in r] for r in book.active.iter_rows()]
    assert sheet[0][:2] == ["Team", "Unhappy voices"]
    # Written as text, not as a formula: openpyxl reads the quoted string back.
    cell = next(r for r in sheet if r[0] == "'=HYPERLINK(\"x\")")
    assert cell[1] == 1
    assert missing.status_code == 404
    for name in ("trend", "breakdown", "root_causes", "themes", "themes_by_team",
                 "close_loop_agent", "contacts_channel", "heat_voices"):
        with freeze_time(NOW):
            assert carol.get(f"/insights/export/{name}.csv", PERIOD).status_code == 200, name
    assert bad.status_code == 400 and b"from" in bad.content


def test_the_page_costs_the_same_queries_whatever_the_data(world, signed_in, month, run_tasks,
                                                           django_assert_max_num_queries):
    carol = signed_in(world.carol)
    page(carol)  # warm the session and caches
    with django_assert_max_num_queries(QUERIES) as before:
        small = page(carol)
    assert small.status_code == 200
    for i in range(8):
        with run_tasks():
            voice(world.acme, f"jauns{i}", 1 + i % 5, riga(14 + i, 11),
                  agent=world.bob if i % 2 else world.alice,
                  team=month["billing"] if i % 3 else world.support)
    with django_assert_max_num_queries(QUERIES) as after:
        assert page(carol).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries), len(before.captured_queries)


def test_customer_tag_and_vip_narrow_every_panel_and_its_lists(world, signed_in, month):
    from kliento.customers.models import Customer, Tag

    tag = Tag.objects.create(workspace=world.acme, name="wholesale")
    aija = Customer.objects.get(workspace=world.acme, name="Aija")
    aija.tags.add(tag)
    Customer.objects.filter(workspace=world.acme, name="Fricis").update(vip=True)
    carol = signed_in(world.carol)
    for params, unhappy in (({"customer_tag": "wholesale"}, 1), ({"vip": "yes"}, 1),
                            ({"vip": "no"}, 4)):
        response = page(carol, **params)
        assert response.status_code == 200
        assert response.context["loops"][0]["figures"].total.unhappy == unhappy
        html = response.content.decode()
        # every figure of the page, scores and trends included, counts those customers only
        for href, figure in links_of(html).figures:
            assert len(feed_ids(carol, href)) == figure, href
            assert all(f"{k}={v}" in href for k, v in params.items())
