"""The catalogue's spreadsheet format, shared by the import and the catalogue exports.

One column set in one order (`COLUMNS`), one row per entry (`project_rows`), and writers for
XLSX and for CSV as German Excel reads it. What the import reads back is what the export
wrote: lists are joined with "; ", choices are written as their German labels, dates as real
date cells (XLSX) or `dd.mm.yyyy` (CSV), amounts as numbers (XLSX) or with a decimal comma.
"""

import csv
import datetime
import io
from collections import namedtuple
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import translation
from django.utils.translation import gettext_lazy as _

Column = namedtuple("Column", ["key", "header_de", "header_en", "description"])

COLUMNS = [
    Column("code", "Nummer", "Code", _("Nummer des Eintrags im Katalog, z. B. 2.1.03; je Sprache eindeutig. Pflicht.")),
    Column("title", "Titel", "Title", _("Kurzer, verständlicher Titel. Pflicht.")),
    Column("kind", "Art", "Kind", _("„Projekt“ oder „Maßnahme“; leer bedeutet Projekt.")),
    Column("parent_code", "Übergeordnete Nummer", "Parent code", _("Nummer des Projekts, zu dem der Eintrag gehört.")),
    Column("summary", "Kurzbeschreibung", "Summary", _("Zwei bis drei Sätze für Listen und Suchergebnisse.")),
    Column("description", "Beschreibung", "Description", _("Langtext; Absätze oder HTML wie im Redaktionssystem.")),
    Column("goals", "Ziele", "Goals", _("Nummern (oder Titel) der Ziele, getrennt durch Semikolon. Pflicht.")),
    Column("themes", "Querschnittsthemen", "Themes", _("Namen der Querschnittsthemen, getrennt durch Semikolon.")),
    Column(
        "lead_department",
        "Federführung",
        "Lead department",
        _("Name oder Kurzname der federführenden Stelle. Pflicht."),
    ),
    Column(
        "partner_departments",
        "Beteiligte Stellen",
        "Partner departments",
        _("Namen oder Kurznamen weiterer Stellen, getrennt durch Semikolon."),
    ),
    Column(
        "external_partners",
        "Externe Partner",
        "External partners",
        _("Partner außerhalb der Verwaltung, einer je Zeile."),
    ),
    Column(
        "municipalities",
        "Gemeinden",
        "Municipalities",
        _("Namen der Gemeinden, getrennt durch Semikolon, oder „kreisweit“."),
    ),
    Column("planned_start", "Beginn geplant", "Planned start", _("Datum, z. B. 01.06.2019, 06/2019 oder 2019.")),
    Column("planned_end", "Ende geplant", "Planned end", _("Datum; nicht vor dem geplanten Beginn.")),
    Column("actual_start", "Beginn tatsächlich", "Actual start", _("Datum, an dem die Umsetzung begann.")),
    Column("actual_end", "Ende tatsächlich", "Actual end", _("Datum, an dem die Umsetzung endete.")),
    Column(
        "continuous", "Daueraufgabe", "Continuous", _("„ja“, wenn der Eintrag kein geplantes Ende hat; sonst leer.")
    ),
    Column(
        "cost_estimate",
        "Kosten (Euro)",
        "Cost (EUR)",
        _("Betrag in Euro, z. B. 1.250.000,00 €, 1,5 Mio. € oder 250 T€."),
    ),
    Column(
        "funding_programmes",
        "Förderprogramme",
        "Funding programmes",
        _("Namen der Förderprogramme, getrennt durch Semikolon."),
    ),
    Column(
        "funding_amount", "Fördersumme (Euro)", "Funding amount (EUR)", _("Bewilligte oder beantragte Mittel in Euro.")
    ),
    Column("priority", "Priorität", "Priority", _("I, II oder III.")),
    Column("weight", "Gewicht", "Weight", _("Gewicht im Fortschritt des übergeordneten Eintrags; leer bedeutet 1.")),
    Column("status", "Status", "Status", _("Status laut letztem Bericht, z. B. „in Umsetzung“.")),
    Column("traffic_light", "Ampel", "Traffic light", _("„im Plan“, „gefährdet“, „kritisch“ oder „unbekannt“.")),
    Column("progress", "Fortschritt (%)", "Progress (%)", _("Fortschritt in Prozent, 0 bis 100.")),
    Column("contact_name", "Ansprechperson", "Contact", _("Name der Ansprechperson für die Öffentlichkeit.")),
    Column("contact_email", "E-Mail", "Email", _("E-Mail-Adresse für Rückfragen.")),
    Column("contact_phone", "Telefon", "Phone", _("Telefonnummer für Rückfragen.")),
    Column("last_report_date", "Letzter Bericht", "Last report date", _("Stichtag des neuesten Statusberichts.")),
    Column("last_report_text", "Berichtstext", "Last report text", _("Text des neuesten Statusberichts.")),
]

