"""New entries in bulk: rows, links, reports, then a published revision and a log entry each."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.text import slugify

from catalogue.models import Project, StatusReport

from .parsing import MANY_TO_MANY, SCALAR_FIELDS
from .plans import ImportPlan, RowPlan
from .writing import BATCH, Resolver, WriteContext, publish_in_bulk, update_rows


def new_report(entry: Project, report: dict[str, Any], resolve: Resolver, user: User | None) -> StatusReport:
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


def create_entries(
    plan: ImportPlan, rows: list[RowPlan], by_code: dict[str, Project], resolve: Resolver, context: WriteContext
) -> list[Project]:
    """Create the entries of `rows`, live, and add them to `by_code`."""
    if not rows:
        return []
    entries = []
    for row in rows:
        entry = Project(
            code=row.code,
            locale=plan.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=context.now,
            last_published_at=context.now,
        )
        values = row.values
        for name in SCALAR_FIELDS:
            if name in values:
                setattr(entry, name, values[name])
        entry.lead_department = resolve(values.get("lead_department"))
        entry.slug = entry.slug or slugify(f"{entry.code} {entry.title}")[:120]
        # Child relations held in memory, so that each revision is built without a query.
        entry.links, entry.documents, entry.reports = [], [], []
        for name in MANY_TO_MANY:
            getattr(entry, name).set(resolve(values.get(name, [])))
        if row.report:
            report = new_report(entry, row.report, resolve, context.user)
            entry.reports = [report]
            entry.status = report.status
            entry.traffic_light = report.traffic_light
            entry.progress = report.progress
            entry.last_report_date = report.date
        entries.append((row, entry))
    Project.objects.bulk_create([entry for _row, entry in entries], batch_size=BATCH)
    for row, entry in entries:
        by_code[row.code] = entry
    with_parent = []
    for row, entry in entries:
        if row.values.get("parent_code"):
            entry.parent = by_code[row.values["parent_code"]]
            with_parent.append(entry)
    update_rows(Project._meta.db_table, ["parent_id"], [(entry.parent_id, entry.pk) for entry in with_parent])
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
    publish_in_bulk(context, entries, created=True)
    update_rows(
        Project._meta.db_table,
        ["latest_revision_id", "live_revision_id"],
        [(entry.latest_revision_id, entry.live_revision_id, entry.pk) for _row, entry in entries],
    )
    context.advance(len(entries))
    return [entry for _row, entry in entries]
