"""Finer invalidation: a status report or a publish that leaves an entry's structure as it was renders
that entry's page, its translations' and the lists anew, and leaves every other entry's page cached.
Anything that other entries' pages show (a title, a label) still renders them anew at once."""

import datetime

import pytest

from catalogue.models import StatusReport
from cms import cache
from tests.catalogue_public_data import build, catalogue_page
from tests.factories.catalogue import publish_with_reports

URL = "/projektkatalog/"


@pytest.fixture
def data(site):
    result = build(12)
    result["page"] = catalogue_page()
    # Entries 0 and 4 share a goal: each lists the other among its related entries.
    first, second = result["entries"][0], result["entries"][4]
    for entry in (first, second):
        entry.save_revision().publish()
    result["first"], result["second"] = first, second
    return result


def entry_url(client, entry):
    return client.get(f"{URL}eintrag/{entry.code.replace('.', '-')}/")["Location"]


def warm(client, *urls):
    for url in urls:
        client.get(url)
    for url in urls:
        assert client.get(url)["X-Cache"] == "hit", url


def test_a_published_status_change_shows_on_its_page_and_the_list_while_other_entry_pages_stay_cached(client, data):
    first, second = data["first"], data["second"]
    first_page, second_page = entry_url(client, first), entry_url(client, second)
    warm(client, URL, first_page, second_page)
    status = next(status for status in data["statuses"] if status.pk != first.status_id)

    publish_with_reports(first, (datetime.date(2026, 11, 30), status, "off_track", 57))

    shown = client.get(first_page)
    assert shown["X-Cache"] == "miss" and f">{status.name}<" in shown.content.decode()
    assert "57 %" in shown.content.decode()
    listed = client.get(URL)
    assert listed["X-Cache"] == "miss" and "57 %" in listed.content.decode()
    assert client.get(second_page)["X-Cache"] == "hit"


def test_a_saved_report_shows_on_its_entry_page_at_once_and_other_entry_pages_stay_cached(client, data):
    first, second = data["first"], data["second"]
    first_page, second_page = entry_url(client, first), entry_url(client, second)
    warm(client, first_page, second_page)

    StatusReport.objects.create(
        project=first,
        date=datetime.date(2026, 11, 30),
        status=data["statuses"][0],
        traffic_light="on_track",
        text="Bagger rollen seit Montag.",
    )

    shown = client.get(first_page)
    assert shown["X-Cache"] == "miss" and "Bagger rollen seit Montag." in shown.content.decode()
    assert client.get(second_page)["X-Cache"] == "hit"


def test_renaming_an_entry_renders_the_pages_that_list_it_as_related_anew(client, data):
    first, second = data["first"], data["second"]
    second_page = entry_url(client, second)
    assert first.title in client.get(second_page).content.decode()
    warm(client, second_page)

    first.title = "Umbenanntes Vorhaben am Markt"
    first.save_revision().publish()

    shown = client.get(second_page)
    assert shown["X-Cache"] == "miss" and "Umbenanntes Vorhaben am Markt" in shown.content.decode()


def test_a_renamed_status_shows_on_every_entry_page_at_once(client, data):
    second = data["second"]
    status = data["statuses"][1]
    publish_with_reports(second, (None, status, "on_track", 10))
    second_page = entry_url(client, second)
    assert f">{status.name}<" in client.get(second_page).content.decode()
    warm(client, second_page)

    status.name = "Bagger im Einsatz"
    status.save()

    shown = client.get(second_page)
    assert shown["X-Cache"] == "miss" and "Bagger im Einsatz" in shown.content.decode()


def test_an_entry_page_that_shows_catalogue_wide_data_is_keyed_by_the_data_version(client, data):
    # A page that reads anything keyed by the data version (here a cached figure) is stored under
    # the full key: another entry's report renders it anew.
    first, second = data["first"], data["second"]
    with cache.request_scope() as versions:
        cache.depends_on_entries([second.pk])
        assert cache.entry_scoped(versions) is not None
        cache.versioned("tests:figure", build=lambda: 1)
        assert cache.entry_scoped(versions) is None
    second_page = entry_url(client, second)
    warm(client, second_page)
    StatusReport.objects.create(
        project=first, date=datetime.date(2026, 11, 30), status=data["statuses"][0], traffic_light="on_track"
    )
    assert client.get(second_page)["X-Cache"] == "hit"
