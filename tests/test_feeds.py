"""The Atom feeds, read as a feed reader and checked against RFC 4287: catalogue, any filter, one entry."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from catalogue.models import StatusReport
from tests.catalogue_public_data import build, catalogue_page
from tests.conftest import module_data
from tests.factories.catalogue import publish_with_reports

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _build_data(site):
    result = build(12)
    result["page"] = catalogue_page()
    for index, entry in enumerate(result["entries"][:6]):
        publish_with_reports(
            entry,
            (datetime.date(2024, 1 + index, 5), result["statuses"][index % 3], "on_track", 10 * index),
            (datetime.date(2025, 1 + index, 5), result["statuses"][(index + 1) % 3], "at_risk", 10 * index + 5),
        )
    return result


_module_data, data = module_data(_build_data)


def same_url(first, second):
    """The same address with the same query parameters, in any order."""
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme, a.netloc, a.path, sorted(parse_qsl(a.query))) == (
        b.scheme,
        b.netloc,
        b.path,
        sorted(parse_qsl(b.query)),
    )


def is_iri(value):
    parts = urlsplit(value)
    return bool(parts.scheme) and (parts.scheme == "tag" or bool(parts.netloc))


def assert_rfc4287(xml, requested):
    root = ET.fromstring(xml)  # noqa: S314 - our own server's answer
    assert root.tag == f"{ATOM}feed"

    def one(element, name):
        found = element.findall(f"{ATOM}{name}")
        assert len(found) == 1, (name, len(found))
        return found[0]

    assert is_iri(one(root, "id").text)
    assert one(root, "title").text
    datetime.datetime.fromisoformat(one(root, "updated").text)
    links = {link.get("rel", "alternate"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert same_url(links["self"], requested)
    assert is_iri(links["alternate"])
    feed_author = root.findall(f"{ATOM}author")
    assert all(author.find(f"{ATOM}name").text for author in feed_author)
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        ids.append(one(entry, "id").text)
        assert is_iri(ids[-1]), ids[-1]
        assert one(entry, "title").text
        datetime.datetime.fromisoformat(one(entry, "updated").text)
        assert feed_author or entry.findall(f"{ATOM}author")
        assert all(is_iri(link.get("href")) for link in entry.findall(f"{ATOM}link"))
        assert [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    assert len(ids) == len(set(ids))
    return root


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return response.content, parsed


@pytest.mark.parametrize(
    "query",
    ["", "?area=wirtschaft", "?municipality=lindenau&exclude_county_wide=1&status=idee", "?q=Zebra&kind=project"],
)
def test_catalogue_feed_is_valid_atom_for_any_filter(client, data, query):
    xml, parsed = read(client, f"/projektkatalog/feed/{query}")
    assert_rfc4287(xml, f"http://testserver/projektkatalog/feed/{query}")
    assert parsed.feed.author
    self_link = next(link.href for link in parsed.feed.links if link.rel == "self")
    assert same_url(self_link, f"http://testserver/projektkatalog/feed/{query}")


def test_feed_entries_are_exactly_the_filtered_entries_reports(client, data):
    _xml, parsed = read(client, "/projektkatalog/feed/?area=wirtschaft")
    expected = StatusReport.objects.filter(project__goals__area__slug="wirtschaft").distinct()
    assert len(parsed.entries) == expected.count() > 0
    assert all(entry.id.startswith("tag:") for entry in parsed.entries)
    assert all(entry.author for entry in parsed.entries)


def test_report_ids_stay_the_same_when_the_entry_is_renamed(client, data):
    _xml, before = read(client, "/projektkatalog/feed/")
    entry = data["entries"][0]
    entry.title = "Umbenannt"
    entry.slug = "umbenannt"
    entry.save()
    _xml, after = read(client, "/projektkatalog/feed/")
    assert {item.id for item in before.entries} == {item.id for item in after.entries}


def test_empty_selection_gives_a_valid_feed(client, data):
    xml, parsed = read(client, "/projektkatalog/feed/?q=Nirgendwo")
    assert parsed.entries == []
    assert_rfc4287(xml, "http://testserver/projektkatalog/feed/?q=Nirgendwo")


def test_each_entry_has_its_own_valid_feed(client, data):
    entry = data["entries"][2]
    url = f"/projektkatalog/feed/eintrag/{entry.code.replace('.', '-')}/"
    xml, parsed = read(client, url)
    assert_rfc4287(xml, f"http://testserver{url}")
    assert len(parsed.entries) == entry.reports.count() == 2
    assert entry.title in parsed.feed.title
    assert client.get("/projektkatalog/feed/eintrag/9-9-9/").status_code == 404


def test_feed_links_come_with_an_explanation(client, data):
    html = BeautifulSoup(client.get("/projektkatalog/?area=wirtschaft").content, "html.parser")
    link = html.select_one('a[type="application/atom+xml"]')
    assert link["href"] == "/projektkatalog/feed/?area=wirtschaft"
    help_text = html.select_one(f"#{link['aria-describedby']}").get_text()
    assert "Feed-Reader" in help_text
    assert html.find(string="Änderungen abonnieren")
    entry = data["entries"][2]
    page = BeautifulSoup(
        client.get(f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/", follow=True).content, "html.parser"
    )
    assert page.select_one('a[type="application/atom+xml"]')["href"].endswith(
        f"feed/eintrag/{entry.code.replace('.', '-')}/"
    )
    assert page.select_one('link[rel="alternate"][type="application/atom+xml"]')


def test_feed_over_https_behind_a_proxy_links_https(client, data, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/projektkatalog/feed/", headers={"x-forwarded-proto": "https"})
    parsed = feedparser.parse(response.content)
    assert all(link.href.startswith("https://") for link in parsed.feed.links)
