"""The write API for departments' tools: tokens, the approval workflow, the permission probe matrix, rate limits."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import APIToken, Revision, WorkflowState

from catalogue.models import IndicatorValue, Project, SdgTarget
from catalogue.public.query import entry_url
from tests.catalogue_public_data import catalogue_page
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.conftest import module_data
from tests.test_permissions import edit_data, state

pytestmark = pytest.mark.django_db

MANAGE = "/api/v3/catalogue/manage"


def _build_world(site):
    world = build_world()
    catalogue_page()
    world.tokens = {
        name: APIToken.create_token(user=getattr(world, name), name=f"Test {name}")[1]
        for name in ("editor_a", "editor_b", "coordinator", "reviewer", "nobody")
    }
    return world


_module_data, world = module_data(_build_world)


def call(client, method, path, token=None, payload=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = json.dumps(payload) if payload is not None else None
    return getattr(client, method)(f"{MANAGE}{path}", data=data, content_type="application/json", **headers)


def report(world, **extra):
    payload = {
        "date": "2025-06-30",
        "status": world.status_done.slug,
        "traffic_light": "at_risk",
        "progress": 60,
        "text": "Per Schnittstelle: die Radwege sind fertig.",
        "indicator_values": [{"indicator": world.indicator_a.pk, "value": "12.5"}],
    }
    payload.update(extra)
    return payload


def live(entry):
    return Project.objects.select_related("status").get(pk=entry.pk)


def test_department_report_waits_in_the_coordinators_queue_then_goes_public(client, world):
    before = live(world.entry_a)
    response = call(client, "post", f"/entries/{world.entry_a.code}/reports/", world.tokens["editor_a"], report(world))
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "submitted"

    # Nothing public changed: the report rides in a draft revision sent for approval.
    entry = live(world.entry_a)
    assert (entry.status, entry.progress, entry.live) == (before.status, before.progress, True)
    assert entry.has_unpublished_changes and entry.workflow_in_progress
    assert not IndicatorValue.objects.filter(indicator=world.indicator_a).exists()
    page = client.get(entry_url("/projektkatalog/", entry)).content.decode()
    assert "Per Schnittstelle" not in page
    api = client.get(f"/api/v3/catalogue/entries/{entry.code}/").json()
    assert all("Per Schnittstelle" not in item["text"] for item in api["reports"])

    # The coordinator finds it in the approval queue on the dashboard and approves it there.
    client.force_login(world.coordinator)
    workflow_state = WorkflowState.objects.get(object_id=str(entry.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    action = reverse(
        f"{PROJECT_URLS}:workflow_action", args=[entry.pk, "approve", workflow_state.current_task_state.pk]
    )
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert action in dashboard and entry.title in dashboard
    assert client.post(action, {"comment": "Passt."}).status_code in (200, 302)
    client.logout()

    entry = live(world.entry_a)
    assert (entry.status, entry.traffic_light, entry.progress) == (world.status_done, "at_risk", 60)
    assert not entry.has_unpublished_changes
    page = client.get(entry_url("/projektkatalog/", entry)).content.decode()
    assert "Per Schnittstelle: die Radwege sind fertig." in page
    value = IndicatorValue.objects.get(indicator=world.indicator_a)
    assert (value.date, value.value) == (datetime.date(2025, 6, 30), Decimal("12.5"))
    api = client.get(f"/api/v3/catalogue/entries/{entry.code}/").json()
    assert api["reports"][0]["text"] == "Per Schnittstelle: die Radwege sind fertig."


def test_values_alone_go_through_the_same_approval(client, world):
    payload = {"date": "2025-12-31", "values": [{"indicator": world.indicator_a.pk, "value": "14"}]}
    response = call(
        client, "post", f"/entries/{world.entry_a.code}/indicator-values/", world.tokens["editor_a"], payload
    )
    assert response.status_code == 202, response.content
    entry = live(world.entry_a)
    assert entry.workflow_in_progress and not IndicatorValue.objects.exists()
    draft = entry.get_latest_revision_as_object()
    newest = max(draft.reports.all(), key=lambda item: item.date)
    # The report keeps the entry's state; only the value is new.
    assert (newest.status_id, newest.progress, newest.traffic_light) == (entry.status_id, entry.progress, "on_track")
    assert newest.pending_indicator_values == {str(world.indicator_a.pk): "14"}


def test_a_second_report_while_one_waits_is_refused(client, world):
    token = world.tokens["editor_a"]
    assert call(client, "post", f"/entries/{world.entry_a.code}/reports/", token, report(world)).status_code == 202
    before = state(world.entry_a)
    response = call(client, "post", f"/entries/{world.entry_a.code}/reports/", token, report(world, text="Noch einer"))
    assert response.status_code == 409
    assert state(world.entry_a) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"progress": 150},
        {"status": "gibt-es-nicht"},
        {"traffic_light": "lila"},
        {"text": ""},
        {"date": "31.02.2025"},
        {"indicator_values": [{"indicator": 999999, "value": "1"}]},
        {"indicator_values": [{"indicator": 1, "value": "eins"}]},
    ],
)
def test_bad_reports_are_refused_with_a_message_and_change_nothing(client, world, payload):
    before = state(world.entry_a)
    response = call(
        client, "post", f"/entries/{world.entry_a.code}/reports/", world.tokens["editor_a"], report(world, **payload)
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert state(world.entry_a) == before


def probes(world):
    """What a department's token must not do: (method, path, payload, entry that must stay as it was)."""
    other = world.entry_b.code
    own = world.entry_a.code
    return [
        ("post", f"/entries/{other}/reports/", report(world, indicator_values=[]), world.entry_b, 403),
        (
            "post",
            f"/entries/{other}/indicator-values/",
            {"date": "2025-01-01", "values": [{"indicator": world.indicator_b.pk, "value": "1"}]},
            world.entry_b,
            403,
        ),
        ("patch", f"/entries/{other}/", {"title": "Übernommen"}, world.entry_b, 403),
        ("delete", f"/entries/{other}/", None, world.entry_b, 405),
        ("delete", f"/entries/{own}/", None, world.entry_a, 405),
        ("patch", f"/entries/{own}/", {"title": "Sofort live", "action": "publish"}, world.entry_a, 403),
        ("patch", f"/entries/{own}/", {"lead_department": "verkehr"}, world.entry_a, 422),
        ("patch", f"/entries/{own}/", {"parent": other}, world.entry_a, 422),
        ("patch", f"/entries/{own}/", {"parent": own}, world.entry_a, 422),
        (
            "post",
            "/entries/",
            {"code": "9.9.01", "title": "Fremd", "goals": [world.goal.code], "lead_department": "verkehr"},
            world.entry_b,
            422,
        ),
        (
            "post",
            "/entries/",
            {
                "code": "9.9.02",
                "title": "Sofort",
                "goals": [world.goal.code],
                "lead_department": "umwelt",
                "action": "publish",
            },
            world.entry_a,
            403,
        ),
    ]


