from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kliento.customers.models import Customer
from kliento.feedback.models import Feedback
from kliento.surveys.jobs import advance_batches
from kliento.surveys.models import Invitation, SendBatch

pytestmark = pytest.mark.django_db


def upload(client, survey_id, text: str, name: str = "list.csv"):
    return client.post(f"/surveys/{survey_id}/send/",
                       {"file": SimpleUploadedFile(name, text.encode("utf-8"),
                                                   content_type="text/csv")})


def test_bad_rows_are_reported_and_nothing_is_sent(world, signed_in, survey):
    client = signed_in(world.alice)
    csv = ("email;name;language;agent;team;reference\n"
           "ilze@example.lv;Ilze;lv;alice@acme.test;Support;T-1\n"
           "not-an-email;Jan;pl;;;\n"
           "mari@example.ee;Mari;de;;;\n"
           "peter@example.hu;Péter;hu;nobody@acme.test;;\n"
           "ana@example.rs;Ana;sr;;Nowhere;\n")
    r = upload(client, survey["id"], csv)
    page = r.content.decode()
    assert r.status_code == 200
    assert "4 problems — nothing was sent" in page
    for row, text in [(3, "not-an-email"), (4, "Unsupported language"), (5, "nobody@acme.test"),
                      (6, "Nowhere")]:
        assert f"<td>{row}</td>" in page and text in page
    assert not Invitation.objects.exists() and not Customer.objects.exists()
    r = client.post(f"/surveys/{survey['id']}/send/", {"action": "send"})
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00bad", "not UTF-8"),
    (b"name,phone\nIlze,1\n", "at least “email”"),
    (b"email,shoe size\na@b.lv,42\n", "Unknown column"),
    (b"email\n", "no recipients"),
])
def test_unreadable_files_get_a_clear_message(world, signed_in, survey, content, message):
    client = signed_in(world.alice)
    r = client.post(f"/surveys/{survey['id']}/send/",
                    {"file": SimpleUploadedFile("x.csv", content, content_type="text/csv")})
    assert message in r.content.decode()
    assert not Invitation.objects.exists()


def test_checked_list_is_sent_at_the_survey_rate(world, signed_in, survey, api, smtp_settings,
                                                 run_tasks):
    api.patch(f"/surveys/{survey['id']}", {"send_rate_per_minute": 2})
    client = signed_in(world.alice)
    rows = "\n".join(f"klients{n}@example.lv,Klients {n},lv,,support,R-{n}" for n in range(5))
    csv = "email,name,language,agent,team,reference\n" + rows + "\nklients1@example.lv,,,,,\n"
    r = upload(client, survey["id"], csv)
    page = r.content.decode()
    assert "5 recipients are ready." in page and "1 repeated address was left out." in page
    r = client.post(f"/surveys/{survey['id']}/send/", {"action": "send"})
    batch = SendBatch.objects.get()
    assert r["Location"] == f"/surveys/{survey['id']}/send/{batch.pk}/"
    assert batch.total == 5
    assert Invitation.objects.filter(state="queued").count() == 5
    assert smtp_settings.messages == []  # nothing leaves inside the request
    with run_tasks():  # the periodic job enqueues, one task per invitation sends
        assert advance_batches() == 1  # at 2 per minute, the first step sends at least one
    assert len(smtp_settings.messages) == 1
    SendBatch.objects.update(last_step_at=batch.created_at.replace(year=2020))
    with run_tasks():
        assert advance_batches() == 4
    assert advance_batches() == 0  # all sent: this step (or the last) closes the batch
    batch.refresh_from_db()
    assert batch.finished_at is not None
    assert len(smtp_settings.messages) == 5
    assert {m["To"] for m in smtp_settings.messages} == {
        f"klients{n}@example.lv" for n in range(5)}
    progress = client.get(r["Location"]).content.decode()
    assert "5 of 5 handled" in progress
    listed = client.get(f"/surveys/{survey['id']}/invitations/", {"state": "sent"})
    assert listed.content.decode().count("klients") >= 5


def test_open_links_from_replies_are_unverified_and_deduplicated(world, survey, client):
    html = client.get(f"/surveys/{survey['id']}/snippet/")  # not signed in
    assert html.status_code == 302
    public_key = survey["public_key"]
    url = f"/r/{public_key}/4/?ref=ZD-77&email=Anna@Example.lv"
    assert client.get(url).status_code == 200
    assert not Feedback.objects.exists()
    r = client.post(f"/r/{public_key}/4/", {"ref": "ZD-77", "email": "Anna@Example.lv"})
    assert r.status_code == 200
    r = client.post(f"/r/{public_key}/2/", {"ref": "ZD-77", "email": "anna@example.lv"})
    invitation = Invitation.objects.get()
    assert invitation.unverified and invitation.reference == "ZD-77"
    fb = Feedback.objects.get()
    assert fb.score == 2 and fb.metadata["unverified"] is True
    client.post(f"/r/{public_key}/5/", {"ref": "ZD-78", "email": "anna@example.lv"})
    assert Invitation.objects.count() == 2 and Feedback.objects.count() == 2
    assert client.post(f"/r/{public_key}/5/", {"ref": "x", "email": "bad"}).status_code == 400
    assert client.post("/r/unknown/5/", {"ref": "x", "email": "a@b.lv"}).status_code == 404


