"""A report's entries as CSV, XLSX and JSON: the catalogue's import/export columns, then the period's.

The catalogue's writers write them (`catalogue.imports`), so a report's file reads back with
`import_catalogue` like any catalogue export; the period's columns (and those other apps
contributed) are ones the import does not know, and it passes over them with a note.
"""

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.imports import COLUMN_KEYS, COLUMNS, LICENCE_NAME, LICENCE_URL, csv_lines, headers, write_xlsx
from catalogue.imports.parsing import DATES, MONEY
from reporting.models import EntrySnapshot, ProgressReport

PERIOD_COLUMNS = [
    ("report_title", "Berichtszeitraum", "Reporting period"),
    ("report_date", "Stichtag des Berichts", "Report date"),
]


def contributed_columns(report: ProgressReport) -> list[tuple[str, str, str, str]]:
    """(contributor, key, German header, English header) of every column other apps added to the report."""
    return [
        (contributor["name"], column["key"], column["header_de"], column["header_en"])
        for contributor in report.legend.get("contributors", [])
        for column in contributor["columns"]
    ]


def header(report: ProgressReport, language: str = "de") -> list[str]:
    extra = [de if language == "de" else en for _key, de, en in PERIOD_COLUMNS]
    extra += [de if language == "de" else en for _name, _key, de, en in contributed_columns(report)]
    return headers(language) + extra


def _typed(key: str, value: Any) -> Any:
    """A stored cell back as the type the writers format: dates as dates, amounts as decimals."""
    if value in (None, ""):
        return value
    if key in DATES:
        return datetime.date.fromisoformat(value)
    if key in MONEY:
        return Decimal(value)
    return value


def rows(report: ProgressReport) -> Iterator[list[Any]]:
    """Every entry of the report in code order, as a row of the extended column set."""
    extra = contributed_columns(report)
    snapshots = EntrySnapshot.objects.filter(report=report).order_by("code").values_list("row", "contributions")
    for row, contributions in snapshots.iterator(chunk_size=1000):
        cells = [_typed(key, value) for key, value in zip(COLUMN_KEYS, row, strict=True)]
        cells += [report.title, report.reporting_date]
        cells += [_typed("", contributions.get(name, {}).get(key)) for name, key, _de, _en in extra]
        yield cells


def filename(report: ProgressReport, extension: str) -> str:
    return f"fortschrittsbericht-{report.slug}.{extension}"


def _attachment(response: HttpResponseBase, report: ProgressReport, extension: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename(report, extension)}"'
    return response


def csv_response(report: ProgressReport) -> HttpResponseBase:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_lines(rows(report), header=header(report))),
        content_type="text/csv; charset=utf-8",
    )
    return _attachment(response, report, "csv")


def xlsx_response(report: ProgressReport, source: str) -> HttpResponseBase:
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    write_xlsx(
        rows(report),
        response,
        sheet_title=_("Bericht"),
        header=header(report),
        properties={
            "title": str(report),
            "creator": source,
            "description": f"Lizenz: {LICENCE_NAME} ({LICENCE_URL})",
            "keywords": LICENCE_NAME,
        },
    )
    return _attachment(response, report, "xlsx")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def json_response(report: ProgressReport, source: str) -> HttpResponseBase:
    keys = COLUMN_KEYS + [key for key, _de, _en in PERIOD_COLUMNS]
    keys += [f"{name}.{key}" for name, key, _de, _en in contributed_columns(report)]
    head = {
        "title": str(report),
        "reporting_date": report.reporting_date.isoformat(),
        "as_of": report.as_of.isoformat(),
        "closed_at": report.closed_at.isoformat(timespec="seconds"),
        "source": source,
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "generated": timezone.now().isoformat(timespec="seconds"),
        "columns": [
            {"key": column.key, "header": column.header_de, "description": str(column.description)}
            for column in COLUMNS
        ]
        + [{"key": key, "header": de} for key, de, _en in PERIOD_COLUMNS]
        + [{"key": f"{name}.{key}", "header": de} for name, key, de, _en in contributed_columns(report)],
    }

    def chunks() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": ['
        for number, row in enumerate(rows(report)):
            entry = {key: _json_value(value) for key, value in zip(keys, row, strict=True)}
            yield ("," if number else "") + json.dumps(entry, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks()), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, report, "json")
