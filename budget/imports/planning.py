"""Planning a budget import: read and check the whole file, say per product, year and key figure what would change.

Rows are matched by product key (and year, and key figure name), so importing the same file
twice changes nothing the second time. An empty cell leaves the stored value as it is; two
rows that give different values for the same product and year are an error, not a guess.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.imports.cells import CellError, cell_text
from catalogue.imports.problems import Problem
from catalogue.imports.reading import ImportFileError, is_filled, read_table
from catalogue.models import Department, code_sort_key

from ..labels import default_locale
from ..models import BudgetFigure, BudgetProduct, KeyFigure, KeyFigureValue, SubBudget
from .fields import (
    AMOUNTS,
    FIELD_BY_KEY,
    KEY_FIGURE_VALUES,
    REQUIRED,
    guess_mapping,
    label,
    parse_amount,
    parse_direction,
    parse_number,
    parse_product_key,
    parse_sub_budget,
    parse_year,
)

KINDS = {
    "sub_budget": gettext_lazy("Teilhaushalte"),
    "product": gettext_lazy("Produkte"),
    "figure": gettext_lazy("Haushaltszahlen"),
    "key_figure": gettext_lazy("Kennzahlen"),
    "key_figure_value": gettext_lazy("Kennzahlwerte"),
}
ACTIONS = ("create", "change", "unchanged")
FIGURE_FIELDS = dict(zip(AMOUNTS, BudgetFigure.AMOUNT_FIELDS, strict=True))
VALUE_FIELDS = {"key_figure_planned": "planned", "key_figure_actual": "actual"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Item:
    """One row of the database the file would create or change: a product, a year's figures, a key figure, a value."""

    kind: str
    ident: tuple[Any, ...]
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    instance: Any = None
    action: str = "create"
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " · ".join(str(part) for part in self.ident)


