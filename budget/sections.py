"""„Im Haushalt“: the budget behind a goal or an area, as typed rows cached per language and data version.

A goal's section covers the goal and its sub-goals; an area's covers all of the area's goals.
Each linked product counts with its share (the sum of its links' weights from those goals):
its amounts roll up over the products below it, and the chart shows, per year, the planned
and actual expense attributed to the goal (amount x share). Building a section costs a fixed
number of queries however many products, figures or entries there are; a warm one costs none.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from wagtail.models import Locale

from catalogue.models import Area, Goal, Indicator, Project, code_sort_key, tree
from catalogue.public.options import Lookup, Option
from cms import cache

from .labels import default_locale, labels_in
from .models import (
    BudgetFigure,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureValue,
    ProjectBudget,
    ProjectBudgetAmount,
    SubBudget,
    target_met,
)
from .models.links import FULL_SHARE

MAX_PRODUCTS = 30
MAX_MEASURE_ROWS = 100
HUNDRED = Decimal(FULL_SHARE)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class YearAmounts:
    year: int
    expense_planned: Decimal | None = None
    expense_actual: Decimal | None = None
    income_planned: Decimal | None = None
    income_actual: Decimal | None = None
    investment_planned: Decimal | None = None
    investment_actual: Decimal | None = None


@dataclass(frozen=True)
class KeyFigureYear:
    year: int
    planned: Decimal | None
    actual: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class KeyFigureRow:
    name: str
    unit: str
    direction: str
    years: tuple[KeyFigureYear, ...]


@dataclass(frozen=True)
class ProductRow:
    pk: int
    key: str
    name: str
    level: str
    sub_budget: str
    department: str
    share: int
    goals: tuple[Option, ...]
    years: tuple[YearAmounts, ...]
    key_figures: tuple[KeyFigureRow, ...]


@dataclass(frozen=True)
class YearTotal:
    """The expense attributed to the goal or area in one year: the chart's bars and its data table."""

    year: int
    planned: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class MeasureYear:
    code: str
    title: str
    slug: str
    product_key: str
    investment_number: str
    year: int
    planned: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class BudgetSection:
    products: tuple[ProductRow, ...] = ()
    more_products: int = 0
    attributed: tuple[YearTotal, ...] = ()
    measures: tuple[MeasureYear, ...] = ()
    more_measures: int = 0

    @property
    def empty(self) -> bool:
        return not (self.products or self.measures)


def goal_section(goal: Goal, locale: Locale) -> BudgetSection:
    """The section of a goal page; `goal` is the source-language goal the page shows."""
    return cache.versioned(
        "budget:goal-section", goal.pk, locale.language_code, build=lambda: _goal_section(goal.pk, locale)
    )


def area_section(area: Area | Option, locale: Locale) -> BudgetSection:
    """The section of an area chapter, given the area or its catalogue option (whose id is the source area's)."""
    if isinstance(area, Option):
        key: Any = ("option", area.first_id)
    else:
        key = ("area", area.translation_key)
    return cache.versioned("budget:area-section", *key, locale.language_code, build=lambda: _area_section(area, locale))


def _goal_rows() -> list[tuple[int, int | None, int, str]]:
    return list(Goal.objects.filter(locale=default_locale()).values_list("pk", "parent_id", "area_id", "code"))


def _goal_section(goal_id: int, locale: Locale) -> BudgetSection:
    rows = _goal_rows()
    children = tree.children_of((pk, parent) for pk, parent, _area, _code in rows)
    return build_section(tree.subtree(children, goal_id), locale)


def _area_section(area: Area | Option, locale: Locale) -> BudgetSection:
    if isinstance(area, Option):
        area_id = area.first_id
    else:
        source = Area.objects.filter(translation_key=area.translation_key, locale=default_locale()).first()
        if source is None:
            return BudgetSection()
        area_id = source.pk
    return build_section([pk for pk, _parent, area_pk, _code in _goal_rows() if area_pk == area_id], locale)


