"""What an import plan says: per row what would be created, changed or left alone, and what is wrong.

Made by `catalogue.imports.planning`, written by `applying`, kept as a report by `reports`.
"""

from dataclasses import dataclass, field
from typing import Any

from wagtail.models import Locale

from catalogue.models import Project

from .mapping import ColumnMapping
from .problems import Problem
from .vocabulary import Pending, Vocabulary


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    code: str
    action: str  # "create", "change" or "unchanged"
    values: dict[str, Any]
    changes: list[FieldChange] = field(default_factory=list)
    project: Project | None = None
    report: dict[str, Any] | None = None  # the status report to create or update
    title: str = ""

    @property
    def entry(self) -> Project:
        """The existing entry of a row that changes one."""
        assert self.project is not None, "only rows of existing entries change one"
        return self.project


@dataclass
class SkippedRow:
    row: int
    code: str
    messages: list[str]


@dataclass
class ImportPlan:
    file_name: str
    locale: Locale
    create_missing: bool
    skip_invalid: bool = False
    mapping: ColumnMapping | None = None
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    total_rows: int = 0
    vocabulary: Vocabulary | None = None
    existing: dict[str, Project] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        counts = {action: self.count(action) for action in ("create", "change", "unchanged")}
        counts["skipped"] = len(self.skipped)
        return counts

    @property
    def file_errors(self) -> list[Problem]:
        return [error for error in self.errors if error.row is None]

    @property
    def blocking(self) -> list[Problem]:
        """The errors that stop the import: all of them, or with `skip_invalid` those no skipping can avoid."""
        if not self.skip_invalid:
            return self.errors
        return self.file_errors

    @property
    def ok(self) -> bool:
        return not self.blocking


def wanted_pending(plan: ImportPlan) -> set[Pending]:
    """The new terms the kept rows use: only those are created."""
    found: set[Pending] = set()
    for row in plan.rows:
        for value in (*row.values.values(), *(row.report or {}).values()):
            items = value if isinstance(value, list) else [value]
            found.update(item for item in items if isinstance(item, Pending))
    return found
