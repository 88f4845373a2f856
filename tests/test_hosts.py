"""Absolute URLs name the host the visitor used (or the Site's, https in production), never http://localhost."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from catalogue.models import Goal, Project
from home.models import StandardPage

pytestmark = pytest.mark.django_db
HOST = "zukunft.example.de"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def canonical(response):
    return BeautifulSoup(response.content, "html.parser").select_one('link[rel="canonical"]')["href"]


def test_canonical_links_use_the_request_host(client, site):
    assert canonical(client.get("/impressum/", HTTP_HOST=HOST)) == f"http://{HOST}/impressum/"
    assert canonical(client.get("/en/impressum/", HTTP_HOST=HOST)) == f"http://{HOST}/en/impressum/"


def test_behind_the_tls_proxy_links_are_https(client, site, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/impressum/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    assert canonical(response) == f"https://{HOST}/impressum/"
    alternates = BeautifulSoup(response.content, "html.parser").select('link[rel="alternate"][hreflang]')
    assert {link["href"] for link in alternates} == {f"https://{HOST}/impressum/", f"https://{HOST}/en/impressum/"}


def test_without_a_request_the_site_hostname_is_used_with_https_in_production(site, settings):
    page = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    settings.SECURE_SSL_REDIRECT = False
    assert page.get_full_url() == "http://localhost/impressum/"
    settings.SECURE_SSL_REDIRECT = True
    assert page.get_full_url() == "https://localhost/impressum/"


def sitemap_urls(client):
    response = client.get("/sitemap.xml", HTTP_HOST=HOST)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    found = {}
    for url in root.findall(f"{SITEMAP}url"):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        found[url.find(f"{SITEMAP}loc").text] = alternates
    return found


def test_sitemap_lists_both_languages_with_alternates_on_the_request_host(client, site):
    urls = sitemap_urls(client)
    assert all(url.startswith(f"http://{HOST}/") for url in urls)
    assert f"http://{HOST}/en/impressum/" in urls
    assert urls[f"http://{HOST}/impressum/"] == {
        "de": f"http://{HOST}/impressum/",
        "en": f"http://{HOST}/en/impressum/",
    }
    assert not any("localhost" in url for alternates in urls.values() for url in alternates.values())


def test_sitemap_lists_catalogue_entries_and_goal_pages(client, demo):
    urls = sitemap_urls(client)
    entries = [url for url in urls if "/projektkatalog/eintrag/" in url and "/en/" not in url]
    goals = [url for url in urls if "/projektkatalog/ziel/" in url and "/en/" not in url]
    assert len(entries) == Project.objects.filter(live=True, locale__language_code="de").count()
    assert len(goals) == Goal.objects.filter(locale__language_code="de").count()
    english_entries = [url for url in urls if "/en/projektkatalog/eintrag/" in url]
    assert english_entries
    translated = next(url for url in entries if len(urls[url]) == 2)
    assert urls[translated]["en"] in english_entries
    assert f"http://{HOST}/en/projektkatalog/umsetzungsstand/" in urls


def test_json_export_names_the_request_host(client, demo):
    response = client.get("/projektkatalog/export/json/", HTTP_HOST=HOST)
    head = json.loads(b"".join(response.streaming_content))
    assert head["source"] == f"http://{HOST}/projektkatalog/"
    assert HOST in head["attribution"]


def test_robots_points_to_the_sitemap_on_the_request_host(client, site):
    body = client.get("/robots.txt", HTTP_HOST=HOST).content.decode()
    assert re.search(rf"^Sitemap: http://{re.escape(HOST)}/sitemap.xml$", body, re.MULTILINE)
