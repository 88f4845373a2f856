"""Two people edit the same entry: the later save, based on an outdated version, is refused and nothing is lost."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from catalogue.models import Project
from tests.admin_forms import editor_form
from tests.catalogue_roles import PROJECT_URLS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    return build_world()


def edit_url(entry):
    return reverse(f"{PROJECT_URLS}:edit", args=[entry.pk])


def open_editor(user, entry):
    client = Client()
    client.force_login(user)
    html = client.get(edit_url(entry)).content.decode()
    assert "loaded_revision_id" in html
    return client, editor_form(html)


def test_a_save_based_on_an_outdated_version_is_refused_and_keeps_the_text(world):
    first, first_form = open_editor(world.editor_a, world.entry_a)
    second, second_form = open_editor(world.coordinator, world.entry_a)

    first_form["summary"] = ["Fassung der Abteilung."]
    assert first.post(edit_url(world.entry_a), first_form).status_code == 302
    saved = Project.objects.get(pk=world.entry_a.pk)
    revision_after_first = saved.latest_revision_id

    second_form["summary"] = ["Fassung der Koordination, die nichts überschreiben darf."]
    response = second.post(edit_url(world.entry_a), second_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nicht gespeichert" in html and "nachdem Sie ihn geöffnet haben" in html
    assert "Fassung der Koordination, die nichts überschreiben darf." in html
    entry = Project.objects.get(pk=world.entry_a.pk)
    assert entry.latest_revision_id == revision_after_first
    assert entry.get_latest_revision_as_object().summary == "Fassung der Abteilung."

    # Saving again from the refreshed form is a conscious decision and goes through.
    retry = editor_form(html)
    assert second.post(edit_url(world.entry_a), retry).status_code == 302
    entry = Project.objects.get(pk=world.entry_a.pk)
    assert entry.get_latest_revision_as_object().summary == "Fassung der Koordination, die nichts überschreiben darf."


def test_approving_on_an_outdated_form_is_refused_too(client, world):
    client.force_login(world.editor_a)
    client.post(
        reverse(f"{PROJECT_URLS}:quick_report", args=[world.entry_a.pk]),
        {"date": "2025-06-30", "status": world.status.pk, "traffic_light": "on_track", "progress": "30", "text": "x"},
    )
    approver, form = open_editor(world.coordinator, world.entry_a)
    # While the report waits, only the coordination (and administrators) may still edit the entry.
    editor, editor_data = open_editor(get_user_model().objects.get(username="admin"), world.entry_a)
    editor_data["summary"] = ["Noch schnell ergänzt."]
    editor.post(edit_url(world.entry_a), editor_data)
    form.update({"action-workflow-action": ["true"], "workflow-action-name": ["approve"]})
    response = approver.post(edit_url(world.entry_a), form)
    assert response.status_code == 200 and "Nicht gespeichert" in response.content.decode()
    assert Project.objects.get(pk=world.entry_a.pk).workflow_in_progress


def test_editing_sessions_are_announced_for_entries(client, world):
    client.force_login(world.editor_a)
    html = client.get(edit_url(world.entry_a)).content.decode()
    # Wagtail's editing-session module: it pings and warns about others editing the same entry.
    assert 'data-controller="w-swap w-action w-session"' in html
    ping = reverse("wagtailadmin_editing_sessions:ping", args=["catalogue", "project", world.entry_a.pk, 0])
    assert ping.rsplit("/", 3)[0] in html
