"""The participation in a real browser: follow a filtered view and confirm by the mailed link, submit an idea by
keyboard without JavaScript, register for a dialogue, and axe-core on every new page at 320 and 1280 px.

The live server runs in this process, so the mails it sends land in Django's locmem outbox here.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import VIEWPORTS, assert_no_axe_violations

# Seconds on this 2-core machine on 2026-12-02 (tests/conftest.py hands long files out first).
pytestmark = [pytest.mark.browser, pytest.mark.long_file(seconds=95)]

LINK = re.compile(r"https?://[^\s<>\"]+")


def mailed_link(to: str, fragment: str) -> str:
    for message in reversed(mail.outbox):
        if to in message.to:
            for url in LINK.findall(message.body):
                if fragment in url:
                    return urlsplit(url).path
    raise AssertionError(f"no mail to {to} with a link containing {fragment!r}")


def no_sideways_scrolling(tab):
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"], tab.url


def check(tab):
    assert_no_axe_violations(tab)
    no_sideways_scrolling(tab)


def tab_to(tab, selector, limit=80):
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def test_follow_a_filtered_view_and_confirm_by_the_link_in_the_mail(page):
    page.goto("/projektkatalog/?area=infrastruktur&status=in-umsetzung")
    with page.expect_navigation():
        page.locator("form.follow__form").get_by_role("button", name="Per E-Mail folgen").click()
    expect(page.locator("h1")).to_have_text("Per E-Mail folgen")
    form = page.locator("form.participation-form")
    form.locator("input[type=email]").fill("browser-folgt@example.org")
    form.get_by_label("täglich", exact=True).check()
    form.locator("input[name=consent]").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Per E-Mail folgen").click()
    expect(page.locator("h1")).to_have_text("Bitte sehen Sie in Ihr Postfach")

    page.goto(mailed_link("browser-folgt@example.org", "/folgen/bestaetigen/"))
    expect(page.locator("main")).to_contain_text("Infrastruktur")
    expect(page.locator("main")).to_contain_text("in Umsetzung")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, Abonnement bestätigen").click()
    expect(page.locator("h1")).to_have_text("Sie folgen jetzt per E-Mail")
    expect(page.locator("main")).to_contain_text("täglich")
    expect(page.locator("main")).to_contain_text("Infrastruktur")


def test_submit_an_idea_by_keyboard_without_javascript(browser, demo_live):
    context = browser.new_context(base_url=demo_live, java_script_enabled=False, locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto("/ideen/einreichen/")
    tab.locator("h1").evaluate("heading => heading.setAttribute('tabindex', '-1')")
    tab.locator("h1").focus()
    tab_to(tab, "#id_title")
    tab.keyboard.type("Sitzbänke an der Seenrunde")
    tab_to(tab, "#id_text")
    tab.keyboard.type("Alle zwei Kilometer eine Bank mit Schatten.")
    tab_to(tab, "#id_topic")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    tab_to(tab, "#id_consent_publish")
    tab.keyboard.press("Space")
    tab_to(tab, "button[type=submit]")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    expect(tab.locator("h1")).to_have_text("Danke für Ihre Idee")
    context.close()


def test_idea_form_errors_are_announced_and_reachable_by_keyboard(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/ideen/einreichen/")
    check(page)
    page.locator("#id_email").fill("keine-adresse")
    with page.expect_navigation():
        page.get_by_role("button", name="Idee einreichen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    expect(page.locator("#id_email")).to_have_value("keine-adresse")
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_title"
    check(page)


def test_register_for_a_dialogue_and_confirm(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/zukunftsdialoge/mobilitaet-auf-dem-land/")
    check(page)
    section = page.locator("#anmeldung")
    section.locator("#id_name").fill("Erika Browser")
    email = f"anmeldung-{viewport['width']}@example.org"
    section.locator("#id_email").fill(email)
    section.locator("input[name=consent]").check()
    with page.expect_navigation():
        section.get_by_role("button", name="Verbindlich anmelden").click()
    expect(page.locator("#anmeldung .notice")).to_be_visible()
    check(page)
    page.goto(mailed_link(email, "/anmeldung/bestaetigen/"))
    check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, Anmeldung bestätigen").click()
    expect(page.locator("h1")).to_have_text("Sie sind angemeldet")
    check(page)
    page.goto(mailed_link(email, "/anmeldung/absagen/"))
    check(page)
    # Cancelling by the mailed link also gives the shared demo its place back.
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, absagen").click()
    expect(page.locator("h1")).to_have_text("Abgesagt")
    check(page)


PUBLIC_PAGES = [
    "/zukunftsdialoge/",
    "/zukunftsdialoge/fortschreibung-2026/",
    "/zukunftsdialoge/klimaanpassung/",
    "/zukunftsdialoge/ortskerne-beleben/",
    "/en/zukunftsdialoge/",
    "/en/zukunftsdialoge/fortschreibung-2026/",
    "/ideen/",
    "/ideen/?goal=4.2&state=adopted",
    "/en/ideen/",
    "/ideen/einreichen/danke/?mail=1",
    "/beteiligung/folgen/?query=area%3Dklima",
    "/beteiligung/abonnements/",
    "/beteiligung/folgen/gesendet/?next=/projektkatalog/",
    "/beteiligung/folgen/bestaetigen/kaputt/",
    "/zukunftsprofil/auftrag-und-vorgehen/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_new_pages_have_no_axe_violations(page, viewport, path):
    page.set_viewport_size(viewport)
    response = page.goto(path)
    assert response.status in (200, 400), path
    check(page)


def test_idea_pages_have_no_axe_violations(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/ideen/")
    page.locator(".idea-card__title a").first.click()
    expect(page.locator("h1")).to_have_count(1)
    check(page)
    page.goto("/ideen/?state=adopted")
    page.locator(".idea-card__title a").first.click()
    entry = page.locator(".idea__answer a")
    expect(entry).to_have_count(1)
    entry.click()
    expect(page.locator(".entry-ideas")).to_contain_text("Entstanden aus Bürgeridee")
    check(page)


def test_subscription_pages_have_no_axe_violations(page, viewport):
    page.set_viewport_size(viewport)
    email = f"seiten-{viewport['width']}@example.org"
    page.goto("/beteiligung/folgen/?query=goal%3D5.1")
    page.locator("#id_email").fill("nicht gültig")
    with page.expect_navigation():
        page.get_by_role("button", name="Per E-Mail folgen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)
    page.locator("#id_email").fill(email)
    page.locator("input[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Per E-Mail folgen").click()
    check(page)
    confirm = mailed_link(email, "/folgen/bestaetigen/")
    page.goto(confirm)
    check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, Abonnement bestätigen").click()
    check(page)

    page.goto("/beteiligung/abonnements/")
    page.locator("#id_email").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Link schicken").click()
    page.goto(mailed_link(email, "/beteiligung/abonnements/"))
    expect(page.locator(".subscriptions__item")).to_have_count(1)
    check(page)

    unsubscribe = mailed_link(email, "/beteiligung/abbestellen/")
    page.goto(unsubscribe)
    check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Jetzt abbestellen").click()
    expect(page.locator("h1")).to_have_text("Abbestellt")
    check(page)


def test_english_participation_pages_are_english(page):
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto("/en/beteiligung/folgen/?query=area%3Dklima")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Follow by e-mail")
    check(page)
