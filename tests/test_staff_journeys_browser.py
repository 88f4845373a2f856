"""The four staff journeys of issue 11 in Chromium, on a demo server of their own (they change data).

1. Communications: a chapter with the demo's block kinds, preview, submit, both approval steps
   by the users docs/roles.md names, English translation published, both languages live.
2. Department: a quick report with an indicator value from the dashboard, a validation error
   that loses nothing, the coordination sees the value and approves, the public entry shows it.
3. Coordination: overdue entries by department without closed ones; a report sent back with a
   comment; the department sees the comment and resubmits.
4. Reviewer: opens an entry read-only and changes nothing.

axe runs on every screen: our own templates must have no violation; Wagtail's admin screens
are recorded (test-results/axe-admin.json) and fail only on violations in our markup.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from demo.builders.roles import DEMO_USERS
from tests.journeys import (
    JourneyServer,
    assert_admin_screen_accessible,
    assert_public_page_accessible,
    log_in,
    new_tab,
)

# Seconds on this 2-core machine on 2026-12-02 (tests/conftest.py hands long files out first).
pytestmark = [pytest.mark.browser, pytest.mark.long_file(seconds=180)]

PASSWORDS = {name: password for name, password, *_rest in DEMO_USERS}


@pytest.fixture(scope="module")
def server(tmp_path_factory, _demo_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        journey_server = JourneyServer(tmp_path_factory.mktemp("journeys"), _demo_snapshot).start()
    try:
        yield journey_server
    finally:
        journey_server.stop()


def as_user(browser, server, username, viewport="desktop"):
    return log_in(browser, server, username, PASSWORDS[username], viewport)


def entry_facts(server, code):
    """Id, public address and indicator of a German demo entry, as the server knows them."""
    return json.loads(
        server.shell(
            "import json\n"
            "from catalogue.models import CatalogueIndexPage, Project\n"
            "from catalogue.public.query import entry_url\n"
            f"entry = Project.objects.get(code={code!r}, locale__language_code='de')\n"
            "page = CatalogueIndexPage.objects.get(locale__language_code='de')\n"
            "indicator = entry.indicators.order_by('title', 'pk').first()\n"
            "print(json.dumps({'pk': entry.pk, 'url': entry_url(page.url, entry),"
            " 'indicator': indicator.title if indicator else None}))"
        )
    )


def add_block(tab, kind):
    tab.get_by_role("button", name="Einen Block einfügen").last.click()
    tab.get_by_role("option", name=kind, exact=True).click()


def choose_first(tab, button):
    tab.get_by_role("button", name=button).last.click()
    modal = tab.locator(".modal")
    expect(modal).to_be_visible()
    choice = modal.locator("a[data-chooser-modal-choice], .listing a, table a").first
    expect(choice).to_be_visible(timeout=15_000)
    choice.click()
    # The choice is confirmed by a request of its own: on a busy machine that takes a moment.
    expect(modal).to_be_hidden(timeout=15_000)


def type_rich_text(tab, text):
    tab.locator(".Draftail-Editor .public-DraftEditor-content").last.click()
    tab.keyboard.type(text)


def fill_chapter_with_every_block_kind(tab):
    """One block of each kind the demo's chapters use, filled as an editor would."""
    add_block(tab, "Überschrift")
    tab.fill("[name='body-0-value-text']", "Unsere Schwerpunkte")
    add_block(tab, "Text")
    type_rich_text(tab, "Der Landkreis setzt auf Zusammenarbeit mit den Gemeinden.")
    add_block(tab, "Bild")
    choose_first(tab, "Bild auswählen")
    tab.fill("[name='body-2-value-alt_text']", "Luftbild des Kreishauses")
    add_block(tab, "Zitat")
    tab.fill("[name='body-3-value-text']", "Gemeinsam gestalten wir die Zukunft.")
    tab.fill("[name='body-3-value-attribution']", "Die Landrätin")
    add_block(tab, "Kennzahlen")
    tab.fill("[name='body-4-value-figures-0-value-value']", "12")
    tab.fill("[name='body-4-value-figures-0-value-label']", "Gemeinden")
    add_block(tab, "Projektverlauf")
    tab.fill("[name='body-5-value-milestones-0-value-date_label']", "2025")
    tab.fill("[name='body-5-value-milestones-0-value-title']", "Beschluss des Kreistags")
    add_block(tab, "SWOT-Analyse")
    for part, text in (("strengths", "Lage"), ("weaknesses", "Demografie"), ("opportunities", "Tourismus")):
        tab.fill(f"[name='body-6-value-{part}-0-value']", text)
    tab.fill("[name='body-6-value-risks-0-value']", "Fachkräftemangel")
    add_block(tab, "Downloads")
    choose_first(tab, "Dokument auswählen")
    add_block(tab, "Aufklappbereiche")
    tab.fill("[name='body-8-value-items-0-value-title']", "Wie oft wird berichtet?")
    type_rich_text(tab, "Alle sechs Monate.")
    add_block(tab, "Tabelle")
    tab.locator("[name='handsontable-col-caption']").last.fill("Kennzahlen im Überblick")
    tab.locator("[name='table-header-choice']").last.select_option(value="row")
    tab.locator(".handsontable td").first.dblclick()
    tab.keyboard.type("Wert")
    tab.keyboard.press("Enter")
    add_block(tab, "Handlungsaufruf")
    tab.fill("[name='body-10-value-title']", "Mitmachen")
    tab.fill("[name='body-10-value-link_url']", "https://example.org/beteiligung/")
    tab.fill("[name='body-10-value-link_text']", "Zur Beteiligung")
    add_block(tab, "Kontakt")
    tab.fill("[name='body-11-value-name']", "Kim Koordinatorin")
    tab.fill("[name='body-11-value-email']", "kreisentwicklung@example.org")
    add_block(tab, "Ziele eines Handlungsfelds")
    choose_first(tab, "Handlungsfeld auswählen")
    add_block(tab, "Projektliste")


