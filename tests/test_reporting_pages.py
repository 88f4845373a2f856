"""The public report pages: the list, a report and its area pages, PDF, downloads that re-import, the entry's
history, in German and English; and their query budgets."""

import csv
import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.imports import headers
from catalogue.models import LightSource, Project, StatusReport
from reporting.closing import close_period
from reporting.models import EntrySnapshot, ReportingPeriod
from tests.catalogue_public_data import catalogue_page
from tests.conftest import module_data
from tests.factories import ProjectFactory
from tests.reporting_data import (
    D,
    build_world,
    change_between,
    close_a,
    close_b,
    report,
    report_page,
    translate_page,
)

pytestmark = pytest.mark.django_db

BASE = "/berichte/"
REPORT_A = BASE + "bericht/2024-06-30/"
REPORT_B = BASE + "bericht/2024-12-31/"
BUDGET = 15


def closed_world(site):
    world = build_world()
    Project.objects.filter(pk=world.e2.pk).update(traffic_light_source=LightSource.INDICATORS)
    close_a(world)
    change_between(world)
    close_b(world)
    world.page = report_page(site)
    world.catalogue = catalogue_page()
    return world


# Two closed reports cost about a second and a half to build: once per module.
_module_data, world = module_data(closed_world)


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def figures_of(node):
    return {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in node.select(".report-figures div")}


def test_the_list_names_every_closed_report_and_the_next_reporting_date(client, world):
    ReportingPeriod.objects.create(title="Bericht Sommer 2025", reporting_date=D(2025, 6, 30), deadline=D(2025, 7, 31))
    html = soup(client.get(BASE))
    assert [link.get_text() for link in html.select(".report-list h3 a")] == [
        "Bericht Winter 2024",
        "Bericht Sommer 2024",
    ]
    assert "Nächster Bericht: „Bericht Sommer 2025“ zum Stichtag 30.06.2025" in html.get_text()
    assert html.select_one("form.report-compare-form")["action"] == BASE + "vergleich/"


