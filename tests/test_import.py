"""Catalogue import and the shared spreadsheet format: file variants, round trip, dry run, errors, revisions."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry, Revision

from catalogue.imports import (
    COLUMNS,
    apply_import,
    headers,
    parse_date,
    parse_money,
    plan_import,
    project_rows,
    write_csv,
    write_xlsx,
)
from catalogue.models import Department, Goal, ImportRun, Municipality, Project, StatusReport, Theme
from tests.factories.catalogue import (
    AreaFactory,
    DepartmentFactory,
    GoalFactory,
    MunicipalityFactory,
    ProjectFactory,
    StatusFactory,
    publish_with_reports,
)

pytestmark = pytest.mark.django_db


def seed(entries, number=1):
    call_command("seed_catalogue", entries=entries, seed=number, stdout=io.StringIO(), stderr=io.StringIO())


def wipe():
    while Project.objects.exists():
        Project.objects.filter(children__isnull=True).delete()


def german_rows():
    return list(project_rows(Project.objects.filter(locale__language_code="de")))


def csv_bytes(rows):
    text = io.StringIO()
    write_csv(rows, text)
    return text.getvalue().encode("utf-8")


def xlsx_bytes(rows):
    data = io.BytesIO()
    write_xlsx(rows, data)
    return data.getvalue()


def run_import(data, name, **options):
    plan = plan_import(io.BytesIO(data), name, **options)
    assert plan.ok, [str(error) for error in plan.errors]
    return plan, apply_import(plan)


@pytest.fixture
def taxonomy(db):
    area = AreaFactory(code="2", slug="wirtschaft")
    return {
        "goal": GoalFactory(area=area, code="2.1", title="Gründungen fördern"),
        "goal2": GoalFactory(area=area, code="2.2", title="Fachkräfte gewinnen"),
        "lead": DepartmentFactory(name="Amt für Wirtschaftsförderung", short_name="WiFö"),
        "partner": DepartmentFactory(name="Straßenverkehrsamt", short_name="SVA"),
        "place": MunicipalityFactory(name="Weißenbach", ags="09123456", slug="weissenbach"),
        "status": StatusFactory(name="in Umsetzung", slug="in-umsetzung"),
        "theme": Theme.objects.create(title="Digitalisierung", slug="digitalisierung", locale=area.locale),
    }


def with_parent():
    """Give the seeded entries a small tree, so parent codes and roll-up take part in the round trip."""
    entries = list(Project.objects.order_by("code")[:4])
    entries[1].parent = entries[0]
    entries[2].parent = entries[0]
    entries[3].parent = entries[1]
    Project.objects.bulk_update(entries[1:], ["parent"])
    entries[3].update_rollup()


def test_export_rows_cost_a_constant_number_of_queries():
    seed(30)
    with CaptureQueriesContext(connection) as small:
        rows = list(project_rows(Project.objects.all()))
    assert len(rows) == 30 and all(len(row) == len(COLUMNS) for row in rows)
    seed(60, 2)
    total = Project.objects.count()
    with CaptureQueriesContext(connection) as large:
        assert len(list(project_rows(Project.objects.all()))) == total > 30
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_round_trip_into_an_empty_catalogue_gives_the_same_rows(site, kind):
    seed(60)
    with_parent()
    before = german_rows()
    data = csv_bytes(before) if kind == "csv" else xlsx_bytes(before)
    wipe()
    plan, run = run_import(data, f"katalog.{kind}")
    assert plan.counts == {"create": 60, "change": 0, "unchanged": 0, "skipped": 0}
    assert german_rows() == before
    assert (run.created, run.state) == (60, ImportRun.State.APPLIED)
    entry = Project.objects.filter(parent__isnull=False).first()
    assert entry.live and entry.live_revision is not None
    assert (
        ModelLogEntry.objects.filter(action="catalogue.import", object_id=str(entry.pk)).get().data["import_run"]
        == run.pk
    )

    again = plan_import(io.BytesIO(data), f"katalog.{kind}")
    assert again.counts == {"create": 0, "change": 0, "unchanged": 60, "skipped": 0}


def test_unchanged_export_changes_nothing(site):
    seed(20)
    rows = german_rows()
    revisions = {entry.pk: entry.revisions.count() for entry in Project.objects.all()}
    reports = StatusReport.objects.count()
    plan, run = run_import(csv_bytes(rows), "katalog.csv")
    assert plan.counts["unchanged"] == 20 and run.changed == 0
    assert {entry.pk: entry.revisions.count() for entry in Project.objects.all()} == revisions
    assert StatusReport.objects.count() == reports


def test_update_in_place_makes_a_revision_that_names_the_import(site, taxonomy):
    entry = ProjectFactory(code="2.1.01", title="Alt", lead_department=taxonomy["lead"], goals=[taxonomy["goal"]])
    entry.save_revision().publish()
    revisions = entry.revisions.count()
    rows = german_rows()
    title = [column.key for column in COLUMNS].index("title")
    rows[0][title] = "Gründerzentrum Weißenbach"
    plan = plan_import(io.BytesIO(csv_bytes(rows)), "aenderung.csv")
    [row] = plan.rows
    assert row.action == "change"
    assert [(change.label, change.old, change.new) for change in row.changes] == [
        ("Titel", "Alt", "Gründerzentrum Weißenbach")
    ]
    run = apply_import(plan)
    entry.refresh_from_db()
    assert entry.title == "Gründerzentrum Weißenbach" and entry.pk == row.project.pk
    assert entry.revisions.count() == revisions + 1
    log = ModelLogEntry.objects.get(action="catalogue.import", object_id=str(entry.pk))
    assert log.data["import_run"] == run.pk and log.data["file_name"] == "aenderung.csv"
    assert log.revision_id == entry.latest_revision_id == entry.live_revision_id


def test_report_columns_create_the_newest_report_and_the_entry_follows(site, taxonomy):
    status = taxonomy["status"]
    entry = ProjectFactory(code="2.1.01", lead_department=taxonomy["lead"], goals=[taxonomy["goal"]])
    publish_with_reports(entry, (datetime.date(2024, 1, 1), status, "on_track", 20))
    data = (
        "Nummer;Status;Ampel;Fortschritt (%);Letzter Bericht;Berichtstext\r\n"
        "2.1.01;in Umsetzung;gefährdet;45 %;30.06.2025;Bauantrag gestellt.\r\n"
    ).encode()
    run_import(data, "bericht.csv")
    entry.refresh_from_db()
    assert entry.reports.count() == 2
    assert (entry.traffic_light, entry.progress, entry.last_report_date) == ("at_risk", 45, datetime.date(2025, 6, 30))
    assert entry.latest_report().text == "Bauantrag gestellt."
    plan = plan_import(io.BytesIO(data), "bericht.csv")
    assert plan.counts["unchanged"] == 1


def test_csv_cp1252_semicolon_german_values_and_aliases(site, taxonomy):
    text = (
        "Projektnummer ; TITEL;Ziel;Federführend;Gemeinde;Beginn;Ende;Kosten;Fördersumme;"
        "Daueraufgabe;  Querschnittsthemen\r\n"
        "\r\n"
        "2.1.07 ;Gründerzentrum Weißenbach  ;Gründungen fördern;WiFö;Weißenbach;06/2019;2021;"
        "1.250.000,00 €;250 T€;x;Digitalisierung\r\n"
        "2.1.08;Straßenausbau;2.1, 2.2;Amt für Wirtschaftsförderung;kreisweit;01.06.2019;;1,5 Mio. €;;;\r\n"
        ";;;;;;;;;;\r\n"
    )
    plan, _run = run_import(text.encode("cp1252"), "ämter.csv")
    assert plan.counts["create"] == 2
    first = Project.objects.get(code="2.1.07")
    assert first.title == "Gründerzentrum Weißenbach"
    assert first.planned_start == datetime.date(2019, 6, 1) and first.planned_end == datetime.date(2021, 12, 31)
    assert first.cost_estimate == Decimal("1250000.00") and first.funding_amount == Decimal("250000.00")
    assert first.continuous and list(first.municipalities.all()) == [taxonomy["place"]]
    assert list(first.themes.all()) == [taxonomy["theme"]]
    second = Project.objects.get(code="2.1.08")
    assert second.county_wide and second.cost_estimate == Decimal("1500000.00")
    assert sorted(second.goals.values_list("code", flat=True)) == ["2.1", "2.2"]


def test_csv_utf8_bom_comma_english_headers_any_order(site, taxonomy):
    text = "\ufeffLead department,Goals,Title,Code,Planned start\r\nSVA,2.2,Pendlerportal,2.2.01,2020\r\n"
    run_import(text.encode("utf-8"), "english.csv")
    entry = Project.objects.get(code="2.2.01")
    assert entry.lead_department == taxonomy["partner"] and entry.planned_start == datetime.date(2020, 1, 1)


def test_xlsx_with_date_cells_and_formulas_that_are_never_run(site, taxonomy):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nummer", "Titel", "Ziele", "Federführung", "Beginn geplant", "Kosten (Euro)", "Kurzbeschreibung"])
    sheet.append(["2.1.09", "Glasfaser", "2.1", "WiFö", datetime.datetime(2019, 6, 1), 1000, "Ausbau"])
    sheet.append([None] * 7)
    sheet.append(["2.1.10", "Breitband", "2.1", "WiFö", "01.02.2020", "=A1*1000", '=HYPERLINK("http://x","y")'])
    data = io.BytesIO()
    workbook.save(data)
    # openpyxl saves no result for a formula: its cell is named as such, never run and never read as empty.
    plan = plan_import(io.BytesIO(data.getvalue()), "formeln.xlsx")
    assert {(error.row, error.column) for error in plan.errors} == {(4, "Kosten (Euro)"), (4, "Kurzbeschreibung")}
    assert all("ohne gespeichertes Ergebnis" in error.message for error in plan.errors)
    plan = plan_import(io.BytesIO(data.getvalue()), "formeln.xlsx", skip_invalid=True)
    apply_import(plan)
    first = Project.objects.get(code="2.1.09")
    assert first.planned_start == datetime.date(2019, 6, 1) and first.cost_estimate == Decimal("1000.00")
    assert not Project.objects.filter(code="2.1.10").exists()


def test_csv_formula_text_stays_text_with_a_warning_and_exports_are_escaped(site, taxonomy):
    data = "Nummer;Titel;Ziele;Federführung;Kurzbeschreibung\r\n2.1.11;Test;2.1;WiFö;=SUMME(A1:A3)\r\n".encode()
    plan, _run = run_import(data, "formel.csv")
    assert any("=" in warning.message for warning in plan.warnings)
    entry = Project.objects.get(code="2.1.11")
    assert entry.summary == "=SUMME(A1:A3)"
    exported = csv_bytes(german_rows()).decode("utf-8-sig")
    assert ";'=SUMME(A1:A3);" in exported
    workbook = load_workbook(io.BytesIO(xlsx_bytes(german_rows())))
    summary = workbook.active.cell(row=2, column=headers().index("Kurzbeschreibung") + 1)
    assert summary.value == "=SUMME(A1:A3)" and summary.data_type == "s"


def test_xlsm_and_oversized_files_are_refused(site):
    plan = plan_import(io.BytesIO(b"PK\x03\x04"), "makro.xlsm")
    assert not plan.ok and ".xlsm" in plan.errors[0].message
    rows = "Nummer;Titel\r\n" + "".join(f"{n};x\r\n" for n in range(20_001))
    plan = plan_import(io.BytesIO(rows.encode()), "gross.csv")
    assert not plan.ok and "20000" in plan.errors[0].message


def test_error_file_changes_nothing_and_reports_every_row(site, taxonomy):
    ProjectFactory(code="2.1.01", lead_department=taxonomy["lead"], goals=[taxonomy["goal"]])
    before = german_rows()
    data = (
        "Nummer;Titel;Ziele;Federführung;Gemeinden;Beginn geplant;Fortschritt (%)\r\n"
        "2.1.20;Gut;2.1;WiFö;;01.01.2020;10\r\n"
        "2.1.21;Unbekanntes Amt;2.1;Amt für Zaubertränke;;;\r\n"
        "2.1.22;Falsches Datum;2.1;WiFö;;31.02.2020;\r\n"
        "2.1.23;Zu viel;9.9.9;WiFö;Nirgendwo;;150\r\n"
    ).encode()
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(_write(data, "fehler.csv")), stdout=io.StringIO(), stderr=io.StringIO())
    plan = plan_import(io.BytesIO(data), "fehler.csv")
    found = {(error.row, error.column) for error in plan.errors}
    assert found == {(3, "Federführung"), (4, "Beginn geplant"), (5, "Ziele"), (5, "Gemeinden"), (5, "Fortschritt (%)")}
    assert "Amt für Zaubertränke" in str(plan.errors[0])
    assert german_rows() == before and not Project.objects.filter(code__startswith="2.1.2").exists()
    with pytest.raises(ValueError):
        apply_import(plan)


def _write(data, name, tmp=[]):  # noqa: B006 - one temporary directory for the module
    import tempfile
    from pathlib import Path

    if not tmp:
        tmp.append(Path(tempfile.mkdtemp()))
    path = tmp[0] / name
    path.write_bytes(data)
    return path


def test_command_dry_run_writes_nothing_and_create_missing_creates_terms(site, taxonomy):
    data = (
        "Nummer;Titel;Ziele;Federführung;Gemeinden;Querschnittsthemen\r\n"
        "2.1.30;Neu;2.1.5;Amt für Klimaschutz;Neudorf (09999999);Kreislaufwirtschaft\r\n"
    ).encode()
    path = _write(data, "neu.csv")
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", str(path), "--dry-run", "--create-missing", stdout=out, stderr=err)
    assert "Probelauf: 1 neu" in out.getvalue() and "[" in err.getvalue()
    assert (
        not Project.objects.filter(code="2.1.30").exists()
        and not Department.objects.filter(name="Amt für Klimaschutz").exists()
    )
    call_command("import_catalogue", str(path), "--create-missing", "--user", "admin", stdout=out, stderr=err)
    entry = Project.objects.get(code="2.1.30")
    assert entry.lead_department.name == "Amt für Klimaschutz"
    assert list(entry.goals.values_list("code", flat=True)) == ["2.1.5"]
    assert Goal.objects.get(code="2.1.5").parent == taxonomy["goal"]
    assert Municipality.objects.get(ags="09999999").name == "Neudorf"
    assert entry.themes.get().title == "Kreislaufwirtschaft"
    assert ImportRun.objects.get().user.username == "admin"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01.06.2019", datetime.date(2019, 6, 1)),
        ("1.6.19", datetime.date(2019, 6, 1)),
        ("06/2019", datetime.date(2019, 6, 1)),
        ("2019", datetime.date(2019, 1, 1)),
        (2019, datetime.date(2019, 1, 1)),
        (datetime.datetime(2019, 6, 1, 0, 0), datetime.date(2019, 6, 1)),
    ],
)
def test_german_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250.000,00 €", Decimal("1250000.00")),
        ("1,5 Mio. €", Decimal("1500000.00")),
        ("250 T€", Decimal("250000.00")),
        ("12.500", Decimal("12500.00")),
        ("99,95", Decimal("99.95")),
        (1250.5, Decimal("1250.50")),
    ],
)
def test_german_amounts(text, expected):
    assert parse_money(text) == expected


def test_a_failure_half_way_through_writing_leaves_nothing_written(site, monkeypatch):
    """Entries, reports and revisions are written before the log entries: a failure there undoes them all."""
    seed(12)
    rows = german_rows()
    title = [column.key for column in COLUMNS].index("title")
    for row in rows:
        row[title] = f"{row[title]} (neu)"
    before = {
        "titles": sorted(Project.objects.values_list("title", flat=True)),
        "revisions": Revision.objects.count(),
        "reports": StatusReport.objects.count(),
        "logs": ModelLogEntry.objects.count(),
    }
    plan = plan_import(io.BytesIO(csv_bytes(rows)), "halb.csv")
    assert plan.ok and plan.counts["change"] == 12
    written = []

    def fail_after_the_revisions(self, objects, *args, **kwargs):
        written.append(Revision.objects.count() - before["revisions"])
        raise RuntimeError("Festplatte voll")

    monkeypatch.setattr(type(ModelLogEntry.objects), "bulk_create", fail_after_the_revisions)
    with pytest.raises(RuntimeError):
        apply_import(plan)
    assert written and written[0] > 0, "the failure comes after revisions were written"
    after = {
        "titles": sorted(Project.objects.values_list("title", flat=True)),
        "revisions": Revision.objects.count(),
        "reports": StatusReport.objects.count(),
        "logs": ModelLogEntry.objects.count(),
    }
    assert after == before
