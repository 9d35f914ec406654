from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_signs_in_and_sees_the_feed_update_live(world, live_server, browser, api):
    api.post("/feedback", {"customer": {"email": "ilze@example.lv", "name": "Ilze Bērziņa"},
                           "score": 2, "scale": "csat", "text": "Kurjers kavējās trīs dienas."})
    page = browser.new_page(locale="lv-LV")
    page.goto(f"{live_server.url}/feed/")
    page.fill("input[name=username]", "alice@acme.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/feed/")
    feed = page.locator("#feed")
    assert "Kurjers kavējās trīs dienas." in feed.inner_text()
    assert "Ilze Bērziņa" in feed.inner_text()
    # a new voice arrives while the page is open: HTMX brings it in without a reload
    api.post("/feedback", {"customer": {"email": "jan@example.pl", "name": "Jan Kowalski"},
                           "score": 10, "scale": "nps", "text": "Świetna obsługa, dziękuję!"})
    page.locator("text=Świetna obsługa, dziękuję!").wait_for(timeout=15_000)
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    page.screenshot(path="var/e2e-feed.png", full_page=True)
