"""The site search and the catalogue's `q`: what citizens type, as they type it, on every database."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from catalogue.public import text
from home.models import HomePage, StandardPage
from tests.catalogue_public_data import catalogue_page
from tests.factories.catalogue import AreaFactory, DepartmentFactory, GoalFactory, ProjectFactory, german

pytestmark = pytest.mark.django_db

TITLES = {
    "1.1.01": ("Klimaschutz: Konzept des Landkreises", ""),
    "1.1.02": ("Klimaanpassung im Stadtwald", ""),
    "1.1.03": ("Solaroffensive auf Kreisgebäuden", ""),
    "1.1.04": ("Radschnellweg Lindenau–Mühlheim", "Ein Weg für Pendler"),
    "1.1.05": ("Schulbus-Takt", "Kürzere Wege; der Klimawandel verlangt es"),
    "1.1.06": ("Ärztehaus am Markt", ""),
}


@pytest.fixture
def catalogue(site):
    area = AreaFactory(slug="umwelt", code="1", title="Umwelt und Klima")
    goal = GoalFactory(area=area, code="1.1")
    entries = {
        code: ProjectFactory(code=code, title=title, summary=summary, goals=[goal])
        for code, (title, summary) in TITLES.items()
    }
    page = catalogue_page()
    return {"entries": entries, "page": page, "area": area}


def soup(response):
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content, "html.parser")


def entry_codes(html):
    return [re.match(r"\S+", a.get_text()).group(0) for a in html.select(".search-results--entries > li > a")]


def catalogue_codes(client, query):
    html = soup(client.get("/projektkatalog/", {"q": query}))
    return [span.get_text() for span in html.select(".entry-card__code")]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "x\x00y",
        "'",
        '"Klima',
        "Klima*",
        "NOT",
        "AND OR NEAR",
        "NEAR(",
        "(Klima",
        "Klima:*",
        "a & b | !c",
        "\\",
        "%",
        "_",
        "-Klima",
        "Klima -",
        "😀",
        "\u202e",
        "x" * 5000,
        "Klima " * 50,
    ],
)
def test_nothing_typed_into_the_search_gives_an_error(client, catalogue, query):
    assert client.get("/suche/", {"q": query}).status_code == 200
    assert client.get("/en/suche/", {"q": query}).status_code == 200
    assert client.get("/projektkatalog/", {"q": query}).status_code == 200


def test_input_without_words_says_what_to_type(client, catalogue):
    html = soup(client.get("/suche/", {"q": '"'}))
    assert "Bitte geben Sie ein Wort" in html.select_one(".notice").get_text()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Klima", {"1.1.01", "1.1.02", "1.1.05"}),
        ("klima", {"1.1.01", "1.1.02", "1.1.05"}),
        ("Solar", {"1.1.03"}),
        ("Rad", {"1.1.04"}),
        ("Radweg", {"1.1.04"}),
        ("Klimaschutz", {"1.1.01"}),
        ("ärztehaus", {"1.1.06"}),
        ("1.1.0", set(TITLES)),
        ("Klima Stadtwald", {"1.1.02"}),
    ],
)
def test_word_parts_find_their_compounds_in_search_and_catalogue(client, catalogue, query, expected):
    assert set(entry_codes(soup(client.get("/suche/", {"q": query})))) == expected
    assert set(catalogue_codes(client, query)) == expected


def test_title_matches_come_first(client, catalogue):
    found = entry_codes(soup(client.get("/suche/", {"q": "Klima"})))
    assert found[-1] == "1.1.05"  # "Klima" only in its summary
    assert sorted(found[:2]) == ["1.1.01", "1.1.02"]


def test_pages_are_found_by_word_parts_and_title_matches_come_first(client, catalogue):
    home = HomePage.objects.get(locale=german())
    for title, intro in [
        ("Wald und Wasser", "Was der Klimaschutz im Wald bedeutet."),
        ("Klimaschutz im Landkreis", "Unser Beitrag."),
    ]:
        page = StandardPage(title=title, slug=title.lower().replace(" ", "-"), intro=intro)
        home.add_child(instance=page)
        page.save_revision().publish()
    html = soup(client.get("/suche/", {"q": "Klima"}))
    titles = [a.get_text() for a in html.select("#search-pages-heading ~ ol.search-results h3 a")]
    assert titles[:2] == ["Klimaschutz im Landkreis", "Wald und Wasser"]


def test_all_matching_entries_are_one_link_away(client, site):
    area = AreaFactory(slug="umwelt", code="1")
    goal = GoalFactory(area=area, code="1.1")
    for number in range(13):
        ProjectFactory(code=f"1.1.{number:02d}", title=f"Klimaschutz Vorhaben {number}", goals=[goal])
    catalogue_page()
    html = soup(client.get("/suche/", {"q": "Klima"}))
    assert len(entry_codes(html)) == 10
    more = html.select_one(".search-section__more a")
    assert more["href"] == "/projektkatalog/?q=Klima"
    assert "Alle 13 Katalogeinträge" in more.get_text()
    assert len(catalogue_codes(client, "Klima")) == 13
    assert "13 Einträge" in soup(client.get(more["href"])).select_one("#results-heading").get_text()


def test_zero_results_suggest_a_spelling_and_the_catalogue_filters(client, catalogue):
    html = soup(client.get("/suche/", {"q": "Klimashcutz"}))
    empty = html.select_one(".search-empty")
    assert empty is not None
    suggestion = empty.select_one("a[href^='?q=']")
    assert suggestion.get_text() == "Klimaschutz"
    assert "1 Umwelt und Klima" in [a.get_text() for a in empty.select(".search-empty__areas a")]
    assert "/projektkatalog/?area=umwelt" in [a["href"] for a in empty.select(".search-empty__areas a")]
    followed = soup(client.get("/suche/" + suggestion["href"]))
    assert entry_codes(followed) == ["1.1.01"]


def test_suggestion_keeps_known_words_and_prefixes():
    known = ["Klimaschutz", "Radschnellweg", "Mühlheim"]
    assert text.suggestion("Klimschutz", known) == "Klimaschutz"
    assert text.suggestion("Klima", known) == ""
    assert text.suggestion("Radschnelweg Mülheim", known) == "Radschnellweg Mühlheim"
    assert text.suggestion("Zebra", known) == ""


def test_words_keep_letters_and_digits_only():
    assert text.words('"Klima" AND (Rad*) 2.1 x\x00y Klima') == ["Klima", "AND", "Rad", "2.1", "xy"]
    assert text.words("") == []
    assert len(text.words("a " * 100)) == 1
    assert len(text.words(" ".join(f"w{n}" for n in range(30)))) == text.MAX_WORDS


def test_search_finds_entries_of_the_active_language_only(client, catalogue):
    english = Locale.objects.get(language_code="en")
    page = catalogue["page"]
    page.copy_for_translation(english).save_revision().publish()
    ProjectFactory(code="1.1.01", title="Climate protection plan", locale=english, lead_department=DepartmentFactory())
    english_html = soup(client.get("/en/suche/", {"q": "Climate"}))
    assert entry_codes(english_html) == ["1.1.01"]
    assert english_html.select_one(".search-section__more a")["href"] == "/en/projektkatalog/?q=Climate"
    assert entry_codes(soup(client.get("/suche/", {"q": "Climate"}))) == []
