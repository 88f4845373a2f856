"""The site shell: pages in both languages, navigation, search, headers, error pages, query budgets."""

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from demo.management.commands.load_demo import STEPS
from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_german_home_at_root_and_english_under_en(client, site):
    german = client.get("/")
    english = client.get("/en/")
    assert german.status_code == 200 and english.status_code == 200
    assert soup(german).html["lang"] == "de"
    assert soup(english).html["lang"] == "en"
    assert soup(german).h1.get_text() == "Zukunftsprofil Lindenau 2030"
    assert soup(english).h1.get_text() == "Lindenau Future Profile 2030"
    assert len(soup(german).find_all("h1")) == 1


def test_english_home_is_a_wagtail_localize_translation(site):
    from wagtail_localize.models import Translation

    german = HomePage.objects.get(locale__language_code="de")
    english = HomePage.objects.get(locale__language_code="en")
    assert english.translation_key == german.translation_key
    assert Translation.objects.filter(source__object_id=german.translation_key, target_locale=english.locale).exists()


def test_shell_has_skip_links_landmarks_and_footer_links(client, site):
    page = soup(client.get("/"))
    skip_targets = [a["href"] for a in page.select(".skip-links a")]
    assert skip_targets == ["#main", "#site-search-q", "#main-nav"]
    for target in skip_targets:
        assert page.find(id=target[1:]) is not None
    assert page.find("header") and page.find("main") and page.find("footer")
    assert page.find("nav", id="main-nav")
    footer_links = {a.get_text(strip=True): a["href"] for a in page.select("footer nav a")}
    assert footer_links["Impressum"] == "/impressum/"
    assert footer_links["Datenschutz"] == "/datenschutz/"
    assert footer_links["Erklärung zur Barrierefreiheit"] == "/barrierefreiheit/"
    assert "Am Markt 1" in page.find("address").get_text()


def test_english_footer_links_lead_to_english_legal_pages(client, site):
    page = soup(client.get("/en/"))
    footer_links = {a["href"] for a in page.select("footer nav a")}
    assert "/en/impressum/" in footer_links
    assert client.get("/en/impressum/").status_code == 200
    # The Leichte Sprache page has no English version: the link falls back to the German page.
    assert "/leichte-sprache/" in footer_links


def test_navigation_marks_current_page(client, site):
    home = HomePage.objects.get(locale__language_code="de")
    home.get_children().update(show_in_menus=True)
    page = soup(client.get("/impressum/"))
    current = page.select('#main-nav a[aria-current="page"]')
    assert [a.get_text() for a in current] == ["Impressum"]
    crumbs = [a.get_text() for a in page.select(".breadcrumbs a")]
    assert crumbs == ["Startseite", "Impressum"]


def test_language_switcher_leads_to_translation_or_home(client, site):
    page = soup(client.get("/impressum/"))
    link = page.select_one(".language-switcher a")
    assert link["hreflang"] == "en" and link["href"] == "/en/impressum/"
    untranslated = soup(client.get("/leichte-sprache/"))
    link = untranslated.select_one(".language-switcher a")
    assert link["href"] == "/en/"
    back = soup(client.get("/en/impressum/")).select_one(".language-switcher a")
    assert back["hreflang"] == "de" and back["href"] == "/impressum/"


def test_search_finds_pages_in_the_active_language(client, site):
    german = soup(client.get("/suche/", {"q": "Datenschutz"}))
    assert "/datenschutz/" in [a["href"] for a in german.select(".search-results a")]
    english = soup(client.get("/en/suche/", {"q": "Privacy"}))
    assert "/en/datenschutz/" in [a["href"] for a in english.select(".search-results a")]
    assert "/datenschutz/" not in [a["href"] for a in english.select(".search-results a")]


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 5000}, {"q": "Ümläut ß 😀 \u202e"}, {"q": "Daten", "page": "999999"}, {"q": "a", "page": "-1"}],
)
def test_search_survives_bad_input(client, site, params):
    response = client.get("/suche/", params)
    assert response.status_code == 200


