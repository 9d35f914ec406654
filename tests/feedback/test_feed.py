from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def voices(api, world):
    api.post("/feedback", {"customer": {"email": "a@example.lv", "name": "Anna"}, "score": 1,
                           "scale": "csat", "channel": "email", "text": "Briesmīgi ilgi gaidīju",
                           "agent_email": "alice@acme.test", "team": "Support"})
    api.post("/feedback", {"customer": {"email": "b@example.pl", "name": "Bartek"}, "score": 10,
                           "scale": "nps", "channel": "phone", "text": "Świetna obsługa",
                           "agent_email": "bob@acme.test"})
    for n in range(40):
        api.post("/feedback", {"customer": {"email": f"c{n}@example.ee"}, "score": 3,
                               "scale": "csat", "channel": "web", "text": f"Tavaline {n}"})


def test_feed_shows_newest_first_in_constant_queries(world, signed_in, voices,
                                                     django_assert_max_num_queries):
    client = signed_in(world.carol)
    with django_assert_max_num_queries(12):
        page = client.get("/feed/").content.decode()
    assert page.index("Tavaline 39") < page.index("Świetna obsługa") < page.index(
        "Briesmīgi ilgi")
    assert 'hx-trigger="every 5s"' in page


@pytest.mark.parametrize(("params", "present", "absent"), [
    ({"polarity": "negative"}, "Briesmīgi", "Świetna"),
    ({"channel": "phone"}, "Świetna", "Briesmīgi"),
    ({"period": "1"}, "Świetna", "nothing-absent"),
])
def test_feed_filters(world, signed_in, voices, params, present, absent):
    page = signed_in(world.carol).get("/feed/", params).content.decode()
    assert present in page and absent not in page


def test_feed_filters_by_team_and_agent(world, signed_in, voices):
    client = signed_in(world.carol)
    page = client.get("/feed/", {"team": world.support.pk}).content.decode()
    assert "Briesmīgi" in page and "Świetna" not in page
    page = client.get("/feed/", {"agent": world.bob.pk}).content.decode()
    assert "Świetna" in page and "Briesmīgi" not in page


def test_htmx_refresh_returns_only_the_list(world, signed_in, voices):
    r = signed_in(world.carol).get("/feed/", {"polarity": "positive"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert body.lstrip().startswith('<ol class="feed"')
    assert "<html" not in body and "Świetna" in body and "Briesmīgi" not in body


def test_feed_never_shows_another_workspace(world, signed_in, other_api, voices):
    other_api.post("/feedback", {"customer": {"email": "z@globex.pl"}, "text": "Globex sekret"})
    assert "Globex sekret" not in signed_in(world.carol).get("/feed/").content.decode()
