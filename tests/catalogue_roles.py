"""Two departments, a coordinator and a reviewer with the real roles, for the permission tests."""

import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from catalogue.management.commands.setup_roles import setup_roles
from catalogue.models import StatusReport
from tests.factories import DepartmentFactory, GoalFactory, IndicatorFactory, ProjectFactory, StatusFactory, german

PROJECT_URLS = "wagtailsnippets_catalogue_project"


def _user(username, *groups):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "x")
    user.groups.add(*groups)
    return user


def _entry(code, department, goal, status, author):
    entry = ProjectFactory(code=code, title=f"Eintrag {code}", lead_department=department, goals=[goal])
    entry.reports.add(
        StatusReport(date=datetime.date(2024, 1, 15), status=status, traffic_light="on_track", progress=20)
    )
    entry.save()
    entry.save_revision(user=author).publish(user=author)
    entry.refresh_from_db()
    return entry


def build_world():
    german()
    departments = []
    for short, email in (("Umwelt", "umwelt@example.org"), ("Verkehr", "verkehr@example.org")):
        department = DepartmentFactory(name=f"Fachbereich {short} (Test)", short_name=short, email=email)
        department.groups.add(Group.objects.create(name=f"Fachbereich {short}"))
        departments.append(department)
    roles = setup_roles()
    coordinator_group, reviewer_group, workflow = roles.coordinator, roles.reviewer, roles.report_workflow
    dep_a, dep_b = departments
    world = SimpleNamespace(
        dep_a=dep_a,
        dep_b=dep_b,
        workflow=workflow,
        editor_a=_user("editor-a", *dep_a.groups.all()),
        editor_b=_user("editor-b", *dep_b.groups.all()),
        coordinator=_user("koordination", coordinator_group),
        reviewer=_user("lesen", reviewer_group),
        nobody=_user("niemand"),
        goal=GoalFactory(),
        status=StatusFactory(name="in Umsetzung", slug="in-umsetzung"),
        status_done=StatusFactory(name="abgeschlossen", slug="abgeschlossen"),
    )
    # Admin access and nothing else: what Wagtail's model-level checks alone would refuse.
    world.nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    world.entry_a = _entry("1.1.01", dep_a, world.goal, world.status, world.coordinator)
    world.entry_b = _entry("1.1.02", dep_b, world.goal, world.status, world.coordinator)
    world.indicator_a = IndicatorFactory(title="Radwege", unit="km")
    world.indicator_a.projects.add(world.entry_a)
    world.indicator_b = IndicatorFactory(title="Photovoltaik", unit="MW")
    world.indicator_b.projects.add(world.entry_b)
    return world
