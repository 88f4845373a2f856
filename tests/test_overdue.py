"""Overdue means: still running and no published report within the interval, the same everywhere.

Dashboard (department and coordinator), the admin listing's filter and its export, and the
reminder command all ask `Project.objects.overdue()`; closed entries are never overdue.
"""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from catalogue.models import CatalogueSettings, Project
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.factories import ProjectFactory, StatusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    world = build_world()
    settings = CatalogueSettings.for_site(Site.objects.get(is_default_site=True))
    settings.report_interval_days = 180
    settings.coordinator_emails = "kreisentwicklung@example.org"
    settings.save()
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    closed = StatusFactory(name="verstetigt", slug="verstetigt", is_closed=True)
    dropped = StatusFactory(name="entfallen", slug="entfallen", is_closed=True)
    department = world.dep_a
    world.running_stale = ProjectFactory(
        code="5.1.01", title="Läuft ohne Bericht", lead_department=department, status=world.status
    )
    Project.objects.filter(pk=world.running_stale.pk).update(last_report_date=long_ago)
    world.never_reported = ProjectFactory(code="5.1.02", title="Nie berichtet", lead_department=department)
    world.recent = ProjectFactory(code="5.1.03", title="Frisch berichtet", lead_department=department)
    Project.objects.filter(pk=world.recent.pk).update(last_report_date=today - datetime.timedelta(days=5))
    world.done = ProjectFactory(
        code="5.1.04", title="Abgeschlossen alt", lead_department=department, status=world.status_done
    )
    Project.objects.filter(pk=world.done.pk).update(last_report_date=long_ago)
    world.permanent = ProjectFactory(code="5.1.05", title="Verstetigt alt", lead_department=department, status=closed)
    Project.objects.filter(pk=world.permanent.pk).update(last_report_date=long_ago)
    world.dropped = ProjectFactory(code="5.1.06", title="Entfallen nie", lead_department=department, status=dropped)
    # build_world's entries reported in 2024; close them so only the entries above speak.
    Project.objects.filter(pk__in=[world.entry_a.pk, world.entry_b.pk]).update(status=world.status_done)
    world.status_done.is_closed = True
    world.status_done.save()
    return world


OVERDUE_TITLES = {"Läuft ohne Bericht", "Nie berichtet"}
NOT_OVERDUE_TITLES = {"Frisch berichtet", "Abgeschlossen alt", "Verstetigt alt", "Entfallen nie"}


def test_queryset_method_leaves_out_closed_and_recent_entries(world):
    today = timezone.localdate()
    titles = set(Project.objects.overdue(days=180, today=today).values_list("title", flat=True))
    assert titles == OVERDUE_TITLES
    # With the site's interval by default; a later day makes the recent entry overdue too.
    assert set(Project.objects.overdue().values_list("title", flat=True)) == OVERDUE_TITLES
    later = today + datetime.timedelta(days=200)
    assert set(Project.objects.overdue(today=later).values_list("title", flat=True)) == OVERDUE_TITLES | {
        "Frisch berichtet"
    }


def test_department_dashboard_marks_only_running_entries_overdue(client, world):
    client.force_login(world.editor_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index("catalogue-own-entries-heading") :]
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in panel.split("<tr>")[2:]}
    marked = {title for title in OVERDUE_TITLES | NOT_OVERDUE_TITLES if "(überfällig)" in _row_of(rows, title)}
    assert marked == OVERDUE_TITLES
    assert "2 davon brauchen einen neuen Bericht" in html


def _row_of(rows, title):
    return next(row for key, row in rows.items() if title in key)


def test_coordinator_dashboard_lists_only_running_overdue_entries(client, world):
    client.force_login(world.coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    overdue = html[html.index("ohne aktuellen Bericht") :]
    assert "2 Einträge ohne aktuellen Bericht" in html
    for title in OVERDUE_TITLES:
        assert title in overdue
    for title in NOT_OVERDUE_TITLES:
        assert title not in overdue


def test_listing_filter_and_its_export_use_the_same_rule(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse(f"{PROJECT_URLS}:list_results"), {"locale": "de", "overdue": "true", "mine": ""})
    assert {entry.title for entry in response.context["object_list"]} == OVERDUE_TITLES
    response = client.get(reverse(f"{PROJECT_URLS}:list_results"), {"locale": "de", "overdue": "false", "mine": ""})
    listed = {entry.title for entry in response.context["object_list"]}
    assert listed >= NOT_OVERDUE_TITLES and not listed & OVERDUE_TITLES

    response = client.get(
        reverse(f"{PROJECT_URLS}:list"), {"locale": "de", "overdue": "true", "mine": "", "export": "csv"}
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert {row[1] for row in rows[1:]} == OVERDUE_TITLES


def test_reminders_go_out_for_running_overdue_entries_only(world, mailoutbox):
    call_command("send_update_reminders", stdout=io.StringIO(), stderr=io.StringIO())
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    for title in OVERDUE_TITLES:
        assert title in body
    for title in NOT_OVERDUE_TITLES:
        assert title not in body
