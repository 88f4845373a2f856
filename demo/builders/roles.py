"""Demo logins for every role of `docs/roles.md` (one per approval step) and one report waiting for approval.

The logins and the report are in demo/data/roles.yaml.
"""

from typing import Any, NamedTuple

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
from demo import data
from demo.passwords import password_hash

ROLE_GROUPS = {
    "coordinator": COORDINATOR_GROUP,
    "subject_review": SUBJECT_REVIEW_GROUP,
    "press": PRESS_GROUP,
    "reviewer": REVIEWER_GROUP,
}


class DemoUser(NamedTuple):
    """A demo login of demo/data/roles.yaml: printed on purpose; the README's table lists them."""

    username: str
    password: str
    group: str
    name: tuple[str, str]


def _demo_user(spec: dict[str, Any]) -> DemoUser:
    group = ROLE_GROUPS[spec["role"]] if "role" in spec else f"{DEPARTMENT_GROUP_PREFIX}{spec['department']}"
    return DemoUser(spec["username"], spec["password"], group, (spec["first_name"], spec["last_name"]))


DEMO_USERS = [_demo_user(spec) for spec in data.load("roles")["users"]]


def ensure_users():
    User = get_user_model()
    users = {}
    for username, password, group_name, (first, last) in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@lk-lindenau.example", "first_name": first, "last_name": last},
        )
        if created:
            user.password = password_hash(password)
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
    spec = data.load("roles")["pending_report"]
    status = (
        Status.objects.filter(locale=project.locale, slug=spec["status"]).first()
        or Status.objects.filter(locale=project.locale).order_by("order").first()
    )
    if status is None:
        return None
    fields = {
        "date": timezone.localdate().isoformat(),
        "status": status.pk,
        "traffic_light": TrafficLight(spec["traffic_light"]),
        "progress": min(project.progress + spec["progress_step"], 100),
        "text": spec["text"],
    }
    indicator = project.indicators.order_by("title", "pk").first()
    if indicator is not None:
        fields[QuickReportForm.indicator_field_name(indicator)] = spec["indicator_value"]
    form = QuickReportForm(data=fields, project=project)
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
            settings.coordinator_emails = data.load("roles")["coordinator_email"]
            settings.save()
    users = ensure_users()
    ensure_pending_report(users[data.load("roles")["pending_report"]["author"]])
    if stdout is not None:
        for username, password, group_name, _name in DEMO_USERS:
            stdout.write(f"Demo login ({group_name}): user: {username}  password: {password}")
    return users
