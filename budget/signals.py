"""Every receiver of the budget: approved key-figure reports become values; any change bumps the data version.

The budget's public figures (the goal and area sections, the catalogue facets, the yearly
report) are cached under the catalogue's data version (`cms.cache.versioned`), so a change to
any budget row makes them unreachable at once, as catalogue changes do.
"""

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published

from cms import cache

from .models import (
    BudgetFigure,
    BudgetImport,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureReport,
    KeyFigureValue,
    ProjectBudget,
    ProjectBudgetAmount,
    SubBudget,
)

BUDGET_DATA = (
    SubBudget,
    BudgetProduct,
    BudgetFigure,
    KeyFigure,
    KeyFigureValue,
    GoalProductLink,
    ProjectBudget,
    ProjectBudgetAmount,
)


@receiver(published, sender=KeyFigureReport)
def apply_report_on_publish(sender: type[KeyFigureReport], instance: KeyFigureReport, **kwargs: Any) -> None:
    # Reported values become public with the approval, not before (see docs/decisions/0005-budget-app.md).
    instance.apply()


def budget_changed(sender: type[Model], **kwargs: Any) -> None:
    cache.bump_now_and_after_commit()


@receiver(post_save, sender=BudgetImport)
def budget_imported(sender: type[BudgetImport], instance: BudgetImport, **kwargs: Any) -> None:
    # The importer writes figures in bulk, without per-row signals; bump once its transaction commits.
    if instance.state == BudgetImport.State.APPLIED:
        cache.bump_after_commit()


for model in BUDGET_DATA:
    post_save.connect(budget_changed, sender=model, dispatch_uid=f"budget-cache-{model.__name__}-save")
    post_delete.connect(budget_changed, sender=model, dispatch_uid=f"budget-cache-{model.__name__}-delete")
