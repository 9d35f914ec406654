"""One-click answers from a real e-mail: scanner-safe, idempotent, editable for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kliento.feedback.models import Feedback
from kliento.surveys.models import Invitation, OptOut
from tests.surveys.conftest import links_in, path_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_email_links_answer_once_and_scanners_record_nothing(
        api, survey, smtp_settings):
    r = api.post(f"/surveys/{survey['id']}/invitations", {
        "customer": {"email": "ilze@example.lv", "name": "Ilze Bērziņa", "language": "lv"},
        "send": True, "reference": "T-1001"})
    assert r.status_code == 201, r.content
    [created] = r.json()
    assert created["state"] == "queued"
    assert sorted(created["links"]) == ["1", "2", "3", "4", "5"]

    [mail] = smtp_settings.messages
    assert mail["To"] == "ilze@example.lv"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = mail["List-Unsubscribe"].strip().strip("<>")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "<script" not in html.lower()
    score_links = [u for u in links_in(text) if "/a/" in u]
    assert len(score_links) == 5
    for url in score_links:
        assert url in html

    scanner = Client()
    for url in [*links_in(text), *links_in(html), unsubscribe_url]:
        assert scanner.get(path_of(url)).status_code in (200, 404)
    assert not Feedback.objects.exists()
    assert not OptOut.objects.exists()
    assert Invitation.objects.get().state == "sent"

    customer = Client()
    page = customer.get(path_of(score_links[1]))
    assert page.status_code == 200
    assert 'lang="lv"' in page.content.decode()
    assert 'method="post"' in page.content.decode()
    r = customer.post(path_of(score_links[1]))
    assert r.status_code == 200
    fb = Feedback.objects.get()
    assert (fb.score, fb.scale, fb.polarity, fb.source, fb.channel) == (
        2, "csat", "negative", "survey", "email")
    assert fb.metadata["reference"] == "T-1001"
    invitation = Invitation.objects.get()
    assert invitation.state == "answered" and invitation.feedback == fb

    # the same score again changes nothing
    customer.post(path_of(score_links[1]))
    assert Feedback.objects.count() == 1

    # another score within the edit window changes the answer
    customer.post(path_of(score_links[4]))
    fb.refresh_from_db()
    assert (Feedback.objects.count(), fb.score, fb.polarity) == (1, 5, "positive")

    # the follow-up comment lands on the same Feedback
    r = customer.post(f"/a/{path_of(score_links[0]).split('/')[2]}/comment/",
                      {"text": "Kurjers bija ļoti laipns, paldies!"})
    assert r.status_code == 200
    fb.refresh_from_db()
    assert fb.text == "Kurjers bija ļoti laipns, paldies!"

    # after the window a different score is refused politely
    Invitation.objects.update(answered_at=timezone.now() - timedelta(hours=2))
    r = customer.post(path_of(score_links[0]))
    assert r.status_code == 200
    fb.refresh_from_db()
    assert fb.score == 5


def test_tampered_unknown_and_expired_links(api, survey, invite):
    created = invite(customer={"language": "hu"})
    good = path_of(created["links"]["4"])
    token = good.split("/")[2]
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    for bad in [good.replace(token, token[:-2] + "xx"), "/a/nonsense/3/",
                "/a/" + "k" * 30 + ":abc/3/"]:
        r = client.get(bad)
        assert r.status_code == 404
        assert 'lang="pl"' in r.content.decode()
        assert client.post(bad).status_code == 404
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    r = client.get(good)
    assert r.status_code == 410
    assert 'lang="hu"' in r.content.decode()
    assert client.post(good).status_code == 410
    assert not Feedback.objects.exists()


def test_score_outside_the_scale_is_refused(invite):
    created = invite()
    path = path_of(created["links"]["5"]).replace("/5/", "/9/")
    assert Client().post(path).status_code == 400
    assert not Feedback.objects.exists()


def test_revoked_invitation_cannot_be_answered(invite):
    created = invite()
    Invitation.objects.update(state="revoked")
    assert Client().post(path_of(created["links"]["5"])).status_code == 410
    assert not Feedback.objects.exists()


def test_one_click_unsubscribe_stops_later_invitations(api, survey, smtp_settings):
    api.post(f"/surveys/{survey['id']}/invitations",
             {"customer": {"email": "jan@example.pl"}, "send": True})
    [mail] = smtp_settings.messages
    url = path_of(mail["List-Unsubscribe"].strip().strip("<>"))
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookies or token
    r = Client().post(url, "List-Unsubscribe=One-Click",
                      content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200
    assert OptOut.objects.filter(email="jan@example.pl").exists()
    r = api.post(f"/surveys/{survey['id']}/invitations",
                 {"customer": {"email": "jan@example.pl"}, "send": True})
    assert r.json()[0]["state"] == "skipped"
    assert r.json()[0]["skip_reason"] == "unsubscribed"
    assert r.json()[0]["links"] == {}
    assert len(smtp_settings.messages) == 1


def test_concurrent_clicks_leave_exactly_one_answer(invite):
    import threading

    from django.db import connections

    created = invite()
    path = path_of(created["links"]["1"])
    results: list[int] = []

    def click() -> None:
        try:
            results.append(Client().post(path).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 8
    assert Feedback.objects.count() == 1
    assert Invitation.objects.get().feedback is not None
