"""What is still missing for a reporting period: the entries in scope without a report in its window.

The dashboard shows it to each department and to the coordination; the reminder command
(`send_period_reminders`) mails it, naming the period's deadline.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from catalogue.models import Department, Project

from .models import ReportingPeriod


@dataclass
class DepartmentProgress:
    """One lead department's entries in a period's scope: how many reported, and which are missing."""

    department: Department
    in_scope: int = 0
    missing: list[Project] = field(default_factory=list)

    @property
    def reported(self) -> int:
        return self.in_scope - len(self.missing)


def current_period() -> ReportingPeriod | None:
    """The open period departments report for now: the one with the nearest deadline."""
    return (
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("deadline", "reporting_date").first()
    )


def by_department(period: ReportingPeriod, department_ids: Collection[int] | None = None) -> list[DepartmentProgress]:
    """Per lead department (optionally only some): entries in scope and those still missing, in two queries."""
    entries = period.entries_in_scope()
    if department_ids is not None:
        entries = entries.filter(lead_department_id__in=department_ids)
    flagged = period.with_report_flag(entries)
    found: dict[int, DepartmentProgress] = {}
    counts = flagged.values("lead_department_id").annotate(
        total=Count("pk"), missing=Count("pk", filter=Q(has_reported=False))
    )
    missing = defaultdict(list)
    for entry in flagged.filter(has_reported=False).select_related("lead_department").order_by("code"):
        missing[entry.lead_department_id].append(entry)
    departments = Department.objects.in_bulk([row["lead_department_id"] for row in counts])
    for row in counts:
        department = departments[row["lead_department_id"]]
        found[department.pk] = DepartmentProgress(department, row["total"], missing.get(department.pk, []))
    return sorted(found.values(), key=lambda item: item.department.name.casefold())


def days_left(period: ReportingPeriod, today: datetime.date | None = None) -> int:
    return (period.deadline - (today or timezone.localdate())).days
