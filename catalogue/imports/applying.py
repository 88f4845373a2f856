"""Applying a checked plan: one short transaction, so readers see all of an import or nothing of it.

What can be done before the transaction is (loading the changed entries' reports, links and
link rows); inside it, the entries the plan saw are checked to be unchanged (another editor
may have saved meanwhile), then everything is written in bulk. The search index follows
after the commit.
"""

from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backends

from catalogue.models import ImportRun, Project, tree

from .creating import create_entries
from .plans import ImportPlan, wanted_pending
from .problems import Problem
from .updating import change_entries, prepare
from .writing import IMPORT_ACTION, Resolver, WriteContext, slices

__all__ = ["IMPORT_ACTION", "ImportConflict", "apply_import", "index_entries"]

# The search backends build one statement per call: thousands of entries at once make it slow to compile.
INDEX_BATCH = 500


class ImportConflict(Exception):
    """Entries changed between checking and writing; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("Während des Imports wurden Einträge geändert; es wurde nichts gespeichert."))
        self.problems = problems


def _nothing(step: str, done: int, total: int) -> None:
    """No progress display."""


def apply_import(
    plan: ImportPlan,
    user: User | None = None,
    run: ImportRun | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    index: bool = True,
) -> ImportRun:
    """Write `plan` and return the `ImportRun`. Refuses a plan with errors; raises ImportConflict.

    The search index follows after the commit; with `index=False` the caller sees to it
    (`index_entries`, e.g. as a task of its own) and finds the written ids on `run.written_ids`.
    """
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    progress = progress or _nothing
    creating = [row for row in plan.rows if row.action == "create"]
    changing = [row for row in plan.rows if row.action == "change"]
    progress("prepare", 0, len(changing))
    prepared = prepare(changing)
    with transaction.atomic():
        progress("write", 0, len(creating) + len(changing))
        if run is None:
            run = ImportRun.objects.create(
                file_name=plan.file_name,
                user=user,
                locale=plan.locale,
                create_missing=plan.create_missing,
                skip_invalid=plan.skip_invalid,
            )
        _check_unchanged(plan, creating, changing)
        context = WriteContext(run=run, user=user, progress=progress, total=len(creating) + len(changing))
        resolve = Resolver(plan.vocabulary.create_pending(wanted_pending(plan)) if plan.vocabulary else {})
        by_code = dict(plan.existing)
        created = create_entries(plan, creating, by_code, resolve, context)
        changed = change_entries(prepared, by_code, resolve, context)
        _rollup(plan, created + changed)
        counts = plan.counts
        run.rows = plan.total_rows
        run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
        run.skipped = counts["skipped"]
        run.errors = len(plan.errors)
        run.state = ImportRun.State.APPLIED
        run.finished_at = timezone.now()
        run.save()
    run.written_ids = [entry.pk for entry in created + changed]
    if index:
        index_entries(run.written_ids, progress)
    return run


def index_entries(ids: list[int], progress: Callable[[str, int, int], None] | None = None) -> None:
    """Bring the search index up to date for the entries `ids`, in batches."""
    for start in range(0, len(ids), INDEX_BATCH):
        if progress is not None:
            progress("index", start, len(ids))
        entries = list(Project.objects.filter(pk__in=ids[start : start + INDEX_BATCH]))
        for backend in get_search_backends():
            backend.add_bulk(Project, entries)


def _check_unchanged(plan: ImportPlan, creating: list, changing: list) -> None:
    """Lock the entries the plan will change and make sure nobody saved them since the plan was made."""
    seen = {row.project.pk: (row.project.latest_revision_id, row) for row in changing}
    problems = []
    for part in slices(list(seen)):
        current = Project.objects.select_for_update().filter(pk__in=part).values_list("pk", "latest_revision_id")
        for pk, revision_id in current:
            if revision_id != seen[pk][0]:
                row = seen[pk][1]
                problems.append(
                    Problem(
                        row.row,
                        "",
                        _("Der Eintrag %(code)s wurde während des Imports bearbeitet.") % {"code": row.code},
                    )
                )
    codes = [row.code for row in creating]
    for part in slices(codes):
        for code in Project.objects.filter(locale=plan.locale, code__in=part).values_list("code", flat=True):
            problems.append(
                Problem(None, "", _("Den Eintrag %(code)s hat inzwischen jemand angelegt.") % {"code": code})
            )
    if problems:
        raise ImportConflict(problems)


def _rollup(plan: ImportPlan, written: list[Project]) -> None:
    """Progress of parents from their new or changed sub-entries, each tree computed once.

    Only trees with sub-entries are walked, each on its own rows, so thousands of written
    entries without parents cost nothing here.
    """
    rows = list(Project.objects.filter(locale=plan.locale, live=True).values("pk", "parent_id", "progress", "weight"))
    parent_of = {row["pk"]: row["parent_id"] for row in rows}
    children = tree.children_of(parent_of.items())
    tops = {tree.root(parent_of, entry.pk) for entry in written if entry.pk in parent_of}
    by_pk = {row["pk"]: row for row in rows}
    by_value = defaultdict(list)
    for top in tops:
        if not children.get(top):
            continue
        members = [by_pk[pk] for pk in tree.subtree(children, top)]
        for pk, value in tree.weighted_subtree_progress(members, top).items():
            by_value[value].append(pk)
    for value, pks in by_value.items():
        for part in slices(pks):
            Project.objects.filter(pk__in=part).update(progress=value)
