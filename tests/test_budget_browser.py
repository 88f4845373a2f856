"""The goal page's „Im Haushalt“ and the yearly report in a real browser: axe, narrow screens, chart with its table."""

import pytest
from playwright.sync_api import expect

from demo.builders.budget import budget_years
from tests.conftest import VIEWPORTS, assert_no_axe_violations

pytestmark = pytest.mark.browser

GOAL = "/projektkatalog/ziel/4-2/"


def test_goal_page_budget_section_has_chart_with_data_table_and_no_axe_violations(page, viewport):
    page.set_viewport_size(viewport)
    page.goto(GOAL)
    section = page.locator("section.budget")
    expect(section.locator("h2")).to_have_text("Im Haushalt")
    chart = section.locator("figure.budget-chart svg[role=img]")
    expect(chart).to_be_visible()
    # The chart's caption names it; its numbers are in the table inside the same figure.
    assert chart.get_attribute("aria-labelledby") == "budget-chart-caption budget-chart-note"
    table = section.locator("figure.budget-chart table")
    years = [str(year) for year in budget_years()]
    expect(table.locator("tbody th")).to_have_text(years)
    bars = chart.locator("rect title").all_text_contents()
    for row in table.locator("tbody tr").all():
        year, planned, actual = (cell.strip() for cell in row.locator("th, td").all_text_contents())
        assert f"Plan {year}: {planned}" in bars
        assert actual == "–" or f"Ist {year}: {actual}" in bars
    assert_no_axe_violations(page)
    # Wide tables scroll inside their own focusable region; nothing else of the section sticks out.
    assert sticking_out(page) == []
    region = section.locator(".table-scroll").nth(1)
    region.focus()
    expect(region).to_be_focused()


def sticking_out(page):
    """Elements of the budget section (outside the scrolling table regions) reaching past the viewport."""
    return page.evaluate(
        """() => { const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('section.budget *')]
            .filter(el => !el.closest('.table-scroll') && el.getBoundingClientRect().right > width + 1)
            .map(el => el.tagName + '.' + el.className); }"""
    )


def test_area_chapter_budget_section_fits_and_has_no_axe_violations(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/zukunftsprofil/handlungsfeld-wirtschaft/")
    expect(page.locator("section.budget h2")).to_have_text("Im Haushalt")
    assert sticking_out(page) == []
    assert_no_axe_violations(page)


def test_yearly_report_has_no_axe_violations_and_fits_a_phone(page, viewport):
    page.set_viewport_size(viewport)
    year = budget_years()[1]
    page.goto(f"/haushalt/{year}/5/")
    expect(page.locator("h1")).to_contain_text(f"Ziele und Kennzahlen {year}")
    expect(page.locator("section.budget-report__product").first).to_be_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.goto("/haushalt/")
    assert_no_axe_violations(page)
    # The overview's hidden link texts sit in a scrolling table: they must not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_budget_facet_filters_without_javascript(browser, demo_live):
    context = browser.new_context(base_url=demo_live, java_script_enabled=False, viewport=VIEWPORTS["mobile"])
    tab = context.new_page()
    tab.goto("/projektkatalog/")
    # On a phone the filters wait behind the "Filter" disclosure, results first.
    if tab.locator("details.filter-disclosure").get_attribute("open") is None:
        tab.locator(".filter-disclosure__summary").click()
    tab.locator("summary", has_text="Haushaltsprodukt").click()
    tab.locator("input[name=product][value='5.4']").check()
    tab.locator("button", has_text="Filter anwenden").click()
    expect(tab.locator(".chip", has_text="Haushaltsprodukt: 5.4 Verkehrsflächen und -anlagen")).to_be_visible()
    assert tab.locator(".entry-card").count() >= 2
    context.close()
