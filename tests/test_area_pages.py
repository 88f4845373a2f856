"""Area chapter pages and the demo pages of the catalogue."""

import pytest

from catalogue.models import AreaPage, CatalogueIndexPage
from demo.builders.pages import build_catalogue_pages
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


def _cold_and_warm_queries(client, url):
    """Queries of the first request after a data change (caches rebuilt) and of the next one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.cache import bump_data_version, bump_site_version

    # A new entry moves both versions on (the site version once its search index entry is written,
    # cms/signals.py), so both measurements start from both bumped: routing and navigation rebuilt too.
    bump_data_version()
    bump_site_version()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context.captured_queries))
    return counts


def test_area_page_query_budget_does_not_grow_with_entries(client, data):
    from tests.factories.catalogue import ProjectFactory

    home = HomePage.objects.get(locale=german())
    page = AreaPage(title="Handlungsfeld Wirtschaft", slug="wirtschaft", area=data["areas"][0])
    home.add_child(instance=page)
    page.save_revision().publish()
    client.get(page.url)  # per-process caches (content types, site root paths)
    cold, warm = _cold_and_warm_queries(client, page.url)
    assert warm <= 12
    for index in range(40):
        ProjectFactory(
            code=f"1.1.9{index:02d}",
            goals=[data["goals"][index % 2]],
            lead_department=data["departments"][0],
            status=data["statuses"][index % 3],
        )
    assert _cold_and_warm_queries(client, page.url) == [cold, warm]


def test_area_page_shows_new_figures_after_a_change(client, data):
    """The cached aggregates follow the data: a newly published entry counts at once."""
    home = HomePage.objects.get(locale=german())
    area = data["areas"][0]
    page = AreaPage(title="Handlungsfeld Wirtschaft", slug="wirtschaft", area=area)
    home.add_child(instance=page)
    page.save_revision().publish()
    entries = [e for e in data["entries"] if e.goals.first().area_id == area.pk]
    assert f"{len(entries)} Einträge" in client.get(page.url).content.decode()
    entry = entries[0]
    entry.save_revision().publish()  # a publish bumps the data version
    assert f"{len(entries)} Einträge" in client.get(page.url).content.decode()
    entry.unpublish()
    assert f"{len(entries) - 1} Einträge" in client.get(page.url).content.decode()


def test_catalogue_change_invalidates_caches_again_after_commit(data, django_capture_on_commit_callbacks):
    """A request between the change and its commit may cache old rows; the commit bump drops them."""
    from cms.cache import data_version

    entry = data["entries"][0]
    with django_capture_on_commit_callbacks(execute=True):
        before = data_version()
        entry.save_revision().publish()
        during = data_version()
    assert before < during < data_version()