def approve_on_edit_view(tab):
    tab.get_by_role("button", name="Mehr Aktionen").click()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Freigeben und Veröffentlichen").click()


@pytest.mark.parametrize(("viewport", "code"), [("desktop", "5.1.1.02"), ("mobile", "5.1.1.03")])
def test_department_reports_a_value_and_it_reaches_the_public_entry(browser, server, viewport, code):
    entry = entry_facts(server, code)
    department = as_user(browser, server, "fb-umwelt", viewport)
    assert_admin_screen_accessible(department, f"dashboard fb-umwelt {viewport}")
    own_entries = department.locator("section[aria-labelledby='catalogue-own-entries-heading']")
    own_entries.get_by_role("link", name=f"Bericht melden zu {code}").click()
    expect(department.locator("#quick-report-form")).to_be_visible()
    assert_admin_screen_accessible(department, f"quick report {viewport}")

    department.select_option("#id_status", label="in Umsetzung")
    department.get_by_label("gefährdet").check()
    department.fill("#id_progress", "150")
    text = "Zwei neue Anlagen am Netz; die dritte folgt im Herbst."
    department.fill("#id_text", text)
    value_field = department.get_by_label(re.compile(re.escape(entry["indicator"])))
    value_field.fill("12,5")
    department.get_by_role("button", name="Zur Freigabe einreichen").click()

    # The error names the field; nothing typed is lost.
    errors = department.locator("#quick-report-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Fortschritt")
    expect(department.locator("#id_text")).to_have_value(text)
    expect(value_field).to_have_value("12,5")
    expect(department.get_by_label("gefährdet")).to_be_checked()
    assert_admin_screen_accessible(department, f"quick report with errors {viewport}")
    department.fill("#id_progress", "40")
    department.get_by_role("button", name="Zur Freigabe einreichen").click()
    expect(department.locator(".messages")).to_contain_text("zur Freigabe eingereicht")

    coordinator = as_user(browser, server, "koordination", viewport)
    waiting = coordinator.locator(".catalogue-pending li", has_text=code)
    expect(waiting).to_contain_text(f"{entry['indicator']}: 12,5")
    assert_admin_screen_accessible(coordinator, f"dashboard koordination {viewport}")
    waiting.get_by_role("link").first.click()
    pending = coordinator.locator("[data-pending-report]")
    expect(pending).to_contain_text(f"{entry['indicator']}: 12,5")
    expect(pending).to_contain_text(text)
    assert_admin_screen_accessible(coordinator, f"entry editor with pending report {viewport}")
    approve_on_edit_view(coordinator)
    expect(coordinator.locator(".messages")).to_be_visible()

    public = new_tab(browser, server, viewport)
    public.goto(entry["url"])
    expect(public.locator("main")).to_contain_text("in Umsetzung")
    expect(public.locator("main")).to_contain_text("12,5")
    assert_public_page_accessible(public)
    for tab in (department, coordinator, public):
        tab.context.close()


