"""Customer-facing pages and the bulk-send list refuse text the database cannot store."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback
from kliento.surveys.models import Invitation
from tests.surveys.conftest import links_in, path_of

pytestmark = pytest.mark.django_db


def test_widget_answer_with_a_nul_character_is_refused_naming_the_field(api, survey, client):
    api.patch(f"/surveys/{survey['id']}", {"allowed_origins": ["https://shop.example.lv"]})
    r = client.post(f"/w/{survey['public_key']}/answer",
                    {"score": 2, "text": "Piegāde\x00 kavējās", "visitor": "v-1"},
                    content_type="application/json", HTTP_ORIGIN="https://shop.example.lv")
    assert r.status_code == 400, r.content
    assert r.json()["detail"][0]["loc"] == ["body", "text"]
    assert "“text” contains a NUL character" in r.json()["detail"][0]["msg"]
    assert not Feedback.objects.exists()


def test_comment_with_a_nul_character_is_refused(invite, client):
    invitation = invite()
    token = path_of(invitation["links"]["2"]).split("/")[2]
    assert client.post(f"/a/{token}/2/").status_code == 200
    r = client.post(f"/a/{token}/comment/", {"text": "Kurjers\x00 kavējās"})
    assert r.status_code == 400
    assert "“text” contains a NUL character" in r.content.decode()
    assert Feedback.objects.get().text == ""


def test_open_link_with_a_nul_character_is_refused(survey, client):
    r = client.post(f"/r/{survey['public_key']}/4/", {"ref": "ZD-\x0077",
                                                      "email": "anna@example.lv"})
    assert r.status_code == 400
    assert "“ref” contains a NUL character" in r.content.decode()
    r = client.get(f"/r/{survey['public_key']}/4/", {"ref": "ZD-77", "email": "a\x00@b.lv"})
    assert r.status_code == 400
    assert "“email” contains a NUL character" in r.content.decode()
    assert not Feedback.objects.exists() and not Invitation.objects.exists()
    assert not Customer.objects.exists()


def test_public_survey_page_refuses_a_nul_character(survey, client):
    r = client.post(f"/s/{survey['public_key']}/", {"score": "4", "text": "Labi\x00",
                                                    "email": ""})
    assert r.status_code == 400
    assert not Feedback.objects.exists()


def test_a_nul_character_in_the_bulk_list_is_reported_on_its_row(world, signed_in, survey):
    client = signed_in(world.alice)
    csv = ("email,name,language\n"
           "ilze@example.lv,Ilze,lv\n"
           "jan@example.pl,Ja\x00n,pl\n")
    r = client.post(f"/surveys/{survey['id']}/send/",
                    {"file": SimpleUploadedFile("list.csv", csv.encode(), content_type="text/csv")})
    page = r.content.decode()
    assert r.status_code == 200
    assert "1 problem — nothing was sent" in page
    assert "<td>3</td>" in page and "NUL character" in page
    r = client.post(f"/surveys/{survey['id']}/send/", {"action": "send"})
    assert not Invitation.objects.exists() and not Customer.objects.exists()


def test_clean_text_still_goes_through(invite, client):
    invitation = invite()
    [link] = [u for u in links_in("\n".join(invitation["links"].values())) if u.endswith("/2/")]
    token = path_of(link).split("/")[2]
    client.post(f"/a/{token}/2/")
    r = client.post(f"/a/{token}/comment/", {"text": "Kurjers kavējās"})
    assert r.status_code == 200
    assert Feedback.objects.get().text == "Kurjers kavējās"
