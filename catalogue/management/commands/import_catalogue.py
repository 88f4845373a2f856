"""Imports catalogue entries from an XLSX or CSV file; see docs/import.md for the format and the mapping."""

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from catalogue.imports import (
    ImportConflict,
    ImportFileError,
    ImportPlan,
    apply_import,
    group_problems,
    guess_mapping,
    known_status_words,
    mapping_from_file_data,
    plan_table,
    read_table,
)
from catalogue.models import ImportMapping

SHOWN_ERRORS = 500


class ProgressBar:
    LABELS = {"check": "Prüfen   ", "prepare": "Laden    ", "write": "Schreiben", "index": "Suchindex"}

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, step, done, total):
        width = 30
        filled = width * done // max(total, 1)
        ending = "\n" if done >= total else ""
        label = self.LABELS.get(step, step)
        self.stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=ending)
        self.stream.flush()


class Command(BaseCommand):
    help = "Imports catalogue entries from a spreadsheet (XLSX or CSV); nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx or .csv file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")
        parser.add_argument(
            "--mapping",
            default=None,
            help='Name of a mapping saved in the admin, or a JSON file {"columns": {header: field}, "words": {...}}.',
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create unknown departments, municipalities, themes, goals and funding programmes.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the rows without errors and list the skipped ones, instead of writing nothing.",
        )
        parser.add_argument(
            "--locale", default=None, help="Language code of the entries (default: the default locale)."
        )
        parser.add_argument("--user", default=None, help="Username recorded as the author of the revisions.")

    def handle(self, *args, file, dry_run, mapping, create_missing, skip_invalid, locale, user, **options):
        try:
            target = Locale.objects.get(language_code=locale) if locale else Locale.get_default()
        except Locale.DoesNotExist as error:
            raise CommandError(f"Unknown locale {locale!r}.") from error
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"Unknown user {user!r}.")
        started = time.monotonic()
        try:
            with open(file, "rb") as handle:
                table = read_table(handle, file)
            columns = self._mapping(table, mapping)
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error}") from error
        except ImportFileError as error:
            raise CommandError(f"Fehler: {error}") from error
        for choice in columns.columns:
            field = choice.field_label if choice.field else "–"
            self.stderr.write(f"Spalte „{choice.header}“ → {field}" + (f" ({choice.reason})" if choice.reason else ""))
        plan = ImportPlan(file_name=file, locale=target, create_missing=create_missing, skip_invalid=skip_invalid)
        plan = plan_table(plan, table, columns, ProgressBar(self.stderr))
        groups, left_off = group_problems(plan.warnings)
        for group in groups:
            self.stderr.write(f"Hinweis: {group}")
        if left_off:
            self.stderr.write(f"… und {left_off} weitere Hinweise.")
        for problem in plan.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"Fehler: {problem}")
        if len(plan.errors) > SHOWN_ERRORS:
            self.stderr.write(f"… und {len(plan.errors) - SHOWN_ERRORS} weitere Fehler.")
        if not plan.ok:
            raise CommandError(f"{len(plan.errors)} Fehler; nichts wurde geändert.")
        for skipped in plan.skipped:
            self.stderr.write(f"Übersprungen: Zeile {skipped.row} {skipped.code}: {'; '.join(skipped.messages)}")
        counts = plan.counts
        summary = f"{counts['create']} neu, {counts['change']} geändert, {counts['unchanged']} unverändert"
        if counts["skipped"]:
            summary += f", {counts['skipped']} übersprungen"
        if dry_run:
            for row in plan.rows:
                if row.action == "change":
                    changes = ", ".join(f"{change.label}: {change.old} → {change.new}" for change in row.changes)
                    self.stdout.write(f"Zeile {row.row} {row.code}: {changes}")
            self.stdout.write(f"Probelauf: {summary}; nichts wurde geändert.")
            return
        try:
            run = apply_import(plan, user=author, progress=ProgressBar(self.stderr))
        except ImportConflict as conflict:
            for problem in conflict.problems:
                self.stderr.write(f"Fehler: {problem}")
            raise CommandError(str(conflict)) from conflict
        self.stdout.write(self.style.SUCCESS(f"Import {run.pk}: {summary} in {time.monotonic() - started:.1f} s."))

    def _mapping(self, table, name):
        statuses = known_status_words()
        if name is None:
            return guess_mapping(table, statuses)
        path = Path(name)
        if path.suffix.casefold() == ".json" or path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError) as error:
                raise CommandError(f"Die Zuordnungsdatei {name} kann nicht gelesen werden: {error}") from error
            return mapping_from_file_data(table, data, statuses)
        saved = ImportMapping.objects.filter(name=name).first()
        if saved is None:
            names = ", ".join(ImportMapping.objects.values_list("name", flat=True)) or "keine"
            raise CommandError(f"Eine gespeicherte Zuordnung „{name}“ gibt es nicht (gespeichert: {names}).")
        return guess_mapping(table, statuses, saved.columns, saved.name, saved.values)
