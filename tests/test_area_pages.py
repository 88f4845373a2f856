"""Area chapter pages and the demo pages of the catalogue."""

import pytest

from catalogue.demo_pages import build_catalogue_pages
from catalogue.pages import AreaPage, CatalogueIndexPage
from home.models import HomePage
from tests.catalogue_public_data import build, catalogue_page
from tests.factories.catalogue import german


@pytest.fixture
def data(site):
    result = build(12)
    result["page"] = catalogue_page()
    return result


def test_area_page_shows_goal_tree_aggregates_and_entries(client, data):
    home = HomePage.objects.get(locale=german())
    area = data["areas"][0]
    page = AreaPage(title="Handlungsfeld Wirtschaft", slug="wirtschaft", area=area, intro="Einleitung")
    home.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    entries = [e for e in data["entries"] if e.goals.first().area_id == area.pk]
    assert html.count("<h1") == 1
    assert f"{len(entries)} Einträge" in html
    assert "/projektkatalog/ziel/1-1/" in html and "/projektkatalog/ziel/1-1-1/" in html
    assert "/projektkatalog/?area=wirtschaft" in html
    for entry in entries:
        assert entry.title in html
    assert "<table" in html and "<svg" in html


def test_build_catalogue_pages_is_idempotent_and_translated(site):
    build(4)
    home = HomePage.objects.get(locale=german())
    build_catalogue_pages(home)
    build_catalogue_pages(home)
    assert CatalogueIndexPage.objects.filter(locale=german()).count() == 1
    assert AreaPage.objects.filter(locale=german()).count() == 2
    assert CatalogueIndexPage.objects.filter(locale__language_code="en").count() == 1
    assert AreaPage.objects.filter(locale__language_code="en").count() == 2
    catalogue = CatalogueIndexPage.objects.get(locale=german())
    assert catalogue.show_in_menus and catalogue.slug == "projektkatalog"
