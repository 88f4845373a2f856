"""Dashboard panels: the department's own entries, and the coordinator's approvals and overdue list.

Each panel shows the first `PANEL_ROWS` rows with the full counts and links to the filtered
listing, so it costs the same however many entries are overdue.
"""

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from catalogue.models import CatalogueSettings, Department, Project
from catalogue.permissions import acts_for_all_departments, department_ids
from cms.locales import default_locale

from .panels import pending_reports_of_revisions
from .quick_report import EDIT_URL_NAME, quick_report_url, sent_back_states

PANEL_ROWS = 20
LIST_URL_NAME = "wagtailsnippets_catalogue_project:list"


def _edit_url(project):
    return reverse(EDIT_URL_NAME, args=[quote(project.pk)])


def listing_url(**filters) -> str:
    """The admin listing of entries with these filters (as its filter form writes them)."""
    query = urlencode({name: value for name, value in filters.items() if value is not None})
    return reverse(LIST_URL_NAME) + (f"?{query}" if query else "")


def _source_entries():
    return Project.objects.filter(locale=default_locale())


class DepartmentEntriesPanel(Component):
    name = "catalogue_department_entries"
    template_name = "catalogue/admin/panel_department_entries.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        days = CatalogueSettings.report_interval_for_default_site()
        own = department_ids(self.user)
        entries = _source_entries().filter(lead_department_id__in=own)
        totals = entries.aggregate(total=Count("pk"))
        overdue_count = entries.overdue(days).count()
        rows = list(
            entries.select_related("status")
            .with_overdue(days)
            .order_by("-is_overdue", F("last_report_date").asc(nulls_first=True), "code")[:PANEL_ROWS]
        )
        states = list(
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_NEEDS_CHANGES,
                base_content_type=ContentType.objects.get_for_model(Project),
                object_id__in=[str(row.pk) for row in rows],
            )
        )
        requests = sent_back_states(states)
        sent_back = {int(state.object_id): requests.get(state.pk) for state in states}
        for row in rows:
            row.edit_url = _edit_url(row)
            row.quick_report_url = quick_report_url(row.pk)
            row.sent_back = sent_back.get(row.pk)
        counts = list(
            entries.values("status__name").annotate(count=Count("pk")).order_by("status__order", "status__name")
        )
        # The listing filters by the department in the default language; one link when there is one.
        departments = list(Department.objects.filter(pk__in=own, locale=default_locale()).values_list("pk", flat=True))
        department = departments[0] if len(departments) == 1 else None
        return {
            "entries": rows,
            "entry_count": totals["total"],
            "sent_back": [row for row in rows if row.pk in sent_back],
            "overdue_count": overdue_count,
            "status_counts": counts,
            "interval_days": days,
            "all_url": listing_url(department=department),
            "overdue_url": listing_url(department=department, overdue="true"),
        }


class CoordinatorPanel(Component):
    name = "catalogue_coordinator"
    template_name = "catalogue/admin/panel_coordinator.html"
    order = 80

    def get_context_data(self, parent_context=None):
        project_type = ContentType.objects.get_for_model(Project)
        in_progress = WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS, base_content_type=project_type
        )
        states = list(
            in_progress.select_related(
                "requested_by", "current_task_state__task", "current_task_state__revision"
            ).order_by("created_at")[:PANEL_ROWS]
        )
        projects = Project.objects.select_related("lead_department").in_bulk([state.object_id for state in states])
        states = [state for state in states if int(state.object_id) in projects]
        # What approving will publish: the new report and the values reported with it.
        reports = pending_reports_of_revisions(
            state.current_task_state.revision.content if state.current_task_state else {} for state in states
        )
        pending = [
            {
                "state": state,
                "project": projects[int(state.object_id)],
                "edit_url": _edit_url(projects[int(state.object_id)]),
                "reports": state_reports,
            }
            for state, state_reports in zip(states, reports, strict=True)
        ]
        overdue = _source_entries().overdue()
        by_department = list(
            overdue.values("lead_department_id", "lead_department__name")
            .annotate(count=Count("pk"))
            .order_by("lead_department__name")
        )
        for row in by_department:
            row["url"] = listing_url(department=row["lead_department_id"], overdue="true")
        oldest = list(
            overdue.select_related("lead_department").order_by(F("last_report_date").asc(nulls_first=True), "code")[
                :PANEL_ROWS
            ]
        )
        for entry in oldest:
            entry.edit_url = _edit_url(entry)
        return {
            "pending": pending,
            "pending_count": in_progress.count(),
            "overdue": oldest,
            "overdue_count": sum(row["count"] for row in by_department),
            "overdue_by_department": by_department,
            "overdue_url": listing_url(overdue="true"),
            "workflows_url": reverse("wagtailadmin_reports:workflow"),
        }


def homepage_panels(request, panels):
    user = request.user
    if acts_for_all_departments(user):
        panels.append(CoordinatorPanel())
    if department_ids(user):
        panels.append(DepartmentEntriesPanel(user))
