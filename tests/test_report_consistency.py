"""An entry shows its newest published report; where a report contradicts itself or the public state,
the admin warns (issue 13: "in Umsetzung", "kritisch" and 100 % while the newest report says 60 %)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalogue.models import Project, StatusReport
from catalogue.public.query import entry_url
from tests.catalogue_public_data import catalogue_page
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.factories import StatusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    world = build_world()
    world.status_closed = StatusFactory(name="fertig", slug="fertig", is_closed=True, default_progress=100)
    world.status_dropped = StatusFactory(name="entfallen", slug="entfallen", is_closed=True, default_progress=0)
    return world


def publish_with_report(world, entry, **values):
    entry.reports.add(StatusReport(date=datetime.date(2025, 6, 30), **values))
    entry.save()
    entry.save_revision(user=world.coordinator).publish(user=world.coordinator)
    return Project.objects.get(pk=entry.pk)


def edit_page_warnings(client, world, entry):
    client.force_login(world.coordinator)
    response = client.get(reverse(f"{PROJECT_URLS}:edit", args=[entry.pk]))
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]


def test_editor_is_warned_about_a_finished_report_that_is_still_critical_and_open(client, world):
    entry = publish_with_report(
        world, world.entry_a, status=world.status, traffic_light="off_track", progress=100, text="fertig?"
    )
    warnings = edit_page_warnings(client, world, entry)
    assert any("Fortschritt 100 %, aber Status „in Umsetzung“" in warning for warning in warnings), warnings
    assert any("Ampel „kritisch“" in warning for warning in warnings), warnings
    assert all("30.06.2025" in warning for warning in warnings)


def test_editor_is_warned_about_a_closed_status_below_full_progress(client, world):
    entry = publish_with_report(world, world.entry_a, status=world.status_closed, traffic_light="on_track", progress=60)
    warnings = edit_page_warnings(client, world, entry)
    assert warnings == [
        "Neuester Bericht vom 30.06.2025: Status „fertig“, aber Fortschritt 60 %: Abgeschlossenes steht bei 100 %."
    ]


def test_consistent_reports_and_dropped_entries_raise_no_warning(client, world):
    entry = publish_with_report(world, world.entry_a, status=world.status, traffic_light="at_risk", progress=60)
    assert edit_page_warnings(client, world, entry) == []
    entry = publish_with_report(world, world.entry_b, status=world.status_dropped, traffic_light="unknown", progress=30)
    assert edit_page_warnings(client, world, entry) == []


def test_public_state_differing_from_the_newest_report_is_warned_until_republished(client, world):
    entry = publish_with_report(world, world.entry_a, status=world.status, traffic_light="at_risk", progress=60)
    # What an old import or a direct database edit leaves behind.
    Project.objects.filter(pk=entry.pk).update(progress=100, traffic_light="off_track")
    warnings = edit_page_warnings(client, world, entry)
    assert len(warnings) == 1 and "weicht vom neuesten Bericht vom 30.06.2025 ab" in warnings[0]

    entry.save_revision(user=world.coordinator).publish(user=world.coordinator)
    assert edit_page_warnings(client, world, entry) == []
    shown = Project.objects.get(pk=entry.pk)
    assert (shown.status_id, shown.traffic_light, shown.progress) == (world.status.pk, "at_risk", 60)


def test_public_entry_shows_the_newest_report_not_an_older_one(client, world):
    entry = world.entry_a
    entry.reports.add(
        StatusReport(
            date=datetime.date(2024, 12, 31), status=world.status_closed, traffic_light="on_track", progress=100
        )
    )
    publish_with_report(world, entry, status=world.status, traffic_light="at_risk", progress=60)
    page = catalogue_page()
    html = client.get(entry_url(page.url, Project.objects.get(pk=entry.pk))).content.decode()
    facts = html.split('class="project__facts', 1)[1].split("</dl>", 1)[0]
    assert "in Umsetzung" in facts and "60 %" in facts
    assert "fertig" not in facts and "100 %" not in facts


def test_a_parents_rolled_up_progress_is_not_a_contradiction(client, world):
    parent = publish_with_report(world, world.entry_a, status=world.status, traffic_light="on_track", progress=20)
    child = world.entry_b
    child.parent = parent
    child.save()
    publish_with_report(world, child, status=world.status, traffic_light="on_track", progress=80)
    assert Project.objects.get(pk=parent.pk).progress != 20
    assert edit_page_warnings(client, world, parent) == []


def test_quick_report_with_a_contradiction_is_submitted_with_a_warning(client, world):
    client.force_login(world.editor_a)
    response = client.post(
        reverse(f"{PROJECT_URLS}:quick_report", args=[world.entry_a.pk]),
        {
            "date": "2025-06-30",
            "status": str(world.status.pk),
            "traffic_light": "off_track",
            "progress": "100",
            "text": "Alles erledigt.",
        },
        follow=True,
    )
    assert response.status_code == 200
    warnings = [str(message) for message in response.context["messages"] if message.level_tag == "warning"]
    assert any("Fortschritt 100 %, aber Status „in Umsetzung“" in warning for warning in warnings), warnings
    assert StatusReport.objects.filter(project=world.entry_a, progress=100).count() == 0  # waits for approval
