"""Import of catalogue entries from a spreadsheet in the format of `catalogue.spreadsheet`.

Two steps: `plan_import` reads and checks the whole file and says, per row, what would be
created, changed or left alone, without writing anything; `apply_import` writes a plan in one
transaction. Entries are matched by code within the locale and updated in place; every
created or changed entry gets a published revision and a "catalogue.import" log entry that
names the `ImportRun`. Lookups (goals, departments, …) are loaded once, so neither step
issues queries per row.
"""

import calendar
import csv
import datetime
import html
import io
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale, ModelLogEntry, Revision
from wagtail.search.backends import get_search_backends

from .models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    ImportRun,
    Municipality,
    Project,
    Status,
    StatusReport,
    Theme,
    TrafficLight,
)
from .models.projects import DESCRIPTION_FEATURES
from .models.rollup import weighted_subtree_progress
from .spreadsheet import COLUMNS, COUNTY_WIDE

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ROWS = 20_000
IMPORT_ACTION = "catalogue.import"
BATCH = 500

COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_COLUMNS = ["code"]
REQUIRED_FOR_NEW = ["title", "goals", "lead_department"]
REPORT_KEYS = ["status", "traffic_light", "progress", "last_report_date", "last_report_text"]
SCALAR_FIELDS = [
    "title",
    "kind",
    "summary",
    "description",
    "external_partners",
    "county_wide",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "continuous",
    "cost_estimate",
    "funding_amount",
    "priority",
    "weight",
    "contact_name",
    "contact_email",
    "contact_phone",
]
FOREIGN_KEYS = {"lead_department": "lead_department_id"}
MANY_TO_MANY = ["goals", "themes", "partner_departments", "municipalities", "funding_programmes"]
MAX_LENGTHS = {"code": 20, "title": 255, "contact_name": 160, "contact_phone": 40}

