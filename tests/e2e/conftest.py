from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("KLIENTO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


class Watched:
    """The browser, with every page's console watched for what the CSP blocked.

    A violation shows up only as a console error, and the page may even look right (a style
    or a script quietly missing), so each test ends by asserting there was none.
    """

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.blocked: list[str] = []

    def _watch(self, context: Any) -> Any:
        def console(message: Any) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                self.blocked.append(f"{message.location.get('url')}: {message.text}")

        context.on("console", console)
        context.on("weberror", lambda e: self.blocked.append(f"uncaught: {e.error}"))
        return context

    def new_context(self, **options: Any) -> Any:
        return self._watch(self._browser.new_context(**options))

    def new_page(self, **options: Any) -> Any:
        # Like Browser.new_page: a page in a context of its own (closed with the browser).
        return self.new_context(**options).new_page()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; no browser download, no network."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"chromium not found at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API runs an event loop on this thread; Django's ORM calls made by
    # the test itself between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        watched = Watched(browser)
        try:
            yield watched
        finally:
            browser.close()
        assert not watched.blocked, "blocked by the Content-Security-Policy or uncaught:\n" + \
            "\n".join(watched.blocked)
