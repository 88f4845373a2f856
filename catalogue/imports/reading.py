"""Reading an uploaded spreadsheet: its first sheet's rows, and which column is which field."""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .columns import COLUMNS, NOTE_PREFIX

MAX_FILE_SIZE = 10 * 1024 * 1024


MAX_ROWS = 20_000

# A row of the sheet: its number in the file and its cells as read (text, number, date or None).
NumberedRow = tuple[int, Sequence[object]]


COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


REQUIRED_COLUMNS = ["code"]


# Further spellings seen in county spreadsheets; compared after `normalise_header`.
HEADER_ALIASES = {
    "code": ["nr", "projektnummer", "massnahmennummer", "kennung", "id"],
    "title": ["bezeichnung", "projekttitel", "projektname", "name"],
    "kind": ["typ", "type"],
    "parent_code": ["übergeordnetesprojekt", "übergeordnet", "parent", "gehörtzu"],
    "summary": ["kurztext"],
    "description": ["langtext"],
    "goals": ["ziel", "zielnummern", "zielnummer", "goal", "goalcodes"],
    "themes": ["themen", "thema", "querschnittsthema"],
    "lead_department": ["federführend", "zuständigkeit", "zuständig", "verantwortlich", "amt"],
    "partner_departments": ["beteiligte", "partnerämter", "weiterestellen"],
    "external_partners": ["partner", "externe"],
    "municipalities": ["gemeinde", "ort", "kommunen", "kommune", "municipality"],
    "planned_start": ["geplanterbeginn", "beginn", "start"],
    "planned_end": ["geplantesende", "ende"],
    "actual_start": ["tatsächlicherbeginn", "istbeginn"],
    "actual_end": ["tatsächlichesende", "istende"],
    "continuous": ["dauerhaft", "dauermaßnahme"],
    "cost_estimate": ["kosten", "geschätztekosten", "gesamtkosten", "kosteneur", "cost"],
    "funding_programmes": ["förderprogramm", "förderung"],
    "funding_amount": ["fördersumme", "fördermittel", "fördersummeeur", "fundingamount"],
    "priority": ["prio"],
    "weight": ["gewichtung"],
    "status": ["stand", "umsetzungsstatus"],
    "traffic_light": ["ampelstatus"],
    "progress": ["fortschritt", "fortschrittinprozent", "umsetzungsstand"],
    "contact_name": ["ansprechpartner", "ansprechpartnerin", "kontakt", "contactname"],
    "contact_email": ["email", "emailadresse", "mail", "contactemail"],
    "contact_phone": ["tel", "telefonnummer", "contactphone"],
    "last_report_date": ["berichtsdatum", "stichtag", "datumletzterbericht", "lastreport"],
    "last_report_text": ["sachstand", "bericht", "letzterberichttext"],
    "sdg_targets": ["sdg", "sdgs", "sdgziele", "nachhaltigkeitsziele", "sdgtargets", "sdgunterziel"],
}


