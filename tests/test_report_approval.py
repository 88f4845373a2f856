"""A reported indicator value arrives by every way of approving, and the approver sees it first.

The department reports "12,5" with its quick report; the coordinator approves on the entry's
edit view (the form is posted back as the browser sends it), from the dashboard / task list
(the workflow action URL), after saving the draft once more, or with the listing's bulk action.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from catalogue.models import IndicatorValue, Project, StatusReport
from tests.admin_forms import editor_form
from tests.catalogue_roles import PROJECT_URLS, build_world

pytestmark = pytest.mark.django_db

REPORT_DATE = datetime.date(2025, 6, 30)


@pytest.fixture
def world(site):
    return build_world()


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def submit_report(client, world):
    client.force_login(world.editor_a)
    response = client.post(
        url("quick_report", world.entry_a.pk),
        {
            "date": REPORT_DATE.isoformat(),
            "status": str(world.status_done.pk),
            "traffic_light": "at_risk",
            "progress": "60",
            "text": "Die Radwege sind fertig, die Beschilderung folgt.",
            f"indicator_{world.indicator_a.pk}": "12,5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not IndicatorValue.objects.filter(indicator=world.indicator_a).exists()
    return WorkflowState.objects.get(object_id=str(world.entry_a.pk), status=WorkflowState.STATUS_IN_PROGRESS)


def assert_value_arrived(world):
    entry = Project.objects.select_related("status").get(pk=world.entry_a.pk)
    assert (entry.status, entry.progress, entry.last_report_date) == (world.status_done, 60, REPORT_DATE)
    assert not entry.has_unpublished_changes and not entry.workflow_in_progress
    value = IndicatorValue.objects.get(indicator=world.indicator_a)
    assert (value.date, value.value) == (REPORT_DATE, Decimal("12.5"))
    report = StatusReport.objects.get(project=entry, date=REPORT_DATE)
    assert report.pending_indicator_values == {}


def test_the_approver_sees_the_reported_value_on_the_edit_view_and_the_dashboard(client, world):
    submit_report(client, world)
    client.force_login(world.coordinator)
    html = client.get(url("edit", world.entry_a.pk)).content.decode()
    assert "Wartet auf Freigabe" in html
    pending = html[html.index("data-pending-report") :]
    assert "Radwege: 12,5 km" in pending and "Die Radwege sind fertig" in pending and "60 %" in pending
    # Inside the report itself too, where the edit form carries it.
    assert "data-held-values" in html

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    waiting = dashboard[dashboard.index("catalogue-pending") :]
    assert "Radwege: 12,5 km" in waiting and "60 %" in waiting


def test_approving_on_the_edit_view_stores_the_value(client, world):
    submit_report(client, world)
    client.force_login(world.coordinator)
    data = editor_form(client.get(url("edit", world.entry_a.pk)).content.decode())
    data.update({"action-workflow-action": ["true"], "workflow-action-name": ["approve"]})
    response = client.post(url("edit", world.entry_a.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_value_arrived(world)


def test_approving_with_a_comment_on_the_edit_view_stores_the_value(client, world):
    submit_report(client, world)
    client.force_login(world.coordinator)
    data = editor_form(client.get(url("edit", world.entry_a.pk)).content.decode())
    data.update(
        {
            "action-workflow-action": ["true"],
            "workflow-action-name": ["approve"],
            "workflow-action-extra-data": [json.dumps({"comment": "Danke, passt."})],
        }
    )
    assert client.post(url("edit", world.entry_a.pk), data).status_code == 302
    assert_value_arrived(world)


def test_approving_from_the_dashboard_or_task_list_stores_the_value(client, world):
    state = submit_report(client, world)
    client.force_login(world.coordinator)
    task_state = state.current_task_state
    response = client.post(url("workflow_action", world.entry_a.pk, "approve", task_state.pk), {"comment": ""})
    assert response.status_code in (200, 302)
    assert_value_arrived(world)


def test_saving_the_draft_before_approving_keeps_the_value(client, world):
    state = submit_report(client, world)
    client.force_login(world.coordinator)
    data = editor_form(client.get(url("edit", world.entry_a.pk)).content.decode())
    data["summary"] = ["Kurzbeschreibung, von der Koordination ergänzt."]
    assert client.post(url("edit", world.entry_a.pk), data).status_code == 302
    draft = Project.objects.get(pk=world.entry_a.pk).get_latest_revision_as_object()
    assert any(report.pending_indicator_values for report in draft.reports.all())
    client.post(url("workflow_action", world.entry_a.pk, "approve", state.current_task_state.pk), {"comment": ""})
    assert_value_arrived(world)


def test_publishing_on_the_edit_view_instead_of_approving_stores_the_value(client, world):
    submit_report(client, world)
    client.force_login(world.coordinator)
    data = editor_form(client.get(url("edit", world.entry_a.pk)).content.decode())
    data["action-publish"] = ["action-publish"]
    assert client.post(url("edit", world.entry_a.pk), data).status_code == 302
    assert_value_arrived(world)


def test_approving_with_the_listing_bulk_action_stores_the_value(client, world):
    submit_report(client, world)
    client.force_login(world.coordinator)
    bulk = reverse("wagtail_bulk_action", args=["catalogue", "project", "publish"]) + f"?id={world.entry_a.pk}"
    page = client.get(bulk)
    assert page.status_code == 200 and world.entry_a.title in page.content.decode()
    assert client.post(bulk).status_code == 302
    assert_value_arrived(world)
    state = WorkflowState.objects.filter(object_id=str(world.entry_a.pk)).latest("created_at")
    assert state.status == WorkflowState.STATUS_APPROVED


def test_a_report_sent_back_shows_the_comment_and_is_revised_in_place(client, world):
    state = submit_report(client, world)
    client.force_login(world.coordinator)
    client.post(
        url("workflow_action", world.entry_a.pk, "reject", state.current_task_state.pk),
        {"comment": "Bitte den Zeitplan der Beschilderung nennen."},
    )
    client.force_login(world.editor_a)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Zur Überarbeitung zurückgegeben" in dashboard
    assert "Bitte den Zeitplan der Beschilderung nennen." in dashboard
    form = client.get(url("quick_report", world.entry_a.pk)).content.decode()
    assert "Bitte den Zeitplan der Beschilderung nennen." in form
    assert "Die Radwege sind fertig, die Beschilderung folgt." in form and 'value="12,5"' in form

    response = client.post(
        url("quick_report", world.entry_a.pk),
        {
            "date": REPORT_DATE.isoformat(),
            "status": str(world.status_done.pk),
            "traffic_light": "at_risk",
            "progress": "60",
            "text": "Radwege fertig; die Beschilderung folgt im September.",
            f"indicator_{world.indicator_a.pk}": "12,5",
        },
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    draft = Project.objects.get(pk=world.entry_a.pk).get_latest_revision_as_object()
    new = [report for report in draft.reports.all() if report.pk is None]
    assert [report.text for report in new] == ["Radwege fertig; die Beschilderung folgt im September."]
    client.force_login(world.coordinator)
    client.post(url("workflow_action", world.entry_a.pk, "approve", state.current_task_state.pk), {"comment": ""})
    assert_value_arrived(world)