def test_security_headers_and_csp(client, site):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # The county colour is set by a <style> element admitted by the response's nonce.
    nonce = soup(response).find("style")["nonce"]
    assert f"'nonce-{nonce}'" in csp.split("style-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_gets_a_policy_it_works_with(client, site):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_404_uses_site_template(client, site):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_500_template_renders_without_context():
    from django.template.loader import render_to_string

    assert "Fehler" in render_to_string("500.html")


def test_robots_and_sitemap(client, site):
    assert "Disallow: /admin/" in client.get("/robots.txt").content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and b"impressum" in sitemap.content


def test_favicon_ico_leads_to_the_site_icon(client, site):
    """Chromium asks for /favicon.ico on documents without an icon link (the Atom feed): no 404 there."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    # The test client serves no static files: the file behind the address is what Caddy/WhiteNoise serve.
    assert "<svg" in Path(finders.find("img/favicon.svg")).read_text()


def test_load_demo_is_idempotent_shows_progress_and_ends_with_the_logins(demo, tmp_path):
    before = Page.objects.count(), Locale.objects.count()
    output = io.StringIO()
    call_command("load_demo", stdout=output, host="http://127.0.0.1:9000")
    assert (Page.objects.count(), Locale.objects.count()) == before
    lines = output.getvalue().splitlines()
    steps = [line for line in lines if line.startswith("Demo [")]
    assert steps[-1].startswith(f"Demo [##############################] {STEPS}/{STEPS}") and len(steps) == STEPS
    box = lines[lines.index(next(line for line in lines if line.startswith("+-"))) :]
    assert box[0] == box[-1] and len(box) > 4, "the logins are the last thing printed, framed"
    for needle in ("http://127.0.0.1:9000/admin/", "admin  password: zukunft-lindenau", "user: fb-umwelt"):
        assert any(needle in line for line in box), needle
    # `make run` prints the logins after the server's banner: they go to a file instead.
    logins = tmp_path / "logins.txt"
    output = io.StringIO()
    call_command("load_demo", stdout=output, logins_file=str(logins))
    assert "password" not in output.getvalue() and "zukunft-lindenau" in logins.read_text()


def _queries(client, url):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_home_page_query_count(client, demo):
    # The demo's home page, with its key figures and links to the strategy and the catalogue.
    assert _queries(client, "/") <= 12
    assert _queries(client, "/en/") <= 12


def test_standard_page_query_count(client, site):
    # Adding more pages to the menu must not add queries.
    count = _queries(client, "/impressum/")
    home = HomePage.objects.get(locale__language_code="de")
    for i in range(5):
        home.add_child(instance=StandardPage(title=f"Seite {i}", slug=f"seite-{i}", show_in_menus=True))
    assert _queries(client, "/impressum/") == count
    assert count <= 12


def test_home_points_to_strategy_and_catalogue_in_each_language(client, demo):
    german = [a["href"] for a in soup(client.get("/")).select(".cta a")]
    english = [a["href"] for a in soup(client.get("/en/")).select(".cta a")]
    assert german == ["/zukunftsprofil/", "/projektkatalog/"]
    assert english == ["/en/zukunftsprofil/", "/en/projektkatalog/"]
    for url in german + english:
        assert client.get(url).status_code == 200


def test_site_settings_changes_show_at_once(client, site):
    from cms.models import SiteSettings

    client.get("/")  # the settings are now cached
    settings = SiteSettings.objects.get()
    settings.county_name = "Landkreis Neuland"
    settings.save()
    assert "Landkreis Neuland" in soup(client.get("/")).select_one(".site-brand__name").get_text()


def test_the_admin_sends_no_staff_e_mail_hash_to_gravatar(admin_client, site):
    """Avatars from gravatar.com would hand staff e-mail hashes to a third party (and broke the admin's CSP)."""
    for url in ("/admin/", "/admin/account/"):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "gravatar" not in response.content.decode().lower()


def test_cached_shell_follows_page_language_settings_and_menu(client, site):
    """The brand, menu and footer are kept as HTML per site version: each page still marks itself,
    each language keeps its own, and a changed setting or a newly published menu page shows at once."""
    from cms.models import SiteSettings

    home = HomePage.objects.get(locale__language_code="de")
    for child in home.get_children().specific():
        child.show_in_menus = True
        child.save_revision().publish()

    def current(url):
        return [a.get_text() for a in soup(client.get(url)).select('#main-nav a[aria-current="page"]')]

    for _ in range(2):  # the second round is served from the kept fragments
        assert current("/") == ["Startseite"]
        assert current("/impressum/") == ["Impressum"]
        crumbs = soup(client.get("/datenschutz/")).select(".breadcrumbs a")
        assert [(a.get_text(), a.get("aria-current")) for a in crumbs] == [
            ("Startseite", None),
            ("Datenschutz", "page"),
        ]
        assert current("/datenschutz/") == ["Datenschutz"]
        assert current("/suche/?q=Markt") == []
        assert "Home" in [a.get_text() for a in soup(client.get("/en/")).select("#main-nav a")]
        assert "Startseite" in [a.get_text() for a in soup(client.get("/")).select("#main-nav a")]

    settings = SiteSettings.objects.get()
    settings.county_name = "Landkreis Neuland"
    settings.save()
    page = soup(client.get("/impressum/"))
    assert page.select_one(".site-brand__name").get_text() == "Landkreis Neuland"
    assert "Landkreis Neuland" in page.select_one("footer address").get_text()

    home.add_child(instance=StandardPage(title="Neu im Menü", slug="neu-im-menue", show_in_menus=True))
    impressum = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    impressum.title = "Impressum und Kontakt"
    impressum.save_revision().publish()
    page = soup(client.get("/impressum/"))
    assert page.select(".breadcrumbs a")[-1].get_text() == "Impressum und Kontakt"
    assert "Neu im Menü" in [a.get_text() for a in page.select("#main-nav a")]
    assert [a.get_text() for a in page.select('#main-nav a[aria-current="page"]')] == ["Impressum und Kontakt"]
