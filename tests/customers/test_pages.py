from __future__ import annotations

import pytest

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(api, run_tasks):
    with run_tasks():
        for n in range(30):
            api.post("/feedback", {"customer": {"email": f"klients{n}@example.lv",
                                                "name": f"Klients {n}",
                                                "phone": f"+3712000{n:04d}"},
                                   "score": 1 + n % 5, "scale": "csat", "text": "Paldies"})
    return Customer.objects.all()


def test_customer_list_pages_in_constant_queries(world, signed_in, customers,
                                                 django_assert_max_num_queries):
    client = signed_in(world.alice)
    with django_assert_max_num_queries(12):
        r = client.get("/customers/")
    assert r.status_code == 200
    assert r.content.count(b'href="/customers/') >= 25
    assert b"Page 1 of 2" in r.content


def test_customer_search_and_filters(world, signed_in, customers, api):
    api.post("/customers", {"name": "Kovács Péter", "email": "peter@example.hu", "vip": True})
    client = signed_in(world.bob)
    page = client.get("/customers/", {"q": "péter"}).content.decode()
    assert "Kovács Péter" in page and "Klients 1" not in page
    page = client.get("/customers/", {"vip": "true"}).content.decode()
    assert "Kovács Péter" in page and "Klients" not in page
    page = client.get("/customers/", {"polarity": "negative"}).content.decode()
    assert "Klients 0" in page and "Klients 4" not in page


def test_customer_page_shows_the_timeline_escaped(world, signed_in, api, run_tasks,
                                                  django_assert_max_num_queries):
    with run_tasks():
        r = api.post("/feedback", {
            "customer": {"email": "x@example.pl", "name": "<script>alert(1)</script>"},
            "score": 1, "scale": "csat", "text": "<img src=x onerror=alert(2)> Źle!"})
    cid = r.json()["customer_id"]
    client = signed_in(world.alice)
    with django_assert_max_num_queries(15):
        page = client.get(f"/customers/{cid}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt; Źle!" in page
    assert "1/5" in page and "Negative" in page


def test_other_workspace_customer_page_is_404(world, signed_in, other_api):
    cid = other_api.post("/customers", {"email": "tajny@globex.pl"}).json()["id"]
    client = signed_in(world.alice)
    assert client.get(f"/customers/{cid}/").status_code == 404
    assert client.get(f"/customers/{cid}/edit/").status_code == 404
    assert client.post(f"/customers/{cid}/edit/", {"name": "hacked"}).status_code == 404
    assert Customer.objects.get(pk=cid).name == ""


def test_edit_customer_with_bad_phone_shows_the_error_and_keeps_data(world, signed_in, api):
    cid = api.post("/customers", {"email": "mari@example.ee", "name": "Mari"}).json()["id"]
    client = signed_in(world.alice)
    r = client.post(f"/customers/{cid}/edit/", {"name": "Mari Tamm", "phone": "12",
                                                 "language": "et", "tags": "a, b"})
    assert r.status_code == 200
    assert "not a valid phone number" in r.content.decode()
    assert Customer.objects.get(pk=cid).name == "Mari"
    r = client.post(f"/customers/{cid}/edit/", {"name": "Mari Tamm", "phone": "+372 5123 4567",
                                                 "language": "et", "tags": "VIP, b2b"})
    assert r.status_code == 302
    c = Customer.objects.get(pk=cid)
    assert c.name == "Mari Tamm"
    assert sorted(t.name for t in c.tags.all()) == ["b2b", "vip"]
    assert c.identities.filter(value="+37251234567").exists()


def test_agent_logs_a_call_for_a_new_customer(world, signed_in, run_tasks):
    client = signed_in(world.alice)
    with run_tasks():
        r = client.post("/log/", {
            "channel": "phone", "email": "Janis@Example.lv", "name": "Jānis Ozols",
            "team": world.support.pk, "subject": "Kavēta piegāde", "scale": "csat", "score": 2,
            "customer_said": "Paka nav atnākusi jau nedēļu.",
            "note": "Solīju atzvanīt rīt līdz 12:00.",
        })
    assert r.status_code == 302
    customer = Customer.objects.get(identities__value="janis@example.lv")
    assert r["Location"] == f"/customers/{customer.pk}/"
    fb = Feedback.objects.get(customer=customer)
    assert (fb.source, fb.channel, fb.polarity, fb.agent, fb.team) == (
        "interaction", "phone", "negative", world.alice, world.support)
    assert fb.conversation.messages.get().body == "Solīju atzvanīt rīt līdz 12:00."
    customer.refresh_from_db()
    assert customer.last_polarity == "negative"
    page = client.get(r["Location"]).content.decode()
    assert "Kavēta piegāde" in page and "Solīju atzvanīt" in page


def test_logging_with_score_outside_scale_writes_nothing(world, signed_in):
    client = signed_in(world.alice)
    r = client.post("/log/", {"channel": "visit", "email": "a@example.lv", "scale": "csat",
                              "score": 9})
    assert r.status_code == 200
    assert "outside the csat scale" in r.content.decode()
    assert not Customer.objects.exists() and not Feedback.objects.exists()
    r = client.post("/log/", {"channel": "visit"})
    assert "e-mail or phone" in r.content.decode()
