"""A token never sees another workspace: every endpoint answers 404, as for a missing id."""

from __future__ import annotations

import pytest

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_api):
    fb = other_api.post("/feedback", {"customer": {"email": "secret@globex.pl",
                                                   "name": "Tajny Klient"},
                                      "score": 1, "scale": "csat", "text": "poufne"}).json()
    return fb


def test_other_workspace_ids_are_not_found(api, theirs):
    cid = theirs["customer_id"]
    assert api.get(f"/customers/{cid}").status_code == 404
    assert api.patch(f"/customers/{cid}", {"name": "Hacked"}).status_code == 404
    assert api.get(f"/customers/{cid}/timeline").status_code == 404
    assert api.get(f"/feedback/{theirs['id']}").status_code == 404
    assert api.post("/feedback", {"customer_id": cid, "text": "x"}).status_code == 404
    assert Customer.objects.get(pk=cid).name == "Tajny Klient"
    assert Feedback.objects.filter(customer_id=cid).count() == 1


def test_lists_never_include_other_workspaces(api, theirs):
    assert api.get("/customers").json()["count"] == 0
    assert api.get("/customers", q="secret").json()["count"] == 0
    assert api.get("/feedback").json()["count"] == 0
    assert api.get("/feedback", customer_id=theirs["customer_id"]).json()["count"] == 0


def test_same_email_in_two_workspaces_is_two_customers(api, theirs):
    mine = api.post("/feedback", {"customer": {"email": "secret@globex.pl"}, "score": 5,
                                  "scale": "csat"}).json()
    assert mine["customer_id"] != theirs["customer_id"]
