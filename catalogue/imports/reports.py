"""A plan as the import run keeps it: counts, errors, grouped hints, examples, unknown words, skipped rows.

Stored as JSON on the `ImportRun`, so that the preview and the result survive a reload and
need not read the file again. Lists people read are capped; errors and skipped rows are kept
whole (a file has at most `MAX_ROWS` rows), for the downloadable error list.
"""

from collections import Counter
from dataclasses import asdict
from typing import Any

from .plans import ImportPlan
from .problems import Problem, group_dicts
from .reading import MAX_ROWS

PREVIEW_ROWS = 200
UNKNOWN_WORDS = 50
UNKNOWN_ROWS = 10


def plan_report(plan: ImportPlan) -> dict[str, Any]:
    errors = sorted(plan.errors, key=lambda problem: problem.row or 0)
    warnings, warnings_left_off = group_dicts(plan.warnings)
    created = [row for row in plan.rows if row.action == "create"]
    changed = [row for row in plan.rows if row.action == "change"]
    return {
        "counts": plan.counts,
        "total_rows": plan.total_rows,
        "ok": plan.ok,
        "file_errors": [error.message for error in plan.file_errors],
        "errors": [error.as_dict() for error in errors[: MAX_ROWS * 2]],
        "error_count": len(plan.errors),
        "error_columns": [
            {"column": column, "count": count}
            for column, count in Counter(error.column for error in errors if error.row).most_common()
        ],
        "warnings": warnings,
        "warnings_left_off": warnings_left_off,
        "warning_count": len(plan.warnings),
        "created": [{"row": row.row, "code": row.code, "title": row.title} for row in created[:PREVIEW_ROWS]],
        "changed": [
            {
                "row": row.row,
                "code": row.code,
                "title": row.title,
                "changes": [asdict(change) for change in row.changes],
            }
            for row in changed[:PREVIEW_ROWS]
        ],
        "unknown": _unknown(plan),
        "skipped": [asdict(skipped) for skipped in plan.skipped],
    }


def _unknown(plan: ImportPlan) -> dict[str, list[dict[str, Any]]]:
    if plan.vocabulary is None:
        return {}
    found = {}
    for kind, words in plan.vocabulary.unknown.items():
        ordered = sorted(words.items(), key=lambda item: (-len(item[1]), item[0].casefold()))
        found[kind] = [
            {"word": word, "count": len(rows), "rows": rows[:UNKNOWN_ROWS]} for word, rows in ordered[:UNKNOWN_WORDS]
        ]
    return found


def failure_report(messages: list[str], problems: list[Problem] | None = None) -> dict[str, Any]:
    """What a run that failed before or while writing keeps: the file-level messages and any row problems."""
    problems = problems or []
    return {
        "counts": {"create": 0, "change": 0, "unchanged": 0, "skipped": 0},
        "total_rows": 0,
        "ok": False,
        "file_errors": messages,
        "errors": [problem.as_dict() for problem in problems],
        "error_count": len(problems),
        "error_columns": [],
        "warnings": [],
        "warnings_left_off": 0,
        "warning_count": 0,
        "created": [],
        "changed": [],
        "unknown": {},
        "skipped": [],
    }
