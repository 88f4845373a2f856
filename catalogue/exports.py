"""Open-data exports of exactly the filtered set: CSV (German Excel), XLSX and JSON.

CSV and XLSX use the column set the import reads (`catalogue.spreadsheet`), so an export can
be edited and imported again. All three read the entries in chunks: 10,000 rows stream out
without being held in memory at once (XLSX in write-only mode).
"""

import datetime
import io
import json
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from . import spreadsheet

LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


def _filename(page, extension):
    return f"{page.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _attachment(response, page, extension):
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, extension)}"'
    return response


def attribution(page, request):
    return f"{page.get_site().site_name or page.title}, {page.get_full_url(request)}"


def csv_response(page, request, queryset, lookup):
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in spreadsheet.csv_lines(spreadsheet.project_rows(queryset))),
        content_type="text/csv; charset=utf-8",
    )
    return _attachment(response, page, "csv")


def xlsx_response(page, request, queryset, lookup):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    workbook.properties.title = page.title
    workbook.properties.creator = attribution(page, request)
    workbook.properties.description = f"Lizenz: {LICENCE_NAME} ({LICENCE_URL})"
    workbook.properties.keywords = LICENCE_NAME
    sheet = workbook.create_sheet(title="Katalog")
    sheet.append(spreadsheet.headers())
    for row in spreadsheet.project_rows(queryset):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = spreadsheet.XLSX_DATE_FORMAT
            elif isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _attachment(response, page, "xlsx")


def _json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def json_response(page, request, queryset, lookup):
    head = {
        "title": page.title,
        "source": page.get_full_url(request),
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "attribution": attribution(page, request),
        "generated": timezone.now().isoformat(timespec="seconds"),
        "columns": [
            {"key": column.key, "header": column.header_de, "description": str(column.description)}
            for column in spreadsheet.COLUMNS
        ],
    }

    def chunks():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": ['
        for number, row in enumerate(spreadsheet.project_rows(queryset)):
            entry = {key: _json_value(value) for key, value in zip(spreadsheet.COLUMN_KEYS, row, strict=True)}
            yield ("," if number else "") + json.dumps(entry, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks()), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, page, "json")
