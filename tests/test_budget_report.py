"""The yearly report „Ziele und Kennzahlen <Jahr>“ per Teilhaushalt: page, PDF, XLSX, against the rows."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.models import Locale

from budget.models import BudgetFigure, BudgetProduct, GoalProductLink, KeyFigureValue, ProjectBudgetAmount, SubBudget
from cms.cache import bump_data_version
from tests.budget_data import YEARS, build_budget, grow
from tests.factories.catalogue import german

pytestmark = pytest.mark.django_db

YEAR = YEARS[1]
REPORT = f"/haushalt/{YEAR}/1/"


@pytest.fixture
def world(site):
    return build_budget(8)


def euros(value):
    return "–" if value is None else f"{value:,.0f} €".replace(",", ".")


def products_in(code):
    return sorted(
        BudgetProduct.objects.filter(sub_budget__code=code, locale=german()),
        key=lambda product: [int(part) for part in product.key.split(".")],
    )


def test_index_links_every_teilhaushalt_and_year(client, world):
    html = client.get("/haushalt/").content.decode()
    for sub_budget in SubBudget.objects.all():
        for year in YEARS:
            assert f'href="/haushalt/{year}/{sub_budget.code}/"' in html
    assert "1 Zentrale Dienste" in html and "2 Bauen und Umwelt" in html


def test_report_page_holds_every_product_with_goals_key_figures_and_measures(client, world):
    response = client.get(REPORT)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(" ", strip=True) == f"Ziele und Kennzahlen {YEAR} Teilhaushalt 1 Zentrale Dienste"
    sections = soup.select("section.budget-report__product")
    assert [section.h2.get_text(" ", strip=True).split(" (")[0] for section in sections] == [
        f"{product.key} {product.name}" for product in products_in("1")
    ]
    product_a = next(section for section in sections if section.h2.get_text().startswith("1.1.1.01 "))
    text = product_a.get_text(" ", strip=True)
    figure = BudgetFigure.objects.get(product=world.products.a, year=YEAR)
    assert f"Aufwand {euros(figure.expense_planned)} {euros(figure.expense_actual)}" in text
    for link in GoalProductLink.objects.filter(product=world.products.a):
        assert f"{link.goal.code} {link.goal.title} (Anteil {link.weight} %)" in text
    value = KeyFigureValue.objects.get(key_figure=world.key_figure, year=YEAR)
    assert f"Beratene Betriebe (Anzahl; höher ist besser) {value.planned:.0f} {value.actual:.0f} nein" in text
    for amount in ProjectBudgetAmount.objects.filter(line__product=world.products.a, year=YEAR):
        entry = amount.line.project
        status = entry.status.name if entry.status else "–"
        number = amount.line.investment_number or "–"
        assert f"{entry.code} {entry.title} {status} {number} {euros(amount.planned)} {euros(amount.actual)}" in text
    # The other years' amounts of the same entries stay out.
    measures = product_a.find("caption", string=re.compile("Maßnahmen aus")).parent.select("tbody tr")
    assert len(measures) == ProjectBudgetAmount.objects.filter(line__product=world.products.a, year=YEAR).count() == 2
    totals = soup.find("caption", string=re.compile("Beträge aller Produkte")).parent.get_text(" ", strip=True)
    expense = sum(f.expense_planned for f in BudgetFigure.objects.filter(product__sub_budget__code="1", year=YEAR))
    assert f"Aufwand {euros(expense)}" in totals


def test_report_links_downloads_years_and_goal_pages(client, world):
    html = client.get(REPORT).content.decode()
    assert f'href="/haushalt/{YEAR}/1/ziele-und-kennzahlen.pdf"' in html
    assert f'href="/haushalt/{YEAR}/1/ziele-und-kennzahlen.xlsx"' in html
    assert f'href="/haushalt/{YEARS[0]}/1/"' in html
    assert 'href="/projektkatalog/ziel/1-1/"' in html


def test_xlsx_holds_the_same_rows(client, world):
    response = client.get(f"{REPORT}ziele-und-kennzahlen.xlsx")
    assert response.status_code == 200
    assert f'filename="ziele-und-kennzahlen-{YEAR}-teilhaushalt-1.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Produkte", "Ziele", "Kennzahlen", "Maßnahmen", "Lizenz"]
    products = list(workbook["Produkte"].iter_rows(values_only=True))
    assert products[0][:5] == ("Produktnummer", "Bezeichnung", "Ebene", "Verantwortlich", "Aufwand Plan")
    assert [row[0] for row in products[1:]] == [product.key for product in products_in("1")]
    row_a = next(row for row in products[1:] if row[0] == "1.1.1.01")
    figure = BudgetFigure.objects.get(product=world.products.a, year=YEAR)
    assert (row_a[4], row_a[5]) == (float(figure.expense_planned), float(figure.expense_actual))
    goals = list(workbook["Ziele"].iter_rows(values_only=True))[1:]
    assert ("1.1.1.01", "1.1", world.goals.g11.title, 60) in goals
    measures = list(workbook["Maßnahmen"].iter_rows(values_only=True))[1:]
    expected = ProjectBudgetAmount.objects.filter(line__product__sub_budget__code="1", year=YEAR).count()
    assert len(measures) == expected and all(row[0] == "1.1.1.01" for row in measures)


def test_pdf_is_the_report(client, world):
    response = client.get(f"{REPORT}ziele-und-kennzahlen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Ziele und Kennzahlen {YEAR}" in text
    assert "1.1.1.01 Wirtschaftsförderung" in text and "Beratene Betriebe" in text
    assert "Seite 1 von" in text


@pytest.mark.parametrize("path", [f"/haushalt/{YEAR}/9/", "/haushalt/1999/1/", "/haushalt/2099/1/"])
def test_unknown_teilhaushalt_or_year_is_not_found(client, world, path):
    assert client.get(path).status_code == 404
    assert client.get(f"{path}ziele-und-kennzahlen.pdf").status_code == 404
    assert client.get(f"{path}ziele-und-kennzahlen.xlsx").status_code == 404


def test_english_report_takes_the_translated_names(client, world, settings):
    english = Locale.objects.get_or_create(language_code="en")[0]
    SubBudget.objects.create(
        code="1", name="Central services", translation_key=world.sub_budgets[0].translation_key, locale=english
    )
    BudgetProduct.objects.create(
        key="1.1.1.01", name="Business development", translation_key=world.products.a.translation_key, locale=english
    )
    html = client.get(f"/en{REPORT}").content.decode()
    assert "1 Central services" in html and "1.1.1.01 Business development" in html
    assert "1.1.1.02 Digitale Dienste" in html


def _cold(client, url):
    bump_data_version()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_report_costs_at_most_20_queries_however_many_products(client, world):
    client.get(REPORT)
    before = _cold(client, REPORT)
    assert before <= 20
    grow(world, 25)
    html = client.get(REPORT).content.decode()
    assert html.count('class="budget-report__product"') == len(products_in("1")) == 4 + 25
    assert _cold(client, REPORT) == before
