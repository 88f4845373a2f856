"""The one CSV writer (German Excel: UTF-8 with BOM, `;`) and the one XLSX writer of every export."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .columns import DATE_FORMAT, FORMULA_PREFIXES, NOTE_PREFIX, NOTE_SHEET_TITLE, XLSX_DATE_FORMAT, YES, headers


class BinaryWriter(Protocol):
    """Anything bytes can be written to: a binary file, an HttpResponse."""

    def write(self, data: bytes, /) -> object: ...


def format_csv_value(value: Any) -> str:
    """A cell as German Excel shows it, with formula-like text defused by a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_lines(rows: Iterable[list[Any]], language: str = "de", note: str = "") -> Iterator[str]:
    """The CSV file as text chunks, header first: for a StreamingHttpResponse or a file.

    A `note` (the source the licence asks to name) closes the file as a line starting with
    „#“ (`NOTE_PREFIX`), which the import skips and CSV readers can treat as a comment.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(headers(language))
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow([format_csv_value(value) for value in row])
        yield flush()
    if note:
        writer.writerow([f"{NOTE_PREFIX} {note}"])
        yield flush()


def write_csv(rows: Iterable[list[Any]], stream: IO[Any], language: str = "de") -> None:
    """Write UTF-8 with BOM, `;`-separated, to a text stream (or a binary one, which is wrapped)."""
    wrapper = None
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(stream, "mode", ""):
        wrapper = stream = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    for chunk in csv_lines(rows, language):
        stream.write(chunk)
    if wrapper is not None:
        wrapper.flush()
        wrapper.detach()


def write_xlsx(
    rows: Iterable[list[Any]],
    stream: BinaryWriter,
    language: str = "de",
    sheet_title: str = "Katalog",
    properties: dict[str, str] | None = None,
    note: str = "",
) -> None:
    """Write one worksheet with a header row; text stays text even when it looks like a formula.

    `properties` (title, creator, description, keywords) go into the workbook's metadata; a
    `note` (source and licence) goes onto a second sheet, which the import does not read.
    """
    workbook = Workbook(write_only=True)
    for name, value in (properties or {}).items():
        setattr(workbook.properties, name, value)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.append(headers(language))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
            elif isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    if note:
        notes = workbook.create_sheet(title=NOTE_SHEET_TITLE)
        notes.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())