# Further spellings seen in county spreadsheets; compared after `_normalise_header`.
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
}
TRUE_WORDS = {"ja", "j", "x", "yes", "y", "true", "wahr", "1"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0", ""}
COUNTY_WIDE_WORDS = {COUNTY_WIDE, "landkreisweit", "ganzerlandkreis", "gesamterlandkreis", "countywide"}
KIND_WORDS = {
    "projekt": Project.Kind.PROJECT,
    "project": Project.Kind.PROJECT,
    "": Project.Kind.PROJECT,
    "maßnahme": Project.Kind.MEASURE,
    "massnahme": Project.Kind.MEASURE,
    "measure": Project.Kind.MEASURE,
}
PRIORITY_WORDS = {
    "i": "I",
    "1": "I",
    "hoch": "I",
    "high": "I",
    "ii": "II",
    "2": "II",
    "mittel": "II",
    "medium": "II",
    "iii": "III",
    "3": "III",
    "niedrig": "III",
    "low": "III",
    "": "",
}
LIGHT_WORDS = {
    "": TrafficLight.UNKNOWN,
    "grün": TrafficLight.ON_TRACK,
    "green": TrafficLight.ON_TRACK,
    "ontrack": TrafficLight.ON_TRACK,
    "gelb": TrafficLight.AT_RISK,
    "yellow": TrafficLight.AT_RISK,
    "atrisk": TrafficLight.AT_RISK,
    "rot": TrafficLight.OFF_TRACK,
    "red": TrafficLight.OFF_TRACK,
    "offtrack": TrafficLight.OFF_TRACK,
    "grau": TrafficLight.UNKNOWN,
    "grey": TrafficLight.UNKNOWN,
    "gray": TrafficLight.UNKNOWN,
}
MONEY_MULTIPLIERS = [
    (re.compile(r"(mrd\.?|milliarden?)$"), Decimal("1000000000")),
    (re.compile(r"(mio\.?|millionen?)$"), Decimal("1000000")),
    (re.compile(r"(tsd\.?|tausend|t)$"), Decimal("1000")),
]
HTML_TAG = re.compile(r"<[a-zA-Z][^>]*>")
FORMULA_PREFIXES = ("=", "+", "-", "@")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is meant for the person who uploaded it."""


class CellError(ValueError):
    pass


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = _("Zeile %(row)s") % {"row": self.row} if self.row else _("Datei")
        if self.column:
            where = f"{where}, {_('Spalte')} „{self.column}“"
        return f"{where}: {self.message}"


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class Pending:
    """A taxonomy term that does not exist yet and will be created on apply (--create-missing)."""

    kind: str
    name: str
    extra: dict = field(default_factory=dict)

    def __hash__(self):
        return hash((self.kind, self.name.casefold()))

    def __eq__(self, other):
        return isinstance(other, Pending) and (self.kind, self.name.casefold()) == (other.kind, other.name.casefold())


@dataclass
class RowPlan:
    row: int
    code: str
    action: str  # "create", "change" or "unchanged"
    values: dict
    changes: list = field(default_factory=list)
    project: Project | None = None
    report: dict | None = None  # the status report to create or update


@dataclass
class ImportPlan:
    file_name: str
    locale: Locale
    create_missing: bool
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    columns: list = field(default_factory=list)

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in ("create", "change", "unchanged")}

    @property
    def ok(self):
        return not self.errors


# Reading the file -----------------------------------------------------------------------


def _normalise_header(text):
    return re.sub(r"[\s_\-.:/()%€]+", "", str(text or "").casefold())


HEADER_LOOKUP = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.header_de, _column.header_en, *HEADER_ALIASES.get(_column.key, [])):
        HEADER_LOOKUP.setdefault(_normalise_header(_name), _column.key)


def _file_size(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def read_table(fileobj, file_name):
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
    numbered = [(number, cells) for number, cells in rows if any(_is_filled(cell) for cell in cells)]
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


def _is_filled(cell):
    return cell is not None and str(cell).strip() != ""


def _read_xlsx(fileobj):
    from openpyxl import load_workbook

    try:
        # Formulas are never calculated here: data_only gives the value Excel last saved.
        workbook = load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    except Exception as error:
        raise ImportFileError(
            _("Die Excel-Datei kann nicht gelesen werden. Ist sie beschädigt oder geschützt?")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()
    return rows, []


def _decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_csv(raw):
    text = _decode(raw)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", ",", "\t"], key=first_line.count)
    warnings = []
    rows = []
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


def map_columns(header):
    """Return {cell position: column key} and the problems found in the header row."""
    mapping, problems, seen = {}, [], {}
    for position, cell in enumerate(header):
        if not _is_filled(cell):
            continue
        key = HEADER_LOOKUP.get(_normalise_header(cell))
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


# Cell values -----------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_date(value, end=False):
    """A date from a date cell, 01.06.2019, 1.6.19, 06/2019, 06.2019, 2019 or 2019-06-01.

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
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, AttributeError) as error:
            raise CellError(_date_message(value)) from error
    text = _text(value)
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
    except ValueError as error:
        raise CellError(_date_message(text)) from error
    raise CellError(_date_message(text))


def _date_message(value):
    return _("„%(value)s“ ist kein gültiges Datum. Erwartet wird z. B. 01.06.2019, 06/2019 oder 2019.") % {
        "value": value
    }


