"""A document linked only from an unpublished entry is not public at /documents/<id>/<file>."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from catalogue.management.commands.setup_roles import catalogue_collection
from catalogue.models import Project, ProjectDocument
from tests.catalogue_roles import build_world
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    return build_world()


def document(name, collection=None, uploaded_by=None):
    return get_document_model().objects.create(
        title=name,
        file=ContentFile(b"%PDF-1.4 vertraulich", name=f"{name}.pdf"),
        collection=collection or Collection.get_first_root_node(),
        uploaded_by_user=uploaded_by,
    )


def status_of(client, doc):
    return client.get(doc.url).status_code


def test_a_document_of_a_draft_only_entry_is_served_to_its_department_only(client, world):
    doc = document("entwurf-gutachten")
    entry = ProjectFactory(code="1.1.07", lead_department=world.dep_a, goals=[world.goal], live=False)
    entry.documents.add(ProjectDocument(document=doc))
    entry.save()
    assert status_of(client, doc) == 404
    for user, expected in (
        (world.editor_b, 404),
        (world.editor_a, 200),
        (world.coordinator, 200),
        (world.reviewer, 200),
    ):
        client.force_login(user)
        assert status_of(client, doc) == expected, user
    client.logout()

    entry.save_revision(user=world.editor_a).publish(user=world.coordinator)
    assert status_of(client, doc) == 200


def test_a_document_added_in_a_draft_of_a_published_entry_waits_for_the_publication(client, world):
    doc = document("neuer-bescheid", collection=catalogue_collection(), uploaded_by=world.editor_a)
    draft = Project.objects.get(pk=world.entry_a.pk)
    draft.documents.add(ProjectDocument(document=doc))
    draft.save_revision(user=world.editor_a)
    assert status_of(client, doc) == 404
    client.force_login(world.editor_b)
    assert status_of(client, doc) == 404
    for user in (world.editor_a, world.coordinator):
        client.force_login(user)
        assert status_of(client, doc) == 200
    client.logout()

    Project.objects.get(pk=world.entry_a.pk).get_latest_revision().publish(user=world.coordinator)
    assert status_of(client, doc) == 200


def test_documents_outside_the_catalogue_stay_public(client, world):
    doc = document("satzung")
    assert status_of(client, doc) == 200


def page_linking(home, doc, slug, publish):
    """A page whose text links `doc` (wagtail's reference index records the link when it is saved)."""
    import json

    from home.models import StandardPage

    body = json.dumps([{"type": "paragraph", "value": f'<p><a linktype="document" id="{doc.pk}">Gutachten</a></p>'}])
    page = home.add_child(instance=StandardPage(title=slug.title(), slug=slug, body=body, live=False))
    if publish:
        page.save_revision().publish()
    return page


def test_a_catalogue_document_a_published_page_links_is_public(client, world, site):
    doc = document("gutachten-verkehr", collection=catalogue_collection(), uploaded_by=world.editor_a)
    page_linking(site, doc, "entwurfsseite", publish=False)
    # Linked from an unpublished page only: still the catalogue's, for the uploader alone.
    assert status_of(client, doc) == 404
    client.force_login(world.editor_b)
    assert status_of(client, doc) == 404
    client.force_login(world.editor_a)
    assert status_of(client, doc) == 200
    client.logout()

    page_linking(site, doc, "verkehrsgutachten", publish=True)
    assert status_of(client, doc) == 200


def test_a_draft_entrys_document_a_published_page_links_is_public(client, world, site):
    doc = document("entwurf-mit-seite")
    entry = ProjectFactory(code="1.1.08", lead_department=world.dep_a, goals=[world.goal], live=False)
    entry.documents.add(ProjectDocument(document=doc))
    entry.save()
    assert status_of(client, doc) == 404
    page_linking(site, doc, "bericht-mit-link", publish=True)
    assert status_of(client, doc) == 200


def test_documents_in_other_top_level_collections_stay_public(client, world):
    root = Collection.get_first_root_node()
    press = root.add_child(name="Pressestelle")
    catalogue = catalogue_collection()
    # Only the catalogue's own collection at the top counts, not one of the same name further down.
    nested = press.add_child(name=catalogue.name)
    for collection in (press, nested):
        doc = document(f"mitteilung-{collection.pk}", collection=collection)
        assert status_of(client, doc) == 200, collection
