"""Strategy pages in a real browser: axe-core WCAG 2.1 AA at 320 px and desktop width, no-JS accordion."""

import pytest

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


# The home page: test_home_overview_browser.
URLS = [
    "/zukunftsprofil/",
    "/zukunftsprofil/auftrag-und-vorgehen/",
    "/zukunftsprofil/ausgangslage/",
    "/zukunftsprofil/staerken-und-schwaechen/",
    "/zukunftsprofil/umsetzung/",
    "/zukunftsprofil/fortschreibung/",
    "/zukunftsprofil/evaluation/",
    "/zukunftsprofil/gesamt/",
    "/en/zukunftsprofil/",
    "/en/zukunftsprofil/ausgangslage/",
]


def test_strategy_pages_pass_axe(demo_live, page, viewport):
    page.set_viewport_size(viewport)
    for url in URLS:
        response = page.goto(url)
        assert response.status == 200, url
        assert_no_axe_violations(page)
        # Nothing wider than the viewport: the page works at 320 px without sideways scrolling.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
        # The strict Content Security Policy allows no inline styles or scripts in the content.
        assert page.locator("main [style], main script").count() == 0, url


def test_accordion_and_toc_work(demo_live, page):
    page.goto("/zukunftsprofil/fortschreibung/")
    summary = page.locator("summary", has_text="Wie oft wird berichtet?")
    answer = page.get_by_text("mindestens halbjährlich")
    assert not answer.is_visible()
    summary.click()
    assert answer.is_visible()
    page.goto("/zukunftsprofil/auftrag-und-vorgehen/")
    page.locator(".toc a", has_text="Projektverlauf").click()
    assert page.url.endswith("#projektverlauf")


def test_print_hides_navigation(demo_live, page):
    page.goto("/zukunftsprofil/ausgangslage/")
    page.emulate_media(media="print")
    assert not page.locator("#main-nav").is_visible()
    assert not page.locator(".chapter-nav").is_visible()
    assert page.locator("h1").is_visible()
