"""„Im Haushalt“ on goal pages and area chapters, and the catalogue facets „Haushaltsprodukt“ and „Haushaltsjahr“.

Every figure is computed here from the rows (the product subtree by key prefix, not by the app's
tree walk) and compared with what the pages show.
"""

import json
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from budget.models import BudgetFigure, BudgetProduct, GoalProductLink, ProjectBudget, ProjectBudgetAmount
from budget.sections import goal_section
from catalogue.models import AreaPage, Project
from cms.cache import bump_data_version
from home.models import HomePage
from tests.budget_data import YEARS, build_budget, grow, line
from tests.conftest import module_data
from tests.factories.catalogue import german

pytestmark = pytest.mark.django_db

URL = "/projektkatalog/"
FACET = re.compile(
    r'name="(product|budget_year)" value="([^"]+)"[^>]*>\s*<label[^>]*>[^<]*<span class="facet__count">\((\d+)\)'
)


def _build_world(site):
    return build_budget(12)


_module_data, world = module_data(_build_world)


def euros(value):
    return "–" if value is None else f"{value:,.0f} €".replace(",", ".")


def below(key):
    """The product and everything under it, by key prefix."""
    return BudgetProduct.objects.filter(locale=german()).filter(key=key) | BudgetProduct.objects.filter(
        locale=german(), key__startswith=f"{key}."
    )


def attributed(goal_codes, field):
    """Per year: sum over the goals' links of share x the linked product's subtree amount."""
    totals = {}
    for link in GoalProductLink.objects.filter(goal__code__in=goal_codes).select_related("product"):
        for figure in BudgetFigure.objects.filter(product__in=below(link.product.key)):
            amount = getattr(figure, field)
            if amount is not None:
                totals[figure.year] = totals.get(figure.year, Decimal(0)) + amount * link.weight / 100
    return totals


def table(html, caption):
    soup = BeautifulSoup(html, "html.parser")
    found = soup.find("caption", string=re.compile(re.escape(caption)))
    assert found is not None, f"no table „{caption}“"
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in found.parent.find_all("tr")
    ]


