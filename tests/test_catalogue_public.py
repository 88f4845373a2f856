"""The public catalogue list: every facet against the database, counts, sorting, paging, bad input, budgets."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup

from catalogue.models import Project
from catalogue.public.options import department_slug
from tests.catalogue_public_data import build, catalogue_page
from tests.conftest import module_data

URL = "/projektkatalog/"
CODE = re.compile(r'<span class="entry-card__code">([^<]+)</span>')


def eighteen_entries(site):
    result = build(18)
    result["page"] = catalogue_page()
    return result


# Built once per module; the tests that build a catalogue of another size run before it.
_module_data, data = module_data(eighteen_entries)


def shown(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:500]
    return CODE.findall(response.content.decode()), response


def codes(entries):
    return sorted(entry.code for entry in entries)


def active_in(entry, year):
    return entry.planned_start.year <= year <= entry.planned_end.year


def truth(data):
    """Facet -> (URL value, expected entries), computed in Python from the rows."""
    entries = data["entries"]
    area, goal, sub = data["areas"][0], data["goals"][0], data["goals"][1]
    status, department, place, theme = data["statuses"][1], data["departments"][0], data["places"][0], data["themes"][0]
    return {
        "area": (area.slug, [e for e in entries if any(g.area_id == area.pk for g in e.goals.all())]),
        "goal": (goal.code, [e for e in entries if {g.pk for g in e.goals.all()} & {goal.pk, sub.pk}]),
        "theme": (theme.slug, [e for e in entries if theme in e.themes.all()]),
        "status": (status.slug, [e for e in entries if e.status_id == status.pk]),
        "traffic_light": ("at_risk", [e for e in entries if e.traffic_light == "at_risk"]),
        "department": (
            department_slug(department),
            [e for e in entries if e.lead_department_id == department.pk or department in e.partner_departments.all()],
        ),
        # County-wide entries happen in every municipality.
        "municipality": (place.slug, [e for e in entries if place in e.municipalities.all() or e.county_wide]),
        "kind": ("measure", [e for e in entries if e.kind == "measure"]),
        "year": ("2022", [e for e in entries if active_in(e, 2022)]),
        "priority": ("II", [e for e in entries if e.priority == "II"]),
    }


def test_every_facet_shows_exactly_the_matching_entries(client, data):
    for facet, (value, expected) in truth(data).items():
        assert expected, facet
        found, _response = shown(client, f"?{facet}={value}")
        assert sorted(found) == codes(expected), facet


def test_goal_includes_sub_goals_and_sub_goal_alone_does_not_include_parent(client, data):
    sub = data["goals"][1]
    found, _response = shown(client, f"?goal={sub.code}")
    assert sorted(found) == codes(e for e in data["entries"] if sub in e.goals.all())
    assert len(shown(client, f"?goal={data['goals'][0].code}")[0]) > len(found)


def test_values_within_a_facet_are_or_and_facets_are_and(client, data):
    first, second = data["statuses"][0], data["statuses"][2]
    found, _response = shown(client, f"?status={first.slug}&status={second.slug}")
    assert sorted(found) == codes(e for e in data["entries"] if e.status_id in (first.pk, second.pk))
    found, _response = shown(client, f"?status={first.slug}&kind=project&area=wirtschaft")
    expected = [
        e
        for e in data["entries"]
        if e.status_id == first.pk and e.kind == "project" and any(g.area.slug == "wirtschaft" for g in e.goals.all())
    ]
    assert sorted(found) == codes(expected)


def test_county_wide_entries_belong_to_every_municipality_unless_excluded(client, data):
    place = data["places"][0]
    by_default, response = shown(client, f"?municipality={place.slug}")
    local, _response = shown(client, f"?municipality={place.slug}&exclude_county_wide=1")
    assert sorted(by_default) == codes(e for e in data["entries"] if place in e.municipalities.all() or e.county_wide)
    assert sorted(local) == codes(e for e in data["entries"] if place in e.municipalities.all())
    assert len(local) < len(by_default)
    # The old "include them" switch is what happens anyway.
    assert shown(client, f"?municipality={place.slug}&county_wide=1")[0] == by_default
    counts = option_counts(response, "municipality")
    assert counts[place.slug] == len(by_default)
    local_counts = option_counts(shown(client, f"?municipality={place.slug}&exclude_county_wide=1")[1], "municipality")
    assert local_counts[place.slug] == len(local)
    assert 'id="f-exclude-county-wide"' in response.content.decode()


def test_every_municipality_is_offered(client, data):
    from tests.factories.catalogue import MunicipalityFactory

    quiet = MunicipalityFactory(name="Stillbach", slug="stillbach")
    _found, response = shown(client)
    counts = option_counts(response, "municipality")
    county_wide = sum(1 for e in data["entries"] if e.county_wide)
    assert counts["stillbach"] == county_wide
    _found, response = shown(client, "?exclude_county_wide=1")
    html = response.content.decode()
    assert f'value="{quiet.slug}" disabled' in html
    assert "ohne kreisweite Einträge" in html


def test_free_text_matches_title_code_and_summary(client, data):
    found, _response = shown(client, "?q=radweg")
    assert sorted(found) == codes(e for e in data["entries"] if "Radweg" in e.summary)
    assert shown(client, "?q=Zebra")[0] == sorted(e.code for e in data["entries"] if "Zebra" in e.title)


def option_counts(response, facet):
    html = response.content.decode()
    pattern = re.compile(
        rf'name="{facet}" value="([^"]+)"[^>]*>\s*<label[^>]*>[^<]*<span class="facet__count">\((\d+)\)</span>'
    )
    return {key: int(number) for key, number in pattern.findall(html)}


def test_facet_counts_are_what_each_option_would_give_with_the_other_facets(client, data):
    _found, response = shown(client, "?kind=project")
    counts = option_counts(response, "status")
    projects = [e for e in data["entries"] if e.kind == "project"]
    for status in data["statuses"]:
        expected = sum(1 for e in projects if e.status_id == status.pk)
        assert counts.get(status.slug, 0) == expected
    kinds = option_counts(response, "kind")
    assert kinds == {kind: sum(1 for e in data["entries"] if e.kind == kind) for kind in ("project", "measure")}
    goals = option_counts(response, "goal")
    top = data["goals"][0]
    assert goals[top.code] == sum(1 for e in projects if {g.pk for g in e.goals.all()} & {top.pk, data["goals"][1].pk})
    years = option_counts(response, "year")
    assert years["2023"] == sum(1 for e in projects if active_in(e, 2023))


def test_municipality_counts_include_county_wide_entries_unless_they_are_excluded(client, data):
    projects = [e for e in data["entries"] if e.kind == "project"]
    assert any(e.county_wide for e in projects), "the data must hold county-wide projects"
    for query, with_county in (("?kind=project", True), ("?kind=project&exclude_county_wide=1", False)):
        _found, response = shown(client, query)
        counts = option_counts(response, "municipality")
        for place in data["places"]:
            expected = [e for e in projects if place in e.municipalities.all() or (with_county and e.county_wide)]
            assert counts.get(place.slug, 0) == len(expected), (query, place.slug)
            # The count is what choosing the option shows.
            assert len(shown(client, f"{query}&municipality={place.slug}")[0]) == len(expected)


def test_options_without_entries_are_not_offered(client, data):
    _found, response = shown(client, "?area=wirtschaft")
    html = response.content.decode()
    assert 'value="2.1"' not in html and 'value="1.1"' in html


def test_sorting_by_title_start_and_last_update(client, data):
    entries = data["entries"]
    found, _response = shown(client, "?sort=title")
    assert found == [e.code for e in sorted(entries, key=lambda e: (e.title, e.code))]
    found, _response = shown(client, "?sort=updated")
    assert found == [e.code for e in sorted(entries, key=lambda e: e.last_report_date, reverse=True)]
    found, _response = shown(client, "?sort=start")
    assert found == [e.code for e in sorted(entries, key=lambda e: (e.planned_start, e.code))]


def test_pagination_splits_the_sorted_list(client, site):
    build(45)
    catalogue_page()
    first, response = shown(client)
    second, _response = shown(client, "?page=2")
    third, _response = shown(client, "?page=3")
    everything = sorted(Project.objects.filter(live=True).values_list("code", flat=True))
    assert first + second + third == everything
    assert "Seite 1 von 3" in response.content.decode()
    last, response = shown(client, "?page=99999")
    assert last == third and "gezeigt wird die letzte Seite" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?area=unbekannt",
        "?status=%00",
        "?goal=1.1%00",
        "?page=abc",
        "?page=-1",
        "?page=99999999999999999999",
        "?sort=evil",
        "?q=" + "x" * 5000,
        "?q=%F0%9F%98%80%E2%80%AE%00",
        "?traffic_light=on_track&traffic_light=on_track",
        "?area=" + "a" * 500,
        "?year=abcd&year=1800",
        "?county_wide=maybe",
        "?area[]=x&__proto__=1",
    ],
)
def test_bad_input_never_fails(client, data, query):
    response = client.get(URL + query)
    assert response.status_code in (200, 400)
    facet_or_paging = not query.startswith("?q=")
    if response.status_code == 200 and facet_or_paging and any(p in query for p in ("unbekannt", "%00", "abc", "evil")):
        assert 'class="notice"' in response.content.decode()


def test_absurd_parameter_counts_are_a_bad_request(client, data):
    assert client.get(URL + "?" + "&".join(["status=idee"] * 60)).status_code == 400


def test_multi_facet_urls_are_noindex_and_single_facet_urls_are_canonical(client, data):
    single = client.get(URL + "?area=wirtschaft").content.decode()
    assert 'name="robots"' not in single
    assert re.search(r'rel="canonical" href="https?://[^"/]+/projektkatalog/\?area=wirtschaft"', single)
    multiple = client.get(URL + "?area=wirtschaft&kind=project").content.decode()
    assert '<meta name="robots" content="noindex">' in multiple


def test_chips_remove_one_filter_and_the_feed_is_linked(client, data):
    html = client.get(URL + "?area=wirtschaft&kind=project").content.decode()
    assert 'href="/projektkatalog/?kind=project"' in html
    assert 'href="/projektkatalog/?area=wirtschaft"' in html
    assert 'type="application/atom+xml"' in html


def assert_list_budget(client, django_assert_max_num_queries, queries):
    # Taxonomy and entry sets warm, but each selection requested for the first time: its
    # facet counts are not cached yet.
    client.get(URL + "?sort=title")
    for query in queries:
        with django_assert_max_num_queries(12):
            assert client.get(URL + query).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(URL + query).status_code == 200


LIST_QUERIES = [
    "",
    "?area=wirtschaft&status=idee",
    "?goal=1.1&municipality=lindenau&county_wide=1&year=2023&q=Vorhaben",
    "?department=wifo&theme=klima&kind=measure&priority=I&traffic_light=at_risk&sort=title&page=2",
]


def test_list_query_budget_with_few_entries(client, site, django_assert_max_num_queries):
    build(5)
    catalogue_page()
    assert_list_budget(client, django_assert_max_num_queries, LIST_QUERIES)


def test_list_query_budget_with_more_entries(client, site, django_assert_max_num_queries):
    build(60)
    catalogue_page()
    assert_list_budget(client, django_assert_max_num_queries, LIST_QUERIES)


def entry_path(entry):
    return f"{URL}eintrag/{entry.code.replace('.', '-')}/{entry.slug}/"


@pytest.mark.parametrize("count", [5, 60])
def test_entry_page_query_budget(client, site, count, django_assert_max_num_queries):
    data = build(count)
    catalogue_page()
    entry = data["entries"][1]
    client.get(entry_path(entry))
    with django_assert_max_num_queries(10):
        response = client.get(entry_path(entry))
    assert response.status_code == 200


def test_entry_page_shows_what_the_entry_carries(client, data):
    from tests.factories.catalogue import publish_with_reports

    entry = data["entries"][1]
    entry.cost_estimate = 1250000
    publish_with_reports(entry, (datetime.date(2024, 5, 2), data["statuses"][1], "at_risk", 40))
    response = client.get(f"{URL}eintrag/{entry.code.replace('.', '-')}/")
    assert response.status_code == 301
    html = client.get(response["Location"]).content.decode()
    assert "<h1" in html and entry.title in html
    assert "1.250.000 €" in html and "02.05.2024" in html
    assert "gefährdet" in html and "40 %" in html
    assert data["departments"][1].name in html
    assert "ziel/1-1/" in html and "ziel/1-1-1/" in html
    related = [e for e in data["entries"] if e.goals.first() == entry.goals.first() and e.pk != entry.pk]
    assert related[0].title in html


def test_unknown_entry_is_404(client, data):
    assert client.get(f"{URL}eintrag/9-9-9/nichts/").status_code == 404
    assert client.get(f"{URL}eintrag/{'9-' * 30}/x/").status_code == 404


def test_goal_view_and_overview(client, data):
    html = client.get(f"{URL}ziel/1-1/").content.decode()
    expected = sum(1 for e in data["entries"] if e.goals.first().area.slug == "wirtschaft")
    assert f"Alle {expected} Einträge zu diesem Ziel" in html
    assert "<table" in html
    assert client.get(f"{URL}umsetzungsstand/").status_code == 200
    assert client.get(f"{URL}ziel/7-7/").status_code == 404


def test_overview_lists_every_area_with_its_figures(client, data):
    page = BeautifulSoup(client.get(f"{URL}umsetzungsstand/").content, "html.parser")
    sections = {section.h2.get_text(strip=True): section for section in page.select(".overview-area")}
    assert sorted(sections) == sorted(f"{area.code} {area.title}" for area in data["areas"])
    for area in data["areas"]:
        section = sections[f"{area.code} {area.title}"]
        entries = [e for e in data["entries"] if any(g.area_id == area.pk for g in e.goals.all())]
        assert f"{len(entries)} Einträge" in section.get_text()
        shown_counts = {}
        for row in section.select(".status-chart tbody tr"):
            for swatch in row.th.select("svg"):
                swatch.decompose()
            shown_counts[row.th.get_text(strip=True)] = int(row.td.get_text())
        expected = {}
        for entry in entries:
            label = entry.status.name if entry.status is not None else "noch kein Bericht"
            expected[label] = expected.get(label, 0) + 1
        assert shown_counts == expected
        assert section.find("a", href=f"{URL}?area={area.slug}") is not None


def test_site_search_finds_entries(client, data):
    entry = data["entries"][3]
    html = client.get("/suche/", {"q": entry.title}).content.decode()
    assert entry.title in html and f"eintrag/{entry.code.replace('.', '-')}/" in html


def test_a_word_searched_in_both_languages_lists_each_languages_own_entries(client, data):
    """The text filter's matches are cached per language: a German search must not answer an
    English one with the same words (nor the other way round)."""
    from wagtail.models import Locale

    from tests.factories import DepartmentFactory, ProjectFactory

    english = Locale.objects.get(language_code="en")
    data["page"].copy_for_translation(english).save_revision().publish()
    ProjectFactory(
        code="1.1.900", title="Anker project in English", locale=english, lead_department=DepartmentFactory()
    )
    german = sorted(e.code for e in data["entries"] if "Anker" in e.title)
    for _round in range(2):
        codes_de, _response = shown(client, "?q=Anker")
        assert sorted(codes_de) == german[:20]
        english_response = client.get("/en" + URL, {"q": "Anker"})
        assert english_response.status_code == 200
        assert CODE.findall(english_response.content.decode()) == ["1.1.900"]
