"""What changed in the catalogue: each live entry compared with the state the last comparison stored.

`record_changes` reads the catalogue's rows (entries, their published status reports), so a
change made in the editor, through the approval workflow or by the import is found alike. It
stores new entries, new reports and status or traffic-light changes as `EntryChange`s, which
the digests (`participation.digests`) mail to whoever follows the entry.
"""

import datetime

from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Locale

from catalogue.models import Project, StatusReport
from cms import cache

from .models import EntryChange, EntrySnapshot

# One comparison at a time across workers and servers (with the shared cache in production).
RUN = "participation:digest-run"
RUN_TIMEOUT = cache.HOUR


def record_changes(now: datetime.datetime | None = None) -> int:
    """Store what changed in the live default-language entries since the last comparison; return how many.

    The first comparison ever only takes note of the state: there is nothing to compare it with.
    """
    now = now or timezone.now()
    entries = Project.objects.filter(locale=Locale.get_default(), live=True)
    snapshots = {snapshot.project_id: snapshot for snapshot in EntrySnapshot.objects.all()}
    first_run = not snapshots
    newest_reports = dict(
        StatusReport.objects.filter(project__in=entries)
        .order_by()
        .values("project_id")
        .annotate(newest=Max("pk"))
        .values_list("project_id", "newest")
    )
    seen = EntrySnapshot.objects.filter(project=OuterRef("project_id")).values("last_report_id")
    new_reports = list(
        StatusReport.objects.filter(project__in=entries)
        .annotate(seen=Subquery(seen))
        .filter(seen__isnull=False, pk__gt=F("seen"))
        .order_by("pk")
        .values_list("pk", "project_id")
    )
    changes: list[EntryChange] = []
    created: list[EntrySnapshot] = []
    updated: list[EntrySnapshot] = []
    for pk, status_id, light in entries.order_by("pk").values_list("pk", "status_id", "traffic_light"):
        snapshot = snapshots.get(pk)
        newest = newest_reports.get(pk, 0)
        if snapshot is None:
            created.append(
                EntrySnapshot(project_id=pk, status_id=status_id, traffic_light=light, last_report_id=newest)
            )
            if not first_run:
                changes.append(EntryChange(kind=EntryChange.Kind.NEW_ENTRY, project_id=pk, detected_at=now))
            continue
        if (snapshot.status_id, snapshot.traffic_light) != (status_id, light):
            changes.append(
                EntryChange(
                    kind=EntryChange.Kind.STATE,
                    project_id=pk,
                    old_status_id=snapshot.status_id,
                    new_status_id=status_id,
                    old_light=snapshot.traffic_light,
                    new_light=light,
                    detected_at=now,
                )
            )
        if (snapshot.status_id, snapshot.traffic_light) != (status_id, light) or newest > snapshot.last_report_id:
            snapshot.status_id, snapshot.traffic_light = status_id, light
            snapshot.last_report_id = max(newest, snapshot.last_report_id)
            updated.append(snapshot)
    changes.extend(
        EntryChange(kind=EntryChange.Kind.REPORT, project_id=project_id, report_id=report_id, detected_at=now)
        for report_id, project_id in new_reports
    )
    with transaction.atomic():
        EntrySnapshot.objects.bulk_create(created, batch_size=500)
        EntrySnapshot.objects.bulk_update(updated, ["status", "traffic_light", "last_report_id"], batch_size=500)
        EntryChange.objects.bulk_create(changes, batch_size=500)
    return len(changes)


def record_changes_unless_running() -> None:
    """Take note of the catalogue's state now (before a subscription starts), unless a digest run is doing it."""
    if cache.claim(RUN, timeout=RUN_TIMEOUT):
        try:
            record_changes()
        finally:
            cache.forget(RUN)