@dataclass
class BudgetPlan:
    file_name: str
    header: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    items: dict[tuple[str, tuple[Any, ...]], Item] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def column(self, key: str) -> str:
        """A field as the file calls it (its header), or by its label where the file has no such column."""
        return next((header for header, field_key in self.mapping.items() if field_key == key), label(key))

    def of_kind(self, kind: str) -> list[Item]:
        return [item for (item_kind, _ident), item in self.items.items() if item_kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        return {action: sum(1 for item in self.items.values() if item.action == action) for action in ACTIONS}

    def counts_by_kind(self) -> list[tuple[str, dict[str, int]]]:
        return [
            (str(name), {action: sum(1 for item in self.of_kind(kind) if item.action == action) for action in ACTIONS})
            for kind, name in KINDS.items()
        ]


class Existing:
    """What the database holds already, loaded once: products, sub-budgets, departments, figures, key figures."""

    def __init__(self) -> None:
        locale = default_locale()
        self.products = {product.key: product for product in BudgetProduct.objects.filter(locale=locale)}
        self.sub_budgets = {item.code: item for item in SubBudget.objects.filter(locale=locale)}
        self.sub_budget_codes: dict[int | None, str] = {item.pk: code for code, item in self.sub_budgets.items()}
        sources = {item.translation_key: item for item in Department.objects.filter(locale=locale)}
        self.departments: dict[str, Department] = {}
        for department in Department.objects.all():
            source = sources.get(department.translation_key, department)
            for name in (department.short_name, department.name):
                self.departments.setdefault(name.strip().casefold(), source)
        self.figures = {(item.product_id, item.year): item for item in BudgetFigure.objects.all()}
        self.key_figures = {
            (item.product_id, item.name.casefold()): item for item in KeyFigure.objects.filter(locale=locale)
        }
        self.values = {(item.key_figure_id, item.year): item for item in KeyFigureValue.objects.all()}


def plan_budget_import(fileobj: IO[bytes], file_name: str, mapping: Mapping[str, str] | None = None) -> BudgetPlan:
    """Read and check a whole file; nothing is written.

    `mapping` is the choice by hand, {header: field key, or "" to pass the column over}; headers it
    does not name are mapped by `guess_mapping`.
    """
    plan = BudgetPlan(file_name=file_name)
    try:
        table = read_table(fileobj, file_name)
        header, body = table.header, table.rows
        plan.header = header_texts(header)
        positions = _positions(plan, header, {**guess_mapping(header), **(mapping or {})})
    except ImportFileError as error:
        plan.errors.append(Problem(None, "", str(error)))
        return plan
    # The reader's notes name the column as the file does, as the plan's messages do.
    plan.warnings.extend(table.notes)
    existing = Existing()
    plan.rows = len(body)
    for number, cells in body:
        _plan_row(plan, existing, number, _parse(plan, number, cells, positions))
    _settle(plan, existing)
    return plan


def header_texts(header: Sequence[object]) -> list[str]:
    """The file's column headers as the mapping names them: the filled ones, stripped."""
    return [str(cell).strip() for cell in header if is_filled(cell)]


def read_header(fileobj: IO[bytes], file_name: str) -> list[str]:
    """Only the headers, for choosing the mapping; an unreadable file has none."""
    try:
        table = read_table(fileobj, file_name)
    except ImportFileError:
        return []
    return header_texts(table.header)


def _positions(plan: BudgetPlan, header: Sequence[object], mapping: dict[str, str]) -> dict[int, str]:
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, cell in enumerate(header):
        if not is_filled(cell):
            continue
        text = str(cell).strip()
        key = mapping.get(text)
        if not key:
            plan.warnings.append(Problem(1, text, _("Diese Spalte ist keinem Feld zugeordnet und wird übergangen.")))
            continue
        if key not in FIELD_BY_KEY:
            raise ImportFileError(
                _("Die Spalte „%(column)s“ ist einem unbekannten Feld zugeordnet.") % {"column": text}
            )
        # Recorded before the check, so the mapping step shows the clash it has to resolve.
        plan.mapping[text] = key
        if key in seen:
            raise ImportFileError(
                _("Die Spalten „%(first)s“ und „%(second)s“ meinen dasselbe. Bitte eine davon entfernen.")
                % {"first": seen[key], "second": text}
            )
        seen[key] = text
        positions[position] = key
    for key in REQUIRED:
        if key not in seen:
            raise ImportFileError(
                _("Die Spalte „%(column)s“ fehlt. Sie wird gebraucht, um die Zeilen den Produkten zuzuordnen.")
                % {"column": label(key)}
            )
    return positions


PARSERS = {
    "product_key": parse_product_key,
    "product_name": cell_text,
    "key_figure": cell_text,
    "key_figure_unit": cell_text,
    "department": cell_text,
    "sub_budget": parse_sub_budget,
    "year": parse_year,
    "key_figure_direction": parse_direction,
    **dict.fromkeys(AMOUNTS, parse_amount),
    **dict.fromkeys(KEY_FIGURE_VALUES, parse_number),
}
MAX_LENGTHS = {"product_name": 255, "key_figure": 255, "key_figure_unit": 40}


def _parse(plan: BudgetPlan, number: int, cells: Sequence[object], positions: dict[int, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for position, key in positions.items():
        raw = cells[position] if position < len(cells) else None
        if not is_filled(raw):
            continue
        try:
            value = PARSERS[key](raw)
        except CellError as error:
            plan.errors.append(Problem(number, plan.column(key), str(error)))
            values[key] = None
            continue
        if key in MAX_LENGTHS and isinstance(value, str) and len(value) > MAX_LENGTHS[key]:
            plan.errors.append(
                Problem(number, plan.column(key), _("Höchstens %(count)s Zeichen.") % {"count": MAX_LENGTHS[key]})
            )
            continue
        if value not in (None, ""):
            values[key] = value
    return values


def _item(plan: BudgetPlan, kind: str, ident: tuple[Any, ...], number: int) -> Item:
    return plan.items.setdefault((kind, ident), Item(kind=kind, ident=ident, row=number))


def _merge(plan: BudgetPlan, item: Item, number: int, key: str, value: Any, column: str) -> None:
    """Take the value from this row; another row's different value for the same thing is an error."""
    if key in item.values and item.values[key] != value:
        plan.errors.append(
            Problem(
                number,
                column,
                _("Der Wert widerspricht Zeile %(row)s („%(other)s“).")
                % {"row": item.sources[key], "other": _display(item.values[key])},
            )
        )
        return
    item.values[key] = value
    item.sources.setdefault(key, number)


def _plan_row(plan: BudgetPlan, existing: Existing, number: int, values: dict[str, Any]) -> None:
    key = values.get("product_key")
    if not key:
        if "product_key" not in values:
            plan.errors.append(Problem(number, plan.column("product_key"), _("Die Produktnummer fehlt.")))
        return
    product = _item(plan, "product", (key,), number)
    for name, target in (("product_name", "name"), ("department", "department")):
        if name in values:
            _merge(plan, product, number, target, values[name], plan.column(name))
    if values.get("sub_budget"):
        code, name = values["sub_budget"]
        _merge(plan, product, number, "sub_budget", code, plan.column("sub_budget"))
        sub_budget = _item(plan, "sub_budget", (code,), number)
        if name:
            _merge(plan, sub_budget, number, "name", name, plan.column("sub_budget"))
    year = values.get("year")
    amounts = [name for name in AMOUNTS if values.get(name) is not None]
    if amounts and year is None and "year" not in values:
        plan.errors.append(Problem(number, plan.column("year"), _("Für Beträge wird das Haushaltsjahr gebraucht.")))
    elif amounts and year is not None:
        figure = _item(plan, "figure", (key, year), number)
        for name in amounts:
            _merge(plan, figure, number, FIGURE_FIELDS[name], values[name], plan.column(name))
    _plan_key_figure(plan, number, key, year, values)


def _plan_key_figure(plan: BudgetPlan, number: int, key: str, year: int | None, values: dict[str, Any]) -> None:
    name = values.get("key_figure")
    given = [field_key for field_key in KEY_FIGURE_VALUES if values.get(field_key) is not None]
    if not name:
        if given or values.get("key_figure_unit") or values.get("key_figure_direction"):
            plan.errors.append(
                Problem(number, plan.column("key_figure"), _("Für Kennzahlwerte wird der Name der Kennzahl gebraucht."))
            )
        return
    figure = _item(plan, "key_figure", (key, name.casefold()), number)
    figure.values.setdefault("name", name)
    for field_key, target in (("key_figure_unit", "unit"), ("key_figure_direction", "direction")):
        if values.get(field_key):
            _merge(plan, figure, number, target, values[field_key], plan.column(field_key))
    if given and year is None and "year" not in values:
        plan.errors.append(
            Problem(number, plan.column("year"), _("Für Kennzahlwerte wird das Haushaltsjahr gebraucht."))
        )
    elif given and year is not None:
        value = _item(plan, "key_figure_value", (key, name.casefold(), year), number)
        for field_key in given:
            _merge(plan, value, number, VALUE_FIELDS[field_key], values[field_key], plan.column(field_key))


def parent_key(key: str, known: set[str]) -> str | None:
    """The longest key above `key` that exists or comes with the file: 1.1.1.01 hangs under 1.1.1, else 1.1, else 1."""
    parts = key.split(".")
    for end in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def _settle(plan: BudgetPlan, existing: Existing) -> None:
    """Compare every item with the database: create, change (with the fields that change) or unchanged."""
    known = set(existing.products) | {item.ident[0] for item in plan.of_kind("product")}
    for item in plan.of_kind("sub_budget"):
        item.instance = existing.sub_budgets.get(item.ident[0])
        if item.instance is not None:
            _compare(item, {"name": item.instance.name})
        elif "name" not in item.values:
            plan.errors.append(
                Problem(
                    item.row,
                    plan.column("sub_budget"),
                    _("Den Teilhaushalt %(code)s gibt es nicht; bitte mit Namen angeben, z. B. „TH %(code)s Soziales“.")
                    % {"code": item.ident[0]},
                )
            )
    for item in plan.of_kind("product"):
        _resolve_department(plan, existing, item)
        product = existing.products.get(item.ident[0])
        item.instance = product
        if product is None:
            item.values["parent"] = parent_key(item.ident[0], known)
            if not item.values.get("name"):
                plan.errors.append(
                    Problem(item.row, plan.column("product_name"), _("Für ein neues Produkt fehlt die Bezeichnung."))
                )
            continue
        current = {
            "name": product.name,
            "department": product.department,
            "sub_budget": existing.sub_budget_codes.get(product.sub_budget_id),
        }
        _compare(item, current)
    for item in plan.of_kind("figure"):
        product = existing.products.get(item.ident[0])
        item.instance = existing.figures.get((product.pk, item.ident[1])) if product else None
        if item.instance is not None:
            _compare(item, {name: getattr(item.instance, name) for name in item.values})
    for item in plan.of_kind("key_figure"):
        product = existing.products.get(item.ident[0])
        item.instance = existing.key_figures.get((product.pk, item.ident[1])) if product else None
        if item.instance is None:
            if not item.values.get("unit"):
                plan.errors.append(
                    Problem(item.row, plan.column("key_figure_unit"), _("Für eine neue Kennzahl fehlt die Einheit."))
                )
            continue
        item.values["name"] = item.instance.name
        _compare(item, {name: getattr(item.instance, name) for name in item.values})
    for item in plan.of_kind("key_figure_value"):
        figure_item = plan.items[("key_figure", item.ident[:2])]
        key_figure = figure_item.instance
        item.instance = existing.values.get((key_figure.pk, item.ident[2])) if key_figure else None
        if item.instance is not None:
            _compare(item, {name: getattr(item.instance, name) for name in item.values})
    plan.items = dict(sorted(plan.items.items(), key=lambda pair: (pair[0][0], _sortable(pair[0][1]))))


def _resolve_department(plan: BudgetPlan, existing: Existing, item: Item) -> None:
    """The department named in the file (short name or name, any language) as the source-language row."""
    name = item.values.get("department")
    if not name:
        item.values.pop("department", None)
        return
    department = existing.departments.get(name.casefold())
    if department is None:
        plan.errors.append(
            Problem(
                item.sources["department"],
                plan.column("department"),
                _("Eine Stelle „%(name)s“ gibt es nicht; bitte Kurzname oder Namen aus dem Redaktionssystem.")
                % {"name": name},
            )
        )
        item.values.pop("department")
        return
    item.values["department"] = department


def _sortable(ident: tuple[Any, ...]) -> tuple[Any, ...]:
    return (code_sort_key(str(ident[0])), *(str(part) for part in ident[1:]))


def _display(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text.replace(".", ",")
    return str(value)


def _compare(item: Item, current: dict[str, Any]) -> None:
    for name, new in item.values.items():
        old = current.get(name)
        if old != new:
            item.changes.append(FieldChange(_field_label(item.kind, name), _display(old), _display(new)))
    item.action = "change" if item.changes else "unchanged"


FIELD_LABELS = {
    "name": gettext_lazy("Bezeichnung"),
    "department": gettext_lazy("Verantwortlich"),
    "sub_budget": gettext_lazy("Teilhaushalt"),
    "unit": gettext_lazy("Einheit"),
    "direction": gettext_lazy("Richtung"),
    "planned": gettext_lazy("Plan"),
    "actual": gettext_lazy("Ist"),
}


def _field_label(kind: str, name: str) -> str:
    if kind == "figure":
        return label(next(key for key, target in FIGURE_FIELDS.items() if target == name))
    return str(FIELD_LABELS.get(name, name))
