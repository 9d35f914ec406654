"""The feedback list's filters: the page, the API and the exports select the same voices, and
a bad value is refused naming its parameter."""

from __future__ import annotations

import csv
import io
import re

import pytest

from kliento.feedback.judging import ensure_default_themes
from kliento.recovery.services import ensure_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world, api):
    """Four voices in Riga's November; the first two straddle Riga's midnight of 2 → 3 Nov."""
    ensure_default_themes(world.acme)
    ensure_defaults(world.acme)  # the root causes a case is closed with
    survey = api.post("/surveys", {"name": "After support", "kind": "csat"}).json()

    def say(**body):
        r = api.post("/feedback", body)
        assert r.status_code == 201, r.content
        return r.json()["id"]

    r = api.post("/customers", {"email": "ilze@example.lv", "name": "Ilze Bērziņa", "vip": True,
                                "tags": ["wholesale"]})
    assert r.status_code == 201, r.content
    ilze = say(customer_id=r.json()["id"],
               score=1, scale="csat", channel="email", language="lv", text="Kurjers kavējās",
               agent_email="alice@acme.test", team="Support",
               occurred_at="2026-11-02T21:30:00Z", metadata={"survey_id": survey["id"]})
    jan = say(customer={"email": "jan@example.pl", "name": "Jan Kowalski"}, score=10,
              scale="nps", channel="phone", language="pl", text="Świetnie",
              agent_email="bob@acme.test", occurred_at="2026-11-02T22:30:00Z")
    kati = say(customer={"email": "kati@example.ee"}, score=3, scale="csat", channel="web",
               language="et", text="=HYPERLINK(\"http://evil.test\",\"x\")",
               occurred_at="2026-11-05T10:00:00Z")
    anon = say(customer={"phone": "+37120000000"}, channel="chat", text="Sveiki",
               occurred_at="2026-11-10T10:00:00Z")
    assert api.post(f"/feedback/{ilze}/corrections", {"themes": ["delivery"]}).status_code == 201
    case = api.post("/cases", {"feedback_id": ilze}).json()
    r = api.post(f"/cases/{case['id']}/close", {"root_cause": "delivery_delay"})
    assert r.status_code == 200, r.content
    return {"ilze": ilze, "jan": jan, "kati": kati, "anon": anon, "survey": survey["id"]}


def page_count(client, params):
    r = client.get("/feed/", params)
    assert r.status_code == 200, r.content
    return int(re.search(r'class="count">(\d+) voices?<', r.content.decode()).group(1))


def export_ids(client, params):
    r = client.get("/feedback/export.csv", params)
    assert r.status_code == 200, r.content
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    return {int(row[0]) for row in rows[1:]}


FILTERS = [
    ({"from": "2026-11-02", "to": "2026-11-02"}, ["ilze"]),  # 23:30 in Riga
    ({"from": "2026-11-03"}, ["jan", "kati", "anon"]),  # 00:30 in Riga is the 3rd
    ({"to": "2026-11-05"}, ["ilze", "jan", "kati"]),
    ({"team": "support"}, ["ilze"]),
    ({"team": "none"}, ["jan", "kati", "anon"]),
    ({"agent": "bob"}, ["jan"]),
    ({"agent": "none"}, ["kati", "anon"]),
    ({"channel": "phone"}, ["jan"]),
    ({"language": "lv"}, ["ilze"]),
    ({"survey": "survey"}, ["ilze"]),
    ({"survey": "none"}, ["jan", "kati", "anon"]),
    ({"polarity": "negative"}, ["ilze"]),
    ({"polarity": "none"}, ["anon"]),
    ({"scale": "csat"}, ["ilze", "kati"]),
    ({"scale": "nps", "score": "10"}, ["jan"]),
    ({"scale": "none"}, ["anon"]),
    ({"theme": "delivery"}, ["ilze"]),
    ({"customer_tag": "Wholesale"}, ["ilze"]),
    ({"vip": "yes"}, ["ilze"]),
    ({"vip": "no"}, ["jan", "kati", "anon"]),
    ({"root_cause": "delivery_delay"}, ["ilze"]),
    ({"channel": "email", "vip": "yes", "from": "2026-11-01", "to": "2026-11-30"}, ["ilze"]),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_each_filter_selects_the_same_voices_on_the_page_the_api_and_the_export(
        world, api, signed_in, history, params, expected):
    refs = {"support": world.support.pk, "bob": world.bob.pk, "survey": history["survey"]}
    params = {k: refs.get(v, v) for k, v in params.items()}
    wanted = {history[name] for name in expected}
    client = signed_in(world.carol)
    assert page_count(client, params) == len(wanted)
    listed = api.get("/feedback", **params).json()
    assert listed["count"] == len(wanted)
    assert {f["id"] for f in listed["items"]} == wanted
    assert export_ids(client, params) == wanted
    r = api.get("/feedback/export", format="csv", **params)
    assert r.status_code == 200
    body = b"".join(r.streaming_content).decode("utf-8-sig")
    assert {int(row[0]) for row in list(csv.reader(io.StringIO(body)))[1:]} == wanted


def test_without_filters_the_list_counts_every_voice(world, signed_in, history):
    assert page_count(signed_in(world.carol), {}) == 4


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-13-01"}, "from"),
    ({"from": "2026-11-05", "to": "2026-11-01"}, "to"),
    ({"team": "support-team"}, "team"),
    ({"team": "globex"}, "team"),
    ({"agent": "mallory"}, "agent"),
    ({"channel": "pigeon"}, "channel"),
    ({"polarity": "angry"}, "polarity"),
    ({"scale": "stars"}, "scale"),
    ({"scale": "csat", "score": "9"}, "score"),
    ({"score": "-1"}, "score"),
    ({"survey": "999999"}, "survey"),
    ({"theme": "Not a key!"}, "theme"),
    ({"customer_tag": "nobody-has-it"}, "customer_tag"),
    ({"vip": "maybe"}, "vip"),
    ({"root_cause": "gremlins"}, "root_cause"),
    ({"language": "latvian!"}, "language"),
    ({"since": "yesterday"}, "since"),
    ({"period": "3"}, "period"),
])
def test_a_bad_filter_value_is_refused_naming_its_parameter(world, api, signed_in, history,
                                                            params, field):
    from kliento.core.services import create_team

    other = create_team(workspace=world.globex, actor=None, name="Globex desk")
    refs = {"globex": other.pk, "mallory": world.mallory.pk}
    params = {k: refs.get(v, v) for k, v in params.items()}
    r = api.get("/feedback", **params)
    assert r.status_code == 422, r.content
    assert [d["loc"] for d in r.json()["detail"]] == [["query", field]], r.json()
    r = api.get("/feedback/export", format="xlsx", **params)
    assert r.status_code == 422
    page = signed_in(world.carol).get("/feed/", params)
    assert page.status_code == 400
    html = page.content.decode()
    invalid = re.findall(r'<label class="invalid">.*?</label>', html, re.S)
    if field in ("since", "until"):  # not shown as a control: named in the form's errors
        assert f'role="alert">{field}: ' in html
    else:
        assert len(invalid) == 1 and f'name="{field}"' in invalid[0] and "alert" in invalid[0]
    assert "Kurjers" not in html  # nothing listed under a filter that means nothing
    export = signed_in(world.carol).get("/feedback/export.csv", params)
    assert export.status_code == 400 and export.content.decode().startswith(f"{field}:")


