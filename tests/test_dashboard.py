"""Dashboard panels for department editors and the coordinator, at a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Project
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    world = build_world()
    Project.objects.filter(pk=world.entry_a.pk).update(last_report_date=timezone.localdate())
    world.stale_a = ProjectFactory(code="1.1.03", title="Alter Eintrag", lead_department=world.dep_a)
    return world


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def test_department_panel_lists_own_entries_overdue_first_with_counts(client, world):
    client.force_login(world.editor_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Ihre Einträge" in html
    assert html.index("Alter Eintrag") < html.index(world.entry_a.title)
    assert world.entry_b.title not in html
    assert url("quick_report", world.stale_a.pk) in html and url("quick_report", world.entry_a.pk) in html
    assert "in Umsetzung: 1" in html and "ohne Status: 1" in html
    assert "Freigaben und überfällige Berichte" not in html


def test_coordinator_panel_shows_pending_approvals_and_overdue_by_department(client, world):
    client.force_login(world.editor_b)
    client.post(
        url("quick_report", world.entry_b.pk),
        {
            "date": "2025-06-30",
            "status": str(world.status.pk),
            "traffic_light": "on_track",
            "progress": "30",
            "text": "x",
        },
    )
    client.force_login(world.coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 Bericht wartet auf Freigabe" in html
    pending = html[html.index("catalogue-pending") :]
    assert url("edit", world.entry_b.pk) in pending[: pending.index("</ul>")]
    overdue = html[html.index("ohne aktuellen Bericht") :]
    assert world.dep_a.name in overdue and "Alter Eintrag" in overdue
    assert world.entry_b.title in overdue  # its report from 2024 is older than the interval
    assert "Ihre Einträge" not in html


def test_reviewer_sees_neither_panel(client, world):
    client.force_login(world.reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Ihre Einträge" not in html and "Freigaben und überfällige Berichte" not in html


@pytest.mark.parametrize("user_name", ["editor_a", "coordinator"])
def test_panels_cost_the_same_queries_for_more_entries(client, world, user_name):
    client.force_login(getattr(world, user_name))
    home = reverse("wagtailadmin_home")
    client.get(home)
    with CaptureQueriesContext(connection) as few:
        client.get(home)
    for number in range(12):
        ProjectFactory(
            code=f"1.2.{number:02d}", lead_department=world.dep_a, last_report_date=datetime.date(2020, 1, 1)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(home)
    assert "1.2.11" in response.content.decode()
    assert len(many) == len(few)
