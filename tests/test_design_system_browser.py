"""The pattern library in a real browser: every component at a phone's and a desk's width, with
no axe violation and no sideways scrolling; the chart's table opens without script."""

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/muster/", "/en/muster/"])
def test_pattern_library_passes_axe_and_fits_the_screen(page, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    # Every component is on the page.
    for selector in [".card", ".status-badge", ".traffic-light", "progress", ".key-figures__item"]:
        assert page.locator(selector).count() > 0, selector
    for selector in ["figure.chart-frame", "details.filter-disclosure", "nav.pagination", ".notice"]:
        assert page.locator(selector).count() > 0, selector
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), viewport


def test_chart_table_opens_without_script(browser, demo_live):
    context = browser.new_context(base_url=demo_live, java_script_enabled=False, viewport={"width": 320, "height": 720})
    tab = context.new_page()
    try:
        tab.goto("/muster/")
        frame = tab.locator("figure.chart-frame").first
        table = frame.locator("table")
        expect(table).to_be_hidden()
        frame.locator("summary").click()
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(7)
    finally:
        context.close()