def test_a_report_shows_its_figures_structure_and_method(client, world):
    html = soup(client.get(REPORT_A))
    assert html.h1.get_text(strip=True) == "Bericht Sommer 2024"
    total = figures_of(html.select_one("#report-overall").parent)
    assert total["Einträge"] == "5"
    assert total["im Berichtszeitraum berichtet"] == "4"
    assert (
        total["Fortschritt, gewichtet"].startswith("25 %")
        and "Summe der Gewichte: 6" in total["Fortschritt, gewichtet"]
    )
    assert total["Ampeln aus Indikatoren berechnet"] == "1"
    tables = [table.caption.get_text(strip=True) for table in html.select("#report-overall ~ .status-chart table")]
    assert "Einträge nach Status" in tables[0]
    status_rows = [row.get_text(" ", strip=True) for row in html.select(".status-chart table")[0].select("tbody tr")]
    assert status_rows == ["Idee 1 20 %", "in Umsetzung 3 60 %", "noch kein Bericht 1 20 %"]
    goals = {
        row.th.get_text(" ", strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in html.select("#goals-wirtschaft-caption ~ tbody tr, .report-goals tbody tr")
    }
    # Goal 1.1 with its sub-goal: 1.1.01 (0), 1.1.02 (10), 1.1.1.01 (40): 17 %, weights 3, all three on track
    # (1.1.1.01 reported "at risk", but its light is computed from "Radwege", which is on its path).
    assert goals["1.1 Mittelstand stärken"] == ["3", "17 %", "3", "3", "0", "0", "0", "1 / 1"]
    assert goals["1.1.1 Nachfolge sichern"] == ["1", "40 %", "1", "1", "0", "0", "0", "1 / 1"]
    method = html.select_one(".report-method").get_text(" ", strip=True)
    assert "im Plan = 2 Punkte, gefährdet = 1 Punkte, kritisch = 0 Punkte" in method
    assert "„Im Plan“ ab 90 % (Toleranz 10 %)" in method
    assert "gewichtet mit dem Gewicht jedes Eintrags" in method
    links = [link["href"] for link in html.select(".report__links a")]
    assert links == [
        REPORT_A + "pdf/",
        REPORT_A + "export/csv/",
        REPORT_A + "export/xlsx/",
        REPORT_A + "export/json/",
        BASE + "vergleich/?from=2024-06-30&to=heute",
    ]
    assert html.select_one(f'a[href="{REPORT_A}handlungsfeld/1/"]') is not None


def test_an_area_page_lists_entries_under_their_goals_as_they_stood(client, world):
    html = soup(client.get(REPORT_A + "handlungsfeld/1/"))
    assert html.h1.get_text(" ", strip=True) == "Bericht Sommer 2024: 1 Wirtschaft"
    sections = {section.h3.get_text(" ", strip=True): section for section in html.select(".report-goal")}
    entries = [
        item.h4.get_text(" ", strip=True) for item in sections["1.1 Mittelstand stärken"].select(".report-entry")
    ]
    assert entries == ["1.1.01 Vorhaben 1.1.01", "1.1.02 Vorhaben 1.1.02"]
    measure = sections["1.1.1 Nachfolge sichern"].select_one(".report-entry")
    facts = {div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True) for div in measure.select("dl div")}
    assert facts["Status"] == "in Umsetzung"
    assert facts["Ampel"] == "im Plan (berechnet)"  # computed from "Radwege", on its path in 2023
    assert facts["Fortschritt"] == "40 %" and facts["Gewicht"] == "1"
    assert measure.select_one("details p").get_text() == "Verzug beim Bau."
    # Live entries link to their pages; 1.1.02 was unpublished since, so it stays plain text.
    assert measure.h4.a["href"] == "/projektkatalog/eintrag/1-1-1-01/11101-vorhaben-11101/"
    dropped = sections["1.1 Mittelstand stärken"].select(".report-entry")[1]
    assert dropped.h4.a is None
    indicators = sections["1.1.1 Nachfolge sichern"].select(".report-indicators tbody tr")
    assert [cell.get_text(" ", strip=True) for cell in indicators[0].find_all(["th", "td"])] == [
        "Radwege (km)",
        "10 (2020)",
        "30 (2030)",
        "16 (31.12.2023)",
        "16",
        "100 %",
        "im Plan",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "bericht/2024-06-31/",
        "bericht/2024-6-30/",
        "bericht/heute/",
        "bericht/2023-06-30/",
        "bericht/2024-06-30/handlungsfeld/9/",
        "bericht/2024-06-30/export/pdf/",
        "bericht/2099-01-01/pdf/",
    ],
)
def test_unknown_reports_areas_and_formats_are_not_found(client, world, path):
    assert client.get(BASE + path).status_code == 404


def test_english_pages_name_reports_in_english_and_mark_german_names(client, world):
    translate_page(world.page)
    html = soup(client.get("/en" + REPORT_A))
    assert html.h1.get_text(strip=True) == "Summer 2024 report"
    assert html.html["lang"] == "en"
    area = html.select_one("#area-wirtschaft span[lang=de]")
    assert area.get_text() == "Wirtschaft"  # the area has no English title: shown in German, marked as such
    html = soup(client.get("/en" + REPORT_A + "handlungsfeld/2/"))
    assert html.select_one(".report-entry h4 span[lang=de]").get_text() == "Vorhaben 2.1.01"


def test_the_report_stays_as_closed_when_the_catalogue_changes_later(client, world):
    before = soup(client.get(REPORT_A + "handlungsfeld/1/")).select_one(".report-goal").get_text(" ", strip=True)
    report(world.e1, D(2025, 3, 1), world.done, "on_track", 100, "Alles erledigt.")
    cache.clear()
    after = soup(client.get(REPORT_A + "handlungsfeld/1/")).select_one(".report-goal").get_text(" ", strip=True)
    assert after == before


