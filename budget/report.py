"""The yearly report „Ziele und Kennzahlen <Jahr>“ of a Teilhaushalt: its products with goals, key figures, measures.

One payload for the page, the PDF and the XLSX, built with a fixed number of queries however
many products the Teilhaushalt has, and cached per year, Teilhaushalt, language and data version.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

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


def sub_budgets(locale: Locale) -> list[tuple[str, str]]:
    """(code, name in `locale`) of every Teilhaushalt."""
    rows = list(SubBudget.objects.filter(locale=default_locale()).order_by("order", "code"))
    names = labels_in(locale, {"name": (SubBudget, [row.translation_key for row in rows], "name")})["name"]
    return [(row.code, names.get(row.translation_key, row.name)) for row in rows]


def budget_years() -> list[int]:
    """The years with figures: the ones a report exists for."""
    return cache.versioned(
        "budget:years",
        build=lambda: list(BudgetFigure.objects.order_by("year").values_list("year", flat=True).distinct()),
    )


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
        BudgetProduct.objects.filter(sub_budget=sub_budget, locale=source)
        .select_related("department")
        .only(
            "key", "name", "depth", "translation_key", "department", "department__name", "department__translation_key"
        ),
        key=lambda product: code_sort_key(product.key),
    )
    ids = [product.pk for product in products]
    figures = {figure.product_id: figure for figure in BudgetFigure.objects.filter(product_id__in=ids, year=year)}
    links = list(
        GoalProductLink.objects.filter(product_id__in=ids)
        .select_related("goal")
        .only("product", "weight", "goal", "goal__code", "goal__title", "goal__translation_key")
        .order_by("goal__code")
    )
    key_figures = list(KeyFigure.objects.filter(product_id__in=ids, locale=source).order_by("order", "name"))
    values = {
        value.key_figure_id: value
        for value in KeyFigureValue.objects.filter(key_figure__in=key_figures, year=year).only(
            "key_figure", "planned", "actual"
        )
    }
    measures = _measures(ids, year, locale)
    labels = labels_in(
        locale,
        {
            "sub_budget": (SubBudget, [sub_budget.translation_key], "name"),
            "product": (BudgetProduct, [product.translation_key for product in products], "name"),
            "department": (
                Department,
                [product.department.translation_key for product in products if product.department],
                "name",
            ),
            "goal": (Goal, {link.goal.translation_key for link in links}, "title"),
            "kf_name": (KeyFigure, [item.translation_key for item in key_figures], "name"),
            "kf_unit": (KeyFigure, [item.translation_key for item in key_figures], "unit"),
            "status": (Status, measures.status_keys(), "name"),
        },
    )
    goals_of: dict[int, list[ReportGoal]] = defaultdict(list)
    for link in links:
        title = labels["goal"].get(link.goal.translation_key, link.goal.title)
        goals_of[link.product_id].append(ReportGoal(link.goal.code, title, link.weight))
    figures_of: dict[int, list[ReportKeyFigure]] = defaultdict(list)
    for item in key_figures:
        value = values.get(item.pk)
        planned, actual = (value.planned, value.actual) if value else (None, None)
        figures_of[item.product_id].append(
            ReportKeyFigure(
                name=labels["kf_name"].get(item.translation_key, item.name),
                unit=labels["kf_unit"].get(item.translation_key, item.unit),
                direction=str(Indicator.Direction(item.direction).label),
                planned=planned,
                actual=actual,
                met=target_met(item.direction, planned, actual),
            )
        )
    rows = [
        ReportProduct(
            pk=product.pk,
            key=product.key,
            name=labels["product"].get(product.translation_key, product.name),
            level=product.level_name,
            department=(
                labels["department"].get(product.department.translation_key, product.department.name)
                if product.department
                else ""
            ),
            amounts=_amounts(year, figures.get(product.pk)),
            goals=tuple(goals_of[product.pk]),
            key_figures=tuple(figures_of[product.pk]),
            measures=measures.of(product.pk, labels["status"]),
        )
        for product in products
    ]
    totals = YearAmounts(
        year, **{name: _sum([getattr(row.amounts, name) for row in rows]) for name in BudgetFigure.AMOUNT_FIELDS}
    )
    name = labels["sub_budget"].get(sub_budget.translation_key, sub_budget.name)
    return YearReport(year=year, code=sub_budget.code, name=name, products=tuple(rows), totals=totals)


def _amounts(year: int, figure: BudgetFigure | None) -> YearAmounts:
    if figure is None:
        return YearAmounts(year)
    return YearAmounts(
        year,
        expense_planned=figure.expense_planned,
        expense_actual=figure.expense_actual,
        income_planned=figure.income_planned,
        income_actual=figure.income_actual,
        investment_planned=figure.investment_planned,
        investment_actual=figure.investment_actual,
    )


class Measures:
    """The year's amounts on the products, and the live entries (of the reader's language) they belong to."""

    def __init__(self, amounts: list[ProjectBudgetAmount], entries: list[Project]) -> None:
        self.amounts = amounts
        self.entries = {entry.translation_key: entry for entry in entries}

    def status_keys(self) -> set[UUID]:
        return {entry.status.translation_key for entry in self.entries.values() if entry.status}

    def of(self, product_id: int, status_names: dict[UUID, str]) -> tuple[ReportMeasure, ...]:
        found = []
        for amount in self.amounts:
            entry = self.entries.get(amount.line.project.translation_key)
            if amount.line.product_id != product_id or entry is None:
                continue
            status = status_names.get(entry.status.translation_key, entry.status.name) if entry.status else ""
            found.append(
                ReportMeasure(
                    code=entry.code,
                    title=entry.title,
                    slug=entry.slug,
                    status=status,
                    investment_number=amount.line.investment_number,
                    planned=amount.planned,
                    actual=amount.actual,
                )
            )
        return tuple(sorted(found, key=lambda measure: code_sort_key(measure.code)))


def _measures(product_ids: list[int], year: int, locale: Locale) -> Measures:
    amounts = list(
        ProjectBudgetAmount.objects.filter(line__product_id__in=product_ids, year=year)
        .select_related("line__project")
        .only(
            "planned",
            "actual",
            "line",
            "line__product",
            "line__investment_number",
            "line__project",
            "line__project__translation_key",
        )
    )
    keys = {amount.line.project.translation_key for amount in amounts}
    entries = (
        list(
            Project.objects.filter(live=True, locale=locale, translation_key__in=keys)
            .select_related("status")
            .only("translation_key", "code", "title", "slug", "status", "status__name", "status__translation_key")
        )
        if keys
        else []
    )
    return Measures(amounts, entries)
