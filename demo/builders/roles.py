"""Demo logins for the roles, the approval workflow for status reports, and one report waiting for it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Locale, Site, Workflow, WorkflowContentType, WorkflowState, WorkflowTask

from catalogue.admin.forms import QuickReportForm
from catalogue.admin.quick_report import submit_quick_report
from catalogue.management.commands.setup_roles import setup_roles
from catalogue.models import CatalogueSettings, Project, Status, TrafficLight
from catalogue.permissions import COORDINATOR_GROUP, DEPARTMENT_GROUP_PREFIX, REVIEWER_GROUP

WORKFLOW_NAME = "Freigabe Statusbericht"
TASK_NAME = "Freigabe durch die Koordination"
COORDINATOR_EMAIL = "kreisentwicklung@lk-lindenau.example"

# (username, password, group, full name): demo logins, printed on purpose.
DEMO_USERS = [
    ("koordination", "koordination-lindenau", COORDINATOR_GROUP, ("Kim", "Koordinatorin")),
    ("fb-umwelt", "umwelt-lindenau", f"{DEPARTMENT_GROUP_PREFIX}FB Umwelt", ("Uwe", "Umwelt")),
    ("fb-mobilitaet", "mobilitaet-lindenau", f"{DEPARTMENT_GROUP_PREFIX}FB Verkehr", ("Mia", "Mobilität")),
    ("lesen", "lesen-lindenau", REVIEWER_GROUP, ("Lea", "Leserin")),
]


def ensure_report_workflow(coordinator):
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=TASK_NAME)
            task.groups.set([coordinator])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Project), defaults={"workflow": workflow}
    )
    return workflow


def ensure_users():
    User = get_user_model()
    users = {}
    for username, password, group_name, (first, last) in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@lk-lindenau.example", "first_name": first, "last_name": last},
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


def ensure_pending_report(user):
    """One report from the environment department waiting for approval, unless one waits already."""
    project_type = ContentType.objects.get_for_model(Project)
    if WorkflowState.objects.filter(base_content_type=project_type, status=WorkflowState.STATUS_IN_PROGRESS).exists():
        return None
    project = (
        Project.objects.filter(
            locale=Locale.get_default(), live=True, lead_department__groups__user=user, has_unpublished_changes=False
        )
        .order_by("code")
        .first()
    )
    if project is None:
        return None
    status = (
        Status.objects.filter(locale=project.locale, slug="in-umsetzung").first()
        or Status.objects.filter(locale=project.locale).order_by("order").first()
    )
    if status is None:
        return None
    form = QuickReportForm(
        data={
            "date": timezone.localdate().isoformat(),
            "status": status.pk,
            "traffic_light": TrafficLight.AT_RISK,
            "progress": min(project.progress + 10, 100),
            "text": "Die Ausschreibung hat sich verzögert; der Auftrag wird im nächsten Quartal vergeben.",
        },
        project=project,
    )
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    submit_quick_report(project, user, form)
    return project


@transaction.atomic
def build_roles(stdout=None):
    coordinator, _reviewer, _editors = setup_roles()
    ensure_report_workflow(coordinator)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        settings = CatalogueSettings.for_site(site)
        if not settings.coordinator_emails:
            settings.coordinator_emails = COORDINATOR_EMAIL
            settings.save()
    users = ensure_users()
    ensure_pending_report(users["fb-umwelt"])
    if stdout is not None:
        for username, password, group_name, _name in DEMO_USERS:
            stdout.write(f"Demo login ({group_name}): user: {username}  password: {password}")
    return users
