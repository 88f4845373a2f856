"""A department editor files a quick status report with the keyboard only."""

import json

import pytest

from demo.builders.roles import DEMO_USERS
from tests.conftest import WCAG_TAGS, _axe_source

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = next((name, password) for name, password, *_rest in DEMO_USERS if name == "fb-umwelt")


def form_axe_violations(tab, selector):
    """axe-core on our form only: Wagtail's own admin chrome is not ours to fix."""
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.evaluate(_axe_source())
    result = tab.evaluate(
        "([selector, options]) => window.axe.run(selector, options)",
        [selector, {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}],
    )
    return result["violations"]


def tab_to(tab, selector, limit=60):
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def log_in(page):
    page.goto("/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/admin/")


def test_department_editor_submits_a_quick_report_by_keyboard(page):
    log_in(page)
    panel = page.locator("section[aria-labelledby='catalogue-own-entries-heading']")
    links = [link.get_attribute("href") for link in panel.get_by_role("link", name="Bericht melden").all()]
    assert links
    for href in reversed(links):
        page.goto(href)
        if "wartet bereits" not in page.content():
            break
    else:
        pytest.fail("every entry of the department waits for approval already")

    violations = form_axe_violations(page, "#quick-report-form")
    assert not violations, json.dumps([{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in violations])

    page.locator("#quick-report-heading").evaluate("heading => heading.setAttribute('tabindex', '-1')")
    page.locator("#quick-report-heading").focus()
    tab_to(page, "#id_progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("150")
    tab_to(page, "#id_text")
    page.keyboard.type("Förderbescheid liegt vor; Baubeginn im Herbst.")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("#quick-report-errors").is_visible()
    assert page.locator("#id_text").input_value() == "Förderbescheid liegt vor; Baubeginn im Herbst."
    assert not form_axe_violations(page, "#quick-report-form")

    page.locator("#quick-report-errors").focus()
    tab_to(page, "#id_progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("40")
    assert page.locator("#id_progress").input_value() == "40"
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator("#quick-report-errors")
    assert not errors.count(), errors.inner_text()
    assert "zur Freigabe eingereicht" in page.content()
