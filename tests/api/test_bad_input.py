"""Input the database cannot store is refused at the API's edge with a 4xx naming the field."""

from __future__ import annotations

import pytest

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback
from kliento.recovery.models import Case, Promise

pytestmark = pytest.mark.django_db


def _loc(r) -> list:
    return [d["loc"] for d in r.json()["detail"]]


def _fields(r) -> list:
    """Where each error is (body, query or path) and the field, as ninja reports it."""
    return [[d["loc"][0], d["loc"][-1]] for d in r.json()["detail"]]


@pytest.mark.parametrize(("body", "loc"), [
    ({"customer": {"email": "ilze@example.lv", "name": "Il\x00ze"}, "text": "Labi"},
     ["body", "customer", "name"]),
    ({"customer": {"email": "ilze@example.lv"}, "text": "Kurjers\x00 kavējās"}, ["body", "text"]),
    ({"customer": {"email": "ilze@example.lv"}, "text": "Labi",
      "metadata": {"order": ["A-1", "A-\x002"]}}, ["body", "metadata", "order", 1]),
    ({"customer": {"email": "ilze@example.lv"}, "text": "Labi", "metadata": {"o\x00": 1}},
     ["body", "metadata", "o\x00"]),
])
def test_nul_character_in_a_json_body_is_refused_naming_the_field(api, body, loc):
    r = api.post("/feedback", body)
    assert r.status_code == 400, r.content
    assert _loc(r) == [loc]
    assert not Feedback.objects.exists() and not Customer.objects.exists()


def test_nul_character_in_a_query_is_refused_naming_the_parameter(api):
    r = api.get("/customers", q="Jan\x00")
    assert r.status_code == 400, r.content
    assert _loc(r) == [["query", "q"]]


def test_an_escaped_backslash_is_not_mistaken_for_a_nul(api):
    r = api.post("/feedback", {"customer": {"email": "ilze@example.lv"},
                               "text": "C:\\u0000 is a folder"})
    assert r.status_code == 201, r.content
    assert Feedback.objects.get().text == "C:\\u0000 is a folder"


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("value", ["39029097581657030873449496576", "-1"])
def test_list_limit_and_offset_beyond_the_database_are_refused(api, param, value):
    r = api.get("/alerts", **{param: value})
    assert r.status_code == 422, r.content
    assert _fields(r) == [["query", param]]


def test_a_large_page_is_served_within_bounds(api):
    for n in range(3):
        api.post("/feedback", {"customer": {"email": f"k{n}@example.lv"}, "text": "Labi"})
    r = api.get("/feedback", limit=1000, offset=1)
    assert r.status_code == 200, r.content
    assert (r.json()["count"], len(r.json()["items"])) == (3, 2)


def test_an_id_beyond_64_bits_is_refused(api):
    r = api.get("/customers/39029097581657030873449496576")
    assert r.status_code == 422, r.content
    assert _fields(r) == [["path", "customer_id"]]


UNSTORABLE_TIMES = [
    "2471-04-02T05:43:10-16:42",   # PostgreSQL stores offsets up to ±15:59
    "2471-04-02T05:43:10+16:00",
    "9999-12-31T23:30:00-01:00",   # after the year 9999 in UTC
    "0001-01-01T00:30:00+01:00",   # before the year 1 in UTC
]


@pytest.fixture
def case_id(api) -> int:
    fb = api.post("/feedback", {"customer": {"email": "janis@example.lv", "name": "Jānis"},
                                "score": 1, "scale": "csat", "text": "Nekad vairs."}).json()
    r = api.post("/cases", {"feedback_id": fb["id"]})
    assert r.status_code == 201, r.content
    return r.json()["id"]


@pytest.mark.parametrize("due_at", UNSTORABLE_TIMES)
def test_promise_due_at_the_database_cannot_store_is_refused(api, case_id, due_at):
    r = api.post(f"/cases/{case_id}/promises", {"description": "Call back", "due_at": due_at})
    assert r.status_code == 422, r.content
    assert _fields(r) == [["body", "due_at"]]
    assert not Promise.objects.exists()


def test_promise_due_at_within_the_offsets_is_kept(api, case_id):
    r = api.post(f"/cases/{case_id}/promises", {"description": "Call back",
                                                "due_at": "2471-04-02T05:43:10-15:59"})
    assert r.status_code == 201, r.content
    assert Promise.objects.get().due_at.isoformat() == "2471-04-02T21:42:10+00:00"


@pytest.mark.parametrize("since", UNSTORABLE_TIMES)
def test_feedback_since_the_database_cannot_compare_is_refused(api, since):
    r = api.get("/feedback", since=since)
    assert r.status_code == 422, r.content
    assert _fields(r) == [["query", "since"]]


def test_feedback_occurred_at_the_database_cannot_store_is_refused(api):
    r = api.post("/feedback", {"customer": {"email": "a@example.lv"}, "text": "Labi",
                               "occurred_at": "9999-12-31T23:30:00-01:00"})
    assert r.status_code == 422, r.content
    assert _fields(r) == [["body", "occurred_at"]]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("value", ["123456789012345", 1e300, "10.125"])
def test_compensation_beyond_the_stored_digits_is_refused(api, case_id, value):
    r = api.patch(f"/cases/{case_id}", {"compensation_value": value})
    assert r.status_code == 422, r.content
    assert _fields(r) == [["body", "compensation_value"]]
    assert Case.objects.get().compensation_value is None


def test_compensation_within_the_digits_is_kept(api, case_id):
    r = api.patch(f"/cases/{case_id}", {"compensation_value": "12345678.90"})
    assert r.status_code == 200, r.content
    assert str(Case.objects.get().compensation_value) == "12345678.90"


@pytest.mark.parametrize("score", [True, False, 3.5, "4"])
def test_a_score_must_be_a_whole_number(api, score):
    r = api.post("/feedback", {"customer": {"email": "a@example.lv"}, "score": score,
                               "scale": "csat"})
    assert r.status_code == 422, r.content
    assert ["body", "score"] in _fields(r)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("value", ["1e40", "NaN", "123456789", "1.005", "-5"])
def test_the_case_page_refuses_a_compensation_the_database_cannot_store(
        api, case_id, signed_in, world, value):
    page = signed_in(world.alice)
    r = page.post(f"/cases/{case_id}/act/", {"action": "update", "compensation_value": value},
                  follow=True)
    assert r.status_code == 200
    assert "compensation" in str(list(r.context["messages"])).lower() or any(
        m.level_tag == "error" for m in r.context["messages"])
    assert Case.objects.get().compensation_value is None
