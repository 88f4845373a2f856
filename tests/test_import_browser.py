"""A coordinator imports her county's list by keyboard: upload, columns, preview with errors, fix, run, result.

The background tasks run in a worker thread beside the live server (`tests.task_worker`), held
back at first so the progress page can be seen waiting and reloaded. axe-core checks our own
part of every page (Wagtail's admin chrome is not ours to fix).
"""

import json
import threading

import pytest
from django.db import connections

from catalogue.models import ImportRun, Municipality, Project
from demo.builders.roles import DEMO_USERS
from tests.conftest import WCAG_TAGS, _axe_source
from tests.task_worker import WorkerThread, shared_connections

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = next((name, password) for name, password, *_rest in DEMO_USERS if name == "koordination")
CODES = ["1.2.91", "1.2.92", "1.2.93"]
FILE = (
    "Maßnahmenliste Wirtschaftsförderung;;;;;;;;;\r\n"
    "Nr.;Handlungsfeld;Ziel;Maßnahme;Zuständigkeit;Kommunen;Status;Ampel;Stand;Bemerkung\r\n"
    "1.2.91;1;Gründungen und Innovation fördern;Gründerwettbewerb Lindenau;WiFö;Lindenau;in Bearbeitung;grün;"
    "01.03.2024;\r\n"
    "1.2.92;1;Gründungen und Innovation fördern;Coworking im Bahnhof;WiFö;Birkenfeld am See;Pilotphase;Gelb;"
    "15.02.2024;neu\r\n"
    ";;;;;;;;;\r\n"
    "1.2.93;1;Gründungen und Innovation fördern;Innovationslabor Schule;WiFö;Neudorf;in Planung;grau;01.03.2024;\r\n"
).encode("cp1252")


def our_violations(tab):
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.evaluate(_axe_source())
    result = tab.evaluate(
        "([selector, options]) => window.axe.run(selector, options)",
        ["#import-page", {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}],
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


def assert_accessible(tab):
    violations = our_violations(tab)
    assert not violations, json.dumps(violations, indent=2)


def tab_to(tab, selector, limit=120):
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def start_at(tab, selector):
    """Tab from the top of our part of the page."""
    tab.locator(selector).evaluate("node => { node.setAttribute('tabindex', '-1'); node.focus(); }")


def in_own_thread(function):
    """Run `function` where the worker's writes are: the shared connection (SQLite) or one of its own."""
    shared = shared_connections()

    def target():
        for alias, connection in shared.items():
            connections[alias] = connection
        try:
            function()
        finally:
            if not shared:
                connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()


@pytest.fixture
def worker():
    thread = WorkerThread(shared_connections())
    thread.paused.set()
    thread.start()
    yield thread
    thread.stop()
    assert not thread.errors, thread.errors

    def clean_up():
        Project.objects.filter(code__in=CODES).delete()
        Municipality.objects.filter(name="Neudorf").delete()
        ImportRun.objects.filter(file_name="massnahmen-wifoe.csv").delete()

    in_own_thread(clean_up)


def test_coordinator_imports_a_county_list_by_keyboard(page, worker, tmp_path):
    path = tmp_path / "massnahmen-wifoe.csv"
    path.write_bytes(FILE)
    # A listener from the start has Playwright intercept file choosers before the page opens one:
    # `expect_file_chooser` alone turns interception on with a message sent without waiting, which
    # the Space press can overtake on a busy machine (then Chromium opens its own dialog, unseen,
    # and the wait times out: the PostgreSQL run of 2026-12-02 08:10).
    page.on("filechooser", lambda chooser: None)
    page.goto("/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/admin/")

    # 1. Upload.
    page.goto("/admin/catalogue/import/")
    assert_accessible(page)
    start_at(page, "#import-upload-heading")
    tab_to(page, "#id_file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(path))
    tab_to(page, "#import-page form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # 2. The columns, guessed from headers and content.
    assert "/columns/" in page.url
    assert_accessible(page)
    rows = {
        page.locator("table.import-mapping tbody tr").nth(index).locator("th").inner_text(): page.locator(
            "table.import-mapping tbody tr"
        )
        .nth(index)
        .locator("select")
        .input_value()
        for index in range(page.locator("table.import-mapping tbody tr").count())
    }
    assert rows["Nr."] == "code" and rows["Stand"] == "last_report_date" and rows["Ampel"] == "traffic_light"
    assert rows["Handlungsfeld"] == "area" and rows["Bemerkung"] == ""
    start_at(page, "#import-mapping-heading")
    tab_to(page, "#import-mapping-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # 3. The check waits for the worker: the progress survives a reload.
    assert page.locator("#import-progress-bar").is_visible()
    assert "Wartet auf den Hintergrunddienst" in page.locator("#import-progress-text").inner_text()
    assert_accessible(page)
    page.reload()
    assert page.locator("#import-progress-bar").is_visible()
    worker.paused.clear()
    page.wait_for_selector("#import-preview-heading", timeout=30_000)

    # 4. The preview names the errors by row and column; nothing is written yet.
    assert_accessible(page)
    errors = page.locator("table[data-import-errors]").inner_text()
    assert "Pilotphase" in errors and "Neudorf" in errors and "Status" in errors and "Kommunen" in errors
    assert page.locator("button[value=apply]").count() == 0
    assert not Project.objects.filter(code__in=CODES).exists()

    # 5. Fix in the preview: map the unknown status, allow creating the new village; check again.
    start_at(page, "#import-options-heading")
    tab_to(page, "select[name^=word_statuses]")
    page.keyboard.type("in U")
    assert page.locator("select[name^=word_statuses]").input_value() == "in Umsetzung"
    tab_to(page, "#id_create_missing")
    page.keyboard.press("Space")
    tab_to(page, "button[value=check]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#import-preview-heading", timeout=30_000)
    assert page.locator("table[data-import-errors]").count() == 0
    assert "3 neu" in page.locator("[data-import-counts]").inner_text()
    assert "ohne Gemeindeschlüssel" in page.locator("[data-import-warnings]").inner_text()
    assert_accessible(page)

    # 6. Run the import in the background and follow it to the result.
    start_at(page, "#import-options-heading")
    tab_to(page, "button[value=apply]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#import-result-heading", timeout=60_000)
    assert_accessible(page)
    result = page.locator("[data-import-result]").inner_text()
    assert "3 neu, 0 geändert, 0 unverändert." in result
    entry = Project.objects.get(code="1.2.92")
    assert entry.status.name == "in Umsetzung" and entry.traffic_light == "at_risk" and entry.live
    assert Municipality.objects.get(name="Neudorf").ags is None