def test_department_token_probe_matrix_is_refused_and_changes_nothing(client, world):
    count = Project.objects.count()
    for method, path, payload, entry, status in probes(world):
        before = state(entry)
        response = call(client, method, path, world.tokens["editor_a"], payload)
        assert response.status_code == status, (method, path, response.status_code, response.content)
        assert state(entry) == before, (method, path)
        assert Project.objects.count() == count, (method, path)


@pytest.mark.parametrize("who", ["reviewer", "nobody", None, "revoked", "wrong"])
def test_tokens_without_rights_or_no_token_at_all_write_nothing(client, world, who):
    token = world.tokens.get(who)
    if who == "revoked":
        token = world.tokens["editor_a"]
        APIToken.objects.get(user=world.editor_a).revoke()
    if who == "wrong":
        token = "wagtail_" + "x" * 33
    before = state(world.entry_a)
    response = call(client, "post", f"/entries/{world.entry_a.code}/reports/", token, report(world))
    assert response.status_code in (401, 403)
    response = call(client, "patch", f"/entries/{world.entry_a.code}/", token, {"title": "Weg"})
    assert response.status_code in (401, 403)
    assert state(world.entry_a) == before


def test_a_session_cookie_does_not_stand_in_for_a_token(client, world):
    client.force_login(world.coordinator)
    before = state(world.entry_b)
    assert call(client, "patch", f"/entries/{world.entry_b.code}/", None, {"title": "Weg"}).status_code == 401
    assert state(world.entry_b) == before


def test_department_saves_its_own_entry_as_draft_and_submits_it(client, world):
    token = world.tokens["editor_a"]
    response = call(
        client, "patch", f"/entries/{world.entry_a.code}/", token, {"summary": "Neu", "sdg_targets": ["11.2"]}
    )
    assert response.status_code == 200, response.content
    entry = live(world.entry_a)
    assert entry.summary == "" and entry.has_unpublished_changes and not entry.workflow_in_progress
    draft = entry.get_latest_revision_as_object()
    assert draft.summary == "Neu" and [target.code for target in draft.sdg_targets.all()] == ["11.2"]
    response = call(client, "patch", f"/entries/{world.entry_a.code}/", token, {"action": "submit"})
    assert response.status_code == 200 and response.json()["in_workflow"]
    assert live(world.entry_a).summary == ""


