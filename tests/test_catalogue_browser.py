"""The catalogue in a real browser: keyboard filtering, live update with announcement, back button, axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import VIEWPORTS, assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_filter_by_keyboard_updates_in_place_and_back_button_restores(page):
    page.goto("/projektkatalog/")
    count = page.locator("[data-catalogue-count]")
    before = count.inner_text()
    page.locator("summary", has_text="Status").focus()
    page.keyboard.press("Enter")
    checkbox = page.locator("input[name=status]").first
    checkbox.focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"status="))
    expect(count).not_to_have_text(before)
    expect(page.locator("#catalogue-announce")).to_have_text(count.inner_text())
    assert page.locator(".chip").count() >= 2
    page.go_back()
    expect(page).to_have_url(re.compile(r"/projektkatalog/$"))
    expect(page.locator("[data-catalogue-count]")).to_have_text(before)


def test_form_works_without_javascript(browser, demo_live):
    context = browser.new_context(base_url=demo_live, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/projektkatalog/")
    tab.locator("summary", has_text="Art").click()
    tab.locator("input[name=kind][value=measure]").check()
    tab.locator("button", has_text="Filter anwenden").click()
    expect(tab).to_have_url(re.compile(r"kind=measure"))
    assert tab.locator(".chip").count() >= 2
    context.close()


@pytest.mark.parametrize(
    "path", ["/projektkatalog/", "/projektkatalog/?area=wirtschaft", "/projektkatalog/umsetzungsstand/"]
)
def test_catalogue_pages_have_no_axe_violations(page, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(path)
    assert_no_axe_violations(page)


def test_entry_goal_and_area_pages_have_no_axe_violations(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/projektkatalog/")
    page.locator(".entry-card__title a").first.click()
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)
    page.locator(".goal-path a").first.click()
    expect(page).to_have_url(re.compile(r"/ziel/"))
    assert_no_axe_violations(page)
    page.goto("/zukunftsprofil/handlungsfeld-wirtschaft/")
    assert_no_axe_violations(page)


def test_english_catalogue_has_no_axe_violations(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/en/projektkatalog/")
    assert_no_axe_violations(page)
