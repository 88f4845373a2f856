"""Closing a reporting period: the coordinator asks for it, a background task freezes the report.

`request_closing` marks the period as closing and queues `close_period_task` on the task
backend for long jobs ("background", the database queue run by `manage.py db_worker`; the
default backend where no such alias is configured). The task writes the whole report in one
transaction with `bulk_create`: either the complete report exists, or the period is open again
with the error recorded.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from catalogue.models import progress
from cms import cache

from .freezing import freeze
from .models import EntrySnapshot, IndicatorSnapshot, ProgressReport, ReportingPeriod

logger = logging.getLogger(__name__)

BACKGROUND_BACKEND = "background"
BATCH_SIZE = 1000


class ClosingRefused(Exception):
    """The period cannot be closed (it is closed or closing already); the message says why."""


def close_period(period_id: int, closed_at: datetime.datetime | None = None) -> ProgressReport:
    """Freeze the report of a period in one transaction; a closed period returns its report unchanged.

    `closed_at` records when it was closed (now, unless a demo or an import of old reports says otherwise).
    """
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period_id)
        existing = ProgressReport.objects.filter(period=period).first()
        if existing is not None:
            return existing
        area_codes = set(period.areas.values_list("code", flat=True)) or None
        reports_from = period.window_start()
        frozen = freeze(
            period.entries_in_scope(),
            period.deadline,
            progress.current_tolerance(),
            reports_from=reports_from,
            area_codes=area_codes,
            with_rows=True,
        )
        report = ProgressReport.objects.create(
            period=period,
            title=period.title,
            title_en=period.title_en,
            reporting_date=period.reporting_date,
            reports_from=reports_from,
            as_of=frozen.as_of,
            closed_at=closed_at or timezone.now(),
            tolerance=frozen.tolerance,
            scope={
                "areas": sorted(area_codes or []),
                "area_ids": list(period.areas.values_list("pk", flat=True)),
                "departments": list(period.departments.order_by("name").values_list("name", flat=True)),
                "department_ids": list(period.departments.values_list("pk", flat=True)),
            },
            legend=frozen.legend,
            entry_count=len(frozen.entries),
            indicator_count=len(frozen.indicators),
        )
        EntrySnapshot.objects.bulk_create(
            (EntrySnapshot(report=report, **vars(state)) for state in frozen.entries), batch_size=BATCH_SIZE
        )
        IndicatorSnapshot.objects.bulk_create(
            (IndicatorSnapshot(report=report, **vars(state)) for state in frozen.indicators), batch_size=BATCH_SIZE
        )
        ReportingPeriod.objects.filter(pk=period.pk).update(
            state=ReportingPeriod.State.CLOSED, closed_at=report.closed_at, close_error=""
        )
        # The entry pages show their history across reports, cached per data version.
        cache.bump_after_commit()
    return report


@task()
def close_period_task(period_id: int) -> int:
    """The background job: close the period, or reopen it with the error for the coordinator to see."""
    try:
        return close_period(period_id).pk
    except Exception as error:
        logger.exception("Closing reporting period %s failed", period_id)
        ReportingPeriod.objects.filter(pk=period_id, state=ReportingPeriod.State.CLOSING).update(
            state=ReportingPeriod.State.OPEN, close_error=f"{type(error).__name__}: {error}"
        )
        raise


def backend_alias() -> str:
    return BACKGROUND_BACKEND if BACKGROUND_BACKEND in getattr(settings, "TASKS", {}) else "default"


def request_closing(period: ReportingPeriod) -> None:
    """Mark an open period as closing and queue the job that freezes its report."""
    changed = ReportingPeriod.objects.filter(pk=period.pk, state=ReportingPeriod.State.OPEN).update(
        state=ReportingPeriod.State.CLOSING, closing_requested_at=timezone.now(), close_error=""
    )
    if not changed:
        raise ClosingRefused(period.get_state_display())
    # Queued once the state is committed, so the worker never sees the period still open.
    transaction.on_commit(lambda: close_period_task.using(backend=backend_alias()).enqueue(period.pk))