COLUMN_KEYS = [column.key for column in COLUMNS]
LIST_SEPARATOR = "; "
COUNTY_WIDE = "kreisweit"
YES = "ja"
DATE_FORMAT = "%d.%m.%Y"
XLSX_DATE_FORMAT = "DD.MM.YYYY"
CHUNK_SIZE = 1000
# Spreadsheet programs run a cell that begins with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def headers(language="de"):
    return [column.header_en if language == "en" else column.header_de for column in COLUMNS]


def _names(objects, attribute):
    return LIST_SEPARATOR.join(getattr(item, attribute) for item in objects)


def _newest_report_text():
    from .models import StatusReport

    newest = StatusReport.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk")
    return Subquery(newest.values("text")[:1])


def project_queryset(queryset):
    """`queryset` with everything `project_row` reads, in a fixed number of queries per chunk."""
    from .models import Department, FundingProgramme, Goal, Municipality, Theme

    return (
        queryset.select_related("parent", "lead_department", "status")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("code").only("id", "code")),
            Prefetch("themes", queryset=Theme.objects.order_by("title").only("id", "title")),
            Prefetch("partner_departments", queryset=Department.objects.order_by("name").only("id", "name")),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name").only("id", "name")),
            Prefetch("funding_programmes", queryset=FundingProgramme.objects.order_by("name").only("id", "name")),
        )
        .annotate(newest_report_text=_newest_report_text())
    )


def project_row(project):
    """One entry as a list of cell values in `COLUMNS` order (str, int, Decimal, date or None)."""
    places = [place.name for place in project.municipalities.all()]
    if project.county_wide:
        places.insert(0, COUNTY_WIDE)
    return [
        project.code,
        project.title,
        str(project.get_kind_display()),
        project.parent.code if project.parent_id else "",
        project.summary,
        project.description,
        _names(project.goals.all(), "code"),
        _names(project.themes.all(), "title"),
        project.lead_department.name,
        _names(project.partner_departments.all(), "name"),
        project.external_partners,
        LIST_SEPARATOR.join(places),
        project.planned_start,
        project.planned_end,
        project.actual_start,
        project.actual_end,
        YES if project.continuous else "",
        project.cost_estimate,
        _names(project.funding_programmes.all(), "name"),
        project.funding_amount,
        project.priority,
        project.weight,
        project.status.name if project.status_id else "",
        str(project.get_traffic_light_display()),
        project.progress,
        project.contact_name,
        project.contact_email,
        project.contact_phone,
        project.last_report_date,
        getattr(project, "newest_report_text", None) or "",
    ]


def project_rows(queryset, language="de"):
    """Rows for the entries of `queryset`, in its order, read in chunks so 10,000 entries stay cheap.

    Choice labels are written in `language` (German by default, the format's language).
    """
    if not queryset.query.order_by and not queryset.query.default_ordering:
        queryset = queryset.order_by("code")
    with translation.override(language):
        for project in project_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
            yield project_row(project)


def format_csv_value(value):
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


def csv_lines(rows, language="de"):
    """The CSV file as text chunks, header first: for a StreamingHttpResponse or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(headers(language))
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow([format_csv_value(value) for value in row])
        yield flush()


def write_csv(rows, stream, language="de"):
    """Write UTF-8 with BOM, `;`-separated, to a text stream (or a binary one, which is wrapped)."""
    wrapper = None
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(stream, "mode", ""):
        wrapper = stream = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    for chunk in csv_lines(rows, language):
        stream.write(chunk)
    if wrapper is not None:
        wrapper.flush()
        wrapper.detach()


def write_xlsx(rows, stream, language="de", sheet_title="Katalog"):
    """Write one worksheet with a header row; text stays text even when it looks like a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    sheet.append(headers(language))
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = XLSX_DATE_FORMAT
            elif isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())


def template_rows():
    """The example row of the empty import template."""
    return [
        [
            "2.1.03",
            "Glasfaserausbau in den Ortsteilen",
            "Projekt",
            "",
            "Alle Haushalte im Landkreis erhalten einen Glasfaseranschluss.",
            "Ausgangslage, Vorgehen und erwartete Wirkung.",
            "2.1",
            "Digitalisierung",
            "Amt für Wirtschaftsförderung",
            "",
            "Zweckverband Breitband",
            COUNTY_WIDE,
            datetime.date(2024, 1, 1),
            datetime.date(2027, 12, 31),
            None,
            None,
            "",
            Decimal("1250000.00"),
            "Gigabitförderung",
            Decimal("900000.00"),
            "I",
            1,
            "in Planung",
            "im Plan",
            10,
            "Anna Keller",
            "wirtschaft@example.org",
            "09999 123-456",
            datetime.date(2025, 6, 30),
            "Ausschreibung vorbereitet.",
        ]
    ]
