"""An import run from upload to result: its file, its mapping, checking and applying it, its progress.

The admin view and the background tasks meet here. Checking and applying run as tasks
(`catalogue.imports.tasks`) and write their progress onto the run, where any request can read
it: outside the write transaction through the ORM, inside it (PostgreSQL) through a second
connection, because the transaction's own writes are invisible until it commits. On SQLite
the write transaction holds the only write lock, so progress there waits for the commit.
"""

import datetime
import io
import time
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import ImportRun

from .applying import ImportConflict, apply_import
from .mapping import ColumnMapping, guess_mapping, mapping_from_run
from .planning import known_status_words, plan_table
from .plans import ImportPlan
from .reading import ImportFileError, Table, read_table
from .reports import failure_report, plan_report

STEPS = {
    "queued": gettext_lazy("Wartet auf den Hintergrunddienst"),
    "read": gettext_lazy("Datei lesen"),
    "check": gettext_lazy("Zeilen prüfen"),
    "prepare": gettext_lazy("Einträge laden"),
    "write": gettext_lazy("Speichern"),
    "index": gettext_lazy("Suchindex aktualisieren"),
}
PROGRESS_INTERVAL = 0.5
STALE_AFTER = datetime.timedelta(days=7)


class RunProgress:
    """Progress of a run, written where other requests see it, at most every half second."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.last = 0.0
        self.side: BaseDatabaseWrapper | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        values = {"progress_step": step, "progress_done": done, "progress_total": total}
        for name, value in values.items():
            setattr(self.run, name, value)
        if step != "write":
            ImportRun.objects.filter(pk=self.run.pk).update(**values)
        elif connection.vendor == "postgresql":
            self._write_aside(values)

    def _write_aside(self, values: dict[str, Any]) -> None:
        if self.side is None:
            self.side = connections.create_connection("default")
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRun._meta.db_table} SET progress_step = %s, progress_done = %s, "  # noqa: S608
                "progress_total = %s WHERE id = %s",
                [values["progress_step"], values["progress_done"], values["progress_total"], self.run.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def open_table(run: ImportRun, limit: int | None = None) -> Table:
    """The run's file as a table; with `limit`, only its first rows (see `read_table`)."""
    if not run.file:
        raise ImportFileError(_("Die Datei dieses Imports ist nicht mehr vorhanden. Bitte erneut hochladen."))
    with run.file.open("rb") as handle:
        return read_table(io.BytesIO(handle.read()), run.file_name, limit)


def mapping_for(run: ImportRun, table: Table) -> ColumnMapping:
    """The run's mapping; a guess (from the run's saved mapping, if any) until the coordinator chose one."""
    if run.mapping.get("columns"):
        return mapping_from_run(table, run.mapping)
    saved = run.saved_mapping
    return guess_mapping(
        table,
        known_status_words(),
        saved.columns if saved else None,
        saved.name if saved else "",
        saved.values if saved else None,
    )


def new_plan(run: ImportRun) -> ImportPlan:
    return ImportPlan(
        file_name=run.file_name, locale=run.locale, create_missing=run.create_missing, skip_invalid=run.skip_invalid
    )


def check_run(run: ImportRun) -> ImportPlan | None:
    """Read and check the run's file with its mapping; the preview is the run's report."""
    progress = RunProgress(run)
    progress("read", 0, 1)
    try:
        table = open_table(run)
    except ImportFileError as error:
        _fail(run, [str(error)])
        return None
    plan = plan_table(new_plan(run), table, mapping_for(run, table), progress)
    _keep(run, plan, ImportRun.State.PREVIEWED)
    return plan


def apply_run(run: ImportRun) -> list[int]:
    """Check the file again against the catalogue as it is now, and write it if it is (still) good.

    Returns the ids of the written entries, whose search index the caller brings up to date.
    """
    progress = RunProgress(run)
    try:
        progress("read", 0, 1)
        table = open_table(run)
        plan = plan_table(new_plan(run), table, mapping_for(run, table), progress)
        if not plan.ok:
            run.report = {**plan_report(plan), "apply_failed": True}
            _keep(run, plan, ImportRun.State.PREVIEWED, report=run.report)
            return []
        run.report = plan_report(plan)
        try:
            apply_import(plan, user=run.user, run=run, progress=progress, index=False)
        except ImportConflict as conflict:
            report = {**plan_report(plan), "apply_failed": True}
            report["file_errors"] = [str(conflict)]
            report["errors"] = [problem.as_dict() for problem in conflict.problems]
            _keep(run, plan, ImportRun.State.PREVIEWED, report=report)
            return []
        run.progress_step, run.progress_done = "", run.progress_total
        run.save(update_fields=["progress_step", "progress_done"])
        delete_file(run)
        return run.written_ids
    except ImportFileError as error:
        _fail(run, [str(error)])
        return []
    finally:
        progress.close()


def _keep(run: ImportRun, plan: ImportPlan, state: str, report: dict[str, Any] | None = None) -> None:
    counts = plan.counts
    run.report = report or plan_report(plan)
    run.rows = plan.total_rows
    run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
    run.skipped = counts["skipped"]
    run.errors = len(plan.errors)
    run.state = state
    run.progress_step, run.progress_done = "", run.progress_total
    run.save()


def _fail(run: ImportRun, messages: list[str]) -> None:
    run.report = failure_report(messages)
    run.state = ImportRun.State.FAILED
    run.finished_at = timezone.now()
    run.progress_step = ""
    run.save()
    delete_file(run)


def fail_unexpectedly(run: ImportRun) -> None:
    """What a run shows when its task broke off with an error nobody foresaw."""
    _fail(
        run,
        [
            _(
                "Bei der Verarbeitung ist ein unerwarteter Fehler aufgetreten; es wurde nichts gespeichert. Bitte "
                "die Datei erneut hochladen oder die Administration benachrichtigen."
            )
        ],
    )


def delete_file(run: ImportRun) -> None:
    if run.file:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")


def abandon(run: ImportRun) -> None:
    delete_file(run)
    run.state = ImportRun.State.ABANDONED
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "finished_at"])


def abandon_stale() -> int:
    """Uploads nobody came back to for a week are abandoned and their files deleted."""
    stale = ImportRun.objects.filter(
        state__in=[ImportRun.State.UPLOADED, ImportRun.State.PREVIEWED], started_at__lt=timezone.now() - STALE_AFTER
    )
    count = 0
    for run in stale:
        abandon(run)
        count += 1
    return count
