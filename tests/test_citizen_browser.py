"""Citizens on phones and desks, in a real browser: no sideways scrolling, filters behind a disclosure,
touch targets, focus that stays where the visitor is, and a language switch that keeps the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import VIEWPORTS, assert_no_axe_violations

# Seconds on this 2-core machine on 2026-12-02 (tests/conftest.py hands long files out first).
pytestmark = [pytest.mark.browser, pytest.mark.long_file(seconds=100)]

# One of each public page type, in both languages where the type has a translation in the demo.
# The home page (test_home_overview_browser) and the strategy's pages (test_strategy_browser, the
# one-page view too) are checked for sideways scrolling at both widths where axe checks them.
PUBLIC_PAGES = [
    "/impressum/",
    "/zukunftsprofil/handlungsfeld-klima/",
    "/en/zukunftsprofil/handlungsfeld-klima/",
    "/projektkatalog/",
    "/projektkatalog/?area=klima&municipality=steinach&q=Klima",
    "/en/projektkatalog/",
    "/projektkatalog/eintrag/5-2-01/",
    "/projektkatalog/ziel/5-1/",
    "/projektkatalog/ziel/1-1-1/",
    "/projektkatalog/umsetzungsstand/",
    "/en/projektkatalog/umsetzungsstand/",
    "/suche/?q=Klima",
    "/suche/?q=Klimashcutz",
    "/barrierefreiheit/",
    "/en/barrierefreiheit/",
    "/leichte-sprache/",
]


def scroll_width(tab):
    return tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_page_scrolls_sideways(page, viewport, path):
    page.set_viewport_size(viewport)
    response = page.goto(path)
    assert response.ok, path
    assert scroll_width(page) <= 0, f"{path} is {scroll_width(page)} px too wide at {viewport['width']} px"


@pytest.mark.parametrize(
    "path",
    [
        "/projektkatalog/?area=klima&municipality=steinach",
        "/suche/?q=Klimashcutz",
        "/suche/?q=Klima",
        "/barrierefreiheit/",
        "/en/barrierefreiheit/",
        "/leichte-sprache/",
        "/projektkatalog/eintrag/1-2-01/",
        # The home pages: test_home_overview_browser.
    ],
)
def test_changed_pages_have_no_axe_violations(page, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(path)
    assert_no_axe_violations(page)


def test_on_a_phone_the_results_come_before_the_filters(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/projektkatalog/?area=klima&status=in-umsetzung")
    summary = page.locator(".filter-disclosure__summary")
    expect(summary).to_have_text(re.compile(r"Filter \(2 aktiv\)"))
    expect(page.locator("#catalogue-facets")).to_be_hidden()
    first = page.locator(".entry-card").first
    card_top = first.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    summary_top = summary.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    # Only the sort choice, the count and the active filters (as removable chips) stand between them.
    assert summary_top < card_top < summary_top + 450
    assert card_top < 2 * VIEWPORTS["mobile"]["height"]
    summary.click()
    expect(page.locator("#catalogue-facets")).to_be_visible()


def test_on_a_wide_screen_the_filters_stand_beside_the_results(page):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto("/projektkatalog/")
    expect(page.locator("#catalogue-facets")).to_be_visible()
    facets = page.locator("#catalogue-facets").bounding_box()
    results = page.locator("#catalogue-results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"]


@pytest.mark.parametrize("width", [320, 1280])
def test_filters_work_without_javascript_at_every_width(browser, demo_live, width):
    context = browser.new_context(
        base_url=demo_live, java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    tab = context.new_page()
    tab.goto("/projektkatalog/")
    if not tab.locator("#catalogue-facets").is_visible():
        tab.locator(".filter-disclosure__summary").click()
    tab.locator(".facet summary", has_text="Art").click()
    tab.locator("input[name=kind][value=measure]").check()
    tab.locator("button", has_text="Filter anwenden").click()
    expect(tab).to_have_url(re.compile(r"kind=measure"))
    expect(tab.locator(".filter-disclosure__summary")).to_have_text(re.compile(r"1 aktiv"))
    context.close()


def box(locator):
    return locator.evaluate(
        """el => { const label = el.labels && el.labels[0];
        const boxes = [el, label].filter(Boolean).map(node => node.getBoundingClientRect()).filter(r => r.width);
        const left = Math.min(...boxes.map(r => r.left)), right = Math.max(...boxes.map(r => r.right));
        const top = Math.min(...boxes.map(r => r.top)), bottom = Math.max(...boxes.map(r => r.bottom));
        return {width: right - left, height: bottom - top}; }"""
    )


def test_touch_targets_are_at_least_44_px(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/projektkatalog/?area=klima")
    page.locator(".filter-disclosure__summary").click()
    targets = [
        page.locator("#catalogue-q"),
        page.locator("#catalogue-sort"),
        page.locator(".filter-disclosure__summary"),
    ]
    targets += page.locator(".facet[open] input[type=checkbox]").all()
    targets += page.locator(".facet summary").all()[:3]
    assert len(targets) > 8
    for target in targets:
        size = box(target)
        assert size["width"] >= 44 and size["height"] >= 44, (target, size)


def test_unticking_the_last_option_keeps_focus_in_the_facet(page):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto("/projektkatalog/?kind=project")
    checkbox = page.locator("input[name=kind][value=project]")
    expect(checkbox).to_be_checked()
    checkbox.focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/projektkatalog/$"))
    expect(page.locator('details.facet[data-facet="kind"]')).to_have_attribute("open", "")
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == checkbox.get_attribute("id")
    expect(checkbox).not_to_be_checked()
    # The keyboard goes on from there: the next option is one Tab away.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "kind"


def test_unticking_the_last_option_on_a_phone_keeps_focus_too(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/projektkatalog/?kind=project")
    page.locator(".filter-disclosure__summary").click()
    checkbox = page.locator("input[name=kind][value=project]")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/projektkatalog/$"))
    assert page.evaluate("document.activeElement.id") == checkbox.get_attribute("id")
    expect(page.locator("#catalogue-facets")).to_be_visible()


SWITCHES = [
    ("/projektkatalog/ziel/1-1/", "English", "/en/projektkatalog/ziel/1-1/"),
    ("/projektkatalog/umsetzungsstand/", "English", "/en/projektkatalog/umsetzungsstand/"),
    ("/en/projektkatalog/umsetzungsstand/", "Deutsch", "/projektkatalog/umsetzungsstand/"),
    ("/projektkatalog/?q=Klima&area=klima", "English", "/en/projektkatalog/?area=klima&q=Klima"),
    ("/suche/?q=Klima", "English", "/en/suche/?q=Klima"),
    ("/en/suche/?q=climate", "Deutsch", "/suche/?q=climate"),
    ("/zukunftsprofil/gesamt/", "English", "/en/zukunftsprofil/gesamt/"),
    ("/zukunftsprofil/handlungsfeld-klima/", "English", "/en/zukunftsprofil/handlungsfeld-klima/"),
]


@pytest.mark.parametrize(("start", "name", "target"), SWITCHES)
def test_language_switch_keeps_the_route(page, start, name, target):
    page.goto(start)
    page.locator(".language-switcher").get_by_role("link", name=name).click()
    page.wait_for_url(f"**{target}")
    assert page.locator("html").get_attribute("lang") == ("en" if name == "English" else "de")


def test_language_switch_on_an_entry_goes_to_its_translation_and_back(page):
    page.goto("/en/projektkatalog/")
    page.locator(".entry-card__title a").first.click()
    english = page.url
    code = page.locator(".project__kind").inner_text().split()[-1]
    page.locator(".language-switcher").get_by_role("link", name="Deutsch").click()
    page.wait_for_url(re.compile(r"/projektkatalog/eintrag/"))
    assert "/en/" not in page.url
    assert page.locator(".project__kind").inner_text().split()[-1] == code
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_url(english)


def test_feedback_form_errors_are_announced_and_linked(page):
    page.goto("/barrierefreiheit/")
    page.get_by_role("button", name="Rückmeldung senden").click()
    summary = page.locator(".error-summary[role=alert]")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "nachricht"
    assert_no_axe_violations(page)


def test_indicator_labels_are_readable_on_a_phone(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/projektkatalog/eintrag/1-2-01/")
    chart = page.locator(".indicator__chart").first
    expect(chart).to_be_visible()
    sizes = chart.evaluate(
        """svg => [...svg.querySelectorAll('text')].map(text => {
            const box = text.getBoundingClientRect();
            return {height: box.height, right: box.right, left: box.left};
        })"""
    )
    assert sizes and all(size["height"] >= 12 for size in sizes), sizes
    assert all(size["left"] >= 0 and size["right"] <= 320 for size in sizes), sizes
    expect(page.locator(".indicator__legend li").first).to_be_visible()
    expect(page.locator(".indicator__reading").first).to_have_text(
        re.compile(r"^Trend (steigend|fallend|gleichbleibend)")
    )


def test_print_shows_no_enlarge_links_and_chapters_without_double_numbers(page):
    page.goto("/zukunftsprofil/gesamt/")
    page.emulate_media(media="print")
    for label in page.locator(".block-image__enlarge-label").all():
        expect(label).to_be_hidden()
    style = page.locator("nav.toc ol.toc__chapters li").first.evaluate("li => getComputedStyle(li).listStyleType")
    assert style == "none"


@pytest.mark.parametrize("path", ["/", "/en/", "/zukunftsprofil/ausgangslage/"])
def test_blocks_look_the_same_wherever_they_are_placed(page, path):
    page.goto(path)
    figures = page.locator("ul.key-figures").first
    expect(figures).to_be_visible()
    assert figures.evaluate("el => getComputedStyle(el).display") == "grid"
    assert figures.evaluate("el => getComputedStyle(el).listStyleType") == "none"
    item = page.locator(".key-figures__item").first
    assert item.evaluate("el => getComputedStyle(el).borderTopWidth") == "4px"
    if page.locator(".cta").count():
        assert page.locator(".cta").first.evaluate("el => getComputedStyle(el).borderLeftWidth") == "6px"
