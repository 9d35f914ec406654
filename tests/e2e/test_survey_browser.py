from __future__ import annotations

import pytest

from kliento.feedback.models import Feedback
from tests.surveys.conftest import links_in, path_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_customer_opens_the_emailed_link_and_comments_in_latvian(
        world, live_server, browser, api, smtp_settings):
    survey = api.post("/surveys", {"name": "Pēc zvana", "kind": "csat"}).json()
    api.post(f"/surveys/{survey['id']}/invitations", {
        "customer": {"email": "ilze@example.lv", "name": "Ilze", "language": "lv"},
        "send": True})
    [mail] = smtp_settings.messages
    link = next(u for u in links_in(mail.get_body(("html",)).get_content()) if u.endswith("/2/"))
    page = browser.new_page()
    page.goto(live_server.url + path_of(link))
    # the page confirms the click by POST on its own: a real browser answers, a scanner does not
    page.locator("textarea[name=text]").wait_for(timeout=10_000)
    assert Feedback.objects.get().score == 2
    assert page.locator("html").get_attribute("lang") == "lv"
    page.fill("textarea[name=text]", "Kurjers kavējās divas dienas, un neviens nepiezvanīja.")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    fb = Feedback.objects.get()
    assert fb.text == "Kurjers kavējās divas dienas, un neviens nepiezvanīja."
    assert fb.polarity == "negative" and fb.language == "lv"
    page.screenshot(path="var/e2e-survey.png", full_page=True)