def test_the_filtered_page_keeps_its_filters_in_the_polling_and_export_links(
        world, signed_in, history):
    html = signed_in(world.carol).get("/feed/", {"vip": "yes", "from": "2026-11-01"}).content
    html = html.decode()
    assert 'hx-get="/feed/?from=2026-11-01&amp;vip=yes"' in html
    assert 'href="/feedback/export.xlsx?from=2026-11-01&amp;vip=yes"' in html


def test_list_page_queries_are_bounded_with_every_filter(world, signed_in, history,
                                                         django_assert_max_num_queries):
    client = signed_in(world.carol)
    params = {"from": "2026-11-01", "to": "2026-11-30", "team": world.support.pk,
              "agent": world.alice.pk, "channel": "email", "language": "lv",
              "survey": history["survey"], "polarity": "negative", "scale": "csat",
              "score": "1", "theme": "delivery", "customer_tag": "wholesale", "vip": "yes",
              "root_cause": "delivery_delay"}
    with django_assert_max_num_queries(17):
        assert page_count(client, params) == 1


def test_filters_never_reach_another_workspace(world, api, other_api, signed_in, history):
    other_api.post("/feedback", {"customer": {"email": "z@globex.pl"}, "channel": "phone",
                                 "text": "Globex sekret"})
    assert api.get("/feedback", channel="phone").json()["count"] == 1
    assert other_api.get("/feedback", channel="phone").json()["count"] == 1
    # acme's ids mean nothing in globex: refused, not silently matched
    r = other_api.get("/feedback", team=world.support.pk)
    assert r.status_code == 422
    assert other_api.get("/feedback", root_cause="delivery_delay").status_code == 422


def test_a_survey_given_as_text_in_metadata_counts_as_that_survey(world, api, history):
    """The rollups read "7" as survey 7 (an API client's metadata); the list must as well."""
    r = api.post("/feedback", {"customer": {"email": "x@example.lv"}, "score": 4,
                               "scale": "csat", "metadata": {"survey_id": str(history["survey"])}})
    assert r.status_code == 201
    listed = api.get("/feedback", survey=history["survey"]).json()
    assert {f["id"] for f in listed["items"]} == {history["ilze"], r.json()["id"]}
    assert api.get("/feedback", survey="none").json()["count"] == 3


def test_a_close_the_loop_selection_links_to_the_voices_it_counts(world, signed_in, history):
    from datetime import date

    from kliento.feedback.filters import VoiceSelection
    from kliento.feedback.models import Feedback

    selection = VoiceSelection(since=date(2026, 11, 2), until=date(2026, 11, 5))
    counted = selection.apply(Feedback.objects.for_workspace(world.acme), world.acme)
    assert set(counted.values_list("pk", flat=True)) == {history["ilze"], history["jan"],
                                                         history["kati"]}
    client = signed_in(world.carol)
    assert page_count(client, selection.params()) == 3
    assert page_count(client, selection.params(unhappy=1)) == 1  # ilze's 1 of 5
    assert page_count(client, selection.params(root_cause="delivery_delay")) == 1