def test_open_links_are_rate_limited_per_address(survey, client):
    public_key = survey["public_key"]
    codes = [client.post(f"/r/{public_key}/5/", {"ref": f"T{n}", "email": f"c{n}@b.lv"}
                         ).status_code for n in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429
    assert Feedback.objects.count() == 30


def test_snippet_page_offers_helpdesk_placeholders(world, signed_in, survey):
    page = signed_in(world.alice).get(f"/surveys/{survey['id']}/snippet/",
                                      {"helpdesk": "zendesk", "language": "pl"}).content.decode()
    assert "?ref={{ticket.id}}&amp;amp;email={{ticket.requester.email}}" in page
    assert f"/r/{survey['public_key']}/1/" in page and f"/w/{survey['public_key']}.js" in page


def test_public_survey_page_records_a_web_answer(survey, client):
    page = client.get(f"/s/{survey['public_key']}/", HTTP_ACCEPT_LANGUAGE="et")
    assert page.status_code == 200 and 'lang="et"' in page.content.decode()
    r = client.post(f"/s/{survey['public_key']}/?lang=et",
                    {"score": "1", "text": "Ootasin liiga kaua.", "email": "kadri@example.ee"})
    assert r.status_code == 200
    fb = Feedback.objects.get()
    assert (fb.channel, fb.score, fb.polarity, fb.text, fb.language) == (
        "web", 1, "negative", "Ootasin liiga kaua.", "et")
    r = client.post(f"/s/{survey['public_key']}/", {"score": "9"})
    assert r.status_code == 422 and Feedback.objects.count() == 1


def test_widget_answers_only_from_allowed_origins(api, survey, client):
    api.patch(f"/surveys/{survey['id']}", {"allowed_origins": ["https://shop.example.lv"]})
    endpoint = f"/w/{survey['public_key']}/answer"
    js = client.get(f"/w/{survey['public_key']}.js")
    assert js.status_code == 200 and js["Content-Type"].startswith("text/javascript")
    assert endpoint in js.content.decode()
    pre = client.options(endpoint, HTTP_ORIGIN="https://shop.example.lv")
    assert pre.status_code == 204
    assert pre["Access-Control-Allow-Origin"] == "https://shop.example.lv"
    r = client.post(endpoint, {"score": 5, "text": "Super!", "visitor": "v-1", "language": "pl"},
                    content_type="application/json", HTTP_ORIGIN="https://shop.example.lv")
    assert r.status_code == 201 and r["Access-Control-Allow-Origin"] == "https://shop.example.lv"
    assert Feedback.objects.get().channel == "widget"
    r = client.post(endpoint, {"score": 5}, content_type="application/json",
                    HTTP_ORIGIN="https://evil.example.com")
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r
    for body, code in [("[1]", 400), ("{bad json", 400), ('{"score": "5"}', 422),
                       ('{"score": 6}', 422), ('{"score": 3, "email": "nope"}', 422)]:
        r = client.post(endpoint, body, content_type="application/json",
                        HTTP_ORIGIN="https://shop.example.lv")
        assert r.status_code == code, (body, r.content)
    assert Feedback.objects.count() == 1


def test_staff_pages_render(world, signed_in, survey, invite, client,
                            django_assert_max_num_queries):
    from tests.surveys.conftest import path_of

    for n in range(5):
        created = invite(f"c{n}@example.lv")
        client.post(path_of(created["links"][str(1 + n)]))
        client.post(path_of(created["links"]["1"]).replace("/1/", "/comment/"),
                    {"text": f"<b>komentārs</b> {n}"})
    carol = signed_in(world.carol)
    assert "After support" in carol.get("/surveys/").content.decode()
    page = carol.get(f"/surveys/{survey['id']}/").content.decode()
    assert "CSAT %" in page and "40.0" in page  # 2 of 5 answers are 4 or 5
    assert "&lt;b&gt;komentārs&lt;/b&gt;" in page
    with django_assert_max_num_queries(12):
        assert carol.get(f"/surveys/{survey['id']}/invitations/").status_code == 200
    assert carol.get(f"/surveys/{survey['id']}/edit/").status_code == 200
    preview = carol.post(f"/surveys/{survey['id']}/preview/",
                         {"preview_language": "hu", "text-hu-question": "<i>Hogy tetszett?</i>"})
    body = preview.content.decode()
    assert "srcdoc=" in body and "&amp;lt;i&amp;gt;Hogy tetszett?" in body
    r = carol.post(f"/surveys/{survey['id']}/edit/", {
        "name": "Po wsparciu", "is_active": "on", "brand_color": "#aa0000", "expiry_days": 10,
        "quiet_days": 3, "edit_window_minutes": 15, "send_rate_per_minute": 30,
        "allowed_origins": "", "text-pl-question": "Jak oceniają Państwo pomoc?"})
    assert r.status_code == 302, r.content.decode()[:2000]
    from kliento.surveys.models import Survey

    s = Survey.objects.get(pk=survey["id"])
    assert (s.name, s.brand_color, s.texts["pl"]["question"]) == (
        "Po wsparciu", "#aa0000", "Jak oceniają Państwo pomoc?")
    assert signed_in(world.alice).get(f"/surveys/{survey['id']}/edit/").status_code == 403
