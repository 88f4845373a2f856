"""Open-data exports of exactly the filtered set: CSV (German Excel), XLSX and JSON.

CSV and XLSX use the column set the import reads (`catalogue.imports`), so an export can
be edited and imported again. All three read the entries in chunks: 10,000 rows stream out
without being held in memory at once (XLSX in write-only mode).
"""

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from wagtail.models import Page

from catalogue.imports import COLUMN_KEYS, COLUMNS, LICENCE_NAME, LICENCE_URL, csv_lines, project_rows, write_xlsx
from catalogue.models import Project

__all__ = ["LICENCE_NAME", "LICENCE_URL", "csv_response", "json_response", "source_note", "xlsx_response"]

Response = TypeVar("Response", bound=HttpResponseBase)


def _filename(page: Page, extension: str) -> str:
    return f"{page.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _attachment(response: Response, page: Page, extension: str) -> Response:
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, extension)}"'
    return response


def attribution(page: Page, request: HttpRequest) -> str:
    return f"{page.get_site().site_name or page.title}, {page.get_full_url(request)}"


def source_note(page: Page, request: HttpRequest) -> str:
    """The source note the licence asks users to give, as every export carries it."""
    return f"Quelle: {attribution(page, request)}; Lizenz: {LICENCE_NAME} ({LICENCE_URL})"


def _licensed(response: Response) -> Response:
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def csv_response(page: Page, request: HttpRequest, queryset: QuerySet[Project]) -> HttpResponseBase:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_lines(project_rows(queryset), note=source_note(page, request))),
        content_type="text/csv; charset=utf-8",
    )
    return _licensed(_attachment(response, page, "csv"))


def xlsx_response(page: Page, request: HttpRequest, queryset: QuerySet[Project]) -> HttpResponseBase:
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    properties = {
        "title": page.title,
        "creator": attribution(page, request),
        "description": f"Lizenz: {LICENCE_NAME} ({LICENCE_URL})",
        "keywords": LICENCE_NAME,
    }
    write_xlsx(project_rows(queryset), response, properties=properties, note=source_note(page, request))
    return _licensed(_attachment(response, page, "xlsx"))


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def json_response(page: Page, request: HttpRequest, queryset: QuerySet[Project]) -> HttpResponseBase:
    head = {
        "title": page.title,
        "source": page.get_full_url(request),
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "attribution": attribution(page, request),
        "source_note": source_note(page, request),
        "generated": timezone.now().isoformat(timespec="seconds"),
        "columns": [
            {"key": column.key, "header": column.header_de, "description": str(column.description)}
            for column in COLUMNS
        ],
    }

    def chunks() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": ['
        for number, row in enumerate(project_rows(queryset)):
            entry = {key: _json_value(value) for key, value in zip(COLUMN_KEYS, row, strict=True)}
            yield ("," if number else "") + json.dumps(entry, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks()), content_type="application/json; charset=utf-8"
    )
    return _licensed(_attachment(response, page, "json"))