def section(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one("section.budget")


def test_goal_page_shows_the_attributed_expense_of_the_goal_and_its_sub_goals(client, world):
    html = client.get(f"{URL}ziel/1-1/").content.decode()
    assert section(html) is not None and section(html).h2.get_text() == "Im Haushalt"
    planned, actual = attributed(["1.1", "1.1.1"], "expense_planned"), attributed(["1.1", "1.1.1"], "expense_actual")
    rows = table(html, "Zugerechneter Aufwand je Haushaltsjahr (Euro)")
    assert rows[0] == ["Haushaltsjahr", "Plan", "Ist"]
    assert rows[1:] == [[str(year), euros(planned[year]), euros(actual.get(year))] for year in YEARS]
    # The chart draws the same numbers: one bar per year and series, titled with its amount.
    svg = section(html).select_one("svg[role=img]")
    titles = [title.get_text() for title in svg.find_all("title")]
    assert f"Plan {YEARS[0]}: {euros(planned[YEARS[0]])}" in titles
    assert f"Ist {YEARS[1]}: {euros(actual[YEARS[1]])}" in titles
    assert len(titles) == len(planned) + len(actual)
    assert svg["aria-labelledby"] == "budget-chart-caption budget-chart-note"


def test_goal_page_lists_each_linked_product_with_share_amounts_and_key_figures(client, world):
    html = client.get(f"{URL}ziel/1-1/").content.decode()
    headings = [heading.get_text(" ", strip=True) for heading in section(html).find_all("h4")]
    assert headings == ["1.1 Innere Verwaltung (Produktgruppe)", "1.1.1.01 Wirtschaftsförderung (Produkt)"]
    group_rows = table(html, "Beträge von Produkt 1.1 je Haushaltsjahr")
    first_year = BudgetFigure.objects.filter(product__in=below("1.1"), year=YEARS[0])
    expected = sum(figure.expense_planned for figure in first_year)
    assert group_rows[2][:2] == [str(YEARS[0]), euros(expected)]
    facts = section(html).find_all("dl")[0].get_text(" ", strip=True)
    assert facts == "Anteil 20 % Teilhaushalt 1 Zentrale Dienste Ziele 1.1.1"
    figures = table(html, "Kennzahlen von Produkt 1.1.1.01")
    assert figures[1] == ["Beratene Betriebe (Anzahl; höher ist besser)", "2023", "120", "131", "ja"]
    assert figures[2][-1] == "nein" and figures[3][-2:] == ["–", "–"]


def test_goal_page_shows_the_measures_amounts_per_product_and_year(client, world):
    html = client.get(f"{URL}ziel/1-1/").content.decode()
    rows = table(html, "Mittel der Einträge je Produkt und Haushaltsjahr")
    entries = world.data["entries"]
    expected = []
    for amount in ProjectBudgetAmount.objects.filter(line__project__in=entries[:2]).select_related(
        "line__project", "line__product"
    ):
        entry = amount.line.project
        expected.append(
            [
                f"{entry.code} {entry.title}",
                amount.line.product.key,
                amount.line.investment_number or "–",
                str(amount.year),
                euros(amount.planned),
                euros(amount.actual),
            ]
        )
    assert sorted(rows[1:]) == sorted(expected)
    assert entries[2].title not in section(html).get_text()
    link = section(html).find("a", string=re.compile(re.escape(entries[0].title)))
    assert link["href"] == f"{URL}eintrag/{entries[0].code.replace('.', '-')}/{entries[0].slug}/"


def test_a_goal_without_budget_shows_no_section(client, world):
    GoalProductLink.objects.filter(goal__code="2.1").delete()
    ProjectBudget.objects.filter(project__goals__code="2.1").delete()
    html = client.get(f"{URL}ziel/2-1/").content.decode()
    assert client.get(f"{URL}ziel/2-1/").status_code == 200
    assert section(html) is None and "Im Haushalt" not in html


def test_section_follows_changes_at_once(client, world):
    url = f"{URL}ziel/2-1/"
    before = table(client.get(url).content.decode(), "Zugerechneter Aufwand je Haushaltsjahr (Euro)")
    figure = BudgetFigure.objects.get(product=world.products.c, year=YEARS[0])
    figure.expense_planned += Decimal(100_000)
    figure.save()
    after = table(client.get(url).content.decode(), "Zugerechneter Aufwand je Haushaltsjahr (Euro)")
    assert before != after
    assert after[1][1] == euros(attributed(["2.1"], "expense_planned")[YEARS[0]])


def area_page(area):
    home = HomePage.objects.get(locale=german())
    page = AreaPage(title=f"Handlungsfeld {area.code}", slug=f"feld-{area.code}", area=area)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_area_chapter_shows_the_budget_of_all_its_goals(client, world):
    page = area_page(world.data["areas"][0])
    html = client.get(page.url).content.decode()
    codes = [goal.code for goal in world.data["goals"] if goal.area_id == world.data["areas"][0].pk]
    planned = attributed(codes, "expense_planned")
    rows = table(html, "Zugerechneter Aufwand je Haushaltsjahr (Euro)")
    assert [row[:2] for row in rows[1:]] == [[str(year), euros(planned[year])] for year in YEARS]
    assert "Die Ziele dieses Handlungsfelds werden aus 2 Produkten" in html
    other = client.get(area_page(world.data["areas"][1]).url).content.decode()
    assert [heading.get_text(" ", strip=True) for heading in section(other).find_all("h4")] == [
        "5.6.1.01 Kreisstraßen (Produkt)"
    ]


def test_english_labels_come_from_the_translations(client, world):
    english = BudgetProduct.objects.create(
        key="1.1.1.01",
        name="Business development",
        translation_key=world.products.a.translation_key,
        locale=type(german()).objects.get_or_create(language_code="en")[0],
    )
    section_en = goal_section(world.goals.g11, english.locale)
    assert [row.name for row in section_en.products] == ["Innere Verwaltung", "Business development"]
    assert [row.name for row in goal_section(world.goals.g11, german()).products][1] == "Wirtschaftsförderung"


def _cold_and_warm(client, url):
    """Queries of the first request after a data change (caches rebuilt) and of the next one."""
    bump_data_version()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context.captured_queries))
    return counts


def test_goal_and_area_page_query_budget_with_the_section(client, site, django_assert_max_num_queries):
    world = build_budget(6)
    page = area_page(world.data["areas"][0])
    urls = [f"{URL}ziel/1-1/", page.url]
    before = {}
    for url in urls:
        client.get(url)  # per-process caches (content types, site root paths)
        before[url] = _cold_and_warm(client, url)
        assert before[url][1] <= 12, (url, before[url])
    grow(world, 25)
    for url in urls:
        assert len(section(client.get(url).content.decode()).find_all("h4")) == 2 + 25
        assert _cold_and_warm(client, url) == before[url], url


