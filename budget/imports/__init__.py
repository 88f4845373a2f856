"""Import from the budget system's spreadsheet export: fields and their headers, planning, applying.

Reuses the catalogue's reading (`read_table`), cells (`parse_money`, `cell_text`) and `Problem`.
`plan_budget_import(file, name, mapping)` reads and checks the whole file and writes nothing (the
mapping chosen by hand wins over the guessed one);
`apply_budget_import(plan)` writes an error-free plan in one transaction.
"""

from .applying import apply_budget_import
from .fields import FIELDS, guess_mapping
from .planning import BudgetPlan, plan_budget_import, read_header

__all__ = ["FIELDS", "BudgetPlan", "apply_budget_import", "guess_mapping", "plan_budget_import", "read_header"]