def test_coordinator_creates_and_changes_entries_that_go_live(client, world):
    token = world.tokens["coordinator"]
    payload = {
        "code": "1.1.09",
        "title": "Über die Schnittstelle angelegt",
        "goals": [world.goal.code],
        "lead_department": "verkehr",
        "sdg_targets": ["11.2", "13.2"],
        "description": "Erster Absatz.\n\n<script>alert(1)</script>Zweiter <b>Absatz</b>.",
        "planned_start": "2026-01-01",
        "action": "publish",
    }
    response = call(client, "post", "/entries/", token, payload)
    assert response.status_code == 201, response.content
    entry = Project.objects.get(code="1.1.09")
    assert entry.live and entry.lead_department == world.dep_b
    assert set(entry.sdg_targets.values_list("code", flat=True)) == {"11.2", "13.2"}
    assert "<script" not in entry.description and "<b>Absatz</b>" in entry.description
    public = client.get("/api/v3/catalogue/entries/1.1.09/").json()
    assert public["title"] == "Über die Schnittstelle angelegt"

    response = call(client, "patch", "/entries/1.1.09/", token, {"title": "Umbenannt", "action": "publish"})
    assert response.status_code == 200 and live(entry).title == "Umbenannt"
    assert call(client, "post", "/entries/", token, payload).status_code == 409
    bad = call(client, "post", "/entries/", token, {**payload, "code": "1.1.10", "goals": ["7.7.7"]})
    assert bad.status_code == 422 and not Project.objects.filter(code="1.1.10").exists()
    missing = call(client, "post", "/entries/", token, {"code": "1.1.11", "title": "Ohne Ziel"})
    assert missing.status_code == 422


def test_calls_are_limited_per_token(client, world):
    with override_settings(CATALOGUE_API_RATE=(2, 60)):
        token = world.tokens["editor_a"]
        for _attempt in range(2):
            assert call(client, "patch", f"/entries/{world.entry_a.code}/", token, {"summary": "x"}).status_code == 200
        before = state(world.entry_a)
        limited = call(client, "patch", f"/entries/{world.entry_a.code}/", token, {"summary": "y"})
        assert limited.status_code == 429 and limited["Retry-After"] == "60"
        assert state(world.entry_a) == before
        # Another token counts on its own.
        other = call(client, "patch", f"/entries/{world.entry_b.code}/", world.tokens["editor_b"], {"summary": "z"})
        assert other.status_code == 200


def test_tokens_are_created_named_revoked_and_show_when_last_used(client, world):
    client.force_login(world.editor_a)
    listing = client.get(reverse("wagtailusers_api_tokens:index"))
    assert listing.status_code == 200
    created = client.post(reverse("wagtailusers_api_tokens:add"), {"name": "Fachverfahren", "user": world.editor_a.pk})
    assert created.status_code == 200
    plaintext = re.search(r'id="api-token-value"\s+value="(wagtail_[0-9A-Za-z]+)"', created.content.decode()).group(1)
    token = APIToken.objects.get(name="Fachverfahren")
    assert token.user == world.editor_a and token.last_used_at is None
    client.logout()
    response = call(client, "patch", f"/entries/{world.entry_a.code}/", plaintext, {"summary": "mit neuem Schlüssel"})
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(world.editor_a)
    assert "Fachverfahren" in client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    assert client.post(reverse("wagtailusers_api_tokens:delete", args=[token.pk])).status_code == 302
    client.logout()
    assert call(client, "patch", f"/entries/{world.entry_a.code}/", plaintext, {"summary": "x"}).status_code == 401
    # A department editor cannot make a token for somebody else.
    client.force_login(world.editor_a)
    client.post(reverse("wagtailusers_api_tokens:add"), {"name": "Fremd", "user": world.coordinator.pk})
    assert not APIToken.objects.filter(name="Fremd").exists()


def test_sdg_targets_unknown_to_the_taxonomy_are_refused(client, world):
    before = state(world.entry_a)
    response = call(
        client, "patch", f"/entries/{world.entry_a.code}/", world.tokens["editor_a"], {"sdg_targets": ["18.1"]}
    )
    assert response.status_code == 422 and "18.1" in response.json()["detail"]
    assert state(world.entry_a) == before
    assert SdgTarget.objects.count() == 169
    assert Revision.objects.filter(object_id=str(world.entry_a.pk)).count() == before["revisions"]


def test_the_editor_applies_the_same_parent_rule(client, world):
    """A department cannot hang its entry under another department's: the parent's progress would change."""
    client.force_login(world.editor_a)
    before = state(world.entry_a)
    url = reverse(f"{PROJECT_URLS}:edit", args=[world.entry_a.pk])
    response = client.post(url, edit_data(world.entry_a, parent=str(world.entry_b.pk)))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert state(world.entry_a) == before
    client.force_login(world.coordinator)
    assert client.post(url, edit_data(world.entry_a, parent=str(world.entry_b.pk))).status_code == 302


@pytest.mark.parametrize("value", ["1.250", "1250", 1250.5])
def test_api_values_are_numbers_never_read_as_german_text(client, world, value):
    """JSON carries numbers with a decimal point; the quick report's German reading must not apply."""
    payload = {"date": "2025-12-31", "values": [{"indicator": world.indicator_a.pk, "value": value}]}
    response = call(
        client, "post", f"/entries/{world.entry_a.code}/indicator-values/", world.tokens["editor_a"], payload
    )
    assert response.status_code == 202, response.content
    draft = live(world.entry_a).get_latest_revision_as_object()
    newest = max(draft.reports.all(), key=lambda item: item.date)
    assert Decimal(newest.pending_indicator_values[str(world.indicator_a.pk)]) == Decimal(str(value))
