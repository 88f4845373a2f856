"""A county's own spreadsheet, as it keeps it in Excel: Windows-1252, semicolons, its own headers and words.

The file (tests/fixtures/imports/landkreis-massnahmen.csv) has a title line above its header,
"Nr.", "Handlungsfeld", goals by title, "Kommunen" by name, key and comma list, "Ampel" as
colours, "Ansprechperson", "Stand" as the date of the row, German dates and sums, blank and
padded rows, a sum row, and two broken rows.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from catalogue.imports import apply_import, guess_mapping, known_status_words, plan_import, read_table
from catalogue.models import Goal, ImportMapping, ImportRun, Municipality, Project
from tests.import_data import COUNTY_CSV, COUNTY_MAPPING, build_county

pytestmark = pytest.mark.django_db

BROKEN = {
    (12, "Beginn", "„31.02.2024“ ist kein gültiges Datum. Erwartet wird z. B. 01.06.2019, 06/2019 oder 2019."),
    (
        12,
        "Kosten (brutto)",
        "„viel“ ist kein Betrag. Erwartet wird z. B. 1.250.000,00 €, 1,5 Mio. € oder 250 T€.",
    ),
    (12, "Ampel", None),
    (13, "Maßnahme", "Der Titel fehlt."),
    (13, "Stand", "„32.13.2024“ ist kein gültiges Datum. Erwartet wird z. B. 01.06.2019, 06/2019 oder 2019."),
}


@pytest.fixture
def county(site):
    return build_county()


@pytest.fixture
def saved_mapping(county):
    """The mapping a coordinator saved for her county's list: the cost column named, the remark left out."""
    table = read_table(io.BytesIO(COUNTY_CSV.read_bytes()), COUNTY_CSV.name)
    mapping = guess_mapping(table, known_status_words())
    for choice in mapping.columns:
        if choice.header == "Kosten (brutto)":
            choice.field = "cost_estimate"
    return ImportMapping.objects.create(name="Kreisliste Lindenau", columns=mapping.to_saved())


def found(plan):
    return {(error.row, error.column, error.message) for error in plan.errors}


def test_headers_and_content_are_recognised_and_the_unclear_ones_explained(county):
    table = read_table(io.BytesIO(COUNTY_CSV.read_bytes()), COUNTY_CSV.name)
    assert table.header_row == 4
    mapping = guess_mapping(table, known_status_words())
    fields = {choice.header: choice.field for choice in mapping.columns}
    assert fields == {
        "Nr.": "code",
        "Handlungsfeld": "area",
        "Strategisches Ziel": "goals",
        "Maßnahme": "title",
        "Kurzbeschreibung": "summary",
        "Federführung": "lead_department",
        "Kommunen": "municipalities",
        "Beginn": "planned_start",
        "Ende": "planned_end",
        "Kosten (brutto)": "",
        "Fördermittel": "funding_amount",
        "Status": "status",
        "Ampel": "traffic_light",
        "Ansprechperson": "contact_name",
        "Stand": "last_report_date",
        "Bemerkung": "",
    }
    reasons = {choice.header: choice for choice in mapping.columns}
    assert "mehrdeutig" in reasons["Stand"].reason and "Datumsangaben" in reasons["Stand"].reason
    assert "Status" in reasons["Stand"].note
    assert "Beträge" in reasons["Kosten (brutto)"].reason
    assert reasons["Nr."].samples == ["1.1.01", "1.2.01", "4.1.01"]


