"""Reading an uploaded spreadsheet: what kind of file it is, its sheet's rows, and its header row.

A file is refused as a whole only when no row can be read from it; the message then says what
the file is instead (a PDF, an old .xls, a binary file) and what to do. Everything a row can
carry is left to the rows.
"""

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .cells import cell_text
from .columns import FORMULA_PREFIXES, NOTE_PREFIX
from .problems import Problem
from .synonyms import is_known_header

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# The header may sit below a title line or two ("Maßnahmenkatalog, Stand 01.03.2024").
HEADER_SEARCH_ROWS = 10
REFUSED_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xls")
DATA_LIKE = re.compile(r"^[\d.,/:\s€%-]+$")


NOT_A_TABLE = gettext_lazy(
    "Die Datei ist weder eine Excel-Arbeitsmappe (.xlsx) noch eine CSV-Textdatei. Bitte in Excel "
    "„Speichern unter“ mit „Excel-Arbeitsmappe“ oder „CSV (Trennzeichen-getrennt)“ wählen."
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is meant for the person who uploaded it."""


@dataclass
class Table:
    """The rows of the file's sheet below its header row, as cell values."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    notes: list[Problem] = field(default_factory=list)
    # (row number, position) -> formula of a cell that Excel never calculated (no saved result).
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    sheet: str = ""
    # False when only the first rows were read (`read_table(..., limit=...)`).
    complete: bool = True

    @property
    def width(self) -> int:
        return len(self.header)

    def label(self, position: int) -> str:
        """The column as the file names it, or by its letter when its header cell is empty."""
        text = self.header[position] if position < len(self.header) else ""
        return text or _("Spalte %(letter)s") % {"letter": get_column_letter(position + 1)}

    def values(self, position: int, limit: int | None = None) -> list[Any]:
        """The filled cells of a column, top down (the first `limit`)."""
        found = []
        for _number, cells in self.rows:
            if position < len(cells) and is_filled(cells[position]):
                found.append(cells[position])
                if limit is not None and len(found) >= limit:
                    break
        return found


def is_filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def is_note(cells: list[Any]) -> bool:
    """A line the export added for the licence („# Quelle: …“): codes never begin with „#“."""
    first = next((cell for cell in cells if is_filled(cell)), None)
    return first is not None and str(first).strip().startswith(NOTE_PREFIX)


def _file_size(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
    return int(size)


def read_table(fileobj: IO[bytes], file_name: str, limit: int | None = None) -> Table:
    """The first sheet of an XLSX or a CSV file, from its header row on; raises ImportFileError.

    With `limit`, only about that many rows below the header are read (for the mapping page,
    which shows first values): a large workbook is then not parsed to its end.
    """
    suffix = Path(file_name).suffix.casefold()
    if suffix in REFUSED_SUFFIXES:
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
    raw = fileobj.read()
    if not raw.strip():
        raise ImportFileError(_("Die Datei ist leer."))
    formula_text: list[tuple[int, int]] = []
    if raw.startswith(b"PK\x03\x04"):
        rows, notes, formulas, sheet = _read_zip(raw, limit)
    else:
        rows, formula_text = _read_text(raw, limit)
        notes, formulas, sheet = [], {}, ""
    table = _table(rows, notes, formulas, sheet)
    table.complete = limit is None
    for number, position in formula_text:
        if number > table.header_row and position < table.width:
            table.notes.append(
                Problem(
                    number,
                    table.label(position),
                    _("Der Wert beginnt mit „=“; er wird als Text übernommen, nicht als Formel berechnet."),
                )
            )
    return table


def _table(rows: list[tuple[int, list[Any]]], notes: list[Problem], formulas: dict, sheet: str) -> Table:
    filled = [
        (number, cells) for number, cells in rows if any(is_filled(cell) for cell in cells) and not is_note(cells)
    ]
    if not filled:
        raise ImportFileError(_("Die Datei enthält keine Zeilen."))
    header_index = _header_index(filled)
    header_row, header_cells = filled[header_index]
    body = filled[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("Die Datei hat %(count)s Zeilen; höchstens %(max)s sind erlaubt. Bitte teilen Sie sie auf.")
            % {"count": len(body), "max": MAX_ROWS}
        )
    width = max([_last_filled(header_cells), *(_last_filled(cells) for _number, cells in body)])
    if width > MAX_COLUMNS:
        notes.append(
            Problem(
                header_row,
                "",
                _("Die Tabelle hat mehr als %(max)s Spalten; gelesen werden nur die ersten %(max)s.")
                % {"max": MAX_COLUMNS},
            )
        )
        width = MAX_COLUMNS
    header = [cell_text(cell).replace("\n", " ") for cell in header_cells[:width]]
    header += [""] * (width - len(header))
    table = Table(
        header=header,
        header_row=header_row,
        rows=[(number, list(cells[:width])) for number, cells in body],
        notes=notes,
        formulas={key: formula for key, formula in formulas.items() if key[1] < width},
        sheet=sheet,
    )
    if header_index:
        table.notes.append(
            Problem(
                None,
                "",
                _("Die Kopfzeile ist Zeile %(row)s; die Zeilen darüber werden übergangen.") % {"row": header_row},
            )
        )
    return table


def _last_filled(cells: list[Any]) -> int:
    for position in range(len(cells) - 1, -1, -1):
        if is_filled(cells[position]):
            return position + 1
    return 0


def _header_index(filled: list[tuple[int, list[Any]]]) -> int:
    """The row with the most known column names among the first rows; refuses a file that starts with data."""
    scores = [
        sum(1 for cell in cells[:MAX_COLUMNS] if is_filled(cell) and is_known_header(cell))
        for _number, cells in filled[:HEADER_SEARCH_ROWS]
    ]
    best = max(range(len(scores)), key=lambda index: (scores[index], -index))
    if scores[best]:
        return best
    cells = [cell for cell in filled[0][1][:MAX_COLUMNS] if is_filled(cell)]
    looks_like_data = [cell for cell in cells if not isinstance(cell, str) or DATA_LIKE.match(cell.strip())]
    if len(looks_like_data) * 2 >= len(cells):
        raise ImportFileError(
            _(
                "Die Datei hat keine Kopfzeile: Die erste Zeile enthält Werte wie „%(value)s“ statt Spaltennamen. "
                "Bitte eine Zeile mit Überschriften wie „Nummer“, „Titel“, „Ziele“ einfügen."
            )
            % {"value": cell_text(looks_like_data[0])}
        )
    return 0


def _read_zip(raw: bytes, limit: int | None) -> tuple[list[tuple[int, list[Any]]], list[Problem], dict, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        raise ImportFileError(_("Die Excel-Datei ist beschädigt und kann nicht gelesen werden.")) from error
    if b"opendocument" in mimetype:
        raise ImportFileError(
            _("Die Datei ist eine OpenDocument-Datei (.ods). Bitte als .xlsx (Excel-Arbeitsmappe) oder .csv speichern.")
        )
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            _("Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe. Bitte eine .xlsx- oder .csv-Datei wählen.")
        )
    try:
        # Formulas are never calculated here: data_only gives the value Excel last saved.
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as error:
        raise ImportFileError(
            _("Die Excel-Datei kann nicht gelesen werden. Ist sie beschädigt oder geschützt?")
        ) from error
    try:
        index, rows = _choose_sheet(workbook, limit)
        title = workbook.worksheets[index].title
    finally:
        workbook.close()
    notes: list[Problem] = []
    if len(workbook.worksheets) > 1:
        notes.append(Problem(None, "", _("Gelesen wird das Tabellenblatt „%(sheet)s“.") % {"sheet": title}))
    formulas = _uncalculated_formulas(raw, index, rows) if _has_formulas(raw) else {}
    return rows, notes, formulas, title


def _sheet_rows(sheet: Any, limit: int | None) -> list[tuple[int, list[Any]]]:
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS * 2)
    if limit is not None:
        rows = itertools.islice(rows, limit + HEADER_SEARCH_ROWS * 2)
    return [(number, list(cells)) for number, cells in enumerate(rows, start=1)]


def _choose_sheet(workbook: Any, limit: int | None) -> tuple[int, list[tuple[int, list[Any]]]]:
    """The first sheet with a recognisable header (a cover sheet with notes is passed over)."""
    first = None
    for index, sheet in enumerate(workbook.worksheets):
        rows = _sheet_rows(sheet, limit)
        if first is None:
            first = (index, rows)
        head = [cells for _number, cells in rows[: HEADER_SEARCH_ROWS * 2]]
        if any(is_filled(cell) and is_known_header(cell) for cells in head for cell in cells):
            return index, rows
    assert first is not None
    return first


def _has_formulas(raw: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                            return True
                        tail = chunk[-3:]
    return False


def _uncalculated_formulas(raw: bytes, index: int, rows: list[tuple[int, list[Any]]]) -> dict:
    """Cells that hold a formula but no saved result (files written by programs that do not calculate)."""
    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    try:
        found = {}
        for (number, values), formulas in zip(
            rows, workbook.worksheets[index].iter_rows(values_only=True, max_col=MAX_COLUMNS * 2), strict=False
        ):
            for position, formula in enumerate(formulas):
                if isinstance(formula, str) and formula.startswith("=") and values[position] is None:
                    found[(number, position)] = formula
        return found
    finally:
        workbook.close()


def _decode(raw: bytes) -> str:
    if raw.startswith(b"%PDF"):
        raise ImportFileError(_("Die Datei ist ein PDF-Dokument, keine Tabelle. Bitte als .xlsx oder .csv speichern."))
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Die Datei ist eine alte Excel-Datei (.xls) oder mit einem Kennwort geschützt. Bitte ohne Kennwort "
                "als .xlsx (Excel-Arbeitsmappe) oder .csv speichern."
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text_only(raw.decode("utf-16", errors="replace"))
    head = raw[:4000]
    evens, odds = head[0::2], head[1::2]
    zero_even = evens.count(0) / max(len(evens), 1)
    zero_odd = odds.count(0) / max(len(odds), 1)
    if max(zero_even, zero_odd) > 0.3 and min(zero_even, zero_odd) < 0.05:
        # UTF-16 without a byte order mark (Excel's "Unicode text"): every other byte is zero.
        return _text_only(raw.decode("utf-16-be" if zero_even > zero_odd else "utf-16-le", errors="replace"))
    if b"\x00" in head:
        raise ImportFileError(NOT_A_TABLE)
    if raw.startswith(b"\xef\xbb\xbf"):
        return _text_only(raw[3:].decode("utf-8", errors="replace"))
    try:
        return _text_only(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _text_only(raw.decode("cp1252", errors="replace"))


def _text_only(text: str) -> str:
    """`text`, unless it is mostly control characters: then the file was no text file at all."""
    head = text[:4000]
    control = sum(1 for char in head if (ord(char) < 32 and char not in "\t\r\n") or char == "\ufffd")
    if control * 20 > len(head):
        raise ImportFileError(NOT_A_TABLE)
    return text


def _read_text(raw: bytes, limit: int | None) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, int]]]:
    """Rows of a CSV file, and the (row, position) of cells that begin with "=" (kept as text)."""
    text = _decode(raw).lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", ",", "\t", "|"], key=first_line.count)
    formula_text = []
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if limit is not None and number > limit + HEADER_SEARCH_ROWS * 2:
                break
            values = []
            for position, cell in enumerate(cells):
                if cell.startswith("'") and cell[1:2] and cell[1:2] in FORMULA_PREFIXES:
                    cell = cell[1:]
                elif cell.startswith("="):
                    formula_text.append((number, position))
                values.append(cell)
            rows.append((number, values))
    except csv.Error as error:
        raise ImportFileError(
            _("Zeile %(row)s der CSV-Datei kann nicht gelesen werden (%(error)s).")
            % {"row": reader.line_num, "error": error}
        ) from error
    return rows, formula_text
