"""The budget's domain: the product tree with its yearly figures and key figures, the links, the reports.

May import `catalogue.models` and `cms`; nothing else of the budget app builds into it.
"""

from .imports import BudgetImport
from .links import CostCheck, GoalProductLink, ProjectBudget, ProjectBudgetAmount, cost_check
from .products import (
    BudgetFigure,
    BudgetProduct,
    KeyFigure,
    KeyFigureValue,
    SubBudget,
    target_met,
)
from .reports import KeyFigureReport, KeyFigureReportValue

__all__ = [
    "BudgetFigure",
    "BudgetImport",
    "BudgetProduct",
    "CostCheck",
    "GoalProductLink",
    "KeyFigure",
    "KeyFigureReport",
    "KeyFigureReportValue",
    "KeyFigureValue",
    "ProjectBudget",
    "ProjectBudgetAmount",
    "SubBudget",
    "cost_check",
    "target_met",
]
