from __future__ import annotations

import pytest

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback
from kliento.surveys.models import Invitation, Survey

pytestmark = pytest.mark.django_db


def test_new_survey_has_default_texts_in_every_language(api, survey):
    assert set(survey["texts"]) == {"en", "lv", "pl", "sr", "sr-latn", "et", "hu"}
    assert all(survey["texts"][lang]["question"] for lang in survey["texts"])
    assert survey["expiry_days"] == 30 and survey["quiet_days"] == 7


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x", "kind": "stars"}, "kind"),
    ({"name": "", "kind": "csat"}, "name"),
    ({"name": "x", "kind": "csat", "brand_color": "red"}, "brand_color"),
    ({"name": "x", "kind": "csat", "expiry_days": 0}, "expiry_days"),
    ({"name": "x", "kind": "csat", "allowed_origins": ["javascript:alert(1)"]}, "allowed_origins"),
    ({"name": "x", "kind": "csat", "texts": {"de": {"question": "Wie?"}}}, "texts"),
])
def test_bad_survey_is_refused(api, body, field):
    r = api.post("/surveys", body)
    assert r.status_code == 422, r.content
    assert any(field in d["loc"] for d in r.json()["detail"]), r.json()
    assert not Survey.objects.exists()


def test_patch_survey_texts_and_settings(api, survey):
    r = api.patch(f"/surveys/{survey['id']}", {
        "texts": {"lv": {"question": "Kā mēs Jums palīdzējām?"}}, "quiet_days": 14,
        "allowed_origins": ["https://shop.example.lv/"]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["texts"]["lv"]["question"] == "Kā mēs Jums palīdzējām?"
    assert body["texts"]["lv"]["thank_you"]  # other texts kept
    assert body["quiet_days"] == 14
    assert body["allowed_origins"] == ["https://shop.example.lv"]


def test_quiet_period_skips_and_records_the_reason(api, survey, invite):
    first = invite("mari@example.ee")
    assert first["state"] == "link"
    second = invite("mari@example.ee")
    assert (second["state"], second["skip_reason"]) == ("skipped", "quiet_period")
    other = api.post("/surveys", {"name": "NPS", "kind": "nps"}).json()
    r = api.post(f"/surveys/{other['id']}/invitations", {"customer": {"email": "mari@example.ee"}})
    assert r.json()[0]["skip_reason"] == "quiet_period"  # across all surveys
    assert Invitation.objects.filter(state="skipped").count() == 2


def test_customer_without_email_is_skipped_for_sending(api, survey):
    r = api.post(f"/surveys/{survey['id']}/invitations",
                 {"customer": {"phone": "+37120000009"}, "send": True})
    assert r.status_code == 201
    assert (r.json()[0]["state"], r.json()[0]["skip_reason"]) == ("skipped", "invalid_address")


def test_batch_of_invitations_is_all_or_nothing(api, survey):
    items = [{"customer": {"email": f"c{n}@example.pl"}} for n in range(5)]
    items[3] = {"customer": {"email": "broken"}}
    r = api.post(f"/surveys/{survey['id']}/invitations", {"invitations": items})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "invitations.3.customer.email"
    assert not Invitation.objects.exists() and not Customer.objects.exists()
    items[3] = {"customer": {"email": "c3@example.pl"}, "language": "pl"}
    r = api.post(f"/surveys/{survey['id']}/invitations", {"invitations": items})
    assert r.status_code == 201
    assert len(r.json()) == 5
    assert all(len(i["links"]) == 5 for i in r.json())


def test_batch_is_capped_at_1000(api, survey):
    items = [{"customer": {"email": f"c{n}@example.pl"}} for n in range(1001)]
    assert api.post(f"/surveys/{survey['id']}/invitations",
                    {"invitations": items}).status_code == 422


def test_answers_api_lists_the_survey_answers(api, survey, invite, client):
    from tests.surveys.conftest import path_of

    created = invite()
    client.post(path_of(created["links"]["3"]))
    r = api.get(f"/surveys/{survey['id']}/answers")
    assert r.json()["count"] == 1
    assert r.json()["items"][0]["score"] == 3
    assert r.json()["items"][0]["invitation_id"] == created["id"]


def test_surveys_of_another_workspace_are_not_found(other_api, survey):
    assert other_api.get(f"/surveys/{survey['id']}").status_code == 404
    assert other_api.patch(f"/surveys/{survey['id']}", {"name": "x"}).status_code == 404
    assert other_api.post(f"/surveys/{survey['id']}/invitations",
                          {"customer": {"email": "a@b.lv"}}).status_code == 404
    assert other_api.get(f"/surveys/{survey['id']}/answers").status_code == 404
    assert other_api.get("/surveys").json()["count"] == 0
    assert not Feedback.objects.exists()


def test_snippet_api_gives_html_and_text_with_placeholders(api, survey):
    r = api.get(f"/surveys/{survey['id']}/snippet", helpdesk="freshdesk", language="lv")
    assert r.status_code == 200
    body = r.json()
    assert "ref={{ticket.id}}&amp;email={{ticket.requester.email}}" in body["html"]
    assert f"/r/{survey['public_key']}/5/?ref={{{{ticket.id}}}}" in body["text"]
    assert body["text"].startswith(survey["texts"]["lv"]["question"])
    assert api.get(f"/surveys/{survey['id']}/snippet", helpdesk="nope").status_code == 422