def test_coordinator_sees_overdue_sends_a_report_back_and_gets_it_again(browser, server):
    closed = set(
        json.loads(
            server.shell(
                "import json\nfrom catalogue.models import Project\n"
                "print(json.dumps(list(Project.objects.filter(locale__language_code='de', status__is_closed=True)"
                ".values_list('code', flat=True))))"
            )
        )
    )
    assert closed
    department = as_user(browser, server, "fb-mobilitaet")
    department.locator("section[aria-labelledby='catalogue-own-entries-heading']").get_by_role(
        "link", name="Bericht melden zu 4.2.03"
    ).click()
    department.fill("#id_text", "Die Planung der Mobilitätsstationen ruht bis zur Förderzusage.")
    department.get_by_role("button", name="Zur Freigabe einreichen").click()
    expect(department.locator(".messages")).to_contain_text("zur Freigabe eingereicht")

    coordinator = as_user(browser, server, "koordination")
    # Counts per department (each a link to the filtered listing) and the longest outstanding entries.
    expect(coordinator.locator(".catalogue-overdue-departments li").first).to_be_visible()
    listed = {text.split(" ", 1)[0] for text in coordinator.locator(".catalogue-overdue li").all_inner_texts()}
    assert listed and not listed & closed
    assert_admin_screen_accessible(coordinator, "dashboard overdue by department")
    coordinator.goto("/admin/snippets/catalogue/project/?overdue=true")
    cells = {cell.strip() for cell in coordinator.locator("table tbody td").all_inner_texts()}
    assert cells and not cells & closed
    assert_admin_screen_accessible(coordinator, "listing overdue")

    coordinator.goto("/admin/")
    coordinator.locator(".catalogue-pending li", has_text="4.2.03").get_by_role("link").first.click()
    coordinator.get_by_role("button", name="Mehr Aktionen").click()
    coordinator.get_by_role("button", name="Änderungen anfordern").click()
    modal = coordinator.locator(".modal")
    comment = "Bitte nennen Sie, bis wann die Förderzusage erwartet wird."
    modal.locator("textarea[name=comment]").fill(comment)
    with coordinator.expect_navigation():
        modal.get_by_role("button", name="Änderungen anfordern").click()

    department.goto("/admin/")
    sent_back = department.locator("[data-sent-back]")
    expect(sent_back).to_contain_text(comment)
    assert_admin_screen_accessible(department, "dashboard with a report sent back")
    sent_back.get_by_role("link").first.click()
    expect(department.locator("[data-sent-back]")).to_contain_text(comment)
    expect(department.locator("#id_text")).to_have_value(
        "Die Planung der Mobilitätsstationen ruht bis zur Förderzusage."
    )
    assert_admin_screen_accessible(department, "quick report revising a report")
    department.fill("#id_text", "Die Förderzusage wird für März erwartet; bis dahin ruht die Planung.")
    department.get_by_role("button", name="Zur Freigabe einreichen").click()
    expect(department.locator(".messages")).to_contain_text("zur Freigabe eingereicht")

    coordinator.goto("/admin/")
    expect(coordinator.locator(".catalogue-pending li", has_text="4.2.03")).to_be_visible()
    for tab in (department, coordinator):
        tab.context.close()


def _history_counts(server):
    return server.shell(
        "from wagtail.models import ModelLogEntry, PageLogEntry, Revision\n"
        "print(Revision.objects.count(), ModelLogEntry.objects.count(), PageLogEntry.objects.count())"
    )


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_reviewer_opens_entries_read_only_and_changes_nothing(browser, server, viewport):
    before = _history_counts(server)
    reviewer = as_user(browser, server, "lesen", viewport)
    reviewer.goto("/admin/snippets/catalogue/project/")
    assert_admin_screen_accessible(reviewer, f"listing lesen {viewport}")
    reviewer.locator("table tbody tr a[href*='/inspect/']").first.click()
    entry = reviewer.locator("[data-inspect-entry]")
    for section in ("Aktueller Stand", "Angaben", "Ziele", "Berichte", "Indikatoren", "Fassungen"):
        expect(entry.get_by_role("heading", name=section)).to_be_visible()
    assert entry.locator("form, button, input, textarea, select").count() == 0
    expect(reviewer.get_by_role("link", name="Bearbeiten")).to_have_count(0)
    assert_admin_screen_accessible(reviewer, f"read-only entry {viewport}")
    overflow = reviewer.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    reviewer.context.close()
    assert _history_counts(server) == before


