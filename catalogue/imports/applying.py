"""Applying a checked plan in one transaction: new entries in bulk, changed ones through Wagtail's revisions."""

import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.models import Locale, ModelLogEntry, Revision
from wagtail.search.backends import get_search_backends

from catalogue.models import (
    ImportRun,
    Project,
    StatusReport,
    tree,
)

from .parsing import MANY_TO_MANY, SCALAR_FIELDS
from .planning import ImportPlan, RowPlan
from .vocabulary import Pending

IMPORT_ACTION = "catalogue.import"


BATCH = 500


Progress = Callable[[int, int], object]


class _Resolver:
    def __init__(self, created: Mapping[Pending, models.Model]) -> None:
        self.created = created

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, Pending):
            return self.created[value]
        return value


def apply_import(
    plan: ImportPlan,
    user: User | None = None,
    run: ImportRun | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Write `plan` in one transaction and return the `ImportRun`. Refuses a plan with errors."""
    if not plan.ok:
        raise ValueError("A plan with errors cannot be applied.")
    with transaction.atomic():
        if run is None:
            run = ImportRun.objects.create(
                file_name=plan.file_name, user=user, locale=plan.locale, create_missing=plan.create_missing
            )
        resolve = _Resolver(plan.vocabulary.create_pending())
        by_code = dict(plan.existing)
        work = [row for row in plan.rows if row.action != "unchanged"]
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, len(work))

        created = _create_entries(
            plan, [row for row in work if row.action == "create"], by_code, resolve, user, run, advance
        )
        for row in work:
            if row.action == "change":
                _change_entry(row, by_code, resolve, user, run)
                advance(1)
        _rollup(plan.locale, created)
        counts = plan.counts
        run.rows = len(plan.rows)
        run.created, run.changed, run.unchanged = counts["create"], counts["change"], counts["unchanged"]
        run.errors = 0
        run.state = ImportRun.State.APPLIED
        run.finished_at = timezone.now()
        run.save()
    return run


def _log_data(run: ImportRun, row: RowPlan) -> dict[str, Any]:
    return {"import_run": run.pk, "file_name": run.file_name, "row": row.row}


def _set_values(entry: Project, row: RowPlan, by_code: Mapping[str, Project] | None, resolve: _Resolver) -> None:
    values = row.values
    for name in SCALAR_FIELDS:
        if name in values:
            setattr(entry, name, values[name])
    if "lead_department" in values:
        entry.lead_department = resolve(values["lead_department"])
    # New entries get their parents after all of them exist (`by_code` is None then).
    if "parent_code" in values and by_code is not None:
        entry.parent = by_code[values["parent_code"]] if values["parent_code"] else None
    for name in MANY_TO_MANY:
        if name in values:
            getattr(entry, name).set(resolve(values[name]))


def _new_report(entry: Project, report: Mapping[str, Any], resolve: _Resolver, user: User | None) -> StatusReport:
    return StatusReport(
        project=entry,
        date=report["last_report_date"],
        status=resolve(report["status"]),
        traffic_light=report["traffic_light"],
        progress=report["progress"],
        text=report["last_report_text"],
        author=user,
        department=entry.lead_department,
    )


def _create_entries(
    plan: ImportPlan,
    rows: list[RowPlan],
    by_code: dict[str, Project],
    resolve: _Resolver,
    user: User | None,
    run: ImportRun,
    advance: Callable[[int], None],
) -> list[Project]:
    """New entries in bulk: rows, links, reports, a published revision and a log entry each."""
    now = timezone.now()
    entries = []
    for row in rows:
        entry = Project(
            code=row.code,
            locale=plan.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        _set_values(entry, row, None, resolve)
        entry.slug = entry.slug or slugify(f"{entry.code} {entry.title}")[:120]
        # Child relations held in memory, so that each revision is built without a query.
        entry.links, entry.documents, entry.reports = [], [], []
        for name in MANY_TO_MANY:
            if name not in row.values:
                getattr(entry, name).set([])
        if row.report:
            report = _new_report(entry, row.report, resolve, user)
            entry.reports = [report]
            entry.status = report.status
            entry.traffic_light = report.traffic_light
            entry.progress = report.progress
            entry.last_report_date = report.date
        entries.append((row, entry))
    for start in range(0, len(entries), BATCH):
        Project.objects.bulk_create([entry for _row, entry in entries[start : start + BATCH]])
    for row, entry in entries:
        by_code[row.code] = entry
    with_parent = []
    for row, entry in entries:
        if row.values.get("parent_code"):
            entry.parent = by_code[row.values["parent_code"]]
            with_parent.append(entry)
    _update_columns(["parent_id"], [(entry.parent_id, entry.pk) for entry in with_parent])
    reports = []
    for _row, entry in entries:
        for report in entry.reports.all():
            report.project_id = entry.pk
            reports.append(report)
    StatusReport.objects.bulk_create(reports, batch_size=BATCH)
    for name in MANY_TO_MANY:
        through = getattr(Project, name).through
        target = getattr(Project, name).rel.model._meta.model_name
        links = [
            through(project_id=entry.pk, **{f"{target}_id": item.pk})
            for _row, entry in entries
            for item in getattr(entry, name).all()
        ]
        through.objects.bulk_create(links, batch_size=BATCH)

    content_type = ContentType.objects.get_for_model(Project, for_concrete_model=False)
    base_content_type = ContentType.objects.get_for_model(Project)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=str(entry.pk),
            user=user,
            created_at=now,
            content=entry.serializable_data(),
            object_str=str(entry),
        )
        for _row, entry in entries
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    for (_row, entry), revision in zip(entries, revisions, strict=True):
        entry.latest_revision = entry.live_revision = revision
    _update_columns(
        ["latest_revision_id", "live_revision_id"],
        [(revision.pk, revision.pk, entry.pk) for (_row, entry), revision in zip(entries, revisions, strict=True)],
    )
    action_uuid = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(entry.pk),
                label=str(entry),
                action=IMPORT_ACTION,
                data={**_log_data(run, row), "created": True},
                timestamp=now,
                uuid=action_uuid,
                user=user,
                revision=revision,
                content_changed=True,
            )
            for (row, entry), revision in zip(entries, revisions, strict=True)
        ],
        batch_size=BATCH,
    )
    created = [entry for _row, entry in entries]
    for backend in get_search_backends():
        backend.add_bulk(Project, created)
    advance(len(entries))
    return created


def _update_columns(columns: list[str], rows: Sequence[Sequence[int | None]]) -> None:
    """One UPDATE per entry through executemany: far cheaper than bulk_update's CASE over thousands of ids."""
    table = Project._meta.db_table
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _change_entry(
    row: RowPlan, by_code: Mapping[str, Project], resolve: _Resolver, user: User | None, run: ImportRun
) -> None:
    """One existing entry through Wagtail's own path: revision, log entry, publish."""
    entry = row.project
    assert entry is not None, "planning gives every changed row its entry"
    _set_values(entry, row, by_code, resolve)
    if row.report:
        reports = list(entry.reports.all())
        newest = reports[0] if reports and row.report["update"] else None
        if newest is not None:
            newest.status = resolve(row.report["status"])
            newest.traffic_light = row.report["traffic_light"]
            newest.progress = row.report["progress"]
            newest.text = row.report["last_report_text"]
        else:
            reports.insert(0, _new_report(entry, row.report, resolve, user))
        entry.reports = reports
    revision = entry.save_revision(user=user, log_action=False, clean=False)
    log(
        instance=entry,
        action=IMPORT_ACTION,
        user=user,
        revision=revision,
        data={**_log_data(run, row), "fields": [change.key for change in row.changes]},
        content_changed=True,
    )
    # The import permission is the gate: whoever may import publishes what the import changes.
    revision.publish(user=user, log_action=False, skip_permission_checks=True)


def _rollup(locale: Locale, created: list[Project]) -> None:
    """Progress of parents from their new sub-entries, computed once for the whole import."""
    if not any(entry.parent_id for entry in created):
        return
    rows = list(Project.objects.filter(locale=locale, live=True).values("pk", "parent_id", "progress", "weight"))
    changed = tree.rollup_changes(rows, [entry.pk for entry in created])
    by_value: defaultdict[int, list[int]] = defaultdict(list)
    for pk, value in changed.items():
        by_value[value].append(pk)
    for value, pks in by_value.items():
        Project.objects.filter(pk__in=pks).update(progress=value)