def parse_money(value):
    """Euros from 1.250.000,00 €, 1,5 Mio. €, 250 T€, 1250000 or a number cell."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = _text(value).casefold().replace("\xa0", "").replace(" ", "")
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


def parse_whole_number(value, *, percent=False):
    if value is None or value == "":
        return None
    if isinstance(value, float) and percent and 0 < value < 1:
        # A cell formatted as percentage holds the fraction.
        value *= 100
    text = _text(value).replace("%", "").replace(",", ".").strip()
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise CellError(_("„%(value)s“ ist keine Zahl.") % {"value": value}) from error
    if number != number.to_integral_value() or number < 0:
        raise CellError(_("„%(value)s“ ist keine ganze Zahl ab 0.") % {"value": value})
    number = int(number)
    if percent and number > 100:
        raise CellError(_("Der Fortschritt muss zwischen 0 und 100 Prozent liegen."))
    return number


def parse_choice(value, words, labels, message):
    text = _text(value).casefold()
    compact = re.sub(r"[\s_\-–]+", "", text)
    for candidate in (text, compact):
        if candidate in words:
            return words[candidate]
        if candidate in labels:
            return labels[candidate]
    raise CellError(message % {"value": _text(value)})


def _labels(choices):
    """Keys and German labels of a TextChoices, casefolded and without spaces."""
    labels = {}
    for key, label in choices.choices:
        for text in (key, str(label)):
            labels[text.casefold()] = key
            labels[re.sub(r"[\s_\-–]+", "", text.casefold())] = key
    return labels


def split_list(value, commas=False):
    parts = re.split(r"[;\n]" if not commas else r"[;,\n]", _text(value))
    return [part.strip() for part in parts if part.strip()]


def clean_description(text):
    if not text:
        return ""
    if HTML_TAG.search(text):
        from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

        return EditorHTMLConverter(features=DESCRIPTION_FEATURES).to_database_format(text)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{html.escape(part).replace(chr(10), '<br/>')}</p>" for part in paragraphs)


# Lookups ---------------------------------------------------------------------------------


def _key(text):
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


class Vocabulary:
    """Every taxonomy term by its names and codes, loaded once per import."""

    def __init__(self, create_missing):
        taxonomy_locale = Locale.get_default()
        self.create_missing = create_missing
        self.pending = {}
        self.goals, self.goal_titles, self.names = {}, {}, {}
        for goal in Goal.objects.filter(locale=taxonomy_locale).only("id", "code", "title", "area_id"):
            self.goals[goal.code] = goal
            self.goal_titles.setdefault(_key(goal.title), goal)
        self.areas = {area.code: area for area in Area.objects.filter(locale=taxonomy_locale)}
        self.by_id = {"goals": {goal.pk: goal for goal in self.goals.values()}}
        self.lookups = {}
        for kind, model, attributes in (
            ("themes", Theme, ("title", "slug")),
            ("departments", Department, ("name", "short_name")),
            ("municipalities", Municipality, ("name", "ags", "slug")),
            ("funding_programmes", FundingProgramme, ("name", "slug")),
            ("statuses", Status, ("name", "slug")),
        ):
            queryset = model.objects.all()
            if kind != "municipalities":
                queryset = queryset.filter(locale=taxonomy_locale)
            objects = list(queryset)
            table = {}
            for attribute in attributes:
                for instance in objects:
                    table.setdefault(_key(getattr(instance, attribute)), instance)
            self.lookups[kind] = table
            self.by_id[kind] = {instance.pk: instance for instance in objects}
        self.locale = taxonomy_locale

    def name_of(self, kind, item):
        if isinstance(item, Pending):
            return item.name
        return str(item.code if kind == "goals" else item)

    def find(self, kind, name):
        found = self.lookups[kind].get(_key(name))
        if found is not None:
            return found
        pending = self.pending.get((kind, _key(name)))
        if pending is not None:
            return pending
        if not self.create_missing:
            raise CellError(_UNKNOWN[kind] % {"name": name})
        if kind == "municipalities":
            match = re.fullmatch(r"(.+?)\s*\((\d{8})\)", name)
            if not match:
                raise CellError(
                    _(
                        "Die Gemeinde „%(name)s“ ist unbekannt. Zum Anlegen den Gemeindeschlüssel in Klammern "
                        "angeben, z. B. „%(name)s (09123456)“."
                    )
                    % {"name": name}
                )
            found = self.lookups[kind].get(_key(match.group(1))) or self.lookups[kind].get(match.group(2))
            if found is not None:
                return found
            pending = Pending(kind, match.group(1), {"ags": match.group(2)})
        else:
            pending = Pending(kind, name)
        self.pending[(kind, _key(name))] = pending
        return pending

    def find_goal(self, token):
        goal = self.goals.get(token) or self.goal_titles.get(_key(token))
        if goal is not None:
            return goal
        pending = self.pending.get(("goals", token))
        if pending is not None:
            return pending
        if not re.fullmatch(r"\d+(\.\d+)+", token):
            raise CellError(_UNKNOWN["goals"] % {"name": token})
        if not self.create_missing:
            raise CellError(_UNKNOWN["goals"] % {"name": token})
        if token.split(".")[0] not in self.areas:
            raise CellError(
                _("Das Ziel %(code)s kann nicht angelegt werden: Es gibt kein Handlungsfeld %(area)s.")
                % {"code": token, "area": token.split(".")[0]}
            )
        pending = Pending("goals", token)
        self.pending[("goals", token)] = pending
        return pending

    def create_pending(self):
        """Create the missing terms, parents first, and return {Pending: instance}."""
        created = {}
        for (kind, _name), pending in sorted(self.pending.items(), key=lambda item: (item[0][0], len(item[0][1]))):
            if kind == "goals":
                code = pending.name
                parent_code = code.rsplit(".", 1)[0]
                parent = self.goals.get(parent_code) or created.get(Pending("goals", parent_code))
                instance = Goal(
                    code=code, title=code, area=self.areas[code.split(".")[0]], parent=parent, locale=self.locale
                )
                instance.save()
                self.goals[code] = instance
            elif kind == "departments":
                instance = Department.objects.create(
                    name=pending.name, short_name=pending.name[:40], locale=self.locale
                )
            elif kind == "municipalities":
                instance = Municipality.objects.create(name=pending.name, ags=pending.extra["ags"])
            elif kind == "themes":
                instance = Theme.objects.create(
                    title=pending.name, slug=self._slug(Theme, pending.name), locale=self.locale
                )
            elif kind == "funding_programmes":
                instance = FundingProgramme.objects.create(
                    name=pending.name, slug=self._slug(FundingProgramme, pending.name), locale=self.locale
                )
            else:
                instance = Status.objects.create(
                    name=pending.name, slug=self._slug(Status, pending.name), locale=self.locale
                )
            created[pending] = instance
        return created

    def _slug(self, model, name):
        base = slugify(name)[:70] or "eintrag"
        slug, number = base, 2
        while model.objects.filter(slug=slug, locale=self.locale).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug


_UNKNOWN = {
    "goals": gettext_lazy(
        "Das Ziel „%(name)s“ gibt es nicht. Bitte Nummer oder Titel eines vorhandenen Ziels angeben."
    ),
    "themes": gettext_lazy("Das Querschnittsthema „%(name)s“ gibt es nicht."),
    "departments": gettext_lazy(
        "Die Stelle „%(name)s“ gibt es nicht. Bitte Namen oder Kurznamen einer vorhandenen Stelle angeben."
    ),
    "municipalities": gettext_lazy("Die Gemeinde „%(name)s“ gibt es nicht."),
    "funding_programmes": gettext_lazy("Das Förderprogramm „%(name)s“ gibt es nicht."),
    "statuses": gettext_lazy("Den Status „%(name)s“ gibt es nicht."),
}


# Planning --------------------------------------------------------------------------------

KIND_LABELS = _labels(Project.Kind)
PRIORITY_LABELS = _labels(Project.Priority)
LIGHT_LABELS = _labels(TrafficLight)
LIGHT_LABELS.update(
    {"ontrack": TrafficLight.ON_TRACK, "atrisk": TrafficLight.AT_RISK, "offtrack": TrafficLight.OFF_TRACK}
)
END_DATES = {"planned_end", "actual_end"}
DATES = {"planned_start", "planned_end", "actual_start", "actual_end", "last_report_date"}
MONEY = {"cost_estimate", "funding_amount"}
LISTS = {"themes": "themes", "partner_departments": "departments", "funding_programmes": "funding_programmes"}


def parse_row(cells, mapping, vocabulary):
    """Return (values by column key, [(column key, message)]) for one row's cells."""
    values, problems = {}, []
    for position, key in mapping.items():
        raw = cells[position] if position < len(cells) else None
        try:
            _parse_cell(key, raw, values, vocabulary)
        except CellError as error:
            problems.append((key, str(error)))
    return values, problems


