"""Pages whose behaviour moved out of inline code still work under the strict policy.

The browser fixture fails a test on any Content-Security-Policy violation in the console.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_recovery_browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_survey_editor_switches_languages_and_previews_without_violations(world, live_server,
                                                                          browser, api):
    survey = api.post("/surveys", {"name": "After support", "kind": "nps"}).json()
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/surveys/{survey['id']}/edit/", "carol@acme.test")
    # The sandboxed previews (e-mail with its inline styles, the answer page) load.
    page.wait_for_selector("#preview iframe")
    page.select_option("#preview-language", "pl")
    assert page.is_visible(".lang-texts[data-lang=pl]")
    assert page.is_hidden(".lang-texts[data-lang=en]")
    # Score buttons take their colours from the nonce'd style block.
    answer = browser.new_page()
    answer.goto(f"{live_server.url}/r/{survey['public_key']}/9/?ref=T-1&email=ilze@example.lv")
    # Confirmed by answer.js at once, as a person's browser does.
    answer.wait_for_selector("#confirm", state="detached")
    from kliento.feedback.models import Feedback

    assert Feedback.objects.get().score == 9
    results = page.goto(f"{live_server.url}/surveys/{survey['id']}/")
    assert results is not None and results.ok
    width = page.eval_on_selector(".chart .bar-10", "e => getComputedStyle(e).width")
    assert width != "0px"
    page.close()
    answer.close()


def test_case_shortcuts_and_alert_page_run_from_static_scripts(world, live_server, browser,
                                                               api):
    from kliento.recovery import services

    services.ensure_defaults(world.acme)
    fb = api.post("/feedback", {"customer": {"email": "ilze@example.lv", "name": "Ilze"},
                                "score": 1, "scale": "csat"}).json()
    case = api.post("/cases", {"feedback_id": fb["id"]}).json()
    page = browser.new_page()
    sign_in(page, f"{live_server.url}/cases/{case['id']}/", "alice@acme.test")
    page.wait_for_selector("#promise")
    # The shortcuts' script is deferred: it listens once the document has loaded.
    page.wait_for_load_state("load")
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.name") == "description"
    page.goto(f"{live_server.url}/alerts/")
    page.wait_for_timeout(200)
    page.close()


def test_api_docs_load_without_a_cdn(world, live_server, browser):
    page = browser.new_page()
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.ok
    page.wait_for_selector(".swagger-ui .info", timeout=10_000)
    assert "cdn." not in page.content()
    page.close()


def test_widget_works_on_a_customer_site_with_a_strict_policy(world, live_server, browser, api,
                                                              settings):
    """The widget on a shop's own page, served by a real server with its own strict CSP."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    survey = api.post("/surveys", {"name": "Shop", "kind": "csat"}).json()
    kliento = settings.BASE_URL = live_server.url

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (f'<!doctype html><html lang="lv"><body><h1>Veikals</h1>'
                    f'<script src="{kliento}/w/{survey["public_key"]}.js"></script>'
                    f"</body></html>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy",
                             f"default-src 'self'; script-src {kliento}; connect-src {kliento}; "
                             "style-src 'self'")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    shop = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    threading.Thread(target=shop.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{shop.server_port}"
    assert api.patch(f"/surveys/{survey['id']}", {"allowed_origins": [origin]}).status_code == 200
    try:
        page = browser.new_page()
        page.goto(origin + "/")
        widget = page.wait_for_selector("form.kliento-widget")
        assert widget.evaluate("e => getComputedStyle(e).position") == "fixed"
        page.click("form.kliento-widget button[data-score='5']")
        page.fill("form.kliento-widget textarea", "Ātri un laipni")
        page.click("form.kliento-widget button[type=submit]")
        page.wait_for_selector("form.kliento-widget >> text=" + "Paldies", timeout=10_000)
        from kliento.feedback.models import Feedback

        assert Feedback.objects.get().text == "Ātri un laipni"
        page.close()
    finally:
        shop.shutdown()
