"""German and English: the switch keeps the route, hreflang alternates, German words marked on English pages."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Locale

from catalogue.models import Department, Project
from catalogue.public.query import entry_url
from demo.translation import translate
from home.models import HomePage, StandardPage
from tests.factories.catalogue import german

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def switch(client, url):
    """The language switcher's link (href, whether it leads to the same content) on `url`."""
    link = soup(client.get(url)).select_one(".language-switcher a")
    return link["href"], link.get("rel") == ["alternate"]


def alternates(client, url):
    return {
        link["hreflang"]: link["href"] for link in soup(client.get(url)).select('head link[rel="alternate"][hreflang]')
    }


def translated_entry():
    english = Project.objects.filter(live=True, locale__language_code="en").order_by("code").first()
    source = Project.objects.get(translation_key=english.translation_key, locale__language_code="de")
    return source, english


def test_entry_switches_to_its_translation_and_back(client, demo):
    source, english = translated_entry()
    german_url = entry_url("/projektkatalog/", source)
    english_url = entry_url("/en/projektkatalog/", english)
    assert switch(client, german_url) == (english_url, True)
    assert switch(client, english_url) == (german_url, True)
    assert alternates(client, german_url) == {
        "de": f"http://testserver{german_url}",
        "en": f"http://testserver{english_url}",
    }


def test_untranslated_entry_leads_to_the_other_catalogue_and_says_so(client, demo):
    translated = Project.objects.filter(locale__language_code="en").values("translation_key")
    untranslated = Project.objects.filter(live=True, locale__language_code="de").exclude(translation_key__in=translated)
    entry = untranslated.first()
    html = soup(client.get(entry_url("/projektkatalog/", entry)))
    link = html.select_one(".language-switcher a")
    assert link["href"] == "/en/projektkatalog/"
    assert "rel" not in link.attrs and "nicht übersetzt" in link["title"]
    assert not html.select('head link[rel="alternate"][hreflang]')


@pytest.mark.parametrize(
    ("german_url", "english_url"),
    [
        ("/projektkatalog/ziel/1-1/", "/en/projektkatalog/ziel/1-1/"),
        ("/projektkatalog/umsetzungsstand/", "/en/projektkatalog/umsetzungsstand/"),
        ("/projektkatalog/", "/en/projektkatalog/"),
        ("/zukunftsprofil/gesamt/", "/en/zukunftsprofil/gesamt/"),
        ("/impressum/", "/en/impressum/"),
        ("/", "/en/"),
    ],
)
def test_every_route_switches_to_the_same_route(client, demo, german_url, english_url):
    assert switch(client, german_url) == (english_url, True)
    assert switch(client, english_url) == (german_url, True)
    found = alternates(client, german_url)
    assert found == {"de": f"http://testserver{german_url}", "en": f"http://testserver{english_url}"}


def test_filtered_list_keeps_its_filters_and_text(client, demo):
    href, same = switch(client, "/projektkatalog/?area=klima&q=Klima&status=in-umsetzung&page=2&sort=title")
    assert same
    assert href.startswith("/en/projektkatalog/?")
    query = href.split("?", 1)[1].split("&")
    assert sorted(query) == ["area=klima", "q=Klima", "sort=title", "status=in-umsetzung"]
    english = soup(client.get(href))
    assert english.select_one("#catalogue-q")["value"] == "Klima"
    assert [chip.get_text() for chip in english.select(".chip")][0]


def test_search_keeps_its_query(client, demo):
    assert switch(client, "/suche/?q=Klima") == ("/en/suche/?q=Klima", True)
    assert switch(client, "/en/suche/?q=climate") == ("/suche/?q=climate", True)


def test_goal_page_in_english_shows_the_goal_in_english(client, demo):
    html = soup(client.get("/en/projektkatalog/ziel/1-1/"))
    goal_title = html.h1.get_text()
    german_title = soup(client.get("/projektkatalog/ziel/1-1/")).h1.get_text()
    assert goal_title != german_title


