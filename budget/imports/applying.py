"""Applying a checked budget plan in one transaction: a bad file changes nothing, a good one everything it says."""

from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from catalogue.models import code_sort_key

from ..labels import default_locale
from ..models import BudgetFigure, BudgetImport, BudgetProduct, KeyFigure, KeyFigureValue, SubBudget
from .planning import BudgetPlan, Item

M = TypeVar("M", bound=Model)


def _save(instance: M) -> M:
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def apply_budget_import(plan: BudgetPlan, user: Any = None, run: BudgetImport | None = None) -> BudgetImport:
    """Write every item of an error-free plan; returns the `BudgetImport` record, now applied."""
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    locale = default_locale()
    sub_budgets = {item.code: item for item in SubBudget.objects.filter(locale=locale)}
    for item in plan.of_kind("sub_budget"):
        if item.action == "unchanged":
            continue
        sub_budget = sub_budgets.get(item.ident[0]) or SubBudget(code=item.ident[0], locale=locale)
        sub_budget.name = item.values["name"]
        sub_budgets[item.ident[0]] = _save(sub_budget)
    products = {product.key: product for product in BudgetProduct.objects.filter(locale=locale)}
    # Parents first, so that every new product finds the node above it.
    for item in sorted(plan.of_kind("product"), key=lambda item: code_sort_key(item.ident[0])):
        if item.action == "unchanged":
            continue
        product = products.get(item.ident[0]) or BudgetProduct(
            key=item.ident[0], locale=locale, parent=products.get(item.values.get("parent") or "")
        )
        for name, value in item.values.items():
            if name == "sub_budget":
                product.sub_budget = sub_budgets[value]
            elif name in ("name", "department"):
                setattr(product, name, value)
        products[product.key] = _save(product)
    _apply_figures(plan.of_kind("figure"), products)
    key_figures = _apply_key_figures(plan.of_kind("key_figure"), products)
    _apply_values(plan.of_kind("key_figure_value"), key_figures)
    run = run or BudgetImport(file_name=plan.file_name[:255], user=user)
    counts = plan.counts
    run.rows = plan.rows
    run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
    run.errors = 0
    run.state = BudgetImport.State.APPLIED
    run.finished_at = timezone.now()
    # Saving the applied record bumps the data version once the transaction commits (budget.signals).
    run.save()
    return run


def _apply_figures(items: list[Item], products: dict[str, BudgetProduct]) -> None:
    """Yearly figures in bulk: no per-row signals, one data-version bump for the whole import."""
    new: list[BudgetFigure] = []
    changed: list[BudgetFigure] = []
    for item in items:
        if item.action == "unchanged":
            continue
        figure = item.instance or BudgetFigure(product=products[item.ident[0]], year=item.ident[1])
        for name, value in item.values.items():
            setattr(figure, name, value)
        figure.clean_fields(exclude=["product"])
        (changed if figure.pk else new).append(figure)
    BudgetFigure.objects.bulk_create(new)
    BudgetFigure.objects.bulk_update(changed, BudgetFigure.AMOUNT_FIELDS)


def _apply_key_figures(items: list[Item], products: dict[str, BudgetProduct]) -> dict[tuple[str, str], KeyFigure]:
    locale = default_locale()
    result = {}
    for item in items:
        key_figure = item.instance or KeyFigure(product=products[item.ident[0]], locale=locale)
        if item.action != "unchanged":
            for name, value in item.values.items():
                setattr(key_figure, name, value)
            key_figure = _save(key_figure)
        result[(item.ident[0], item.ident[1])] = key_figure
    return result


def _apply_values(items: list[Item], key_figures: dict[tuple[str, str], KeyFigure]) -> None:
    new: list[KeyFigureValue] = []
    changed: list[KeyFigureValue] = []
    for item in items:
        if item.action == "unchanged":
            continue
        value = item.instance or KeyFigureValue(key_figure=key_figures[item.ident[:2]], year=item.ident[2])
        for name, number in item.values.items():
            setattr(value, name, number)
        (changed if value.pk else new).append(value)
    KeyFigureValue.objects.bulk_create(new)
    KeyFigureValue.objects.bulk_update(changed, ["planned", "actual"])
