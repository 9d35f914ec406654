"""The same figure read from any source is the same number: the day rows, the cells, or the
voices and invitations themselves (what a customer tag or VIP filter reads), for every
filter a page or the API can combine and every trend and breakdown; and a tag or VIP
narrows the scores to exactly the voices the feedback list shows for it."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kliento.customers.models import Customer, Tag
from kliento.feedback.models import Feedback
from kliento.insights import figures
from kliento.insights.figures import Filters

TEXTS = ["", "I waited two hours on the phone, nobody answered.",
         "The courier was rude and the parcel arrived broken.",
         "Too expensive, the invoice was wrong.", "Ļoti laipns personāls, paldies!"]
SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7), "thumbs": (0, 1)}


@pytest.fixture
def spread(world, voices):
    """Voices over 40 days across teams, agents, channels, languages and surveys, and
    invitations asked and answered, some by a VIP customer with a tag."""
    surveys = {kind: voices.survey(kind) for kind in SCALES}
    agents = [world.alice, world.bob, None]
    for n in range(36):
        scale = list(SCALES)[n % 4]
        low, high = SCALES[scale]
        agent = agents[n % 3]
        body: dict[str, Any] = {
            "channel": ["email", "phone", "chat"][n % 3 if n % 5 else 1],
            "text": TEXTS[n % len(TEXTS)], "language": ["lv", "en", ""][n % 3 if n % 7 else 0],
            "scale": scale, "score": low + (n * 7) % (high - low + 1),
            "metadata": {"survey_id": surveys[scale]} if n % 2 else {}}
        if agent is not None:
            body["agent_email"] = agent.email
        if n % 4 in (1, 2):
            body["team"] = "Support"
        voices.hear(email=f"c{n % 9}@example.lv", days_ago=(n * 1.3) % 40, **body)
    voices.hear(email="c1@example.lv", text=TEXTS[1], days_ago=2)  # no score
    for n in range(12):
        invitation = voices.invite(surveys["csat"], f"c{n % 9}@example.lv",
                                   **({"agent_email": world.alice.email, "team": "Support"}
                                      if n % 2 else {}))
        if n % 3:
            voices.click(invitation, 1 + n % 5)
    vip = Customer.objects.for_workspace(world.acme).filter(
        identities__value__in=["c1@example.lv", "c4@example.lv"])
    vip.update(vip=True)
    tag = Tag.objects.create(workspace=world.acme, name="wholesale")
    for customer in Customer.objects.for_workspace(world.acme).filter(
            identities__value__in=["c2@example.lv", "c4@example.lv"]):
        customer.tags.add(tag)
    return surveys


def read(world, f: Filters, group: str | None, how: str, monkeypatch) -> Any:
    with monkeypatch.context() as m:
        if how in ("cells", "rows"):
            m.setattr(figures, "_grain", lambda cells, group: None)
        if how == "rows":
            m.setattr(Filters, "by_customer", property(lambda self: True))
        tallies = figures._tallies(world.acme, f, group)
        themes = figures.theme_counts(world.acme, f, group)
    return ({k: (dict(+_counter(t.scores)), dict(+_counter(t.polarity)), t.sent, t.answered)
             for k, t in tallies.items() if t.volume or t.sent},
            {k: dict(v) for k, v in themes.items() if any(v.values())})


def _counter(d: Any) -> Any:
    from collections import Counter
    return Counter(d)


def test_every_source_gives_the_same_figures_for_every_filter_and_grouping(
        world, spread, monkeypatch):
    today = timezone.localdate()
    values = {"team_id": world.support.pk, "agent_id": world.alice.pk, "channel": "phone",
              "language": "lv", "survey_id": spread["csat"]}
    combos: list[dict[str, Any]] = [{}]
    combos += [{k: v} for k, v in values.items()]
    combos += [dict(pair) for pair in itertools.combinations(values.items(), 2)]
    combos += [{"team_id": 0}, {"agent_id": 0}, {"survey_id": 0}]
    groups = [None, "day", "week", "month", "team", "agent", "channel", "language", "survey"]
    for cells, group in itertools.product(combos, groups):
        f = Filters(first=today - timedelta(days=44), last=today, **cells)
        days = read(world, f, group, "days", monkeypatch)
        assert days == read(world, f, group, "cells", monkeypatch), (cells, group)
        assert days == read(world, f, group, "rows", monkeypatch), (cells, group)
        # nothing vacuous: every view of one filter holds voices (some pairs hold none)
        assert days[0] or len(cells) == 2, (cells, group)
    # and the figures are about these voices: the whole period's volume is every voice
    f = Filters(first=today - timedelta(days=44), last=today)
    assert figures.tally(world.acme, f).volume == \
        Feedback.objects.for_workspace(world.acme).count()


NARROWS = [{"vip": True}, {"vip": False}, {"customer_tag": "wholesale"},
           {"customer_tag": "wholesale", "team_id": "support"}]


def test_a_customer_tag_or_vip_narrows_the_scores_to_the_voices_the_list_shows(
        world, spread, signed_in):
    carol = signed_in(world.carol)
    for narrow in NARROWS:
        narrowed_as_the_list_shows(world, carol, narrow)


def narrowed_as_the_list_shows(world, carol, narrow):
    today = timezone.localdate()
    if narrow.get("team_id") == "support":
        narrow = {**narrow, "team_id": world.support.pk}
    f = Filters(first=today - timedelta(days=44), last=today, **narrow)
    everyone = figures.summary(world.acme, Filters(first=f.first, last=f.last))
    s = figures.summary(world.acme, f)
    listed = f.selection().apply(Feedback.objects.for_workspace(world.acme), world.acme)
    assert s["volume"]["value"] == listed.count() < everyone["volume"]["value"]
    assert s["csat"]["sample"] == listed.filter(scale="csat").count()
    assert s["nps"]["sample"] == listed.filter(scale="nps").count()
    # the dashboard's headline links land on lists of exactly those counts
    params = {"from": str(f.first), "to": str(f.last)}
    if "vip" in narrow:
        params["vip"] = "yes" if narrow["vip"] else "no"
    if "customer_tag" in narrow:
        params["customer_tag"] = narrow["customer_tag"]
    if "team_id" in narrow:
        params["team"] = str(world.support.pk)
    page = carol.get("/insights/", params)
    assert page.status_code == 200
    headline = page.context["headline"]
    assert headline["volume"] == s["volume"]
    csat = next(c for c in headline["cells"] if c["key"] == "csat")
    assert csat["sample"] == s["csat"]["sample"]
    assert len(carol.get(csat["link"]).context["items"]) == csat["sample"]
    # the response rate's answers are those customers' too, as many as its link lists
    rate = next(c for c in headline["cells"] if c["key"] == "response_rate")
    assert rate["sample"] == s["response_rate"]["sample"]
    if rate["link"]:
        assert len(carol.get(rate["link"]).context["items"]) == rate["answers"] \
            <= s["response_rate"]["sample"]


def test_the_themes_panel_reads_the_same_from_the_rollups_as_from_the_voices(
        world, spread, monkeypatch):
    from kliento.feedback.filters import VoiceSelection
    from kliento.insights import causes

    today = timezone.localdate()
    for cells in ({}, {"team_id": world.support.pk}, {"channel": "phone"}):
        for polarity, interval in (("", "week"), ("negative", "day"), ("positive", "month")):
            selection = VoiceSelection(since=today - timedelta(days=44), until=today, **cells)
            fast = causes.themes(world.acme, selection, polarity=polarity, interval=interval)
            with monkeypatch.context() as m:
                m.setattr(causes, "counted_in_rollups", lambda selection, polarity: False)
                slow = causes.themes(world.acme, selection, polarity=polarity,
                                     interval=interval)
            assert (fast.pareto, fast.trend) == (slow.pareto, slow.trend), (cells, polarity)
            assert sorted(fast.by_team, key=str) == sorted(slow.by_team, key=str)
            assert fast.pareto or polarity, cells
