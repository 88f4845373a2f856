"""Import from the budget system's export: German numbers and headers, row errors, dry run, idempotence, admin view."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from budget.imports import apply_budget_import, guess_mapping, plan_budget_import
from budget.models import BudgetFigure, BudgetImport, BudgetProduct, KeyFigure, KeyFigureValue, SubBudget
from budget.roles import setup_budget_roles
from catalogue.management.commands.setup_roles import setup_roles
from tests.budget_data import build_budget
from tests.factories.catalogue import DepartmentFactory, german

pytestmark = pytest.mark.django_db

HEADER = (
    "Produkt;Bezeichnung;Teilhaushalt;Verantwortlich;Haushaltsjahr;Aufwand Plan;Aufwand Ist;Ertrag Plan;Ertrag Ist;"
    "Investitionen Plan;Investitionen Ist;Kennzahl;Einheit;Richtung;Kennzahl Plan;Kennzahl Ist"
)
# As a budget system writes it: expense with a minus sign (or a trailing one), German numbers, Windows encoding.
ROWS = [
    "1;Zentrale Verwaltung;TH 1 Zentrale Dienste;;;;;;;;;;;;;",
    "1.1;Innere Verwaltung;TH 1 Zentrale Dienste;;;;;;;;;;;;;",
    "1.1.1.01;Wirtschaftsförderung;TH 1 Zentrale Dienste;WiFö;2024;-1.250.000,00;-1.198.765,43;80.000,00;82.500,10;"
    "250.000,00;;Beratene Betriebe;Anzahl;höher ist besser;140;128",
    "1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2025;-1.300.000,00;;85.000,00;;0;;Beratene Betriebe;;;150;",
    "1.1.1.02;Digitale Dienste;TH 1;FB 3;2025;412.000,00-;;;;1,5 Mio. €;;Online-Dienste;Anzahl;steigend;40;",
    "5.4.1.01;Kreisstraßen;TH 5 Mobilität und Straßen;Bau;2025;6.800.000;;1.900.000;;5.200.000;;"
    "Wartezeit;Tage;niedriger ist besser;12,5;",
]


def csv_file(rows=ROWS, header=HEADER, encoding="cp1252"):
    return io.BytesIO("\r\n".join([header, *rows]).encode(encoding))


def xlsx_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture(autouse=True)
def german_messages():
    """The planner speaks the active language; a request to an English page earlier may have left English on."""
    with translation.override("de"):
        yield


@pytest.fixture
def departments(site):
    german()
    return [DepartmentFactory(short_name=name) for name in ("WiFö", "FB 3", "Bau")]


def imported(file=None, name="haushalt.csv"):
    plan = plan_budget_import(file or csv_file(), name)
    assert plan.ok, [str(error) for error in plan.errors]
    return plan, apply_budget_import(plan)


def test_export_of_the_budget_system_becomes_products_figures_and_key_figures(departments):
    plan, run = imported()
    assert dict(plan.counts_by_kind()) == {
        "Teilhaushalte": {"create": 2, "change": 0, "unchanged": 0},
        "Produkte": {"create": 5, "change": 0, "unchanged": 0},
        "Haushaltszahlen": {"create": 4, "change": 0, "unchanged": 0},
        "Kennzahlen": {"create": 3, "change": 0, "unchanged": 0},
        "Kennzahlwerte": {"create": 4, "change": 0, "unchanged": 0},
    }
    assert run.state == BudgetImport.State.APPLIED and run.created == 18
    product = BudgetProduct.objects.get(key="1.1.1.01")
    assert (product.name, product.parent.key, product.depth, product.department.short_name) == (
        "Wirtschaftsförderung",
        "1.1",
        3,
        "WiFö",
    )
    assert (product.sub_budget.code, product.sub_budget.name) == ("1", "Zentrale Dienste")
    # A key with no node above it in the file or the database hangs under the nearest one: none here.
    assert BudgetProduct.objects.get(key="5.4.1.01").parent is None
    figure = BudgetFigure.objects.get(product=product, year=2024)
    assert (figure.expense_planned, figure.expense_actual, figure.income_actual, figure.investment_planned) == (
        Decimal("1250000.00"),
        Decimal("1198765.43"),
        Decimal("82500.10"),
        Decimal("250000.00"),
    )
    digital = BudgetFigure.objects.get(product__key="1.1.1.02", year=2025)
    assert (digital.expense_planned, digital.investment_planned) == (Decimal("412000.00"), Decimal("1500000.00"))
    key_figure = KeyFigure.objects.get(product=product)
    assert (key_figure.name, key_figure.unit, key_figure.direction) == ("Beratene Betriebe", "Anzahl", "higher")
    assert [(value.year, value.planned, value.actual) for value in key_figure.values.order_by("year")] == [
        (2024, Decimal("140"), Decimal("128")),
        (2025, Decimal("150"), None),
    ]
    assert KeyFigure.objects.get(name="Wartezeit").direction == "lower"
    assert KeyFigureValue.objects.get(key_figure__name="Wartezeit").planned == Decimal("12.5")
    assert SubBudget.objects.get(code="5").name == "Mobilität und Straßen"


def test_importing_the_same_file_again_changes_nothing(departments):
    imported()
    before = list(BudgetFigure.objects.order_by("pk").values())
    plan, run = imported()
    assert plan.counts == {"create": 0, "change": 0, "unchanged": 18}
    assert list(BudgetFigure.objects.order_by("pk").values()) == before
    assert BudgetProduct.objects.count() == 5 and KeyFigureValue.objects.count() == 4


def test_round_trip_through_xlsx_with_number_cells(departments):
    """What the database holds, written back as a workbook with real number cells, reads as unchanged."""
    imported()
    rows = [HEADER.split(";")]
    for figure in BudgetFigure.objects.select_related("product").order_by("product__key", "year"):
        rows.append(
            [
                figure.product.key,
                figure.product.name,
                figure.product.sub_budget.code,
                figure.product.department.short_name,
                figure.year,
                -float(figure.expense_planned),
                None if figure.expense_actual is None else float(figure.expense_actual),
                None if figure.income_planned is None else float(figure.income_planned),
                None if figure.income_actual is None else float(figure.income_actual),
                None if figure.investment_planned is None else float(figure.investment_planned),
                None,
                None,
                None,
                None,
                None,
                None,
            ]
        )
    plan = plan_budget_import(xlsx_file(rows), "ruecklauf.xlsx")
    assert plan.ok, [str(error) for error in plan.errors]
    assert plan.counts["create"] == 0 and plan.counts["change"] == 0


def test_a_changed_amount_is_shown_and_only_it_is_written(departments):
    imported()
    changed = [row.replace("-1.300.000,00", "-1.350.000,00") for row in ROWS]
    plan = plan_budget_import(csv_file(changed), "haushalt.csv")
    changes = [
        (item.label, change.label, change.old, change.new) for item in plan.items.values() for change in item.changes
    ]
    assert changes == [("1.1.1.01 · 2025", "Aufwand Plan", "1300000", "1350000")]
    apply_budget_import(plan)
    assert BudgetFigure.objects.get(product__key="1.1.1.01", year=2025).expense_planned == Decimal("1350000.00")
    assert BudgetFigure.objects.get(product__key="1.1.1.01", year=2024).expense_actual == Decimal("1198765.43")


def test_an_empty_cell_leaves_the_stored_value(departments):
    imported()
    later = ["1.1.1.01;;;;2024;;;;;;;;;;;"]
    plan, _run = imported(csv_file(later))
    assert plan.counts == {"create": 0, "change": 0, "unchanged": 1}
    assert BudgetFigure.objects.get(product__key="1.1.1.01", year=2024).expense_planned == Decimal("1250000.00")
    assert BudgetProduct.objects.get(key="1.1.1.01").name == "Wirtschaftsförderung"


@pytest.mark.parametrize(
    ("rows", "row", "column", "message"),
    [
        (["1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2024;zwölf;;;;;;;;;;"], 2, "Aufwand Plan", "ist kein Betrag"),
        (["1.1.1.01;Wirtschaftsförderung;TH 1;Kämmerei;2024;;;;;;;;;;;"], 2, "Verantwortlich", "Kämmerei"),
        (["9.9.9.99;;TH 1;WiFö;2024;100;;;;;;;;;;"], 2, "Bezeichnung", "fehlt die Bezeichnung"),
        (["1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;;100;;;;;;;;;;"], 2, "Haushaltsjahr", "Haushaltsjahr gebraucht"),
        (["1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;20x5;100;;;;;;;;;;"], 2, "Haushaltsjahr", "kein Haushaltsjahr"),
        (["1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2024;;;;;;;;;;140;"], 2, "Kennzahl", "Name der Kennzahl"),
        (["1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2024;;;;;;;Neu;;;1;"], 2, "Einheit", "fehlt die Einheit"),
        (["1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2024;;;;;;;Neu;Anzahl;seitwärts;1;"], 2, "Richtung", "seitwärts"),
        (["1.1.1.01;Wirtschaftsförderung;TH 9;WiFö;2024;;;;;;;;;;;"], 2, "Teilhaushalt", "mit Namen angeben"),
        # Problems name the column as the file does: „Produkt“, not the field's label „Produktnummer“.
        (["1,1,1;Wirtschaftsförderung;TH 1;WiFö;2024;;;;;;;;;;;"], 2, "Produkt", "keine Produktnummer"),
        (
            [
                "1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2024;100;;;;;;;;;;",
                "1.1.1.01;Wirtschaftsförderung;TH 1;WiFö;2024;200;;;;;;;;;;",
            ],
            3,
            "Aufwand Plan",
            "widerspricht Zeile 2",
        ),
    ],
)
def test_row_errors_name_row_and_column_and_nothing_is_written(departments, rows, row, column, message):
    imported()
    before = (BudgetProduct.objects.count(), list(BudgetFigure.objects.order_by("pk").values()))
    plan = plan_budget_import(csv_file(rows), "haushalt.csv")
    assert not plan.ok
    problem = plan.errors[0]
    assert (problem.row, problem.column) == (row, column) and message in problem.message, str(problem)
    with pytest.raises(ValueError):
        apply_budget_import(plan)
    assert (BudgetProduct.objects.count(), list(BudgetFigure.objects.order_by("pk").values())) == before


def test_file_level_errors(departments):
    plan = plan_budget_import(csv_file(header="Bezeichnung;Jahr;Aufwand Plan"), "haushalt.csv")
    assert "Spalte „Produktnummer“ fehlt" in plan.errors[0].message
    plan = plan_budget_import(csv_file(header=HEADER.replace("Ertrag Plan", "Aufwand Plan")), "haushalt.csv")
    assert "meinen dasselbe" in plan.errors[0].message
    plan = plan_budget_import(io.BytesIO(b"PK\x03\x04 kaputt"), "haushalt.xlsm")
    assert ".xlsm" in plan.errors[0].message


def test_a_mapping_chosen_by_hand_reads_headers_the_guess_does_not_know(departments):
    header = "PRD;Txt;Jahr;Soll Aufw.;Sonstiges"
    rows = ["1.1.1.01;Wirtschaftsförderung;2024;-5.000,00;egal"]
    assert guess_mapping(header.split(";")) == {"Jahr": "year"}
    file = io.BytesIO("\n".join([header, *rows]).encode("utf-8"))
    mapping = {"PRD": "product_key", "Txt": "product_name", "Jahr": "year", "Soll Aufw.": "expense_planned"}
    plan = plan_budget_import(file, "export.csv", mapping=mapping)
    assert plan.ok and plan.counts["create"] == 2
    assert [warning.column for warning in plan.warnings] == ["Sonstiges"]
    apply_budget_import(plan)
    assert BudgetFigure.objects.get(product__key="1.1.1.01", year=2024).expense_planned == Decimal("5000.00")
    assert guess_mapping(HEADER.split(";"))["Aufwand Plan"] == "expense_planned"
    assert guess_mapping(["Produktnummer", "Produktbezeichnung", "HHJ", "Ansatz Aufwand", "Ist Aufwand"]) == {
        "Produktnummer": "product_key",
        "Produktbezeichnung": "product_name",
        "HHJ": "year",
        "Ansatz Aufwand": "expense_planned",
        "Ist Aufwand": "expense_actual",
    }


def test_command_dry_run_reports_and_writes_nothing(departments, tmp_path):
    path = tmp_path / "haushalt.csv"
    path.write_bytes(csv_file().getvalue())
    out = io.StringIO()
    call_command("import_budget", str(path), "--dry-run", stdout=out)
    assert "Probelauf: 18 neu, 0 geändert, 0 unverändert; nichts wurde geändert." in out.getvalue()
    assert not BudgetProduct.objects.exists() and not BudgetImport.objects.exists()
    call_command("import_budget", str(path), stdout=out)
    assert BudgetProduct.objects.count() == 5
    out = io.StringIO()
    call_command("import_budget", str(path), stdout=out)
    assert "0 neu, 0 geändert, 18 unverändert" in out.getvalue()


def test_command_refuses_a_file_with_errors(departments, tmp_path):
    path = tmp_path / "haushalt.csv"
    path.write_bytes(csv_file([*ROWS, "1.1.1.01;;;;2024;viel;;;;;;;;;;"]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 Fehler; nichts wurde geändert"):
        call_command("import_budget", str(path), stderr=err)
    assert "Zeile 8, Spalte „Aufwand Plan“" in err.getvalue()
    assert not BudgetProduct.objects.exists()


def _coordinator():
    coordinator_group = setup_roles().coordinator
    setup_budget_roles()
    user = get_user_model().objects.create_user("kasse", "kasse@example.org", "x")
    user.groups.add(coordinator_group)
    return user


def test_admin_upload_preview_and_confirm(client, departments):
    client.force_login(_coordinator())
    url = reverse("budget_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("haushalt.csv", csv_file().getvalue(), content_type="text/csv")
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "18 neu, 0 geändert, 0 unverändert." in html
    # The mapping step shows the guess: the file's „Aufwand Plan“ (sixth column) fills the planned expense.
    assert re.search(r'<select name="column-5"[^>]*>.*?<option value="expense_planned" selected>', html, re.S)
    assert not BudgetProduct.objects.exists()
    run = BudgetImport.objects.get()
    response = client.post(reverse("budget_import_confirm", args=[run.pk]))
    assert response.status_code == 200 and "wurde übernommen" in response.content.decode()
    run.refresh_from_db()
    assert run.state == BudgetImport.State.APPLIED and not run.file
    assert BudgetProduct.objects.count() == 5
    # A confirmation cannot be sent twice.
    assert client.post(reverse("budget_import_confirm", args=[run.pk])).status_code == 404


def test_admin_shows_row_errors_and_offers_no_confirmation(client, departments):
    client.force_login(_coordinator())
    upload = SimpleUploadedFile("haushalt.csv", csv_file(["1.1.1.01;;;;2024;viel;;;;;;;;;;"]).getvalue())
    html = client.post(reverse("budget_import"), {"file": upload}).content.decode()
    assert "Die Datei enthält 2 Fehler" in html
    assert "ist kein Betrag" in html and "fehlt die Bezeichnung" in html and "Import bestätigen" not in html
    assert BudgetImport.objects.get().state == BudgetImport.State.FAILED


EXPORT_HEADER = "PRD;Txt;Jahr;Soll Aufw.;Sonstiges"
EXPORT_ROWS = ["1.1.1.01;Wirtschaftsförderung;2024;-5.000,00;egal"]
BY_HAND = {"column-0": "product_key", "column-1": "product_name", "column-2": "year", "column-3": "expense_planned"}


def _upload_export(client):
    upload = SimpleUploadedFile("export.csv", "\n".join([EXPORT_HEADER, *EXPORT_ROWS]).encode("utf-8"))
    return client.post(reverse("budget_import"), {"file": upload}).content.decode()


def test_admin_mapping_step_maps_headers_the_guess_does_not_know(client, departments):
    client.force_login(_coordinator())
    html = _upload_export(client)
    # Only „Jahr“ is recognised: the product column is missing, and the coordinator is asked to map.
    assert "Die Spalte „Produktnummer“ fehlt" in html and "Import bestätigen" not in html
    assert re.search(r'<select name="column-2"[^>]*>.*?<option value="year" selected>', html, re.S)
    assert '<label for="id_column-0">PRD</label>' in html
    run = BudgetImport.objects.get()
    assert run.state == BudgetImport.State.FAILED and run.file
    response = client.post(reverse("budget_import_remap", args=[run.pk]), {**BY_HAND, "column-4": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "2 neu, 0 geändert, 0 unverändert." in html
    assert "Import bestätigen" in html and not BudgetProduct.objects.exists()
    # The confirmation carries the mapping that was previewed.
    assert '<input type="hidden" name="column-3" value="expense_planned">' in html
    assert '<input type="hidden" name="column-4" value="">' in html
    run.refresh_from_db()
    assert run.state == BudgetImport.State.PREVIEWED
    response = client.post(reverse("budget_import_confirm", args=[run.pk]), {**BY_HAND, "column-4": ""})
    assert "wurde übernommen" in response.content.decode()
    assert BudgetFigure.objects.get(product__key="1.1.1.01", year=2024).expense_planned == Decimal("5000.00")
    assert BudgetProduct.objects.get(key="1.1.1.01").name == "Wirtschaftsförderung"


def test_admin_mapping_step_refuses_unknown_fields_and_other_peoples_runs(client, departments):
    coordinator = _coordinator()
    client.force_login(coordinator)
    _upload_export(client)
    run = BudgetImport.objects.get()
    url = reverse("budget_import_remap", args=[run.pk])
    response = client.post(url, {**BY_HAND, "column-3": "salary"})
    assert response.status_code == 400 and "salary" in response.content.decode()
    response = client.post(reverse("budget_import_confirm", args=[run.pk]), {**BY_HAND, "column-3": "salary"})
    assert response.status_code == 404  # a failed preview cannot be confirmed, whatever the mapping
    # Two columns for one field: the clash is named, both stay selected so it can be resolved.
    html = client.post(url, {**BY_HAND, "column-1": "product_key"}).content.decode()
    assert "Die Spalten „PRD“ und „Txt“ meinen dasselbe" in html
    assert re.search(r'<select name="column-1"[^>]*>.*?<option value="product_key" selected>', html, re.S)
    other = get_user_model().objects.create_user("kasse2", "kasse2@example.org", "x")
    other.groups.add(*coordinator.groups.all())
    client.force_login(other)
    assert client.post(url, BY_HAND).status_code == 404
    assert not BudgetProduct.objects.exists()


def test_command_maps_columns_by_hand(departments, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("\n".join([EXPORT_HEADER, *EXPORT_ROWS]), encoding="utf-8")
    with pytest.raises(CommandError, match="1 Fehler"):
        call_command("import_budget", str(path), stderr=io.StringIO())
    with pytest.raises(CommandError, match="unknown field 'salary'"):
        call_command("import_budget", str(path), "--column", "PRD=salary")
    with pytest.raises(CommandError, match="expected HEADER=FIELD"):
        call_command("import_budget", str(path), "--column", "PRD")
    out = io.StringIO()
    columns = ["PRD=product_key", "Txt=product_name", "Soll Aufw.=expense_planned", "Sonstiges="]
    call_command("import_budget", str(path), *(f"--column={column}" for column in columns), stdout=out)
    assert "2 neu, 0 geändert, 0 unverändert" in out.getvalue()
    assert BudgetFigure.objects.get(product__key="1.1.1.01", year=2024).expense_planned == Decimal("5000.00")


def test_only_the_import_permission_opens_the_import(client, site):
    world = build_budget(4)
    setup_roles()
    setup_budget_roles()
    editor = get_user_model().objects.create_user("amt", "amt@example.org", "x")
    editor.groups.add(*world.data["departments"][0].groups.all())
    assert editor.has_perm("budget.add_keyfigurereport")
    client.force_login(editor)
    assert client.get(reverse("budget_import")).status_code == 403
    upload = SimpleUploadedFile("haushalt.csv", csv_file().getvalue())
    assert client.post(reverse("budget_import"), {"file": upload}).status_code == 403
    assert not BudgetImport.objects.exists()


def test_imported_figures_reach_the_yearly_report_export(client, departments):
    imported()
    response = client.get("/haushalt/2024/1/ziele-und-kennzahlen.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True)["Produkte"].iter_rows(values_only=True))
    row = next(row for row in rows if row[0] == "1.1.1.01")
    assert (row[4], row[5], row[8]) == (1250000, 1198765.43, 250000)
