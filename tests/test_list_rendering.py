"""What an uncached list page costs besides its query: cards rendered once per content, the shared
cache asked few times with one Redis client, and the same markup as before."""

from unittest import mock

import pytest
import redis
from django.core.cache import cache as default_cache
from django.test.signals import template_rendered

from catalogue.models import Project
from cms import cache
from cms.redis_cache import RedisCache
from tests.catalogue_public_data import build, catalogue_page
from tests.test_catalogue_public import CODE
from tests.test_shared_cache import redis_url  # noqa: F401 (a fixture: a redis-server of the test's own)

URL = "/projektkatalog/"
CARD_TEMPLATE = "catalogue/includes/entry_card.html"


@pytest.fixture
def data(site):
    result = build(30)
    result["page"] = catalogue_page()
    return result


def cards_rendered(client, query):
    """The entry codes the page shows, and how many cards were rendered for it (not taken from the cache)."""
    rendered = []

    def count(sender, template, context, **kwargs):
        if template.name == CARD_TEMPLATE:
            rendered.append(context["entry"].project.code)

    template_rendered.connect(count)
    try:
        response = client.get(URL + query)
    finally:
        template_rendered.disconnect(count)
    assert response.status_code == 200
    return CODE.findall(response.content.decode()), rendered


def test_a_card_is_rendered_once_and_then_shown_in_every_list_it_belongs_to(client, data):
    first, rendered = cards_rendered(client, "?sort=code")
    assert first and sorted(rendered) == sorted(first)
    # Another selection showing some of the same entries renders only those not shown before.
    second, rendered = cards_rendered(client, "?sort=title")
    assert set(second) & set(first), "the two orders should share entries on their first page"
    assert sorted(rendered) == sorted(set(second) - set(first))


def test_a_card_shows_the_entry_as_it_is_now(client, data):
    entry = sorted(data["entries"], key=lambda item: item.code)[0]
    shown, _rendered = cards_rendered(client, "?sort=code")
    assert entry.code in shown
    entry.title = "Neuer Titel nach der Freigabe"
    entry.save_revision().publish()
    # A publish moves the data version on: the cards are rendered anew, the changed one with its new title.
    shown, rendered = cards_rendered(client, "?sort=code&page=1")
    assert entry.code in rendered
    assert "Neuer Titel nach der Freigabe" in client.get(URL + "?sort=code&page=1").content.decode()


def test_an_uncached_list_page_reads_each_named_value_once(client, data):
    client.get(URL)
    reads = []
    real_get = default_cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    with mock.patch.object(default_cache, "get", counting_get):
        assert client.get(URL + "?sort=title").status_code == 200
    locales = [key for key in reads if key.startswith("named:" + cache.LOCALES)]
    assert len(locales) == 1, reads


@pytest.mark.redis
def test_one_redis_client_serves_every_cache_call(redis_url):  # noqa: F811
    """Against a real redis-server: Django's own backend builds a client for each of these operations."""
    real_init = redis.Redis.__init__
    with mock.patch.object(redis.Redis, "__init__", autospec=True, side_effect=real_init) as made:
        backend = RedisCache(redis_url, {"KEY_PREFIX": "test"})
        backend.set("a", {"eins": 1})
        backend.set_many({"b": 2, "c": 3})
        assert backend.get("a") == {"eins": 1}
        assert backend.get_many(["b", "c", "missing"]) == {"b": 2, "c": 3}
        assert backend.incr("b") == 3
        backend.delete("a")
        assert backend.get("a") is None
    assert made.call_count == 1


SELECTIONS = [
    "",
    "?kind=measure",
    "?status=idee",
    "?status=idee&status=abgeschlossen",
    "?area=wirtschaft&kind=project",
    "?municipality=lindenau",
    "?municipality=lindenau&exclude_county_wide=1",
    "?q=Radweg",
    "?q=Vorhaben&priority=II",
    "?traffic_light=at_risk&year=2023",
    "?theme=klima&department=wifo",
    "?status=abgeschlossen&kind=measure&priority=I",
]


@pytest.mark.parametrize("sort", ["code", "title", "updated", "start"])
def test_results_picked_from_the_bit_sets_are_the_rows_the_filters_select(client, site, sort, monkeypatch):
    """Each page of each sort shows what the SQL filters and ORDER BY give (the way taken while the
    bit sets trail a change), for selections with many matches (the order is walked) and few (found)."""
    data = build(45)
    data["page"] = catalogue_page()
    Project.objects.filter(code__endswith=".007").update(planned_start=None)  # a start left open sorts last
    cache.bump_data_version()

    def pages(query):
        found = []
        for number in (1, 2, 3):
            separator = "&" if query else "?"
            response = client.get(f"{URL}{query}{separator}sort={sort}&page={number}")
            assert response.status_code == 200
            codes = CODE.findall(response.content.decode())
            found.append(codes)
        return found

    picked = {query: pages(query) for query in SELECTIONS}
    assert picked[""][0] and picked[""][2], "45 entries fill three pages"
    assert any(0 < len(page) <= 5 for query in SELECTIONS for page in picked[query][:1]), "a narrow selection"

    default_cache.clear()
    cache.clear_local()
    monkeypatch.setattr(cache, "derived_is_current", lambda: False)
    for query in SELECTIONS:
        assert pages(query) == picked[query], query