def test_broken_rows_are_named_and_nothing_is_written_while_any_error_remains(county, saved_mapping):
    before = Project.objects.count()
    with pytest.raises(CommandError, match="5 Fehler; nichts wurde geändert"):
        call_command(
            "import_catalogue",
            str(COUNTY_CSV),
            "--mapping",
            "Kreisliste Lindenau",
            "--create-missing",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert Project.objects.count() == before
    assert not Municipality.objects.filter(name="Kirchdorf").exists()
    assert not Goal.objects.filter(title="Sichere Schulwege").exists()

    plan = plan_import(
        io.BytesIO(COUNTY_CSV.read_bytes()),
        COUNTY_CSV.name,
        create_missing=True,
        mapping=guess_mapping(
            read_table(io.BytesIO(COUNTY_CSV.read_bytes()), COUNTY_CSV.name),
            known_status_words(),
            saved_mapping.columns,
            saved_mapping.name,
        ),
    )
    errors = found(plan)
    assert {(row, column) for row, column, _message in errors} == {(row, column) for row, column, _m in BROKEN}
    assert {item for item in BROKEN if item[2]} <= errors
    [light] = [message for row, column, message in errors if column == "Ampel"]
    assert light.startswith("„blau“ ist keine Ampel")
    assert not plan.ok
    with pytest.raises(ValueError):
        apply_import(plan)
    assert Project.objects.count() == before


def test_the_good_rows_import_with_the_saved_mapping_and_create_missing(county, saved_mapping):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_catalogue",
        str(COUNTY_CSV),
        "--mapping",
        "Kreisliste Lindenau",
        "--create-missing",
        "--skip-invalid",
        "--user",
        "admin",
        stdout=out,
        stderr=err,
    )
    assert "5 neu, 0 geändert, 0 unverändert, 2 übersprungen" in out.getvalue()
    log = err.getvalue()
    assert "Übersprungen: Zeile 12 4.1.02" in log and "Übersprungen: Zeile 13 1.1.02" in log
    assert "Die Zeile hat weder Nummer noch Titel und wird übergangen" in log  # the sum row
    assert "Die Kopfzeile ist Zeile 4" in log
    assert sorted(Project.objects.values_list("code", flat=True)) == ["1.1.01", "1.2.01", "4.1.01", "4.2.01", "4.2.02"]

    first = Project.objects.get(code="1.1.01")
    assert first.title == "Gründerzentrum Lindenau"
    assert list(first.goals.all()) == [county["goals"]["1.1"]]
    assert first.lead_department == county["departments"]["wifoe"]
    assert list(first.municipalities.all()) == [county["places"]["Lindenau"]]
    assert (first.planned_start, first.planned_end) == (datetime.date(2022, 3, 1), datetime.date(2025, 12, 31))
    assert (first.cost_estimate, first.funding_amount) == (Decimal("48500.00"), Decimal("20000.00"))
    assert (first.status.slug, first.traffic_light) == ("in-umsetzung", "on_track")
    assert first.contact_name == "Anna Keller" and first.last_report_date == datetime.date(2024, 3, 1)
    assert first.live and first.live_revision_id

    second = Project.objects.get(code="1.2.01")
    assert second.cost_estimate == Decimal("1200000.00")
    assert sorted(second.municipalities.values_list("name", flat=True)) == ["Birkenfeld", "Eichenhain"]
    assert (second.planned_start, second.planned_end) == (datetime.date(2023, 6, 1), datetime.date(2026, 12, 31))
    # "in Bearbeitung" is a configured synonym (settings.CATALOGUE_IMPORT_STATUS_SYNONYMS).
    assert (second.status.slug, second.traffic_light) == ("in-umsetzung", "at_risk")
    assert second.lead_department == county["departments"]["wifoe"]  # by its short name

    bus = Project.objects.get(code="4.1.01")
    assert bus.title == "Bürgerbus Eichenhain" and bus.contact_name == ""
    assert list(bus.municipalities.all()) == [county["places"]["Eichenhain"]]  # by its key (AGS)
    assert (bus.traffic_light, bus.planned_start) == ("off_track", datetime.date(2023, 1, 1))

    cycle = Project.objects.get(code="4.2.01")
    assert sorted(cycle.municipalities.values_list("name", flat=True)) == ["Birkenfeld", "Lindenau"]
    assert cycle.traffic_light == "unknown" and cycle.status.slug == "idee"

    school = Project.objects.get(code="4.2.02")
    [goal] = school.goals.all()
    assert (goal.title, goal.code, goal.area) == ("Sichere Schulwege", "4.3", county["areas"]["4"])
    [village] = school.municipalities.all()
    assert (village.name, village.ags) == ("Kirchdorf", None)
    assert "Das Ziel „Sichere Schulwege“ wird im Handlungsfeld „Infrastruktur & Mobilität“ mit der Nummer 4.3" in log
    assert "Die Gemeinde „Kirchdorf“ wird ohne Gemeindeschlüssel angelegt" in log

    run = ImportRun.objects.get()
    assert (run.created, run.skipped, run.user.username) == (5, 2, "admin")
    assert ModelLogEntry.objects.filter(action="catalogue.import", data__import_run=run.pk).count() == 5


def test_a_json_mapping_file_names_fields_by_key_or_by_german_name(county):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_catalogue",
            str(COUNTY_CSV),
            "--mapping",
            str(COUNTY_MAPPING),
            "--dry-run",
            stdout=io.StringIO(),
            stderr=err,
        )
    log = err.getvalue()
    assert "Spalte „Kosten (brutto)“ → Kosten (Euro) (aus der gespeicherten Zuordnung „Zuordnungsdatei“)" in log
    assert "Spalte „Fördermittel“ → Fördersumme (Euro)" in log
    assert "Spalte „Bemerkung“ → –" in log
    # Without --create-missing the new goal and the new village are errors of their rows.
    assert "Zeile 9, Spalte „Strategisches Ziel“: Das Ziel „Sichere Schulwege“ gibt es nicht." in log
    assert "Zeile 9, Spalte „Kommunen“: Die Gemeinde „Kirchdorf“ gibt es nicht" in log


def test_an_unknown_saved_mapping_is_named(county, saved_mapping):
    with pytest.raises(CommandError, match="gespeichert: Kreisliste Lindenau"):
        call_command("import_catalogue", str(COUNTY_CSV), "--mapping", "Gibt es nicht", stderr=io.StringIO())


def test_without_a_mapping_the_unknown_columns_are_listed_once(county):
    plan = plan_import(io.BytesIO(COUNTY_CSV.read_bytes()), COUNTY_CSV.name, create_missing=True)
    notes = [warning.message for warning in plan.warnings if warning.message.startswith("Diese Spalten")]
    assert notes == ["Diese Spalten werden nicht übernommen: „Kosten (brutto)“, „Bemerkung“."]
