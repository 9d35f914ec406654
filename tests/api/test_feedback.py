from __future__ import annotations

import pytest

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_feedback_with_inline_customer_is_heard_and_processed(api, world, run_tasks):
    with run_tasks():
        r = api.post("/feedback", {
            "customer": {"email": "ilze@example.lv", "name": "Ilze"},
            "channel": "phone", "score": 2, "scale": "csat",
            "text": "Kurjers kavējās trīs dienas.",
        })
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["polarity"] == "negative"
    assert body["channel"] == "phone"
    customer = Customer.objects.get(pk=body["customer_id"])
    assert customer.name == "Ilze"
    assert customer.workspace == world.acme
    # the loop's processing task ran after commit
    assert customer.last_polarity == "negative"
    assert customer.rolling_csat == 0.0
    assert Feedback.objects.get(pk=body["id"]).processed_at is not None


def test_same_identity_is_the_same_customer(api):
    a = api.post("/feedback", {"customer": {"email": "Jan@Example.pl"}, "score": 9,
                               "scale": "nps"}).json()
    b = api.post("/feedback", {"customer": {"email": "jan@example.pl", "phone": "+48501234567"},
                               "score": 5, "scale": "nps"}).json()
    assert a["customer_id"] == b["customer_id"]
    assert a["polarity"] == "positive"
    assert b["polarity"] == "negative"


@pytest.mark.parametrize(("scale", "score", "polarity"), [
    ("csat", 1, "negative"), ("csat", 2, "negative"), ("csat", 3, "neutral"),
    ("csat", 4, "positive"), ("csat", 5, "positive"),
    ("nps", 0, "negative"), ("nps", 6, "negative"), ("nps", 7, "neutral"),
    ("nps", 8, "neutral"), ("nps", 9, "positive"), ("nps", 10, "positive"),
    ("ces", 3, "negative"), ("ces", 4, "neutral"), ("ces", 5, "positive"),
    ("thumbs", 0, "negative"), ("thumbs", 1, "positive"),
])
def test_polarity_table(api, scale, score, polarity):
    r = api.post("/feedback", {"customer": {"email": "x@example.ee"}, "score": score,
                               "scale": scale})
    assert r.json()["polarity"] == polarity


@pytest.mark.parametrize(("body", "field"), [
    ({"customer": {"email": "bad"}, "text": "hi"}, "email"),
    ({"customer": {"phone": "+371 1"}, "text": "hi"}, "phone"),
    ({"customer": {"email": "a@b.lv"}, "channel": "pigeon"}, "channel"),
    ({"customer": {"email": "a@b.lv"}, "score": 3, "scale": "stars"}, "scale"),
    ({"customer": {"email": "a@b.lv"}, "score": 6, "scale": "csat"}, "score"),
    ({"customer": {"email": "a@b.lv"}, "score": 11, "scale": "nps"}, "score"),
    ({"customer": {"email": "a@b.lv"}, "score": 3}, "scale"),
    ({"customer": {"email": "a@b.lv"}, "text": "x" * 10_001}, "text"),
    ({"text": "who am I"}, "customer"),
    ({"customer": {"email": "a@b.lv"}, "agent_email": "nobody@acme.test"}, "agent_email"),
])
def test_bad_feedback_is_refused_and_writes_nothing(api, body, field):
    r = api.post("/feedback", body)
    assert r.status_code == 422, r.content
    assert any(field in d["loc"] for d in r.json()["detail"]), r.json()
    assert not Feedback.objects.exists()
    assert not Customer.objects.exists()


def test_agent_and_team_are_linked(api, world):
    r = api.post("/feedback", {"customer": {"email": "a@b.lv"}, "score": 5, "scale": "csat",
                               "agent_email": "alice@acme.test", "team": "support"})
    assert r.status_code == 201, r.content
    assert r.json()["agent_id"] == world.alice.pk
    assert r.json()["team_id"] == world.support.pk


def test_list_filters_and_pagination(api):
    api.post("/feedback", {"customer": {"email": "a@b.lv"}, "score": 1, "scale": "csat",
                           "channel": "email"})
    api.post("/feedback", {"customer": {"email": "c@d.lv"}, "score": 5, "scale": "csat",
                           "channel": "phone"})
    assert api.get("/feedback").json()["count"] == 2
    negative = api.get("/feedback", polarity="negative").json()["items"]
    assert [f["channel"] for f in negative] == ["email"]
    assert api.get("/feedback", channel="phone").json()["count"] == 1
    assert api.get("/feedback", since="2099-01-01T00:00:00Z").json()["count"] == 0
    assert api.get("/feedback", until="2099-01-01T00:00:00Z").json()["count"] == 2
    assert api.get("/feedback", polarity="angry").status_code == 422
    assert len(api.get("/feedback", limit=1).json()["items"]) == 1


def test_timeline_lists_feedback_and_contacts_newest_first(api, world):
    from kliento.customers.services import CustomerRef
    from kliento.loop import Interaction, log_interaction

    first = api.post("/feedback", {"customer": {"email": "mari@example.ee"}, "score": 4,
                                   "scale": "csat", "occurred_at": "2026-01-01T10:00:00Z"})
    log_interaction(Interaction(workspace=world.acme, customer=CustomerRef(
        email="mari@example.ee"), channel="phone", agent=world.alice, note="Helistas arve pärast."))
    entries = api.get(f"/customers/{first.json()['customer_id']}/timeline").json()
    assert [e["kind"] for e in entries] == ["conversation", "feedback", "feedback"]
    assert entries[0]["conversation"]["messages"][0]["body"] == "Helistas arve pärast."
