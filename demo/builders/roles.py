"""Demo logins for every role of `docs/roles.md` (one per approval step) and one report waiting for approval."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Site, WorkflowState

from catalogue.admin.forms import QuickReportForm
from catalogue.admin.quick_report import submit_quick_report
from catalogue.management.commands.setup_roles import setup_roles
from catalogue.models import CatalogueSettings, Project, Status, TrafficLight
from catalogue.permissions import (
    COORDINATOR_GROUP,
    DEPARTMENT_GROUP_PREFIX,
    PRESS_GROUP,
    REVIEWER_GROUP,
    SUBJECT_REVIEW_GROUP,
)

COORDINATOR_EMAIL = "kreisentwicklung@lk-lindenau.example"

# (username, password, group, full name): demo logins, printed on purpose; the README's table lists them.
DEMO_USERS = [
    ("koordination", "koordination-lindenau", COORDINATOR_GROUP, ("Kim", "Koordinatorin")),
    ("pruefung", "pruefung-lindenau", SUBJECT_REVIEW_GROUP, ("Paul", "Prüfer")),
    ("pressestelle", "pressestelle-lindenau", PRESS_GROUP, ("Petra", "Presse")),
    ("fb-umwelt", "umwelt-lindenau", f"{DEPARTMENT_GROUP_PREFIX}FB Umwelt", ("Uwe", "Umwelt")),
    ("fb-mobilitaet", "mobilitaet-lindenau", f"{DEPARTMENT_GROUP_PREFIX}FB Verkehr", ("Mia", "Mobilität")),
    ("lesen", "lesen-lindenau", REVIEWER_GROUP, ("Lea", "Leserin")),
]


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
        user.groups.set([Group.objects.get(name=group_name)])
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
    data = {
        "date": timezone.localdate().isoformat(),
        "status": status.pk,
        "traffic_light": TrafficLight.AT_RISK,
        "progress": min(project.progress + 10, 100),
        "text": "Die Ausschreibung hat sich verzögert; der Auftrag wird im nächsten Quartal vergeben.",
    }
    indicator = project.indicators.order_by("title", "pk").first()
    if indicator is not None:
        # The approver sees the value next to the report before deciding.
        data[QuickReportForm.indicator_field_name(indicator)] = "12,5"
    form = QuickReportForm(data=data, project=project)
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    submit_quick_report(project, user, form)
    return project


@transaction.atomic
def build_roles(stdout=None):
    setup_roles()
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