def _parse_cell(key, raw, values, vocabulary):
    if key in DATES:
        values[key] = parse_date(raw, end=key in END_DATES)
    elif key in MONEY:
        values[key] = parse_money(raw)
    elif key == "progress":
        values[key] = parse_whole_number(raw, percent=True)
    elif key == "weight":
        number = parse_whole_number(raw)
        values[key] = 1 if number is None else number
    elif key == "continuous":
        text = _text(raw).casefold()
        if text not in TRUE_WORDS | FALSE_WORDS:
            raise CellError(_("„%(value)s“ verstehe ich nicht; bitte „ja“ oder leer lassen.") % {"value": _text(raw)})
        values[key] = text in TRUE_WORDS
    elif key == "kind":
        values[key] = parse_choice(
            raw, KIND_WORDS, KIND_LABELS, _("„%(value)s“ ist keine Art; erlaubt: Projekt, Maßnahme.")
        )
    elif key == "priority":
        values[key] = parse_choice(
            raw, PRIORITY_WORDS, PRIORITY_LABELS, _("„%(value)s“ ist keine Priorität; erlaubt: I, II, III.")
        )
    elif key == "traffic_light":
        values[key] = parse_choice(
            raw,
            LIGHT_WORDS,
            LIGHT_LABELS,
            _("„%(value)s“ ist keine Ampel; erlaubt: im Plan, gefährdet, kritisch, unbekannt."),
        )
    elif key == "goals":
        goals = []
        for part in split_list(raw):
            tokens = [part]
            if part.casefold() not in vocabulary.goal_titles and part not in vocabulary.goals and "," in part:
                tokens = [token.strip() for token in part.split(",") if token.strip()]
            for token in tokens:
                goal = vocabulary.find_goal(token)
                if goal not in goals:
                    goals.append(goal)
        values[key] = goals
    elif key in LISTS:
        found = []
        for name in split_list(raw):
            item = vocabulary.find(LISTS[key], name)
            if item not in found:
                found.append(item)
        values[key] = found
    elif key == "municipalities":
        places, county_wide = [], False
        for name in split_list(raw):
            if re.sub(r"[\s\-]+", "", name.casefold()) in COUNTY_WIDE_WORDS:
                county_wide = True
                continue
            place = vocabulary.find("municipalities", name)
            if place not in places:
                places.append(place)
        values["municipalities"], values["county_wide"] = places, county_wide
    elif key == "lead_department":
        text = _text(raw)
        values[key] = vocabulary.find("departments", text) if text else None
    elif key == "status":
        text = _text(raw)
        values[key] = vocabulary.find("statuses", text) if text else None
    else:
        text = _text(raw)
        if key in MAX_LENGTHS and len(text) > MAX_LENGTHS[key]:
            raise CellError(_("Der Text ist länger als %(max)s Zeichen.") % {"max": MAX_LENGTHS[key]})
        if key == "contact_email" and text:
            try:
                validate_email(text)
            except ValidationError as error:
                raise CellError(_("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": text}) from error
        values[key] = text


