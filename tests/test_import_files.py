"""Files that used to get misleading messages, each now with one clear one (or simply read).

Before: a binary or UTF-16 file said "Spalte Nummer fehlt", an XLSX whose formulas were never
calculated said "Titel fehlt" for every row, and a header of 100,000 columns gave 100,000
warnings.
"""

import io
import random
import re
import zipfile

import pytest
from openpyxl import Workbook

from catalogue.imports import apply_import, group_problems, plan_import
from catalogue.models import Project
from tests.import_data import COUNTY_CSV, build_county

pytestmark = pytest.mark.django_db

HEADER = "Nummer\tTitel\tZiele\tFederführung\r\n"
ROW = "1.1.05\tGründerpreis für Schülerfirmen\tGründungen und Unternehmensnachfolge fördern\tWiFö\r\n"


@pytest.fixture
def county(site):
    return build_county()


def messages(plan):
    return [error.message for error in plan.errors]


def test_a_binary_file_says_it_is_no_spreadsheet(county):
    noise = random.Random(7).randbytes(50_000)
    plan = plan_import(io.BytesIO(noise), "katalog.csv")
    assert len(plan.errors) == 1
    assert "weder eine Excel-Arbeitsmappe (.xlsx) noch eine CSV-Textdatei" in plan.errors[0].message
    assert "Nummer" not in plan.errors[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_text_file_from_excel_is_read(county, encoding):
    # Excel's "Unicode text" is UTF-16 with tabs; some tools drop the byte order mark.
    data = (HEADER + ROW).encode(encoding)
    plan = plan_import(io.BytesIO(data), "katalog.txt")
    assert plan.ok, messages(plan)
    apply_import(plan)
    entry = Project.objects.get(code="1.1.05")
    assert entry.title == "Gründerpreis für Schülerfirmen" and entry.goals.get().code == "1.1"


def _workbook(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_formulas_without_a_saved_result_are_named_not_taken_for_empty_cells(county):
    data = _workbook(
        [
            ["Nummer", "Titel", "Ziele", "Federführung", "Kosten (Euro)"],
            ["1.1.06", '=CONCATENATE("Gründer", "preis")', "1.1", "WiFö", "=SUM(1000,2000)"],
            ["1.1.07", "Werkstatt", "1.1", "WiFö", 1000],
        ]
    )
    plan = plan_import(io.BytesIO(data), "formeln.xlsx")
    assert {(error.row, error.column) for error in plan.errors} == {(2, "Titel"), (2, "Kosten (Euro)")}
    assert all("ohne gespeichertes Ergebnis" in message for message in messages(plan))
    assert "Titel fehlt" not in " ".join(messages(plan))
    assert '=CONCATENATE("Gründer", "preis")' in plan.errors[0].message
    notes = [warning.message for warning in plan.warnings if "Formeln" in warning.message]
    assert notes == [
        "In 2 Zellen stehen Formeln ohne gespeichertes Ergebnis; ihre Zeilen werden als fehlerhaft gemeldet."
    ]


def _with_saved_results(data, results):
    """The workbook as Excel saves it: each formula cell also holds its last result."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for cell, value in results.items():
                    text = re.sub(
                        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                        lambda match, cell=cell, value=value: (
                            f'<c r="{cell}" t="str"><f>{match.group(2)}</f><v>{value}</v>'
                        ),
                        text,
                    )
                content = text.encode()
            archive.writestr(item, content)
    return target.getvalue()


def test_xlsx_formulas_with_a_saved_result_use_that_result(county):
    data = _workbook(
        [
            ["Nummer", "Titel", "Ziele", "Federführung"],
            ["1.1.08", '=CONCATENATE("Gründer", "preis")', "1.1", "WiFö"],
        ]
    )
    plan = plan_import(io.BytesIO(_with_saved_results(data, {"B2": "Gründerpreis"})), "berechnet.xlsx")
    assert plan.ok, messages(plan)
    assert plan.rows[0].values["title"] == "Gründerpreis"


def test_a_header_of_100000_columns_gives_a_few_grouped_hints(county):
    header = ["Nummer", "Titel", "Ziele", "Federführung"] + [f"Spalte {number}" for number in range(100_000 - 4)]
    text = ";".join(header) + "\r\n" + "1.1.09;Gründertag;1.1;WiFö\r\n"
    plan = plan_import(io.BytesIO(text.encode()), "breit.csv")
    assert plan.ok, messages(plan)
    # Columns without a single value are not worth a word each.
    assert [warning.message for warning in plan.warnings] == [
        "Die Tabelle hat mehr als 200 Spalten; gelesen werden nur die ersten 200."
    ]
    assert plan.rows[0].values["title"] == "Gründertag"


def test_many_identical_hints_are_grouped_and_capped(county):
    rows = "".join(f"1.1.{number:03d};Vorhaben {number};1.1;WiFö;=A1\r\n" for number in range(10, 900))
    plan = plan_import(io.BytesIO(("Nummer;Titel;Ziele;Federführung;Kurzbeschreibung\r\n" + rows).encode()), "x.csv")
    groups, left_off = group_problems(plan.warnings)
    assert len(plan.warnings) == 890 and len(groups) == 1 and left_off == 0
    assert groups[0].count == 890 and len(groups[0].rows) == 12
    assert str(groups[0]).endswith("(Zeilen 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 und 878 weitere)")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "leer.csv", "Die Datei ist leer."),
        (b"\r\n;;;\r\n", "leer.csv", "Die Datei enthält keine Zeilen."),
        (b"1.1.01;Radweg;1.1;WiFo\r\n1.1.02;Bus;1.1;WiFo\r\n", "daten.csv", "Die Datei hat keine Kopfzeile"),
        (b"%PDF-1.7 ...", "katalog.csv", "Die Datei ist ein PDF-Dokument, keine Tabelle."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "alt.csv", "alte Excel-Datei (.xls)"),
    ],
)
def test_files_no_row_can_be_read_from_get_one_file_error(county, data, name, message):
    plan = plan_import(io.BytesIO(data), name)
    assert len(plan.errors) == 1 and plan.errors[0].row is None
    assert message in plan.errors[0].message


def test_an_opendocument_spreadsheet_is_named(county):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    plan = plan_import(io.BytesIO(buffer.getvalue()), "katalog.ods")
    assert [error.message for error in plan.errors] == [
        "Die Datei ist eine OpenDocument-Datei (.ods). Bitte als .xlsx (Excel-Arbeitsmappe) oder .csv speichern."
    ]


def test_a_file_without_a_number_column_says_so_once(county):
    data = "Maßnahme;Ziel\r\nRadweg;1.1\r\nBus;4.1\r\n".encode()
    plan = plan_import(io.BytesIO(data), "ohne-nummer.csv")
    assert len(plan.errors) == 1 and "Keine Spalte ist der Nummer der Einträge zugeordnet" in plan.errors[0].message


def test_the_county_file_in_utf8_and_as_xlsx_reads_like_the_original(county):
    original = COUNTY_CSV.read_bytes()
    text = original.decode("cp1252")
    utf8 = plan_import(io.BytesIO(("\ufeff" + text).encode("utf-8")), "kreis.csv", create_missing=True)
    cp1252 = plan_import(io.BytesIO(original), "kreis.csv", create_missing=True)
    assert [row.values for row in utf8.rows] == [row.values for row in cp1252.rows]
    assert messages(utf8) == messages(cp1252)
