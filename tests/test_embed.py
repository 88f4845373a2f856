"""Embeds for municipalities' websites: what they list, who may frame them, and that nothing else may be framed."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from catalogue.models import OpenDataSettings
from tests.catalogue_public_data import build, catalogue_page

pytestmark = pytest.mark.django_db

ALLOWED = "https://www.gemeinde-lindenau.de"


def allow(*origins):
    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    settings.embed_origins = "\n".join(origins)
    settings.save()


@pytest.fixture
def data(site):
    result = build(18)
    result["page"] = catalogue_page()
    return result


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1).split()


def listed(response):
    return re.findall(r'<a href="[^"]+/eintrag/[^"]+"[^>]*>([^ ]+) ', response.content.decode())


def test_municipality_embed_lists_its_live_entries(client, data):
    place = data["places"][0]
    expected = sorted(entry.code for entry in data["entries"] if place in entry.municipalities.all())
    response = client.get(f"/einbetten/gemeinde/{place.slug}/")
    assert response.status_code == 200
    assert listed(response) == expected
    html = response.content.decode()
    assert f"in {place.name}</h1>" in html and f"<title>Vorhaben des Landkreises in {place.name}</title>" in html
    assert "Quelle: " in html and "Datenlizenz Deutschland" in html
    with_county = client.get(f"/einbetten/gemeinde/{place.slug}/?county_wide=1")
    county_wide = [entry.code for entry in data["entries"] if entry.county_wide]
    assert listed(with_county) == sorted(set(expected) | set(county_wide))
    assert client.get("/einbetten/gemeinde/gibt-es-nicht/").status_code == 404
    assert client.post(f"/einbetten/gemeinde/{place.slug}/").status_code == 405


def test_any_filter_of_the_catalogue_page_can_be_embedded(client, data):
    response = client.get("/einbetten/?kind=measure&status=idee")
    expected = sorted(
        entry.code for entry in data["entries"] if entry.kind == "measure" and entry.status_id == data["statuses"][0].pk
    )
    assert listed(response) == expected
    assert "gibt es nicht" in client.get("/einbetten/?area=unbekannt").content.decode()
    assert client.get("/einbetten/?" + "&".join(["area=x"] * 301)).status_code == 400


def test_only_configured_origins_may_frame_the_embed_and_every_other_page_stays_deny(client, data):
    place = data["places"][1]
    closed = client.get(f"/einbetten/gemeinde/{place.slug}/")
    assert frame_ancestors(closed) == ["'none'"]
    allow(ALLOWED, "http://127.0.0.1:8001")
    opened = client.get(f"/einbetten/gemeinde/{place.slug}/")
    assert frame_ancestors(opened) == [ALLOWED, "http://127.0.0.1:8001"]
    assert "X-Frame-Options" not in opened
    for path in ("/", "/projektkatalog/", f"/projektkatalog/?municipality={place.slug}", "/api/v3/catalogue/areas/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        if "Content-Security-Policy" in response:
            assert ALLOWED not in response["Content-Security-Policy"], path


def test_embed_loads_nothing_from_other_sites(client, data):
    html = client.get(f"/einbetten/gemeinde/{data['places'][0].slug}/").content.decode()
    assert "<script" not in html and "style=" not in html
    for resource in re.findall(r'<(?:link|img|script|iframe)[^>]+(?:href|src)="([^"]+)"', html):
        assert resource.startswith(("/", "data:")), resource
    # Links open the county's own pages, announced as opening a new window.
    for link in re.findall(r'<a href="([^"]+)"', html):
        assert link.startswith("http://testserver/"), link
    assert html.count("öffnet in neuem Fenster") == html.count('target="_blank"')


def test_settings_refuse_anything_but_origins(client, data):
    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    settings.embed_origins = "https://gemeinde.de/pfad/\n'unsafe-inline'"
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "embed_origins" in str(error.value)


def test_catalogue_page_offers_the_snippet_for_the_current_selection(client, data):
    place = data["places"][0]
    html = client.get(f"/projektkatalog/?municipality={place.slug}").content.decode()
    assert "Auf Ihrer Website einbinden" in html
    snippet = re.search(r'<textarea id="embed-code"[^>]*>([^<]+)</textarea>', html).group(1)
    assert f"http://testserver/einbetten/?municipality={place.slug}" in snippet
    assert 'title="Vorhaben des Landkreises"' in snippet.replace("&quot;", '"')
    assert '<label for="embed-code">' in html
