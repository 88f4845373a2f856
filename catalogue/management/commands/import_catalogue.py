"""Imports catalogue entries from an XLSX or CSV file; see docs/import.md for the format."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from catalogue.imports import apply_import, plan_import


class ProgressBar:
    def __init__(self, stream, label):
        self.stream, self.label = stream, label

    def __call__(self, done, total):
        width = 30
        filled = width * done // max(total, 1)
        ending = "\n" if done >= total else ""
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=ending)
        self.stream.flush()


class Command(BaseCommand):
    help = "Imports catalogue entries from a spreadsheet (XLSX or CSV); nothing is written if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx or .csv file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create unknown departments, municipalities, themes, goals, statuses and funding programmes.",
        )
        parser.add_argument(
            "--locale", default=None, help="Language code of the entries (default: the default locale)."
        )
        parser.add_argument("--user", default=None, help="Username recorded as the author of the revisions.")

    def handle(self, *args, file, dry_run, create_missing, locale, user, **options):
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
            handle = open(file, "rb")  # noqa: SIM115 - closed below, after planning
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error}") from error
        with handle:
            plan = plan_import(
                handle,
                file,
                locale=target,
                create_missing=create_missing,
                progress=ProgressBar(self.stderr, "Prüfen "),
            )
        for warning in plan.warnings:
            self.stderr.write(f"Hinweis: {warning}")
        if plan.errors:
            for problem in plan.errors:
                self.stderr.write(f"Fehler: {problem}")
            raise CommandError(f"{len(plan.errors)} Fehler; nichts wurde geändert.")
        counts = plan.counts
        summary = f"{counts['create']} neu, {counts['change']} geändert, {counts['unchanged']} unverändert"
        if dry_run:
            for row in plan.rows:
                if row.action == "change":
                    changes = ", ".join(f"{change.label}: {change.old} → {change.new}" for change in row.changes)
                    self.stdout.write(f"Zeile {row.row} {row.code}: {changes}")
            self.stdout.write(f"Probelauf: {summary}; nichts wurde geändert.")
            return
        run = apply_import(plan, user=author, progress=ProgressBar(self.stderr, "Schreiben"))
        self.stdout.write(self.style.SUCCESS(f"Import {run.pk}: {summary} in {time.monotonic() - started:.1f} s."))
