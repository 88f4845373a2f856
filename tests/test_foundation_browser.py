"""The shell in a real browser: accessibility, skip link, language switcher, search."""

import pytest

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


# The home pages in both languages: test_home_overview_browser, at both widths.
@pytest.mark.parametrize("path", ["/impressum/", "/suche/?q=Datenschutz"])
def test_no_axe_violations(page, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(path)
    assert_no_axe_violations(page)


def test_no_horizontal_scrolling_at_320px(page):
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_skip_link_moves_focus_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-links a").first
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_goes_to_translation_and_back(page):
    page.goto("/impressum/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/impressum/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Legal notice"
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**/impressum/")
    assert page.locator("h1").inner_text() == "Impressum"


def test_search_from_header_finds_demo_pages(page):
    page.goto("/")
    page.get_by_label("Suchbegriff").first.fill("Barrierefreiheit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Barrierefreiheit")
    results = page.locator(".search-results a")
    assert "Erklärung zur Barrierefreiheit" in results.all_inner_texts()


@pytest.mark.parametrize("path", ["/", "/en/", "/impressum/"])
def test_page_breaks_no_content_security_policy_rule(page, path):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert not [m for m in messages if "Content Security Policy" in m], messages
