"""Cell values as counties write them: German dates and sums, whole numbers, choices, lists, rich text."""

import calendar
import datetime
import html
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from catalogue.models.projects import DESCRIPTION_FEATURES

MONEY_MULTIPLIERS = [
    (re.compile(r"(mrd\.?|milliarden?)$"), Decimal("1000000000")),
    (re.compile(r"(mio\.?|millionen?)$"), Decimal("1000000")),
    (re.compile(r"(tsd\.?|tausend|t)$"), Decimal("1000")),
]


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan",),
            ("feb",),
            ("mär", "mae", "mrz", "mar"),
            ("apr",),
            ("mai", "may"),
            ("jun",),
            ("jul",),
            ("aug",),
            ("sep",),
            ("okt", "oct"),
            ("nov",),
            ("dez", "dec"),
        ],
        start=1,
    )
    for name in names
}

HTML_TAG = re.compile(r"<[a-zA-Z][^>]*>")


class CellError(ValueError):
    pass


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(value: object, end: bool = False) -> datetime.date | None:
    """A date from a date cell, 01.06.2019, 1.6.19, 06/2019, 06.2019, 2019, 2019-06-01, Q2/2019 or März 2019.

    Month and year alone mean the first day of the period for a start, its last day for an end.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        if 1900 <= value <= 2200 and float(value).is_integer():
            year = int(value)
            return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, AttributeError) as error:
            raise CellError(_date_message(value)) from error
    text = cell_text(value)
    try:
        if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})", text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year + 2000 if year < 100 else year, month, day)
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return datetime.date(*(int(part) for part in match.groups()))
        if match := re.fullmatch(r"(\d{1,2})[/.](\d{4})", text):
            month, year = int(match.group(1)), int(match.group(2))
            return _last_day(year, month) if end else datetime.date(year, month, 1)
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
        if match := re.fullmatch(
            r"(?:q|quartal\s*)([1-4])\s*[/.]?\s*(\d{4})|([1-4])\.\s*quartal\s*(\d{4})", text.casefold()
        ):
            quarter, year = (int(part) for part in (match.group(1, 2) if match.group(1) else match.group(3, 4)))
            return _last_day(year, quarter * 3) if end else datetime.date(year, quarter * 3 - 2, 1)
        if match := re.fullmatch(r"([a-zäöü]+)\.?\s*(\d{4})", text.casefold()):
            named = MONTHS.get(match.group(1)[:3])
            if named:
                year = int(match.group(2))
                return _last_day(year, named) if end else datetime.date(year, named, 1)
    except ValueError as error:
        raise CellError(_date_message(text)) from error
    raise CellError(_date_message(text))


def _date_message(value: object) -> str:
    return _("„%(value)s“ ist kein gültiges Datum. Erwartet wird z. B. 01.06.2019, 06/2019 oder 2019.") % {
        "value": value
    }


def parse_money(value: object) -> Decimal | None:
    """Euros from 1.250.000,00 €, 1,5 Mio. €, 250 T€, 1250000 or a number cell."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = cell_text(value).casefold().replace("\xa0", "").replace(" ", "")
        text = re.sub(r"(€|eur|euro)$", "", text)
        text = re.sub(r"^(€|eur)", "", text)
        multiplier = Decimal(1)
        for pattern, factor in MONEY_MULTIPLIERS:
            if pattern.search(text):
                text = pattern.sub("", text)
                multiplier = factor
                break
        text = re.sub(r"(€|eur|euro)$", "", text)
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        try:
            amount = Decimal(text) * multiplier
        except InvalidOperation as error:
            raise CellError(
                _("„%(value)s“ ist kein Betrag. Erwartet wird z. B. 1.250.000,00 €, 1,5 Mio. € oder 250 T€.")
                % {"value": value}
            ) from error
    if amount < 0:
        raise CellError(_("Der Betrag darf nicht negativ sein."))
    amount = amount.quantize(Decimal("0.01"))
    if amount >= Decimal("1e12"):
        raise CellError(_("Der Betrag ist zu groß."))
    return amount


def parse_whole_number(value: object, *, percent: bool = False) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and percent and 0 < value < 1:
        # A cell formatted as percentage holds the fraction.
        value *= 100
    text = cell_text(value).replace("%", "").replace(",", ".").strip()
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise CellError(_("„%(value)s“ ist keine Zahl.") % {"value": value}) from error
    if number != number.to_integral_value() or number < 0:
        raise CellError(_("„%(value)s“ ist keine ganze Zahl ab 0.") % {"value": value})
    whole = int(number)
    if percent and whole > 100:
        raise CellError(_("Der Fortschritt muss zwischen 0 und 100 Prozent liegen."))
    return whole


def split_list(value: object, commas: bool = False) -> list[str]:
    parts = re.split(r"[;\n]" if not commas else r"[;,\n]", cell_text(value))
    return [part.strip() for part in parts if part.strip()]


def clean_description(text: str) -> str:
    if not text:
        return ""
    if HTML_TAG.search(text):
        return EditorHTMLConverter(features=DESCRIPTION_FEATURES).to_database_format(text)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{html.escape(part).replace(chr(10), '<br/>')}</p>" for part in paragraphs)
