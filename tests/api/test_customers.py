from __future__ import annotations

import pytest

from kliento.customers.models import Customer, Identity

pytestmark = pytest.mark.django_db


def test_create_customer_normalises_identities(api, world):
    r = api.post("/customers", {"name": "Ilze Bērziņa", "email": " Ilze@Example.LV ",
                                "phone": "+371 2000 0001", "language": "lv",
                                "tags": ["VIP-list", "b2b"], "vip": True})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "Ilze Bērziņa"
    assert body["language"] == "lv"
    assert body["vip"] is True
    assert sorted(body["tags"]) == ["b2b", "vip-list"]
    assert {(i["kind"], i["value"]) for i in body["identities"]} == {
        ("email", "ilze@example.lv"), ("phone", "+37120000001")}
    assert Customer.objects.filter(workspace=world.acme).count() == 1


def test_national_phone_numbers_are_read_in_the_workspace_country(api):
    r = api.post("/customers", {"phone": "20000002"})  # acme is in Latvia
    assert r.status_code == 201, r.content
    assert r.json()["identities"][0]["value"] == "+37120000002"


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "not-an-address"}, "email"),
    ({"phone": "12"}, "phone"),
    ({"social_network": "myspace", "social_handle": "x"}, "social_network"),
    ({"email": "a@b.lv", "language": "de"}, "language"),
    ({"name": "Nobody"}, "customer"),
    ({"email": "a@b.lv", "name": "x" * 201}, "name"),
])
def test_bad_customer_is_refused_naming_the_field(api, world, body, field):
    r = api.post("/customers", body)
    assert r.status_code == 422, r.content
    assert any(field in d["loc"] for d in r.json()["detail"]), r.json()
    assert not Customer.objects.exists()


def test_identity_belonging_to_someone_else_is_a_clear_error(api):
    first = api.post("/customers", {"email": "jan@example.pl"}).json()
    r = api.post("/customers", {"email": "JAN@example.pl", "name": "Jan"})
    assert r.status_code == 422
    assert str(first["id"]) in r.json()["detail"][0]["msg"]
    assert Customer.objects.count() == 1


def test_list_search_and_filters(api):
    api.post("/customers", {"name": "Kovács Péter", "email": "peter@example.hu",
                            "language": "hu", "vip": True})
    api.post("/customers", {"name": "Mari Tamm", "email": "mari@example.ee", "language": "et"})
    assert api.get("/customers").json()["count"] == 2
    assert [c["name"] for c in api.get("/customers", q="kovács").json()["items"]] == [
        "Kovács Péter"]
    assert [c["name"] for c in api.get("/customers", q="mari@ex").json()["items"]] == [
        "Mari Tamm"]
    assert [c["name"] for c in api.get("/customers", vip="true").json()["items"]] == [
        "Kovács Péter"]
    assert [c["name"] for c in api.get("/customers", language="et").json()["items"]] == [
        "Mari Tamm"]


def test_list_is_paginated_in_constant_queries(api, world, django_assert_max_num_queries):
    for n in range(30):
        api.post("/customers", {"email": f"c{n}@example.lv", "tags": ["x", f"t{n}"]})
    with django_assert_max_num_queries(8):
        r = api.get("/customers", limit=25)
    assert r.json()["count"] == 30
    assert len(r.json()["items"]) == 25


def test_patch_changes_details_tags_and_adds_identities(api):
    cid = api.post("/customers", {"email": "ana@example.rs"}).json()["id"]
    r = api.patch(f"/customers/{cid}", {"name": "Ана Петровић", "language": "sr",
                                        "tags": ["returning"],
                                        "add_identities": {"phone": "+381 64 1234567",
                                                           "social_network": "instagram",
                                                           "social_handle": "@Ana.P"}})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["name"] == "Ана Петровић"
    assert body["tags"] == ["returning"]
    assert ("social", "instagram", "ana.p") in {
        (i["kind"], i["network"], i["value"]) for i in body["identities"]}
    assert Identity.objects.count() == 3


def test_patch_with_bad_phone_changes_nothing(api):
    cid = api.post("/customers", {"email": "ana@example.rs", "name": "Ana"}).json()["id"]
    r = api.patch(f"/customers/{cid}", {"name": "Changed", "add_identities": {"phone": "abc"}})
    assert r.status_code == 422
    assert Customer.objects.get(pk=cid).name == "Ana"


def test_unknown_customer_is_404(api):
    assert api.get("/customers/999999").status_code == 404


def test_missing_or_revoked_token_is_401(client, world):
    from kliento.core.models import ApiToken

    assert client.get("/api/v1/customers").status_code == 401
    ApiToken.objects.filter(workspace=world.acme).update(revoked_at="2026-01-01T00:00Z")
    r = client.get("/api/v1/customers", HTTP_AUTHORIZATION=f"Bearer {world.acme_token}")
    assert r.status_code == 401


def test_openapi_document_is_served(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/feedback" in r.json()["paths"]
