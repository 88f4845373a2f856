"""The home page's overview in a real browser: phone and desk, both languages, without JavaScript, on paper."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import VIEWPORTS, assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_overview_is_accessible_and_fits_the_screen(page, viewport, path):
    page.set_viewport_size(viewport)
    assert page.goto(path).ok
    expect(page.locator(".area-card").first).to_be_visible()
    expect(page.locator(".report-list__item").first).to_be_visible()
    expect(page.locator(".dialogue-list__item").first).to_be_visible()
    expect(page.locator("form.municipality-picker")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (
        f"{path} scrolls sideways at {viewport['width']} px"
    )
    # Every card stays inside the window, its bar as wide as the card's text.
    for card in page.locator(".area-card").all():
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert_no_axe_violations(page)


def test_the_picker_works_without_javascript(browser, demo_live):
    context = browser.new_context(base_url=demo_live, java_script_enabled=False, viewport=VIEWPORTS["mobile"])
    tab = context.new_page()
    try:
        tab.goto("/")
        tab.get_by_label("Gemeinde", exact=True).select_option(label="Eichenhain")
        tab.locator("form.municipality-picker").get_by_role("button", name="Projekte anzeigen").click()
        tab.wait_for_load_state()
        assert re.search(r"/projektkatalog/\?municipality=eichenhain$", tab.url), tab.url
        expect(tab.locator("#results-heading")).to_have_text(re.compile(r"^\d+ Einträge?$"))
        expect(tab.locator(".chip", has_text="Eichenhain")).to_be_visible()
        assert tab.locator(".entry-card").count() > 0
    finally:
        context.close()


def test_the_overview_prints_whole_cards_with_bars_and_their_text(page):
    page.goto("/")
    page.emulate_media(media="print")
    card = page.locator(".area-card").first
    assert card.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    expect(card.locator(".area-card__bar")).to_be_visible()
    expect(card.locator(".status-legend")).to_be_visible()
    assert card.locator(".area-card__bar").evaluate("el => getComputedStyle(el).printColorAdjust") == "exact"
    assert page.locator(".report-list__item").first.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    # Links are spelled out after their text; the picker, useless on paper, is left out.
    link = card.locator("a.area-card__link")
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert link.get_attribute("href") in after
    expect(page.locator(".overview--places")).to_be_hidden()
