"""What an import has to say about a file: problems by row and column, grouped and capped for people.

A row error names the row (as the spreadsheet program numbers it), the column (as the file
calls it) and says in German what is wrong. Hints that repeat (the same message in many
rows, hundreds of unknown columns) are grouped into one line each, and only the first groups
are shown, so that a strange file gives a readable page rather than 100,000 lines.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SHOWN_GROUPS = 30
SHOWN_ROWS = 12


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Zeile %(row)s") % {"row": self.row} if self.row else _("Datei")
        if self.column:
            where = f"{where}, {_('Spalte')} „{self.column}“"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ProblemGroup:
    """One message in one column, with the rows it occurs in (the first few) and how often."""

    column: str
    message: str
    count: int
    rows: list[int] = field(default_factory=list)

    @property
    def more_rows(self) -> int:
        return self.count - len(self.rows)

    def __str__(self) -> str:
        where = f"{_('Spalte')} „{self.column}“: " if self.column else ""
        if not self.rows:
            return f"{where}{self.message}"
        rows = ", ".join(str(row) for row in self.rows)
        if self.more_rows:
            rows = _("%(rows)s und %(count)s weitere") % {"rows": rows, "count": self.more_rows}
        return f"{where}{self.message} " + ngettext("(Zeile %(rows)s)", "(Zeilen %(rows)s)", self.count) % {
            "rows": rows
        }


def group_problems(problems: Iterable[Problem], limit: int = SHOWN_GROUPS) -> tuple[list[ProblemGroup], int]:
    """Problems with the same column and message as one group each; returns (first groups, groups left off)."""
    groups: dict[tuple[str, str], ProblemGroup] = {}
    for problem in problems:
        key = (problem.column, problem.message)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProblemGroup(problem.column, problem.message, 0)
        group.count += 1
        if problem.row and len(group.rows) < SHOWN_ROWS:
            group.rows.append(problem.row)
    ordered = list(groups.values())
    return ordered[:limit], max(0, len(ordered) - limit)


def group_dicts(problems: Iterable[Problem], limit: int = SHOWN_GROUPS) -> tuple[list[dict[str, Any]], int]:
    groups, left_off = group_problems(problems, limit)
    return [asdict(group) for group in groups], left_off


def groups_from_dicts(items: Iterable[dict[str, Any]]) -> list[ProblemGroup]:
    return [ProblemGroup(**item) for item in items]
