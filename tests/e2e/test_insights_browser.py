"""The Insights page in a real browser: the charts draw from Kliento's own Chart.js under
the strict CSP, and clicking a chart's bar lands on a feedback list whose count equals the
figure clicked. With KLIENTO_SCREENSHOTS=<folder> it also saves the page at 1366×768 and
390×844 in English and Latvian, for a person to look at."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from freezegun import freeze_time

from kliento import loop
from kliento.feedback.judging import ensure_default_themes
from kliento.recovery import services as recovery
from tests.conftest import PASSWORD
from tests.insights.conftest import voice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, email):
    page.goto(url)
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def recent_month(world):
    """Voices of the last three weeks: unhappy ones with cases closed on a root cause."""
    recovery.ensure_defaults(world.acme)
    ensure_default_themes(world.acme)
    now = timezone.now()
    plan = [("aija", 1, 20, world.alice, "long_wait", ["waiting_time"]),
            ("bruno", 2, 18, world.alice, "long_wait", ["waiting_time", "staff_attitude"]),
            ("cilda", 1, 15, world.bob, "billing_error", ["delivery"]),
            ("dace", 1, 12, world.bob, "long_wait", ["waiting_time"]),
            ("edgars", 5, 10, world.alice, "", ["staff_attitude"]),
            ("fricis", 2, 6, world.bob, "product_defect", []),
            ("gatis", 4, 3, world.alice, "", [])]
    for who, score, days_ago, agent, cause, themes in plan:
        when = now - timedelta(days=days_ago)
        feedback = voice(world.acme, who, score, when, agent=agent,
                         team=world.support if agent == world.alice else None)
        if themes:
            loop.correct_feedback(feedback=feedback, user=world.carol, themes=themes)
        if cause:
            with freeze_time(when + timedelta(hours=1)):
                case = loop.open_case_by_hand(feedback=feedback, owner=agent)
                recovery.close(case=case, root_cause_key=cause)


def bar_position(page, chart_id, index):
    """Where bar `index` of a chart is drawn, in page coordinates."""
    return page.evaluate("""([id, i]) => {
        const canvas = document.querySelector(`canvas[data-chart="${id}"]`);
        canvas.scrollIntoView({block: "center"});
        const bar = Chart.getChart(canvas).getDatasetMeta(0).data[i];
        const box = canvas.getBoundingClientRect();
        return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2};
    }""", [chart_id, index])


def test_clicking_a_chart_bar_lands_on_the_voices_it_counts(world, live_server, browser):
    recent_month(world)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, f"{live_server.url}/insights/", "carol@acme.test")
    page.wait_for_function("() => window.Chart && document.querySelector("
                           "'canvas[data-chart=\"chart-root-causes\"]') && "
                           "Chart.getChart(document.querySelector("
                           "'canvas[data-chart=\"chart-root-causes\"]'))")
    # The table behind the chart says what the first bar stands for.
    first = page.locator("#root-causes table tbody tr").first
    assert first.locator("th").inner_text() == "Long wait"
    figure = int(first.locator("a[data-figure]").first.inner_text())
    assert figure == 3
    where = bar_position(page, "chart-root-causes", 0)
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url("**/feed/?*root_cause=long_wait*")
    assert page.locator("ol.feed > li.entry").count() == figure
    assert page.locator(".list-count .count").inner_text() == f"{figure} voices"

    # A theme's bar too, from the other Pareto chart.
    page.go_back()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector("
                           "'canvas[data-chart=\"chart-themes\"]'))")
    first = page.locator("#themes table tbody tr").first
    figure = int(first.locator("a[data-figure]").first.inner_text())
    where = bar_position(page, "chart-themes", 0)
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url("**/feed/?*theme=waiting_time*")
    assert page.locator("ol.feed > li.entry").count() == figure == 3
    assert page.locator(".list-count .count").inner_text() == "3 voices"

    # A cell of the hour-of-the-week map: the voices the customer spoke in that hour.
    page.go_back()
    cell = page.locator("#heat-voices a[data-figure]").first
    figure = int(cell.get_attribute("data-figure") or 0)
    assert figure >= 1
    cell.click()
    page.wait_for_url("**/feed/?*weekday=*hour=*")
    assert page.locator("ol.feed > li.entry").count() == figure
    assert page.locator(".list-count .count").inner_text() == (
        "1 voice" if figure == 1 else f"{figure} voices")


def test_screenshots_in_english_and_latvian(world, live_server, browser):
    folder = os.environ.get("KLIENTO_SCREENSHOTS")
    if not folder:
        pytest.skip("set KLIENTO_SCREENSHOTS to a folder to save the screenshots")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    recent_month(world)
    for language in ("en", "lv"):
        world.carol.language = language
        world.carol.save(update_fields=["language"])
        for width, height in ((1366, 768), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            sign_in(page, f"{live_server.url}/insights/", "carol@acme.test")
            page.wait_for_function("() => window.Chart && document.querySelectorAll("
                                   "'canvas[data-chart]').length && [...document."
                                   "querySelectorAll('canvas[data-chart]')].every("
                                   "c => Chart.getChart(c))")
            page.screenshot(path=str(out / f"insights-{language}-{width}x{height}.png"),
                            full_page=True)
            page.screenshot(path=str(out / f"insights-{language}-{width}x{height}-top.png"))
            for panel in ("headline", "trends", "breakdown", "close-loop-team", "root-causes",
                          "themes-over-time",
                          "word-of-mouth", "contacts"):
                page.locator(f"#{panel}").screenshot(
                    path=str(out / f"insights-{language}-{width}x{height}-{panel}.png"))
            page.close()
