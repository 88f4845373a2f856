"""The yearly report as a workbook, written in the style of the catalogue's XLSX export (`catalogue.imports.writers`).

A sibling of that writer rather than a use of it: the catalogue's writes the one catalogue
column set, this one several sheets with their own headers. Text stays text even when it looks
like a formula; amounts are numbers with a euro format.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from catalogue.imports import LICENCE_NAME, LICENCE_URL
from catalogue.imports.writers import BinaryWriter

from .report import YearReport

EURO_FORMAT = '#,##0.00 "€"'
NUMBER_FORMAT = "#,##0.####"


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    money: frozenset[int] = frozenset()


def write_workbook(sheets: Sequence[Sheet], stream: BinaryWriter, properties: dict[str, str] | None = None) -> None:
    workbook = Workbook(write_only=True)
    for name, value in (properties or {}).items():
        setattr(workbook.properties, name, value)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        header = []
        for text in spec.headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            cells = []
            for position, value in enumerate(row):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(value, Decimal):
                    cell.number_format = EURO_FORMAT if position in spec.money else NUMBER_FORMAT
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else (_("ja") if flag else _("nein"))


def report_sheets(report: YearReport) -> list[Sheet]:
    products = Sheet(
        _("Produkte"),
        [
            _("Produktnummer"),
            _("Bezeichnung"),
            _("Ebene"),
            _("Verantwortlich"),
            _("Aufwand Plan"),
            _("Aufwand Ist"),
            _("Ertrag Plan"),
            _("Ertrag Ist"),
            _("Investitionen Plan"),
            _("Investitionen Ist"),
        ],
        [
            [
                product.key,
                product.name,
                product.level,
                product.department,
                product.amounts.expense_planned,
                product.amounts.expense_actual,
                product.amounts.income_planned,
                product.amounts.income_actual,
                product.amounts.investment_planned,
                product.amounts.investment_actual,
            ]
            for product in report.products
        ],
        money=frozenset(range(4, 10)),
    )
    goals = Sheet(
        _("Ziele"),
        [_("Produktnummer"), _("Ziel"), _("Titel"), _("Anteil (%)")],
        [[product.key, goal.code, goal.title, goal.share] for product in report.products for goal in product.goals],
    )
    key_figures = Sheet(
        _("Kennzahlen"),
        [_("Produktnummer"), _("Kennzahl"), _("Einheit"), _("Richtung"), _("Plan"), _("Ist"), _("Plan erreicht")],
        [
            [product.key, item.name, item.unit, item.direction, item.planned, item.actual, _yes_no(item.met)]
            for product in report.products
            for item in product.key_figures
        ],
    )
    measures = Sheet(
        _("Maßnahmen"),
        [_("Produktnummer"), _("Nummer"), _("Titel"), _("Status"), _("Investitionsnummer"), _("Plan"), _("Ist")],
        [
            [product.key, item.code, item.title, item.status, item.investment_number, item.planned, item.actual]
            for product in report.products
            for item in product.measures
        ],
        money=frozenset({5, 6}),
    )
    licence = Sheet(_("Lizenz"), [_("Lizenz der Daten")], [[LICENCE_NAME], [LICENCE_URL]])
    return [products, goals, key_figures, measures, licence]