FORMULA_PREFIXES = ("=", "+", "-", "@")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is meant for the person who uploaded it."""


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Zeile %(row)s") % {"row": self.row} if self.row else _("Datei")
        if self.column:
            where = f"{where}, {_('Spalte')} „{self.column}“"
        return f"{where}: {self.message}"


def normalise_header(text: object) -> str:
    return re.sub(r"[\s_\-.:/()%€]+", "", str(text or "").casefold())


HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.header_de, _column.header_en, *HEADER_ALIASES.get(_column.key, [])):
        HEADER_LOOKUP.setdefault(normalise_header(_name), _column.key)


def _file_size(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def read_table(fileobj: IO[bytes], file_name: str) -> tuple[Sequence[object], list[NumberedRow], list[Problem]]:
    """Return (header cells, [(row number, cells)], warnings) of the file's first sheet."""
    suffix = Path(file_name).suffix.casefold()
    if suffix in (".xlsm", ".xltm", ".xlsb", ".xls"):
        raise ImportFileError(
            _(
                "Dateien im Format %(suffix)s werden nicht angenommen, weil sie Makros enthalten können "
                "oder veraltet sind. Bitte als .xlsx (Excel-Arbeitsmappe) oder .csv speichern."
            )
            % {"suffix": suffix}
        )
    if _file_size(fileobj) > MAX_FILE_SIZE:
        raise ImportFileError(
            _("Die Datei ist größer als %(size)s MB. Bitte teilen Sie sie auf.") % {"size": MAX_FILE_SIZE // 2**20}
        )
    fileobj.seek(0)
    head = fileobj.read(4)
    fileobj.seek(0)
    if suffix in (".xlsx", ".xltx") or head.startswith(b"PK"):
        rows, warnings = _read_xlsx(fileobj)
    elif suffix in (".csv", ".txt", ""):
        rows, warnings = _read_csv(fileobj.read())
    else:
        raise ImportFileError(
            _("Unbekanntes Dateiformat „%(suffix)s“. Erlaubt sind .xlsx und .csv.") % {"suffix": suffix}
        )
    numbered = [
        (number, cells) for number, cells in rows if any(is_filled(cell) for cell in cells) and not is_note(cells)
    ]
    if not numbered:
        raise ImportFileError(_("Die Datei enthält keine Zeilen."))
    _header_number, header = numbered[0]
    body = numbered[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("Die Datei hat %(count)s Zeilen; höchstens %(max)s sind erlaubt. Bitte teilen Sie sie auf.")
            % {"count": len(body), "max": MAX_ROWS}
        )
    return header, body, warnings


def is_filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def is_note(cells: Sequence[object]) -> bool:
    """A line the export added for the licence („# Quelle: …“): codes never begin with „#“."""
    first = next((cell for cell in cells if is_filled(cell)), None)
    return first is not None and str(first).strip().startswith(NOTE_PREFIX)


def _read_xlsx(fileobj: IO[bytes]) -> tuple[list[NumberedRow], list[Problem]]:
    try:
        # Formulas are never calculated here: data_only gives the value Excel last saved.
        workbook = load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    except Exception as error:
        raise ImportFileError(
            _("Die Excel-Datei kann nicht gelesen werden. Ist sie beschädigt oder geschützt?")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[NumberedRow] = [
            (number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return rows, []


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_csv(raw: bytes) -> tuple[list[NumberedRow], list[Problem]]:
    text = _decode(raw)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", ",", "\t"], key=first_line.count)
    warnings: list[Problem] = []
    rows: list[NumberedRow] = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        values = []
        for position, cell in enumerate(cells):
            if cell.startswith("'") and cell[1:2] in FORMULA_PREFIXES:
                cell = cell[1:]
            elif cell.startswith("="):
                warnings.append(
                    Problem(
                        number,
                        str(position + 1),
                        _("Der Wert beginnt mit „=“; er wird als Text übernommen, nicht als Formel berechnet."),
                    )
                )
            values.append(cell)
        rows.append((number, values))
    return rows, warnings


def map_columns(header: Sequence[object]) -> tuple[dict[int, str], list[Problem]]:
    """Return {cell position: column key} and the problems found in the header row."""
    mapping: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for position, cell in enumerate(header):
        if not is_filled(cell):
            continue
        key = HEADER_LOOKUP.get(normalise_header(cell))
        if key is None:
            problems.append(Problem(1, str(cell).strip(), _("Diese Spalte ist unbekannt und wird übergangen.")))
            continue
        if key in seen:
            raise ImportFileError(
                _("Die Spalten „%(first)s“ und „%(second)s“ meinen dasselbe. Bitte eine davon entfernen.")
                % {"first": seen[key], "second": str(cell).strip()}
            )
        seen[key] = str(cell).strip()
        mapping[position] = key
    for key in REQUIRED_COLUMNS:
        if key not in seen:
            raise ImportFileError(
                _("Die Spalte „%(column)s“ fehlt. Sie wird gebraucht, um die Einträge zuzuordnen.")
                % {"column": COLUMN_BY_KEY[key].header_de}
            )
    return mapping, problems
