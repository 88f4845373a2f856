"""The budget's part of the roles: the coordination keeps the budget, departments report their key figures.

Builds on the catalogue's groups (`setup_roles`) and its approval workflow for status reports,
which key-figure reports share. Safe to run again.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from wagtail.models import Workflow, WorkflowContentType

from catalogue.models import Project
from catalogue.permissions import COORDINATOR_GROUP, REVIEWER_GROUP

from .models import KeyFigureReport

DEPARTMENT_PERMISSIONS = ["add_keyfigurereport", "change_keyfigurereport", "lock_keyfigurereport"]


def _budget_permissions() -> QuerySet[Permission]:
    return Permission.objects.filter(content_type__app_label="budget")


@transaction.atomic
def setup_budget_roles() -> Workflow | None:
    """Grant the budget's permissions to the catalogue's groups and put key-figure reports under the report workflow.

    Returns the workflow key-figure reports go through, or None when status reports have none yet.
    """
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    coordinator.permissions.add(*_budget_permissions())
    reviewer, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    viewing = list(_budget_permissions().filter(codename__startswith="view_"))
    reviewer.permissions.add(*viewing)
    reporting = list(_budget_permissions().filter(codename__in=DEPARTMENT_PERMISSIONS))
    for group in Group.objects.filter(departments__isnull=False).distinct():
        group.permissions.add(*viewing, *reporting)
    status_reports = WorkflowContentType.objects.filter(content_type=ContentType.objects.get_for_model(Project)).first()
    if status_reports is None:
        return None
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(KeyFigureReport), defaults={"workflow": status_reports.workflow}
    )
    return status_reports.workflow