def pdf_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_the_pdf_is_tagged_for_pdf_ua_and_holds_the_whole_report(client, world):
    response = client.get(REPORT_A + "pdf/")
    assert 'filename="fortschrittsbericht-2024-06-30.pdf"' in response["Content-Disposition"]
    pdf = pdf_of(response)
    catalog = pdf.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"
    assert pdf.metadata.title.startswith("Bericht Sommer 2024")
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Bericht Sommer 2024",
        "Gesamtbild",
        "So wird gerechnet",
        "1.1.1.01",
        "Verzug beim Bau.",
        "Radwege",
    ):
        assert expected in text


def test_csv_export_is_the_catalogue_format_plus_the_period(client, world):
    response = client.get(REPORT_A + "export/csv/")
    assert response.status_code == 200
    assert 'filename="fortschrittsbericht-2024-06-30.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == headers("de") + ["Berichtszeitraum", "Stichtag des Berichts"]
    by_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_code) == ["1.1.01", "1.1.02", "1.1.1.01", "2.1.01", "2.1.02"]
    # The state as of the report, though 1.1.01 has reported since.
    assert by_code["1.1.01"]["Status"] == "Idee"
    assert by_code["1.1.01"]["Fortschritt (%)"] == "0"
    assert by_code["1.1.01"]["Letzter Bericht"] == "01.03.2024"
    assert by_code["1.1.01"]["Berichtstext"] == "Idee steht."
    assert by_code["1.1.1.01"]["Ampel"] == "im Plan"
    assert by_code["2.1.02"]["Status"] == ""
    assert by_code["1.1.01"]["Berichtszeitraum"] == "Bericht Sommer 2024"
    assert by_code["1.1.01"]["Stichtag des Berichts"] == "30.06.2024"


