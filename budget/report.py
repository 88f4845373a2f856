"""The yearly report „Ziele und Kennzahlen <Jahr>“ of a Teilhaushalt: its products with goals, key figures, measures.

One payload for the page, the PDF and the XLSX, built with a fixed number of queries however
many products the Teilhaushalt has, and cached per year, Teilhaushalt, language and data version.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wagtail.models import Locale

from catalogue.models import Department, Goal, Indicator, Project, Status, code_sort_key
from cms import cache

from .labels import default_locale, labels_in
from .models import (
    BudgetFigure,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureValue,
    ProjectBudgetAmount,
    SubBudget,
    target_met,
)
from .models.products import LEVEL_NAMES
from .sections import YearAmounts


@dataclass(frozen=True)
class ReportGoal:
    code: str
    title: str
    share: int

    @property
    def token(self) -> str:
        return self.code.replace(".", "-")


@dataclass(frozen=True)
class ReportKeyFigure:
    name: str
    unit: str
    direction: str
    planned: Decimal | None
    actual: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class ReportMeasure:
    code: str
    title: str
    slug: str
    status: str
    investment_number: str
    planned: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class ReportProduct:
    pk: int
    key: str
    name: str
    level: str
    department: str
    amounts: YearAmounts
    goals: tuple[ReportGoal, ...]
    key_figures: tuple[ReportKeyFigure, ...]
    measures: tuple[ReportMeasure, ...]


@dataclass(frozen=True)
class YearReport:
    year: int
    code: str
    name: str
    products: tuple[ReportProduct, ...]
    totals: YearAmounts

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}"


def sub_budgets() -> list[SubBudget]:
    return list(SubBudget.objects.filter(locale=default_locale()).order_by("order", "code"))


def budget_years() -> list[int]:
    return list(BudgetFigure.objects.order_by("year").values_list("year", flat=True).distinct())


def year_report(year: int, code: str, locale: Locale) -> YearReport | None:
    """The report, or None when there is no such Teilhaushalt."""
    return cache.versioned(
        "budget:year-report", year, code, locale.language_code, build=lambda: _build(year, code, locale)
    )


def _sum(values: list[Decimal | None]) -> Decimal | None:
    given = [value for value in values if value is not None]
    return sum(given, Decimal(0)) if given else None


def _build(year: int, code: str, locale: Locale) -> YearReport | None:
    source = default_locale()
    sub_budget = SubBudget.objects.filter(locale=source, code=code).first()
    if sub_budget is None:
        return None
    products = sorted(
        BudgetProduct.objects.filter(sub_budget=sub_budget, locale=source).values(
            "pk", "key", "name", "depth", "translation_key", "department__name", "department__translation_key"
        ),
        key=lambda row: code_sort_key(row["key"]),
    )
    ids = [row["pk"] for row in products]
    figures = {row["product_id"]: row for row in BudgetFigure.objects.filter(product_id__in=ids, year=year).values()}
    links = list(
        GoalProductLink.objects.filter(product_id__in=ids)
        .order_by("goal__code")
        .values("product_id", "weight", "goal__code", "goal__title", "goal__translation_key")
    )
    key_figures = list(
        KeyFigure.objects.filter(product_id__in=ids, locale=source)
        .order_by("order", "name")
        .values("pk", "product_id", "name", "unit", "direction", "translation_key")
    )
    values = {
        row["key_figure_id"]: row
        for row in KeyFigureValue.objects.filter(
            key_figure_id__in=[row["pk"] for row in key_figures], year=year
        ).values("key_figure_id", "planned", "actual")
    }
    measures = _measures(ids, year, locale)
    labels = labels_in(
        locale,
        {
            "sub_budget": (SubBudget, [sub_budget.translation_key], "name"),
            "product": (BudgetProduct, [row["translation_key"] for row in products], "name"),
            "department": (Department, {row["department__translation_key"] for row in products} - {None}, "name"),
            "goal": (Goal, {row["goal__translation_key"] for row in links}, "title"),
            "kf_name": (KeyFigure, [row["translation_key"] for row in key_figures], "name"),
            "kf_unit": (KeyFigure, [row["translation_key"] for row in key_figures], "unit"),
            "status": (Status, {row["status__translation_key"] for row in measures.rows} - {None}, "name"),
        },
    )
    goals_of: dict[int, list[ReportGoal]] = defaultdict(list)
    for row in links:
        title = labels["goal"].get(row["goal__translation_key"], row["goal__title"])
        goals_of[row["product_id"]].append(ReportGoal(row["goal__code"], title, row["weight"]))
    figures_of: dict[int, list[ReportKeyFigure]] = defaultdict(list)
    for row in key_figures:
        value = values.get(row["pk"], {})
        planned, actual = value.get("planned"), value.get("actual")
        figures_of[row["product_id"]].append(
            ReportKeyFigure(
                name=labels["kf_name"].get(row["translation_key"], row["name"]),
                unit=labels["kf_unit"].get(row["translation_key"], row["unit"]),
                direction=str(Indicator.Direction(row["direction"]).label),
                planned=planned,
                actual=actual,
                met=target_met(row["direction"], planned, actual),
            )
        )
    rows = []
    for row in products:
        figure = figures.get(row["pk"], {})
        rows.append(
            ReportProduct(
                pk=row["pk"],
                key=row["key"],
                name=labels["product"].get(row["translation_key"], row["name"]),
                level=str(LEVEL_NAMES[min(row["depth"], len(LEVEL_NAMES)) - 1]),
                department=labels["department"].get(row["department__translation_key"], row["department__name"] or ""),
                amounts=YearAmounts(year, **{name: figure.get(name) for name in BudgetFigure.AMOUNT_FIELDS}),
                goals=tuple(goals_of[row["pk"]]),
                key_figures=tuple(figures_of[row["pk"]]),
                measures=measures.of(row["pk"], labels["status"]),
            )
        )
    totals = YearAmounts(
        year, **{name: _sum([getattr(row.amounts, name) for row in rows]) for name in BudgetFigure.AMOUNT_FIELDS}
    )
    name = labels["sub_budget"].get(sub_budget.translation_key, sub_budget.name)
    return YearReport(year=year, code=sub_budget.code, name=name, products=tuple(rows), totals=totals)


class Measures:
    """The amounts of the year on the products and the live entries (of the reader's language) they belong to."""

    def __init__(self, rows: list[dict[str, Any]], amounts: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.by_key = {row["translation_key"]: row for row in rows}
        self.amounts = amounts

    def of(self, product_id: int, status_names: dict[Any, str]) -> tuple[ReportMeasure, ...]:
        found = []
        for amount in self.amounts:
            entry = self.by_key.get(amount["line__project__translation_key"])
            if amount["line__product_id"] != product_id or entry is None:
                continue
            status = status_names.get(entry["status__translation_key"], entry["status__name"] or "")
            found.append(
                ReportMeasure(
                    code=entry["code"],
                    title=entry["title"],
                    slug=entry["slug"],
                    status=status,
                    investment_number=amount["line__investment_number"],
                    planned=amount["planned"],
                    actual=amount["actual"],
                )
            )
        return tuple(sorted(found, key=lambda measure: code_sort_key(measure.code)))


def _measures(product_ids: list[int], year: int, locale: Locale) -> Measures:
    amounts = list(
        ProjectBudgetAmount.objects.filter(line__product_id__in=product_ids, year=year).values(
            "line__project__translation_key", "line__product_id", "line__investment_number", "planned", "actual"
        )
    )
    keys = {amount["line__project__translation_key"] for amount in amounts}
    rows = (
        list(
            Project.objects.filter(live=True, locale=locale, translation_key__in=keys).values(
                "translation_key", "code", "title", "slug", "status__name", "status__translation_key"
            )
        )
        if keys
        else []
    )
    return Measures(rows, amounts)