def test_communications_publishes_a_chapter_in_both_languages(browser, server):
    title = "Gemeinsam handeln im Landkreis"
    strategy_id = server.shell(
        "from home.models import StrategyPage\nprint(StrategyPage.objects.get(locale__language_code='de').pk)"
    )
    author = as_user(browser, server, "koordination")

    # An abandoned new chapter leaves nothing behind (autosave is off, decision 0003).
    author.goto(f"/admin/pages/add/home/chapterpage/{strategy_id}/")
    author.fill("#id_title", "Angefangen und verworfen")
    author.fill("#id_number", "8")
    author.wait_for_timeout(2000)
    author.on("dialog", lambda dialog: dialog.accept())
    author.goto("/admin/")
    assert (
        server.shell(
            "from wagtail.models import Page\nprint(Page.objects.filter(title__startswith='Angefangen').count())"
        )
        == "0"
    )

    author.goto(f"/admin/pages/add/home/chapterpage/{strategy_id}/")
    author.fill("#id_title", title)
    author.fill("#id_number", "9")
    author.fill("#id_intro", "Wie Kreisverwaltung, Gemeinden und Partner das Zukunftsprofil umsetzen.")
    fill_chapter_with_every_block_kind(author)
    assert_admin_screen_accessible(author, "chapter editor, new chapter")
    with author.expect_navigation():
        author.get_by_role("button", name="Entwurf speichern").click()
    expect(author.locator(".messages")).to_contain_text("erstellt")
    chapter_edit = author.url

    author.get_by_role("button", name="Vorschau umschalten").click()
    preview = author.frame_locator("iframe.w-preview__iframe").first
    expect(preview.locator("main")).to_contain_text("Unsere Schwerpunkte")
    expect(preview.locator("main")).to_contain_text("Gemeinsam gestalten wir die Zukunft.")
    # The coordination may not publish: its only way out is the workflow.
    author.get_by_role("button", name="Mehr Aktionen").click()
    expect(author.get_by_role("button", name="Veröffentlichen")).to_have_count(0)
    with author.expect_navigation():
        author.get_by_role("button", name="In Freigabe Zukunftsprofil einreichen").click()
    expect(author.locator(".messages")).to_contain_text("zur Moderation eingereicht")

    for username, screen in (("pruefung", "step 1"), ("pressestelle", "step 2")):
        reviewer = as_user(browser, server, username)
        expect(reviewer.locator("main")).to_contain_text(title)
        reviewer.goto(chapter_edit)
        assert_admin_screen_accessible(reviewer, f"chapter editor, approval {screen}")
        reviewer.get_by_role("button", name="Mehr Aktionen").click()
        with reviewer.expect_navigation():
            reviewer.get_by_role("button", name=re.compile("^Freigeben")).first.click()
        expect(reviewer.locator(".messages")).to_contain_text(title)
        reviewer.context.close()

    public = new_tab(browser, server)
    slug = server.shell(f"from wagtail.models import Page\nprint(Page.objects.get(title={title!r}).slug)")
    response = public.goto(f"/zukunftsprofil/{slug}/")
    assert response.status == 200
    expect(public.locator("h1")).to_contain_text(title)
    for text in ("Unsere Schwerpunkte", "Gemeinsam gestalten wir die Zukunft.", "Kennzahlen im Überblick", "Mitmachen"):
        expect(public.locator("main")).to_contain_text(text)
    assert_public_page_accessible(public)

    chapter_id = chapter_edit.rstrip("/").split("/")[-2]
    author.goto(f"/admin/localize/submit/page/{chapter_id}/")
    author.get_by_label("English").check()
    with author.expect_navigation():
        author.get_by_role("button", name="Absenden").click()
    english_edit = author.url
    author.get_by_role("button", name="Übersetzen").first.click()
    author.locator("textarea").first.fill("Acting together in the district")
    author.get_by_role("button", name="Speichern").first.click()
    expect(author.locator("main")).to_contain_text("Acting together in the district")
    assert_admin_screen_accessible(author, "translation editor")
    # The translation waits as a draft until the press office publishes it.
    assert public.goto(f"/en/zukunftsprofil/{slug}/").status == 404

    press = as_user(browser, server, "pressestelle")
    press.goto(english_edit)
    with press.expect_navigation():
        press.get_by_role("button", name="Veröffentlichen in English").click()
    expect(press.locator(".messages")).to_contain_text("Acting together in the district")

    response = public.goto(f"/en/zukunftsprofil/{slug}/")
    assert response.status == 200
    expect(public.locator("h1")).to_contain_text("Acting together in the district")
    assert_public_page_accessible(public)
    response = public.goto(f"/zukunftsprofil/{slug}/")
    expect(public.locator("h1")).to_contain_text(title)
    for tab in (author, press, public):
        tab.context.close()
