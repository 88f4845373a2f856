"""Page routing and the page shell from the shared cache: a change to pages shows at once, a new selection
of the catalogue costs its one query however many entries there are."""

import pytest
from django.test import override_settings

from home.models import StandardPage
from tests.catalogue_public_data import build, catalogue_page
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(site):
    page = StandardPage(title="Beteiligung", slug="beteiligung")
    site.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_renamed_page_answers_at_its_new_address_at_once(client, standard):
    assert client.get("/beteiligung/").status_code == 200
    standard.slug = "mitmachen"
    standard.save_revision().publish()
    assert client.get("/beteiligung/").status_code == 404
    assert client.get("/mitmachen/").status_code == 200


def test_an_unpublished_page_is_gone_at_once_and_leaves_the_menu(client, standard):
    standard.show_in_menus = True
    standard.save_revision().publish()
    assert 'href="/beteiligung/"' in client.get("/").content.decode()
    assert client.get("/beteiligung/").status_code == 200
    standard.unpublish()
    assert client.get("/beteiligung/").status_code == 404
    assert 'href="/beteiligung/"' not in client.get("/").content.decode()


@override_settings(RESPONSE_CACHE_EXCLUDED_PATHS=("/",))
def test_a_new_catalogue_selection_costs_one_query_at_any_size(client, site, django_assert_num_queries):
    data = build(6)
    catalogue_page()
    client.get("/projektkatalog/")
    with django_assert_num_queries(1):
        client.get("/projektkatalog/?kind=project")
    for number in range(30):
        ProjectFactory(code=f"1.1.5{number:02d}", goals=[data["goals"][0]])
    client.get("/projektkatalog/")
    with django_assert_num_queries(1):
        response = client.get("/projektkatalog/?kind=measure&sort=title")
    assert response.status_code == 200
