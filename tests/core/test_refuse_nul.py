"""A NUL character anywhere in a request's text is refused before any view sees it."""

from __future__ import annotations

import pytest

from kliento.feedback.models import Theme

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_link_path_is_refused(client):
    r = client.get("/a/abc%00def/")
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/plain")
    assert "“path” contains a NUL character" in r.content.decode()


def test_a_nul_character_in_a_staff_form_is_refused(world, signed_in):
    client = signed_in(world.carol)
    r = client.post("/settings/text/", {"action": "theme", "key": "late", "name": "La\x00te",
                                        "examples": "late"})
    assert r.status_code == 400
    assert "“name” contains a NUL character" in r.content.decode()
    assert not Theme.objects.filter(key="late").exists()


def test_a_nul_character_in_a_form_patch_is_refused(client):
    r = client.patch("/healthz", "name=Ja%00n", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400
    assert "“name” contains a NUL character" in r.content.decode()


def test_a_nul_character_in_a_page_query_is_refused(world, signed_in):
    r = signed_in(world.alice).get("/customers/", {"q": "Jan\x00"})
    assert r.status_code == 400
    assert "“q” contains a NUL character" in r.content.decode()