def test_the_section_itself_costs_no_query_when_warm(world, django_assert_max_num_queries):
    request = RequestFactory().get(f"{URL}ziel/1-1/")
    template = Template("{% load budget_tags %}{% budget_section goal %}")
    context = Context({"request": request, "goal": world.goals.g11, "catalogue_url": URL})
    with translation.override("de"):
        assert "Im Haushalt" in template.render(context)
        with django_assert_max_num_queries(2):
            assert "Im Haushalt" in template.render(context)


# The facets ---------------------------------------------------------------------------------


def live_entries():
    return Project.objects.filter(live=True, locale=german())


def expected_products():
    """Option key -> number of live entries with a line on the product or anything below it."""
    result = {}
    for node in BudgetProduct.objects.filter(locale=german()):
        count = live_entries().filter(budget_lines__product__in=below(node.key)).distinct().count()
        if count:
            result[node.key] = count
    return result


def expected_years():
    result = {}
    for year in ProjectBudgetAmount.objects.values_list("year", flat=True).distinct():
        result[str(year)] = live_entries().filter(budget_lines__amounts__year=year).distinct().count()
    return result


def facet_counts(html):
    counts = {"product": {}, "budget_year": {}}
    for facet, key, count in FACET.findall(html):
        counts[facet][key] = int(count)
    return counts


def codes(html):
    return sorted(re.findall(r'<span class="entry-card__code">([^<]+)</span>', html))


def test_budget_facets_count_and_filter_like_the_rows(client, world):
    html = client.get(URL).content.decode()
    assert facet_counts(html) == {"product": expected_products(), "budget_year": expected_years()}
    assert "Haushaltsprodukt" in html and "Haushaltsjahr" in html
    for key, count in expected_products().items():
        shown = codes(client.get(URL, {"product": key}).content.decode())
        expected = live_entries().filter(budget_lines__product__in=below(key)).distinct()
        assert shown == sorted(entry.code for entry in expected) and len(shown) == count
        # The export selects with SQL (the list from bit sets): the same entries.
        exported = json.loads(b"".join(client.get(URL + "export/json/", {"product": key}).streaming_content))
        assert sorted(entry["code"] for entry in exported["entries"]) == shown
    for year in expected_years():
        shown = codes(client.get(URL, {"budget_year": year}).content.decode())
        assert shown == sorted(
            entry.code for entry in live_entries().filter(budget_lines__amounts__year=year).distinct()
        )


def test_budget_facets_combine_with_the_catalogues_own(client, world):
    response = client.get(URL, {"product": "1", "goal": "1.1.1"})
    html = response.content.decode()
    expected = live_entries().filter(budget_lines__product__in=below("1"), goals__code="1.1.1").distinct()
    assert codes(html) == sorted(entry.code for entry in expected) and expected
    # Counts of the product facet under a goal selection: only that goal's entries count.
    counts = facet_counts(html)["product"]
    assert counts["1.1.1.01"] == expected.filter(budget_lines__product__key="1.1.1.01").count()
    assert "Haushaltsprodukt: 1 Zentrale Verwaltung" in BeautifulSoup(html, "html.parser").select_one(
        ".chips"
    ).get_text(" ")


def test_unknown_budget_facet_values_are_dropped_with_a_note(client, world):
    response = client.get(URL, {"product": ["9.9", "<b>x</b>"], "budget_year": "1800"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Den Wert „9.9“ für „Haushaltsprodukt“ gibt es nicht" in html
    assert "Den Wert „1800“ für „Haushaltsjahr“ gibt es nicht" in html
    assert "<b>x</b>" not in html
    assert len(codes(html)) == min(live_entries().count(), 20)


def test_new_budget_line_shows_in_the_facets_at_once(client, world):
    assert "5.6.1.01" in facet_counts(client.get(URL).content.decode())["product"]
    before = facet_counts(client.get(URL).content.decode())["product"].get("1.1.1.02", 0)
    line(world.data["entries"][5], world.products.b, [(2026, Decimal("100.00"), None)])
    after = facet_counts(client.get(URL).content.decode())
    assert after["product"]["1.1.1.02"] == before + 1
    assert after["budget_year"]["2026"] == 1