@dataclass(frozen=True)
class LinkedProduct:
    """A product the goals are linked to, named in the reader's language, with the products it rolls up."""

    pk: int
    key: str
    name: str
    level: str
    sub_budget: str
    department: str
    subtree: tuple[int, ...]


def build_section(goal_ids: list[int], locale: Locale) -> BudgetSection:
    shares: dict[int, int] = defaultdict(int)
    linked_goals: dict[int, set[int]] = defaultdict(set)
    for goal_id, product_id, weight in _links(goal_ids):
        shares[product_id] += weight
        linked_goals[product_id].add(goal_id)
    lookup = Lookup(locale)
    ordered = sorted(_products(set(shares), lookup, locale), key=lambda product: code_sort_key(product.key))
    shown = ordered[:MAX_PRODUCTS]
    figures = _rolled_up_figures(shown)
    key_figures = _key_figures([product.pk for product in shown], locale)
    rows = tuple(
        ProductRow(
            pk=product.pk,
            key=product.key,
            name=product.name,
            level=product.level,
            sub_budget=product.sub_budget,
            department=product.department,
            share=min(shares[product.pk], FULL_SHARE),
            goals=tuple(
                option
                for goal_id in sorted(linked_goals[product.pk])
                if (option := lookup.by_id["goal"].get(goal_id)) is not None
            ),
            years=tuple(figures.get(product.pk, ())),
            key_figures=tuple(key_figures.get(product.pk, ())),
        )
        for product in shown
    )
    measures, more_measures = _measures(goal_ids, locale)
    return BudgetSection(
        products=rows,
        more_products=max(0, len(ordered) - MAX_PRODUCTS),
        attributed=_attributed(rows),
        measures=measures,
        more_measures=more_measures,
    )


def _links(goal_ids: list[int]) -> list[tuple[int, int, int]]:
    if not goal_ids:
        return []
    return list(GoalProductLink.objects.filter(goal_id__in=goal_ids).values_list("goal_id", "product_id", "weight"))


def _products(linked: set[int], lookup: Lookup, locale: Locale) -> list[LinkedProduct]:
    """The linked products; the whole tree is read once so each knows the products below it."""
    if not linked:
        return []
    every = list(BudgetProduct.objects.filter(locale=default_locale()).select_related("sub_budget"))
    children = tree.children_of((product.pk, product.parent_id) for product in every)
    wanted = [product for product in every if product.pk in linked]
    sub_budgets = {product.sub_budget for product in wanted if product.sub_budget}
    labels = labels_in(
        locale,
        {
            "product": (BudgetProduct, [product.translation_key for product in wanted], "name"),
            "sub_budget": (SubBudget, [sub_budget.translation_key for sub_budget in sub_budgets], "name"),
        },
    )
    result = []
    for product in wanted:
        department = lookup.by_id["department"].get(product.department_id)
        sub_budget = ""
        if product.sub_budget:
            name = labels["sub_budget"].get(product.sub_budget.translation_key, product.sub_budget.name)
            sub_budget = f"{product.sub_budget.code} {name}"
        result.append(
            LinkedProduct(
                pk=product.pk,
                key=product.key,
                name=labels["product"].get(product.translation_key, product.name),
                level=product.level_name,
                sub_budget=sub_budget,
                department=department.label if department else "",
                subtree=tuple(tree.subtree(children, product.pk)),
            )
        )
    return result


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    if value is None:
        return total
    return value if total is None else total + value


def _rolled_up_figures(products: list[LinkedProduct]) -> dict[int, list[YearAmounts]]:
    """Per product, its yearly amounts summed over itself and every product below it."""
    if not products:
        return {}
    by_product: dict[int, list[BudgetFigure]] = defaultdict(list)
    for figure in BudgetFigure.objects.filter(product_id__in={pk for product in products for pk in product.subtree}):
        by_product[figure.product_id].append(figure)
    result = {}
    for product in products:
        years: dict[int, dict[str, Decimal | None]] = {}
        for member in product.subtree:
            for figure in by_product.get(member, []):
                sums = years.setdefault(figure.year, dict.fromkeys(BudgetFigure.AMOUNT_FIELDS))
                for name in BudgetFigure.AMOUNT_FIELDS:
                    sums[name] = _add(sums[name], getattr(figure, name))
        result[product.pk] = [YearAmounts(year, **sums) for year, sums in sorted(years.items())]
    return result


