"""Imports products, yearly figures and key figures from the budget system's export (XLSX or CSV)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from budget.imports import FIELDS, apply_budget_import, plan_budget_import


class Command(BaseCommand):
    help = (
        "Imports products, yearly amounts and key figures from a spreadsheet export of the budget system "
        "(XLSX or CSV); nothing is written if any row is wrong. Idempotent by product key and year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the .xlsx or .csv file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")
        parser.add_argument("--user", default=None, help="Username recorded as the one who imported.")
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=(
                "Maps a column of the file to a field by hand (repeatable); an empty FIELD passes the column over. "
                f"Fields: {', '.join(item.key for item in FIELDS)}. Other columns are recognised by their headers."
            ),
        )

    def handle(self, *args: Any, file: str, dry_run: bool, user: str | None, column: list[str], **options: Any) -> None:
        mapping = _mapping(column)
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"Unknown user {user!r}.")
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed below, after planning
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error}") from error
        with handle:
            plan = plan_budget_import(handle, file, mapping)
        for warning in plan.warnings:
            self.stderr.write(f"Hinweis: {warning}")
        if plan.errors:
            for problem in plan.errors:
                self.stderr.write(f"Fehler: {problem}")
            raise CommandError(f"{len(plan.errors)} Fehler; nichts wurde geändert.")
        for name, numbers in plan.counts_by_kind():
            self.stdout.write(
                f"{name}: {numbers['create']} neu, {numbers['change']} geändert, {numbers['unchanged']} unverändert"
            )
        counts = plan.counts
        summary = f"{counts['create']} neu, {counts['change']} geändert, {counts['unchanged']} unverändert"
        if dry_run:
            for item in plan.items.values():
                for change in item.changes:
                    self.stdout.write(f"Zeile {item.row} {item.label}: {change.label}: {change.old} → {change.new}")
            self.stdout.write(f"Probelauf: {summary}; nichts wurde geändert.")
            return
        run = apply_budget_import(plan, user=author)
        self.stdout.write(self.style.SUCCESS(f"Haushaltsimport {run.pk}: {summary}."))


def _mapping(choices: list[str]) -> dict[str, str]:
    """{header: field} from HEADER=FIELD arguments; split at the last "=", since headers may contain one."""
    known = {item.key for item in FIELDS}
    mapping: dict[str, str] = {}
    for choice in choices:
        header, separator, key = choice.rpartition("=")
        if not separator or not header.strip():
            raise CommandError(f'--column {choice!r}: expected HEADER=FIELD, e.g. "Soll Aufw.=expense_planned".')
        if key.strip() and key.strip() not in known:
            raise CommandError(
                f"--column {choice!r}: unknown field {key.strip()!r}; known: {', '.join(sorted(known))}."
            )
        mapping[header.strip()] = key.strip()
    return mapping