def test_xlsx_and_json_exports_carry_typed_values_and_the_licence(client, world):
    workbook = load_workbook(io.BytesIO(client.get(REPORT_B + "export/xlsx/").content), read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    row = dict(zip(header, next(row for row in rows if row[0] == "1.1.1.01"), strict=True))
    assert row["Status"] == "abgeschlossen" and row["Fortschritt (%)"] == 100
    assert row["Letzter Bericht"] == datetime.datetime(2024, 10, 1)
    assert row["Stichtag des Berichts"] == datetime.datetime(2024, 12, 31)
    assert "Datenlizenz Deutschland" in workbook.properties.keywords

    response = client.get(REPORT_B + "export/json/")
    data = json.loads(b"".join(response.streaming_content))
    assert data["reporting_date"] == "2024-12-31" and data["as_of"] == "2025-01-31"
    assert data["license"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert data["columns"][-1] == {"key": "report_date", "header": "Stichtag des Berichts"}
    entry = next(item for item in data["entries"] if item["code"] == "2.1.03")
    assert (entry["status"], entry["progress"], entry["report_title"]) == ("Idee", 5, "Bericht Winter 2024")


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_exported_report_imports_again_as_data(client, world, tmp_path, extension):
    response = client.get(REPORT_A + f"export/{extension}/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / f"bericht.{extension}"
    path.write_bytes(content)
    # Start from an empty catalogue: the report's rows become the entries again.
    for entry in Project.objects.order_by("-code"):
        StatusReport.objects.filter(project=entry).delete()
        entry.delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", str(path), stdout=out, stderr=err)
    assert "5 neu" in out.getvalue()
    assert "Berichtszeitraum" in err.getvalue()  # the period's columns are passed over, with a note
    imported = {entry.code: entry for entry in Project.objects.filter(live=True).select_related("status")}
    assert sorted(imported) == ["1.1.01", "1.1.02", "1.1.1.01", "2.1.01", "2.1.02"]
    for snapshot in EntrySnapshot.objects.filter(report=world.report_a):
        entry = imported[snapshot.code]
        assert entry.title == snapshot.title
        assert (entry.status.slug if entry.status else "") == snapshot.status
        assert entry.progress == snapshot.progress
        assert entry.last_report_date == snapshot.report_date
        assert entry.weight == snapshot.weight
        assert [goal.code for goal in entry.goals.all()] == snapshot.goal_codes
    assert imported["2.1.01"].traffic_light == "on_track"


def test_the_entry_page_shows_the_entry_in_every_report(client, world):
    path = "/projektkatalog/eintrag/1-1-1-01/11101-vorhaben-11101/"
    html = soup(client.get(path))
    history = html.select_one(".entry-history")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in history.select("tbody tr")
    ]
    assert rows == [
        ["Bericht Winter 2024 ( 31.12.2024 )", "abgeschlossen", "im Plan (berechnet)", "100 %"],
        ["Bericht Sommer 2024 ( 30.06.2024 )", "in Umsetzung", "im Plan (berechnet)", "40 %"],
    ]
    assert history.select("tbody a")[0]["href"] == REPORT_B


def test_an_entry_taken_in_after_the_reports_has_no_history_section(client, world):
    html = client.get("/projektkatalog/eintrag/2-1-03/2103-vorhaben-2103/").content
    assert b"entry-history" in html  # it is in report B
    fresh = ProjectFactory(code="2.1.99", goals=[world.goal_21])
    response = client.get(f"/projektkatalog/eintrag/2-1-99/{fresh.slug}/")
    assert response.status_code == 200
    assert b"entry-history" not in response.content


# Query budgets ---------------------------------------------------------------------------


def grow(world, count, start):
    """`count` more live entries, each with a report, spread over both areas."""
    goals = [world.goal_11, world.goal_111, world.goal_21]
    for index in range(count):
        created = ProjectFactory(
            code=f"9.{start + index:04d}", goals=[goals[index % 3]], lead_department=world.dep_a, weight=1 + index % 3
        )
        StatusReport.objects.create(
            project=created, date=D(2025, 3, 1), status=world.running, traffic_light="at_risk", progress=index % 100
        )


def queries(client, url):
    cache.clear()
    client.get(BASE)  # the page shell (menus, settings, locales) warm; the report itself not
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_report_and_comparison_pages_stay_within_budget_at_any_size(client, world):
    small = {
        "overview": queries(client, REPORT_B),
        "area": queries(client, REPORT_B + "handlungsfeld/2/"),
        "comparison": queries(client, BASE + "vergleich/?from=2024-06-30&to=2024-12-31"),
        "today": queries(client, BASE + "vergleich/?from=2024-12-31&to=heute"),
    }
    grow(world, 90, 0)
    period_c = ReportingPeriod.objects.create(title="C", reporting_date=D(2025, 6, 30), deadline=D(2025, 7, 31))
    period_d = ReportingPeriod.objects.create(title="D", reporting_date=D(2025, 12, 31), deadline=D(2026, 1, 31))
    close_period(period_c.pk)
    grow(world, 30, 90)
    report_d = close_period(period_d.pk)
    assert report_d.entry_count == 125
    large = {
        "overview": queries(client, BASE + "bericht/2025-12-31/"),
        "area": queries(client, BASE + "bericht/2025-12-31/handlungsfeld/2/"),
        "comparison": queries(client, BASE + "vergleich/?from=2025-06-30&to=2025-12-31"),
        "today": queries(client, BASE + "vergleich/?from=2025-12-31&to=heute"),
    }
    assert large == small
    assert max(small.values()) <= BUDGET, small


@pytest.mark.parametrize("count", [5, 60])
def test_entry_page_with_its_history_keeps_the_entry_budget(client, world, count, django_assert_max_num_queries):
    grow(world, count, 100)
    path = "/projektkatalog/eintrag/1-1-1-01/11101-vorhaben-11101/"
    client.get(path)
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert b"entry-history" in response.content