def _comparable(key, value):
    if isinstance(value, list):
        return frozenset(item if isinstance(item, Pending) else item.pk for item in value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def display(key, value):
    """A value as the preview shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "; ".join(item.name if isinstance(item, Pending) else _term_name(key, item) for item in value)
    if isinstance(value, Pending):
        return value.name
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f} €".replace(",", " ").replace(".", ",").replace(" ", ".")
    if key == "kind":
        return str(Project.Kind(value).label)
    if key == "traffic_light":
        return str(TrafficLight(value).label)
    return str(value)


def _term_name(key, item):
    return item.code if key == "goals" else str(item)


def current_values(project):
    """An existing entry in the shape `parse_row` gives, for comparison."""
    values = {
        "code": project.code,
        "parent_code": project.parent.code if project.parent_id else "",
        "lead_department": project.lead_department,
        "goals": list(project.goals.all()),
        "themes": list(project.themes.all()),
        "partner_departments": list(project.partner_departments.all()),
        "municipalities": list(project.municipalities.all()),
        "funding_programmes": list(project.funding_programmes.all()),
        "status": project.status,
        "traffic_light": project.traffic_light,
        "progress": project.progress,
        "last_report_date": project.last_report_date,
        "last_report_text": getattr(project, "newest_report_text", None) or "",
    }
    for name in SCALAR_FIELDS:
        values[name] = getattr(project, name)
    return values


def _existing_projects(locale):
    from .spreadsheet import project_queryset

    return {project.code: project for project in project_queryset(Project.objects.filter(locale=locale))}


def plan_import(fileobj, file_name, locale=None, create_missing=False, progress=None):
    """Read and check a whole file; nothing is written. `progress(done, total)` is called as rows go."""
    locale = locale or Locale.get_default()
    plan = ImportPlan(file_name=file_name, locale=locale, create_missing=create_missing)
    try:
        header, body, warnings = read_table(fileobj, file_name)
        mapping, header_warnings = map_columns(header)
    except ImportFileError as error:
        plan.errors.append(Problem(None, "", str(error)))
        return plan
    plan.warnings.extend(header_warnings)
    plan.columns = list(mapping.values())
    for warning in warnings:
        position = int(warning.column) - 1
        warning.column = COLUMN_BY_KEY[mapping[position]].header_de if position in mapping else warning.column
        plan.warnings.append(warning)
    plan.vocabulary = Vocabulary(create_missing)
    plan.existing = _existing_projects(locale)
    seen_codes = {}
    for done, (number, cells) in enumerate(body, start=1):
        values, problems = parse_row(cells, mapping, plan.vocabulary)
        for key, message in problems:
            plan.errors.append(Problem(number, COLUMN_BY_KEY[key].header_de, message))
        code = values.get("code", "")
        if not code:
            plan.errors.append(Problem(number, COLUMN_BY_KEY["code"].header_de, _("Die Nummer fehlt.")))
        elif code in seen_codes:
            plan.errors.append(
                Problem(
                    number,
                    COLUMN_BY_KEY["code"].header_de,
                    _("Die Nummer %(code)s steht schon in Zeile %(row)s.") % {"code": code, "row": seen_codes[code]},
                )
            )
        else:
            seen_codes[code] = number
            if not any(key == "code" for key, _message in problems):
                plan.rows.append(_plan_row(plan, number, code, values, {key for key, _message in problems}))
        if progress is not None and (done % 500 == 0 or done == len(body)):
            progress(done, len(body))
    _check_parents(plan)
    return plan


def _plan_row(plan, number, code, values, failed):
    project = plan.existing.get(code)
    old = current_values(project) if project else {}
    row = RowPlan(
        row=number, code=code, action="create" if project is None else "change", values=values, project=project
    )

    def error(key, message):
        plan.errors.append(Problem(number, COLUMN_BY_KEY[key].header_de, message))

    for key in REQUIRED_FOR_NEW:
        if key in failed:
            continue
        missing = not values.get(key) if (project is None or key in values) else False
        if missing:
            error(
                key,
                {
                    "title": _("Der Titel fehlt."),
                    "goals": _("Mindestens ein Ziel ist nötig."),
                    "lead_department": _("Die federführende Stelle fehlt."),
                }[key],
            )
    merged = {**old, **values}
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if merged.get(start) and merged.get(end) and merged[end] < merged[start]:
            error(end, _("Das Ende liegt vor dem Beginn."))

    if "description" in values and project is not None:
        if _comparable("description", values["description"]) == _comparable("description", project.description):
            values["description"] = project.description
        else:
            values["description"] = clean_description(values["description"])
    elif "description" in values:
        values["description"] = clean_description(values["description"])

    if project is not None:
        for key, new in values.items():
            if key in ("code", *REPORT_KEYS) or key not in old:
                continue
            if _comparable(key, old[key]) != _comparable(key, new):
                row.changes.append(FieldChange(key, _label(key), display(key, old[key]), display(key, new)))

    row.report = _plan_report(plan, row, old, values, error)
    if project is not None and not row.changes and row.report is None:
        row.action = "unchanged"
    return row


def _label(key):
    if key == "county_wide":
        return _("Kreisweit")
    return COLUMN_BY_KEY[key].header_de


def _plan_report(plan, row, old, values, error):
    if not any(key in values for key in REPORT_KEYS):
        return None
    current = {
        "status": old.get("status"),
        "traffic_light": old.get("traffic_light", TrafficLight.UNKNOWN),
        "progress": old.get("progress", 0),
        "last_report_date": old.get("last_report_date"),
        "last_report_text": old.get("last_report_text", ""),
    }
    wanted = dict(current)
    for key in REPORT_KEYS:
        if key in values:
            wanted[key] = values[key]
    if wanted["traffic_light"] is None:
        wanted["traffic_light"] = TrafficLight.UNKNOWN
    if wanted["progress"] is None:
        wanted["progress"] = wanted["status"].default_progress if isinstance(wanted["status"], Status) else 0
    if all(_comparable(key, current[key]) == _comparable(key, wanted[key]) for key in REPORT_KEYS):
        return None
    date = wanted["last_report_date"]
    if date is None:
        if _comparable("status", current["status"]) != _comparable("status", wanted["status"]) or (
            current["traffic_light"] != wanted["traffic_light"]
        ):
            error("last_report_date", _("Für Status und Ampel wird das Datum des Berichts gebraucht."))
        elif current["progress"] != wanted["progress"]:
            plan.warnings.append(
                Problem(
                    row.row,
                    COLUMN_BY_KEY["progress"].header_de,
                    _("Ein Fortschritt ohne Berichtsdatum wird nicht übernommen."),
                )
            )
        return None
    if wanted["status"] is None:
        error("status", _("Für den Statusbericht fehlt der Status."))
        return None
    last = current["last_report_date"]
    if last is not None and date < last:
        error(
            "last_report_date",
            _(
                "Der Bericht vom %(date)s ist älter als der neueste Bericht vom %(last)s. "
                "Ältere Berichte bitte im Redaktionssystem ändern."
            )
            % {"date": date.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")},
        )
        return None
    for key in REPORT_KEYS:
        if row.project is not None and _comparable(key, current[key]) != _comparable(key, wanted[key]):
            row.changes.append(FieldChange(key, _label(key), display(key, current[key]), display(key, wanted[key])))
    return {**wanted, "update": last is not None and date == last}


def _check_parents(plan):
    parents = {code: (project.parent.code if project.parent_id else "") for code, project in plan.existing.items()}
    for row in plan.rows:
        if "parent_code" in row.values:
            parents[row.code] = row.values["parent_code"]
    for row in plan.rows:
        parent = row.values.get("parent_code")
        if not parent:
            continue
        column = COLUMN_BY_KEY["parent_code"].header_de
        if parent not in parents:
            plan.errors.append(
                Problem(row.row, column, _("Einen Eintrag mit der Nummer %(code)s gibt es nicht.") % {"code": parent})
            )
            continue
        seen, code = {row.code}, parent
        while code:
            if code in seen:
                plan.errors.append(
                    Problem(
                        row.row,
                        column,
                        _("Der Eintrag kann nicht sich selbst oder seinem Untereintrag untergeordnet werden."),
                    )
                )
                break
            seen.add(code)
            code = parents.get(code, "")


# Applying --------------------------------------------------------------------------------


class _Resolver:
    def __init__(self, created):
        self.created = created

    def __call__(self, value):
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, Pending):
            return self.created[value]
        return value


def apply_import(plan, user=None, run=None, progress=None):
    """Write `plan` in one transaction and return the `ImportRun`. Refuses a plan with errors."""
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    with transaction.atomic():
        if run is None:
            run = ImportRun.objects.create(
                file_name=plan.file_name, user=user, locale=plan.locale, create_missing=plan.create_missing
            )
        resolve = _Resolver(plan.vocabulary.create_pending())
        by_code = dict(plan.existing)
        work = [row for row in plan.rows if row.action != "unchanged"]
        done = 0

        def advance(count):
            nonlocal done
            done += count
            if progress is not None:
                progress(done, len(work))

        created = _create_entries(
            plan, [row for row in work if row.action == "create"], by_code, resolve, user, run, advance
        )
        for row in work:
            if row.action == "change":
                _change_entry(row, by_code, resolve, user, run)
                advance(1)
        _rollup(plan.locale, created)
        counts = plan.counts
        run.rows = len(plan.rows)
        run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
        run.errors = 0
        run.state = ImportRun.State.APPLIED
        run.finished_at = timezone.now()
        run.save()
    return run


def _log_data(run, row):
    return {"import_run": run.pk, "file_name": run.file_name, "row": row.row}


def _set_values(entry, row, by_code, resolve):
    values = row.values
    for name in SCALAR_FIELDS:
        if name in values:
            setattr(entry, name, values[name])
    if "lead_department" in values:
        entry.lead_department = resolve(values["lead_department"])
    # New entries get their parents after all of them exist (`by_code` is None then).
    if "parent_code" in values and by_code is not None:
        entry.parent = by_code[values["parent_code"]] if values["parent_code"] else None
    for name in MANY_TO_MANY:
        if name in values:
            getattr(entry, name).set(resolve(values[name]))


def _new_report(entry, report, resolve, user):
    return StatusReport(
        project=entry,
        date=report["last_report_date"],
        status=resolve(report["status"]),
        traffic_light=report["traffic_light"],
        progress=report["progress"],
        text=report["last_report_text"],
        author=user,
        department=entry.lead_department,
    )


def _create_entries(plan, rows, by_code, resolve, user, run, advance):
    """New entries in bulk: rows, links, reports, a published revision and a log entry each."""
    now = timezone.now()
    entries = []
    for row in rows:
        entry = Project(
            code=row.code,
            locale=plan.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        _set_values(entry, row, None, resolve)
        entry.slug = entry.slug or slugify(f"{entry.code} {entry.title}")[:120]
        # Child relations held in memory, so that each revision is built without a query.
        entry.links, entry.documents, entry.reports = [], [], []
        for name in MANY_TO_MANY:
            if name not in row.values:
                getattr(entry, name).set([])
        if row.report:
            report = _new_report(entry, row.report, resolve, user)
            entry.reports = [report]
            entry.status = report.status
            entry.traffic_light = report.traffic_light
            entry.progress = report.progress
            entry.last_report_date = report.date
        entries.append((row, entry))
    for start in range(0, len(entries), BATCH):
        Project.objects.bulk_create([entry for _row, entry in entries[start : start + BATCH]])
    for row, entry in entries:
        by_code[row.code] = entry
    with_parent = []
    for row, entry in entries:
        if row.values.get("parent_code"):
            entry.parent = by_code[row.values["parent_code"]]
            with_parent.append(entry)
    _update_columns(["parent_id"], [(entry.parent_id, entry.pk) for entry in with_parent])
    reports = []
    for _row, entry in entries:
        for report in entry.reports.all():
            report.project_id = entry.pk
            reports.append(report)
    StatusReport.objects.bulk_create(reports, batch_size=BATCH)
    for name in MANY_TO_MANY:
        through = getattr(Project, name).through
        target = getattr(Project, name).rel.model._meta.model_name
        links = [
            through(project_id=entry.pk, **{f"{target}_id": item.pk})
            for _row, entry in entries
            for item in getattr(entry, name).all()
        ]
        through.objects.bulk_create(links, batch_size=BATCH)

    content_type = ContentType.objects.get_for_model(Project, for_concrete_model=False)
    base_content_type = ContentType.objects.get_for_model(Project)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=str(entry.pk),
            user=user,
            created_at=now,
            content=entry.serializable_data(),
            object_str=str(entry),
        )
        for _row, entry in entries
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    for (_row, entry), revision in zip(entries, revisions, strict=True):
        entry.latest_revision = entry.live_revision = revision
    _update_columns(
        ["latest_revision_id", "live_revision_id"],
        [(revision.pk, revision.pk, entry.pk) for (_row, entry), revision in zip(entries, revisions, strict=True)],
    )
    action_uuid = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(entry.pk),
                label=str(entry),
                action=IMPORT_ACTION,
                data={**_log_data(run, row), "created": True},
                timestamp=now,
                uuid=action_uuid,
                user=user,
                revision=revision,
                content_changed=True,
            )
            for (row, entry), revision in zip(entries, revisions, strict=True)
        ],
        batch_size=BATCH,
    )
    created = [entry for _row, entry in entries]
    for backend in get_search_backends():
        backend.add_bulk(Project, created)
    advance(len(entries))
    return created


def _update_columns(columns, rows):
    """One UPDATE per entry through executemany: far cheaper than bulk_update's CASE over thousands of ids."""
    table = Project._meta.db_table
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _change_entry(row, by_code, resolve, user, run):
    """One existing entry through Wagtail's own path: revision, log entry, publish."""
    from wagtail.log_actions import log

    entry = row.project
    _set_values(entry, row, by_code, resolve)
    if row.report:
        reports = list(entry.reports.all())
        newest = reports[0] if reports and row.report["update"] else None
        if newest is not None:
            newest.status = resolve(row.report["status"])
            newest.traffic_light = row.report["traffic_light"]
            newest.progress = row.report["progress"]
            newest.text = row.report["last_report_text"]
        else:
            reports.insert(0, _new_report(entry, row.report, resolve, user))
        entry.reports = reports
    revision = entry.save_revision(user=user, log_action=False, clean=False)
    log(
        instance=entry,
        action=IMPORT_ACTION,
        user=user,
        revision=revision,
        data={**_log_data(run, row), "fields": [change.key for change in row.changes]},
        content_changed=True,
    )
    # The import permission is the gate: whoever may import publishes what the import changes.
    revision.publish(user=user, log_action=False, skip_permission_checks=True)


def _rollup(locale, created):
    """Progress of parents from their new sub-entries, computed once for the whole import."""
    if not any(entry.parent_id for entry in created):
        return
    rows = list(Project.objects.filter(locale=locale, live=True).values("pk", "parent_id", "progress", "weight"))
    parent_of = {row["pk"]: row["parent_id"] for row in rows}
    roots = set()
    for entry in created:
        pk, seen = entry.pk, set()
        while parent_of.get(pk) and pk not in seen:
            seen.add(pk)
            pk = parent_of[pk]
        roots.add(pk)
    changed = {}
    for root in roots:
        changed.update(weighted_subtree_progress(rows, root))
    by_value = defaultdict(list)
    for pk, value in changed.items():
        by_value[value].append(pk)
    for value, pks in by_value.items():
        Project.objects.filter(pk__in=pks).update(progress=value)