def _key_figures(product_ids: list[int], locale: Locale) -> dict[int, list[KeyFigureRow]]:
    if not product_ids:
        return {}
    figures = list(
        KeyFigure.objects.filter(product_id__in=product_ids, locale=default_locale()).order_by("order", "name")
    )
    keys = [figure.translation_key for figure in figures]
    labels = labels_in(locale, {"name": (KeyFigure, keys, "name"), "unit": (KeyFigure, keys, "unit")})
    values: dict[int, list[KeyFigureValue]] = defaultdict(list)
    for value in KeyFigureValue.objects.filter(key_figure__in=figures).order_by("year"):
        values[value.key_figure_id].append(value)
    result: dict[int, list[KeyFigureRow]] = defaultdict(list)
    for figure in figures:
        result[figure.product_id].append(
            KeyFigureRow(
                name=labels["name"].get(figure.translation_key, figure.name),
                unit=labels["unit"].get(figure.translation_key, figure.unit),
                direction=str(Indicator.Direction(figure.direction).label),
                years=tuple(
                    KeyFigureYear(
                        value.year,
                        value.planned,
                        value.actual,
                        target_met(figure.direction, value.planned, value.actual),
                    )
                    for value in values[figure.pk]
                ),
            )
        )
    return result


def _met(figure: KeyFigure, value: KeyFigureValue) -> bool | None:
    return target_met(figure.direction, value.planned, value.actual)


def _attributed(rows: tuple[ProductRow, ...]) -> tuple[YearTotal, ...]:
    """Per year, the planned and actual expense of the products times their shares."""
    planned: dict[int, Decimal | None] = {}
    actual: dict[int, Decimal | None] = {}
    for row in rows:
        share = Decimal(row.share) / HUNDRED
        for amounts in row.years:
            part = None if amounts.expense_planned is None else amounts.expense_planned * share
            planned[amounts.year] = _add(planned.get(amounts.year), part)
            part = None if amounts.expense_actual is None else amounts.expense_actual * share
            actual[amounts.year] = _add(actual.get(amounts.year), part)
    return tuple(
        YearTotal(year, _cents(planned.get(year)), _cents(actual.get(year)))
        for year in sorted(set(planned) | set(actual))
    )


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


def _measures(goal_ids: list[int], locale: Locale) -> tuple[tuple[MeasureYear, ...], int]:
    """The live entries of the goals (in the reader's language) with their amounts per product and year."""
    if not goal_ids:
        return (), 0
    with_budget = ProjectBudget.objects.values("project__translation_key")
    entries = {
        row["translation_key"]: row
        for row in Project.objects.filter(live=True, locale=locale, goals__in=goal_ids, translation_key__in=with_budget)
        .values("translation_key", "code", "title", "slug")
        .distinct()
    }
    if not entries:
        return (), 0
    amounts = (
        ProjectBudgetAmount.objects.filter(
            line__project__translation_key__in=list(entries), line__project__locale=default_locale()
        )
        .filter(Q(planned__isnull=False) | Q(actual__isnull=False))
        .values(
            "line__project__translation_key",
            "line__product__key",
            "line__investment_number",
            "year",
            "planned",
            "actual",
        )
    )
    rows = []
    for amount in amounts:
        entry = entries[amount["line__project__translation_key"]]
        rows.append(
            MeasureYear(
                code=entry["code"],
                title=entry["title"],
                slug=entry["slug"],
                product_key=amount["line__product__key"],
                investment_number=amount["line__investment_number"],
                year=amount["year"],
                planned=amount["planned"],
                actual=amount["actual"],
            )
        )
    rows.sort(key=lambda row: (code_sort_key(row.code), code_sort_key(row.product_key), row.year))
    return tuple(rows[:MAX_MEASURE_ROWS]), max(0, len(rows) - MAX_MEASURE_ROWS)
