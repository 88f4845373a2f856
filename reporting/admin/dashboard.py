"""Dashboard panels of the current reporting period: what each department still has to report, and the overview."""

from typing import Any

from django.http import HttpRequest
from wagtail.admin.ui.components import Component

from catalogue.admin.quick_report import quick_report_url
from catalogue.permissions import acts_for_all_departments, department_ids
from reporting.missing import by_department, current_period, days_left
from reporting.models import ReportingPeriod

from .viewsets import close_url


class DepartmentPeriodPanel(Component):
    """For a department: the entries it leads that still lack a report for the period, with the deadline."""

    name = "reporting_department_period"
    template_name = "reporting/admin/panel_department.html"
    order = 85

    def __init__(self, user: Any, period: ReportingPeriod):
        self.user, self.period = user, period

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        departments = by_department(self.period, department_ids(self.user))
        missing = [entry for item in departments for entry in item.missing]
        for entry in missing:
            entry.quick_report_url = quick_report_url(entry.pk)
        return {
            "period": self.period,
            "days_left": days_left(self.period),
            "in_scope": sum(item.in_scope for item in departments),
            "missing": missing,
        }


class CoordinatorPeriodPanel(Component):
    """For the coordination: per department how many entries reported for the period, and the way to close it."""

    name = "reporting_coordinator_period"
    template_name = "reporting/admin/panel_coordinator.html"
    order = 75

    def __init__(self, period: ReportingPeriod):
        self.period = period

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        departments = by_department(self.period)
        return {
            "period": self.period,
            "days_left": days_left(self.period),
            "departments": departments,
            "in_scope": sum(item.in_scope for item in departments),
            "missing": sum(len(item.missing) for item in departments),
            "close_url": close_url(self.period),
        }


def homepage_panels(request: HttpRequest, panels: list[Any]) -> None:
    period = current_period()
    if period is None:
        return
    user = request.user
    if acts_for_all_departments(user):
        panels.append(CoordinatorPeriodPanel(period))
    elif department_ids(user):
        panels.append(DepartmentPeriodPanel(user, period))
