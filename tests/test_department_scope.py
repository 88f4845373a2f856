"""A department editor: offered only what it may choose, and shown only what the public or its own scope may see."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from catalogue.models import Project
from tests.admin_forms import editor_form
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SECRET = "Geheimer Entwurf der Verkehrsplanung"


@pytest.fixture
def world(site):
    world = build_world()
    # Department B: a draft-only entry, and unpublished changes on its published one.
    world.draft_b = ProjectFactory(
        code="1.1.09", title=SECRET, lead_department=world.dep_b, goals=[world.goal], live=False
    )
    world.draft_b.save_revision(user=world.editor_b)
    changed = Project.objects.get(pk=world.entry_b.pk)
    changed.title = f"{SECRET} (Änderung)"
    changed.save_revision(user=world.editor_b)
    return world


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def options(html, name):
    select = BeautifulSoup(html, "html.parser").select_one(f"select[name={name}]")
    assert select is not None, f"no select for {name}"
    return {option.get_text(strip=True) for option in select.select("option") if option.get("value")}


def test_the_lead_department_offers_only_the_own_department(client, world):
    client.force_login(world.editor_a)
    html = client.get(url("add")).content.decode()
    assert options(html, "lead_department") == {world.dep_a.name}
    html = client.get(url("edit", world.entry_a.pk)).content.decode()
    assert options(html, "lead_department") == {world.dep_a.name}
    client.force_login(world.coordinator)
    assert options(client.get(url("add")).content.decode(), "lead_department") >= {world.dep_a.name, world.dep_b.name}


def test_another_departments_entry_cannot_become_the_parent(client, world):
    client.force_login(world.editor_a)
    html = client.get(url("edit", world.entry_a.pk)).content.decode()
    assert str(world.entry_b) not in options(html, "parent")
    data = editor_form(html)
    data["parent"] = [str(world.entry_b.pk)]
    response = client.post(url("edit", world.entry_a.pk), data)
    assert response.status_code == 200
    assert "nur Einträge Ihres Fachbereichs" in response.content.decode()
    draft = Project.objects.get(pk=world.entry_a.pk).get_latest_revision_as_object()
    assert draft.parent_id is None

    own_parent = ProjectFactory(code="1.1.00", title="Dach", lead_department=world.dep_a, goals=[world.goal])
    data["parent"] = [str(own_parent.pk)]
    assert client.post(url("edit", world.entry_a.pk), data).status_code == 302
    assert Project.objects.get(pk=world.entry_a.pk).get_latest_revision_as_object().parent_id == own_parent.pk


def test_copy_starts_from_what_the_user_may_see(client, world):
    client.force_login(world.editor_a)
    refused = client.get(url("copy", world.draft_b.pk))
    assert refused.status_code in (302, 403, 404) and SECRET not in refused.content.decode()
    html = client.get(url("copy", world.entry_b.pk)).content.decode()
    assert world.entry_b.title in html and SECRET not in html


def test_chooser_offers_published_and_own_entries_only(client, world):
    client.force_login(world.editor_a)
    chooser = reverse("wagtailsnippetchoosers_catalogue_project:choose")
    html = client.get(chooser).json()["html"]
    assert world.entry_a.title in html and world.entry_b.title in html and SECRET not in html
    results = reverse("wagtailsnippetchoosers_catalogue_project:choose_results")
    assert SECRET not in client.get(results, {"q": "Geheim"}).content.decode()
    chosen = reverse("wagtailsnippetchoosers_catalogue_project:chosen", args=[world.draft_b.pk])
    assert client.get(chosen).status_code == 404
    client.force_login(world.editor_b)
    assert SECRET in client.get(chooser).json()["html"]


def test_usage_hides_other_departments_drafts(client, world):
    child = Project.objects.get(pk=world.draft_b.pk)
    child.parent = world.entry_a
    child.save()
    client.force_login(world.editor_a)
    html = client.get(url("usage", world.entry_a.pk)).content.decode()
    assert SECRET not in html
    assert client.get(url("usage", world.draft_b.pk)).status_code == 404
    client.force_login(world.coordinator)
    assert SECRET in client.get(url("usage", world.entry_a.pk)).content.decode()


def test_listing_and_inspect_hide_other_departments_drafts(client, world):
    client.force_login(world.editor_a)
    html = client.get(url("list"), {"mine": ""}).content.decode()
    assert SECRET not in html and world.entry_b.title in html
    assert client.get(url("inspect", world.draft_b.pk)).status_code == 404
    inspect = client.get(url("inspect", world.entry_b.pk))
    assert inspect.status_code == 200 and SECRET not in inspect.content.decode()


def test_translation_file_of_another_department_cannot_be_downloaded(client, world):
    source, _created = TranslationSource.get_or_create_from_instance(Project.objects.get(pk=world.draft_b.pk))
    translation = Translation.objects.create(source=source, target_locale=Locale.objects.get(language_code="en"))
    translation.save_target(publish=False)
    download = reverse("wagtail_localize:download_pofile", args=[translation.pk])
    client.force_login(world.editor_a)
    response = client.get(download)
    assert response.status_code in (302, 403)
    assert SECRET.encode() not in response.content
    client.force_login(world.editor_b)
    response = client.get(download)
    assert response.status_code == 200 and SECRET.encode() in response.content
