"""The quick status report from submission through approval (or rejection) to the live entry."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from catalogue.models import IndicatorValue, Project, StatusReport
from catalogue.public.query import entry_url
from tests.catalogue_public_data import catalogue_page
from tests.catalogue_roles import PROJECT_URLS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    return build_world()


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def report_data(world, **extra):
    data = {
        "date": "2025-06-30",
        "status": str(world.status_done.pk),
        "traffic_light": "at_risk",
        "progress": "60",
        "text": "Die Radwege sind fertig, die Beschilderung folgt.",
        f"indicator_{world.indicator_a.pk}": "12.5",
    }
    data.update(extra)
    return data


def live(entry):
    return Project.objects.select_related("status").get(pk=entry.pk)


def submit(client, world):
    client.force_login(world.editor_a)
    response = client.post(url("quick_report", world.entry_a.pk), report_data(world))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    return WorkflowState.objects.get(object_id=str(world.entry_a.pk), status=WorkflowState.STATUS_IN_PROGRESS)


def workflow_action(client, world, state, action, comment=""):
    task_state = state.current_task_state
    return client.post(url("workflow_action", world.entry_a.pk, action, task_state.pk), {"comment": comment})


def test_form_offers_the_entrys_indicators_and_is_reachable_from_the_editor(client, world):
    client.force_login(world.editor_a)
    edit = client.get(url("edit", world.entry_a.pk)).content.decode()
    assert url("quick_report", world.entry_a.pk) in edit
    response = client.get(url("quick_report", world.entry_a.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Radwege (km)" in html and "Photovoltaik" not in html
    assert 'id="quick-report-form"' in html
    # A date input reads ISO dates only; the German display format would leave it empty.
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_validation_error_keeps_everything_typed(client, world):
    client.force_login(world.editor_a)
    before = (StatusReport.objects.count(), IndicatorValue.objects.count(), live(world.entry_a).latest_revision_id)
    response = client.post(url("quick_report", world.entry_a.pk), report_data(world, progress="150"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_progress"' in html
    assert "Die Radwege sind fertig, die Beschilderung folgt." in html
    assert 'value="12.5"' in html and 'value="150"' in html
    after = (StatusReport.objects.count(), IndicatorValue.objects.count(), live(world.entry_a).latest_revision_id)
    assert after == before
    assert not live(world.entry_a).workflow_in_progress


def test_report_waits_for_approval_then_reaches_the_live_entry(client, world):
    old = live(world.entry_a)
    reports_before = StatusReport.objects.filter(project=world.entry_a).count()
    state = submit(client, world)

    entry = live(world.entry_a)
    assert (entry.status, entry.traffic_light, entry.progress) == (old.status, old.traffic_light, old.progress)
    assert entry.has_unpublished_changes and entry.workflow_in_progress
    assert StatusReport.objects.filter(project=world.entry_a).count() == reports_before
    draft = entry.get_latest_revision_as_object()
    newest = max(draft.reports.all(), key=lambda report: report.date)
    assert (newest.date, newest.status_id, newest.author_id) == (
        datetime.date(2025, 6, 30),
        world.status_done.pk,
        world.editor_a.pk,
    )
    # The value waits with the report in the draft, not among the indicator's measurements.
    assert newest.pending_indicator_values == {str(world.indicator_a.pk): "12.5"}
    assert not IndicatorValue.objects.filter(indicator=world.indicator_a).exists()

    # The department cannot approve its own report.
    response = workflow_action(client, world, state, "approve")
    assert response.status_code in (302, 403)
    assert live(world.entry_a).status == old.status

    client.force_login(world.coordinator)
    response = workflow_action(client, world, state, "approve", "Passt.")
    assert response.status_code in (200, 302)
    entry = live(world.entry_a)
    assert (entry.status, entry.traffic_light, entry.progress, entry.last_report_date) == (
        world.status_done,
        "at_risk",
        60,
        datetime.date(2025, 6, 30),
    )
    assert not entry.has_unpublished_changes and not entry.workflow_in_progress
    assert StatusReport.objects.filter(project=world.entry_a).count() == reports_before + 1
    value = IndicatorValue.objects.get(indicator=world.indicator_a)
    assert (value.date, value.value, value.note) == (datetime.date(2025, 6, 30), 12.5, "gemeldet mit Statusbericht")
    assert (
        StatusReport.objects.get(project=world.entry_a, date=datetime.date(2025, 6, 30)).pending_indicator_values == {}
    )


def test_rejection_leaves_the_live_entry_unchanged_and_resubmission_resumes(client, world):
    old = live(world.entry_a)
    state = submit(client, world)
    client.force_login(world.coordinator)
    workflow_action(client, world, state, "reject", "Bitte den Zeitplan ergänzen.")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    entry = live(world.entry_a)
    assert (entry.status, entry.traffic_light, entry.progress) == (old.status, old.traffic_light, old.progress)

    client.force_login(world.editor_a)
    response = client.post(url("quick_report", world.entry_a.pk), report_data(world, text="Zeitplan ergänzt."))
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert live(world.entry_a).status == old.status


def test_second_report_while_one_waits_is_refused_without_losing_text(client, world):
    submit(client, world)
    revision = live(world.entry_a).latest_revision_id
    response = client.post(url("quick_report", world.entry_a.pk), report_data(world, text="Noch ein Bericht."))
    assert response.status_code == 200
    assert "wartet bereits" in response.content.decode()
    assert "Noch ein Bericht." in response.content.decode()
    assert live(world.entry_a).latest_revision_id == revision


PUBLIC_VALUE = re.compile(r"<td>30\.06\.2025</td><td>4\.711 km</td>")


def public_entry_page(client, world):
    response = client.get(entry_url("/projektkatalog/", live(world.entry_a)))
    assert response.status_code == 200
    return response.content.decode()


def assert_value_not_public(client, world):
    assert not IndicatorValue.objects.filter(indicator=world.indicator_a).exists()
    assert not world.indicator_a.values.exists()
    assert not PUBLIC_VALUE.search(public_entry_page(client, world))


def submit_value(client, world):
    client.force_login(world.editor_a)
    data = report_data(world, **{f"indicator_{world.indicator_a.pk}": "4711"})
    assert client.post(url("quick_report", world.entry_a.pk), data).status_code == 302
    client.logout()
    return WorkflowState.objects.get(object_id=str(world.entry_a.pk), status=WorkflowState.STATUS_IN_PROGRESS)


@pytest.fixture
def public_world(world):
    catalogue_page()
    return world


def test_indicator_value_becomes_public_only_with_the_approval(client, public_world):
    world = public_world
    assert "Radwege" in public_entry_page(client, world)
    state = submit_value(client, world)
    assert_value_not_public(client, world)

    client.force_login(world.coordinator)
    workflow_action(client, world, state, "approve", "Passt.")
    client.logout()
    value = IndicatorValue.objects.get(indicator=world.indicator_a)
    assert (value.date, value.value) == (datetime.date(2025, 6, 30), Decimal("4711"))
    assert PUBLIC_VALUE.search(public_entry_page(client, world))

    # Publishing the same revision again (or a revert to it) does not count the value twice.
    live(world.entry_a).get_latest_revision().publish(user=world.coordinator)
    assert IndicatorValue.objects.filter(indicator=world.indicator_a).count() == 1


def test_rejected_reports_indicator_value_stays_private(client, public_world):
    world = public_world
    state = submit_value(client, world)
    client.force_login(world.coordinator)
    workflow_action(client, world, state, "reject", "Der Wert ist noch vorläufig.")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.logout()
    assert_value_not_public(client, world)
