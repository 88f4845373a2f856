"""The fields a budget export can fill, the headers budget systems give them, and their cells.

The planner takes a mapping {header as in the file: field key}; `guess_mapping` proposes one
from the headers, and the admin's preview (and `import_budget --column`) let the coordinator
correct it before anything is written.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.imports.cells import CellError, cell_text, parse_money
from catalogue.imports.reading import is_filled
from catalogue.imports.synonyms import normalise_header
from catalogue.models import Indicator

from ..models.products import FIRST_YEAR, LAST_YEAR


@dataclass(frozen=True)
class Field:
    key: str
    label: str | Promise
    aliases: tuple[str, ...]
    description: str | Promise


FIELDS = [
    Field(
        "product_key",
        gettext_lazy("Produktnummer"),
        ("produkt", "produktnr", "produktnummer", "produktschlüssel", "produktkennung", "nr", "product"),
        gettext_lazy("Pflicht. Nummer laut Produktplan, z. B. 1.1.1.01; ordnet die Zeile zu."),
    ),
    Field(
        "product_name",
        gettext_lazy("Bezeichnung"),
        ("produktbezeichnung", "produktname", "name", "bezeichnungprodukt", "produkttext"),
        gettext_lazy("Name des Produkts; für neue Produkte Pflicht."),
    ),
    Field(
        "sub_budget",
        gettext_lazy("Teilhaushalt"),
        ("th", "teilhaushaltsnummer", "teilhaushaltnr", "teilhh"),
        gettext_lazy("Nummer, optional mit Namen, z. B. „TH 2 Bauen und Umwelt“; neue Teilhaushalte werden angelegt."),
    ),
    Field(
        "department",
        gettext_lazy("Verantwortlich"),
        ("verantwortlichestelle", "fachbereich", "amt", "organisationseinheit", "oe", "zuständig", "zuständigkeit"),
        gettext_lazy("Kurzname oder Name einer Stelle, die es im Redaktionssystem gibt."),
    ),
    Field(
        "year",
        gettext_lazy("Haushaltsjahr"),
        ("jahr", "hhj", "haushaltjahr", "planjahr", "year"),
        gettext_lazy("Vierstellig, z. B. 2025; nötig für Beträge und Kennzahlwerte."),
    ),
    Field(
        "expense_planned",
        gettext_lazy("Aufwand Plan"),
        ("aufwendungenplan", "ansatzaufwand", "aufwandansatz", "planaufwand", "ordentlicheaufwendungenplan"),
        gettext_lazy("Betrag in Euro; ein Minuszeichen (wie viele Haushaltssysteme Aufwand ausgeben) wird übergangen."),
    ),
    Field(
        "expense_actual",
        gettext_lazy("Aufwand Ist"),
        ("aufwendungenist", "istaufwand", "ergebnisaufwand", "ordentlicheaufwendungenist"),
        gettext_lazy("Betrag in Euro."),
    ),
    Field(
        "income_planned",
        gettext_lazy("Ertrag Plan"),
        ("erträgeplan", "ansatzertrag", "ertragansatz", "planertrag", "ordentlicheerträgeplan"),
        gettext_lazy("Betrag in Euro."),
    ),
    Field(
        "income_actual",
        gettext_lazy("Ertrag Ist"),
        ("erträgeist", "istertrag", "ergebnisertrag", "ordentlicheerträgeist"),
        gettext_lazy("Betrag in Euro."),
    ),
    Field(
        "investment_planned",
        gettext_lazy("Investitionen Plan"),
        ("investitionsauszahlungenplan", "auszahlungeninvestitionenplan", "planinvestitionen", "investitionenansatz"),
        gettext_lazy("Auszahlungen für Investitionen in Euro."),
    ),
    Field(
        "investment_actual",
        gettext_lazy("Investitionen Ist"),
        ("investitionsauszahlungenist", "auszahlungeninvestitionenist", "istinvestitionen"),
        gettext_lazy("Betrag in Euro."),
    ),
    Field(
        "key_figure",
        gettext_lazy("Kennzahl"),
        ("kennzahlbezeichnung", "kennzahlname", "leistungskennzahl"),
        gettext_lazy("Name einer Kennzahl des Produkts; neue Kennzahlen werden angelegt."),
    ),
    Field(
        "key_figure_unit",
        gettext_lazy("Einheit"),
        ("kennzahleinheit", "maßeinheit", "einheitkennzahl"),
        gettext_lazy("Maßeinheit der Kennzahl; für neue Kennzahlen Pflicht."),
    ),
    Field(
        "key_figure_direction",
        gettext_lazy("Richtung"),
        ("zielrichtung", "kennzahlrichtung", "steuerungsrichtung"),
        gettext_lazy("„höher ist besser“ oder „niedriger ist besser“ (auch: steigend, fallend, +, −)."),
    ),
    Field(
        "key_figure_planned",
        gettext_lazy("Kennzahl Plan"),
        ("plankennzahl", "kennzahlsoll", "sollwert", "planwert"),
        gettext_lazy("Geplanter Wert der Kennzahl im Haushaltsjahr."),
    ),
    Field(
        "key_figure_actual",
        gettext_lazy("Kennzahl Ist"),
        ("istkennzahl", "istwert", "kennzahlergebnis"),
        gettext_lazy("Erreichter Wert der Kennzahl im Haushaltsjahr."),
    ),
]
FIELD_BY_KEY = {field.key: field for field in FIELDS}
AMOUNTS = (
    "expense_planned",
    "expense_actual",
    "income_planned",
    "income_actual",
    "investment_planned",
    "investment_actual",
)
KEY_FIGURE_VALUES = ("key_figure_planned", "key_figure_actual")
REQUIRED = ("product_key",)

_LOOKUP: dict[str, str] = {}
for _field in FIELDS:
    for _name in (_field.key, str(_field.label), *_field.aliases):
        _LOOKUP.setdefault(normalise_header(_name), _field.key)

HIGHER_WORDS = {"höheristbesser", "höher", "steigend", "hoch", "+", "higher", "mehr", "maximieren"}
LOWER_WORDS = {"niedrigeristbesser", "niedriger", "fallend", "niedrig", "-", "−", "lower", "weniger", "minimieren"}


def guess_mapping(header: Sequence[object]) -> dict[str, str]:
    """{header text: field key} for every header the fields know, in the file's spelling; unknown ones are left out."""
    mapping: dict[str, str] = {}
    for cell in header:
        if is_filled(cell) and (key := _LOOKUP.get(normalise_header(cell))) is not None:
            mapping.setdefault(str(cell).strip(), key)
    return mapping