def lang_of(element):
    for node in [element, *element.parents]:
        if getattr(node, "get", None) and node.get("lang"):
            return node["lang"]
    return None


def test_english_entry_marks_the_german_texts_it_shows(client, demo):
    source, english = translated_entry()
    html = soup(client.get(entry_url("/en/projektkatalog/", english)))
    reports = html.select(".timeline__item p")
    texts = [p for p in reports if p.get_text().strip() and "·" not in p.get_text()]
    assert texts and all(lang_of(p) == "de" for p in texts)
    # Untranslated department names are the German ones, marked; labels of the page are English.
    lead = Department.objects.get(pk=english.lead_department_id)
    if not Department.objects.filter(translation_key=lead.translation_key, locale__language_code="en").exists():
        marked = [span for span in html.select('span[lang="de"]') if span.get_text() == lead.name]
        assert marked
    assert lang_of(html.select_one("#project-state")) == "en"
    # What the translation did translate is not marked.
    if english.title != source.title:
        assert lang_of(html.h1) == "en"


def test_english_entry_with_untranslated_summary_marks_it(client, demo):
    source, english = translated_entry()
    english.summary = source.summary
    english.save()
    html = soup(client.get(entry_url("/en/projektkatalog/", english)))
    assert html.select_one(".project__summary")["lang"] == "de"
    card = soup(client.get("/en/projektkatalog/")).find(
        lambda tag: (
            tag.name == "p" and "entry-card__summary" in tag.get("class", []) and source.summary[:20] in tag.text
        )
    )
    assert card is not None and card["lang"] == "de"


def test_german_pages_mark_nothing_as_german(client, demo):
    source, _english = translated_entry()
    for url in ["/", "/projektkatalog/", entry_url("/projektkatalog/", source), "/projektkatalog/ziel/1-1/"]:
        html = soup(client.get(url))
        assert html.html["lang"] == "de"
        assert not html.select('body [lang="de"]'), url


def test_site_settings_are_marked_german_on_english_pages(client, site):
    html = soup(client.get("/en/impressum/"))
    assert html.select_one(".site-brand__name")["lang"] == "de"
    assert html.select_one(".site-footer address strong")["lang"] == "de"
    assert "lang" not in soup(client.get("/impressum/")).select_one(".site-brand__name").attrs


def test_untranslated_parts_of_a_translated_page_are_marked(client, site):
    home = HomePage.objects.get(locale=german())
    page = StandardPage(
        title="Anfahrt",
        slug="anfahrt",
        intro="So kommen Sie zu uns.",
        body=[("paragraph", "<p>Mit dem Bus bis zum Markt.</p>"), ("paragraph", "<p>Parkplätze am Kreishaus.</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    english = translate(
        page,
        Locale.objects.get(language_code="en"),
        {"Anfahrt": "Directions", "Mit dem Bus bis zum Markt.": "Take the bus to the market."},
    )
    html = soup(client.get(english.url))
    assert lang_of(html.h1) == "en"
    assert html.select_one("p.lead")["lang"] == "de"
    blocks = html.select(".content > .block-paragraph")
    assert [lang_of(block) for block in blocks] == ["en", "de"]
    assert settings.LANGUAGE_CODE == "de"


def test_untranslated_taxonomy_shows_german_names_marked_as_german(client, demo):
    translated = Department.objects.filter(locale__language_code="en").values("translation_key")
    untranslated = set(
        Department.objects.filter(locale__language_code="de")
        .exclude(translation_key__in=translated)
        .values_list("name", flat=True)
    )
    html = soup(client.get("/en/projektkatalog/"))
    labels = html.select('input[name="department"] + label')
    assert any(label.select_one('span[lang="de"]') for label in labels)
    for label in labels:
        name = label.get_text().rsplit(" (", 1)[0]
        marked = label.select_one('span[lang="de"]')
        assert (marked is not None) == (name in untranslated), name
