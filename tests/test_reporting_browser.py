"""The demo county's reports in a real browser: 320 px and 1280 px, keyboard, no JavaScript, axe, charts."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import VIEWPORTS, assert_no_axe_violations

# Seconds on this 2-core machine on 2026-12-02 (tests/conftest.py hands long files out first).
pytestmark = [pytest.mark.browser, pytest.mark.long_file(seconds=85)]

REPORT = "/berichte/bericht/2024-12-31/"


def no_sideways_scrolling(tab):
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), tab.url


def charts_have_tables(tab):
    """Every chart is an image with a name, and the same figures stand in a table beside it."""
    charts = tab.locator("figure svg[role=img]")
    assert charts.count() > 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("aria-labelledby") or chart.get_attribute("aria-label")
    for figure in tab.locator("figure.status-chart").all():
        assert figure.locator("table tbody tr").count() >= 1


@pytest.mark.parametrize(
    "path", ["/berichte/", REPORT, REPORT + "handlungsfeld/4/", "/en" + REPORT, "/en" + REPORT + "handlungsfeld/5/"]
)
def test_report_pages_have_no_axe_violations_at_both_widths(page, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(path)
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)
    no_sideways_scrolling(page)
    if "bericht/" in path:
        charts_have_tables(page)


@pytest.mark.parametrize(
    "query",
    ["", "?from=2023-12-31&to=heute", "?from=2024-12-31&to=2025-12-31&area=4&change=status&change=new"],
)
def test_comparison_pages_have_no_axe_violations_at_both_widths(page, viewport, query):
    page.set_viewport_size(viewport)
    page.goto("/berichte/vergleich/" + query)
    assert_no_axe_violations(page)
    no_sideways_scrolling(page)
    charts_have_tables(page)
    assert page.locator(".comparison-groups tbody tr").count() > 0


def test_compare_two_reports_from_the_list_by_keyboard(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/berichte/")
    page.locator("#compare-from").focus()
    page.keyboard.press("End")  # the oldest report
    page.locator("#compare-to").select_option("2025-12-31")
    page.locator("#compare-to").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/berichte/vergleich/\?from=2023-12-31&to=2025-12-31"))
    expect(page.locator("h1")).to_have_text("Vergleich der Berichte")
    expect(page.locator(".lead")).to_contain_text("Fortschrittsbericht 2023")
    # The demo took in new entries after the first report: they show as new.
    new = page.locator(".comparison-entries tbody tr", has_text="neu aufgenommen")
    expect(new).to_have_count(2)


def test_filters_work_without_javascript_and_lead_to_the_download(browser, demo_live):
    context = browser.new_context(base_url=demo_live, java_script_enabled=False, viewport=VIEWPORTS["mobile"])
    tab = context.new_page()
    tab.goto("/berichte/vergleich/")
    tab.locator("#compare-area").select_option("5")
    tab.locator("#compare-change-finished").check()
    tab.locator("button", has_text="Vergleichen").click()
    expect(tab).to_have_url(re.compile(r"area=5.*change=finished"))
    rows = tab.locator(".comparison-entries tbody tr")
    assert rows.count() >= 1
    for row in rows.all():
        assert row.locator("th").inner_text().startswith("5.")
        assert "beendet" in row.locator("td").first.inner_text()
    link = tab.locator("a", has_text="Vergleich als XLSX herunterladen")
    assert "area=5" in link.get_attribute("href") and "change=finished" in link.get_attribute("href")
    with tab.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("vergleich-2024-12-31-2025-12-31-")
    context.close()


def test_an_entry_shows_its_history_and_how_its_light_was_computed(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/projektkatalog/eintrag/5-1-1-01/")
    expect(page.locator(".light-method")).to_contain_text("Berechnet aus")
    history = page.locator(".entry-history tbody tr")
    expect(history).to_have_count(3)
    assert_no_axe_violations(page)
    no_sideways_scrolling(page)
    history.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/berichte/bericht/2025-12-31/$"))