def label(key: str) -> str:
    return str(FIELD_BY_KEY[key].label)


def _unsigned(value: object) -> object:
    """Budget systems print expense as negative, or with a trailing minus („1.234,56-“): the sign goes."""
    if isinstance(value, int | float | Decimal):
        return abs(value)
    text = cell_text(value).replace("\u2212", "-")
    if text.startswith("-"):
        return text[1:].strip()
    if text.endswith("-"):
        return text[:-1].strip()
    return text


def parse_amount(value: object) -> Decimal | None:
    return parse_money(_unsigned(value))


def parse_number(value: object) -> Decimal | None:
    """A key figure's value as Germans write it: 1.234,5 or 12,5 % or -3; a number cell as it is."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = cell_text(value).replace("\u2212", "-").replace("\xa0", "").replace(" ", "").rstrip("%")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise CellError(_("„%(value)s“ ist keine Zahl. Erwartet wird z. B. 1.234,5.") % {"value": value}) from error
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise CellError(_("Die Zahl „%(value)s“ ist zu groß.") % {"value": value})
    return number.quantize(Decimal("0.0001"))


def parse_year(value: object) -> int | None:
    if value is None or value == "":
        return None
    match = re.search(r"\d{4}", cell_text(value))
    year = int(match.group()) if match else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            _("„%(value)s“ ist kein Haushaltsjahr; erwartet wird eine Jahreszahl von %(first)s bis %(last)s.")
            % {"value": cell_text(value), "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def parse_direction(value: object) -> str | None:
    text = re.sub(r"\s+", "", cell_text(value).casefold())
    if not text:
        return None
    if text in HIGHER_WORDS:
        return Indicator.Direction.HIGHER
    if text in LOWER_WORDS:
        return Indicator.Direction.LOWER
    raise CellError(
        _("„%(value)s“ ist keine Richtung; erlaubt: „höher ist besser“, „niedriger ist besser“.")
        % {"value": cell_text(value)}
    )


def parse_product_key(value: object) -> str:
    text = cell_text(value).replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)*", text):
        raise CellError(
            _("„%(value)s“ ist keine Produktnummer; erwartet werden Zahlen mit Punkten, z. B. 1.1.1.01.")
            % {"value": cell_text(value)}
        )
    return text


def parse_sub_budget(value: object) -> tuple[str, str] | None:
    """(code, name) from „2“, „TH 2“, „Teilhaushalt 2 – Bauen“ or „2 Bauen und Umwelt“."""
    text = cell_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(?:teilhaushalt|th)?\s*([0-9A-Za-z][0-9A-Za-z-]*)\s*[-–:]?\s*(.*)", text, re.IGNORECASE)
    if match is None or not re.search(r"\d", match.group(1)):
        raise CellError(
            _("„%(value)s“ ist kein Teilhaushalt; erwartet wird eine Nummer, z. B. „2“ oder „TH 2 Bauen“.")
            % {"value": text}
        )
    return match.group(1), match.group(2).strip()
