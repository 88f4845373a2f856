"""The demo budget: a product tree in six Teilhaushalte, three years, key figures, links, a report waiting."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType

from budget.models import (
    BudgetFigure,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureReport,
    KeyFigureValue,
    ProjectBudget,
    SubBudget,
)
from demo.builders.budget import budget_years, build_budget

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (SubBudget, BudgetProduct, BudgetFigure, KeyFigure, KeyFigureValue, GoalProductLink, ProjectBudget)
    ]


def test_demo_budget_is_complete_translated_and_idempotent(demo):
    products = BudgetProduct.objects.filter(locale__language_code="de", sub_budget__isnull=False)
    assert SubBudget.objects.filter(locale__language_code="de").count() == 6
    assert 28 <= products.count() <= 32
    assert set(products.values_list("sub_budget__code", flat=True)) == {"1", "2", "3", "4", "5", "6"}
    years = budget_years()
    figures = BudgetFigure.objects.filter(product__in=products)
    assert sorted(set(figures.values_list("year", flat=True))) == years
    # Two closed years with actual figures, the current one planned only.
    assert not figures.filter(year__in=years[:2], expense_actual__isnull=True).exists()
    assert not figures.filter(year=years[2], expense_actual__isnull=False).exists()
    assert KeyFigureValue.objects.filter(year=years[0], actual__isnull=False).count() >= 15
    assert GoalProductLink.objects.count() >= 25 and ProjectBudget.objects.count() >= 12
    english = BudgetProduct.objects.get(key="5.4.1.03", locale__language_code="en")
    assert english.name == "Public transport"
    waiting = KeyFigureReport.objects.get()
    assert waiting.workflow_in_progress and not waiting.live
    assert WorkflowContentType.objects.get(content_type=ContentType.objects.get_for_model(KeyFigureReport))
    before = counts()
    build_budget()
    assert counts() == before and KeyFigureReport.objects.count() == 1


def test_demo_goal_page_shows_its_budget(client, demo):
    html = client.get("/projektkatalog/ziel/4-2/").content.decode()
    assert "Im Haushalt" in html and "5.4.1.03 Öffentlicher Personennahverkehr" in html
    assert "Rufbus" in html and "Fahrgäste im Busverkehr" in html
    english = client.get("/en/projektkatalog/ziel/4-2/").content.decode()
    assert "5.4.1.03 Public transport" in english
