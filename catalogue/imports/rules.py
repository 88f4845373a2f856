"""Rules over the rows of a plan: parents that exist and form no cycle, and leaving out the broken rows."""

from django.utils.translation import gettext as _

from .plans import ImportPlan, SkippedRow
from .problems import Problem


def _parents(plan: ImportPlan) -> dict[str, str]:
    parents = {code: (project.parent.code if project.parent else "") for code, project in plan.existing.items()}
    for row in plan.rows:
        if "parent_code" in row.values:
            parents[row.code] = row.values["parent_code"]
    return parents


def check_parents(plan: ImportPlan, labels: dict[str, str]) -> None:
    parents = _parents(plan)
    column = labels["parent_code"]
    for row in plan.rows:
        parent = row.values.get("parent_code")
        if not parent:
            continue
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


def skip_invalid(plan: ImportPlan, labels: dict[str, str]) -> None:
    """Leave out every row with an error, then the rows whose parent was a left-out new entry."""
    messages: dict[int, list[str]] = {}
    for error in plan.errors:
        if error.row is not None:
            messages.setdefault(error.row, []).append(
                f"{error.column}: {error.message}" if error.column else error.message
            )
    codes = {row.row: row.code for row in plan.rows}
    while True:
        kept = [row for row in plan.rows if row.row not in messages]
        left_out = {row.code for row in plan.rows if row.row in messages and row.action == "create"}
        orphans = [row for row in kept if row.values.get("parent_code") in left_out]
        if not orphans:
            break
        for row in orphans:
            messages[row.row] = [
                _("%(column)s: Der übergeordnete Eintrag %(code)s wird übersprungen.")
                % {"column": labels["parent_code"], "code": row.values["parent_code"]}
            ]
    plan.rows = kept
    plan.skipped = [SkippedRow(number, codes.get(number, ""), texts) for number, texts in sorted(messages.items())]
