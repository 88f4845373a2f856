"""Open data in a real browser: the embed framed by an allowed and a foreign website, axe, the API docs."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_axe_violations

pytestmark = pytest.mark.browser

# The demo allows this origin (demo/data/opendata.yaml); the other one is not on the list.
ALLOWED = "http://localhost:8001"
FOREIGN = "http://localhost:8002"


@pytest.fixture(scope="module")
def framing_browser(browser):
    """Chromium that lets a page served by the test (it has no address) frame the local live server.

    Chromium blocks a page it takes for a public one from loading anything on the local network;
    the municipality's page here is fulfilled by Playwright, so that check is switched off.
    """
    arguments = [
        *CHROMIUM_ARGS,
        "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults",
    ]
    # Launched through the session's Playwright: a second sync_playwright() may not run beside it.
    instance = browser.browser_type.launch(executable_path=CHROMIUM, args=arguments, headless=True)
    yield instance
    instance.close()


def municipality_page(tab, origin, demo_live):
    """Serve a municipality's page from `origin` that frames the county's embed."""
    html = (
        '<!DOCTYPE html><html lang="de"><head><title>Gemeinde</title></head><body><main><h1>Gemeinde Rosenthal</h1>'
        f'<iframe src="{demo_live}/einbetten/gemeinde/rosenthal/" title="Vorhaben des Landkreises in Rosenthal" '
        'width="100%" height="500"></iframe></main></body></html>'
    )
    tab.route(f"{origin}/gemeinde.html", lambda route: route.fulfill(body=html, content_type="text/html"))
    tab.goto(f"{origin}/gemeinde.html")


def test_embed_appears_on_an_allowed_website_only(framing_browser, demo_live):
    context = framing_browser.new_context()
    tab = context.new_page()
    requests = []
    tab.on("request", lambda request: requests.append(request.url))
    municipality_page(tab, ALLOWED, demo_live)
    frame = tab.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text("Vorhaben des Landkreises in Rosenthal")
    expect(frame.locator(".embed__entry").first).to_be_visible()
    # Nothing but the page itself and the county's own site was asked for.
    assert all(url.startswith((ALLOWED, demo_live)) for url in requests), requests

    foreign = context.new_page()
    municipality_page(foreign, FOREIGN, demo_live)
    foreign.wait_for_timeout(1000)
    embedded = foreign.frames[1]
    assert not embedded.locator("h1", has_text="Vorhaben des Landkreises").count()
    context.close()


def test_embed_is_accessible_and_fits_a_narrow_frame(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/einbetten/gemeinde/rosenthal/?county_wide=1")
    expect(page.locator("h1")).to_have_text("Vorhaben des Landkreises in Rosenthal")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_axe_violations(page)


def test_snippet_and_sdg_section_are_accessible(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/projektkatalog/?municipality=rosenthal")
    page.locator("summary", has_text="Auf Ihrer Website einbinden").click()
    code = page.locator("#embed-code")
    expect(code).to_be_visible()
    assert "/einbetten/?municipality=rosenthal" in code.input_value()
    # The code field stays inside its section, whatever the width.
    box, section = code.bounding_box(), page.locator(".catalogue__data").bounding_box()
    assert section["x"] <= box["x"] and box["x"] + box["width"] <= section["x"] + section["width"] + 1
    assert_no_axe_violations(page)
    page.goto("/projektkatalog/?sdg=7")
    page.locator(".entry-card__title a").first.click()
    icon = page.locator(".sdg-list__icon").first
    expect(icon).to_have_attribute("alt", re.compile(r"^Nachhaltigkeitsziel 7: "))
    # Loaded or failed (a broken image is complete too, with no width): then its width says which.
    # Wait until the icon has loaded or failed. page.evaluate runs through the DevTools protocol,
    # which the page's CSP (no 'unsafe-eval') does not block; wait_for_function would be blocked.
    page.evaluate(
        """() => new Promise((resolve) => {
            const img = document.querySelector('.sdg-list__icon');
            if (img.complete) { resolve(); return; }
            img.addEventListener('load', resolve, {once: true});
            img.addEventListener('error', resolve, {once: true});
        })"""
    )
    assert page.evaluate("document.querySelector('.sdg-list__icon').naturalWidth") > 0
    assert_no_axe_violations(page)


def test_api_docs_load_under_the_content_security_policy(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/api/v3/docs/")
    expect(page.locator(".opblock-summary-path", has_text="/api/v3/catalogue/entries/").first).to_be_visible()
    assert not [error for error in errors if "Content Security Policy" in error], errors
