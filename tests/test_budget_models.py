"""The budget's model rules: the product tree, goal shares that never attribute a euro twice, sums against costs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from wagtail.models import Locale

from budget.models import (
    BudgetFigure,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureReport,
    KeyFigureReportValue,
    KeyFigureValue,
    ProjectBudget,
    ProjectBudgetAmount,
    cost_check,
)
from tests.budget_data import build_budget
from tests.conftest import module_data
from tests.factories.catalogue import GoalFactory, german

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german_messages():
    """Labels and messages speak the active language; a request to an English page earlier may have left English on."""
    with translation.override("de"):
        yield


def _build_world(site):
    return build_budget(6)


_module_data, world = module_data(_build_world)


def link(goal, node, weight):
    item = GoalProductLink(goal=goal, product=node, weight=weight)
    item.full_clean()
    item.save()
    return item


def test_product_tree_levels_follow_the_parents_and_move_with_them(world):
    products = world.products
    assert [products.area_1.depth, products.group_11.depth, products.a.depth] == [1, 2, 3]
    assert [products.area_1.level_name, products.group_11.level_name, products.a.level_name] == [
        "Produktbereich",
        "Produktgruppe",
        "Produkt",
    ]
    # Moving a group under another area keeps every level below it right.
    products.group_56.parent = None
    products.group_56.save()
    products.c.refresh_from_db()
    assert (products.group_56.depth, products.c.depth) == (1, 2)


def test_product_key_must_continue_the_parents_key(world):
    wrong = BudgetProduct(key="2.1.1.01", name="Falsch eingehängt", parent=world.products.group_11, locale=german())
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "1.1" in str(error.value.message_dict["key"])
    assert not BudgetProduct.objects.filter(key="2.1.1.01").exists()


def test_product_cannot_hang_below_itself(world):
    area = world.products.area_1
    area.parent = world.products.a
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert "parent" in error.value.message_dict


def test_product_parent_is_the_source_languages_node(world):
    english = Locale.objects.get_or_create(language_code="en")[0]
    stray = BudgetProduct.objects.create(key="7", name="Fremd", locale=english)
    child = BudgetProduct(key="7.1", name="Kind", parent=stray, locale=german())
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "parent" in error.value.message_dict


def test_shares_of_one_product_over_all_goals_stay_within_100_percent(world):
    extra_goal = GoalFactory(area=world.goals.g11.area, code="1.9")
    # Product A carries 60 % for goal 1.1 and 20 % through its group for goal 1.1.1: 20 % are left.
    link(extra_goal, world.products.a, 20)
    another = GoalFactory(area=world.goals.g11.area, code="1.8")
    with pytest.raises(ValidationError) as error:
        link(another, world.products.a, 1)
    message = error.value.message_dict["weight"][0]
    assert "1.1.1.01" in message and "101 %" in message
    assert not GoalProductLink.objects.filter(goal=another).exists()


def test_a_share_of_a_group_counts_for_every_product_in_it(world):
    # 1.1.1.01 is at 60 % + 20 % (group); 30 % more on the group (50 % of it, fine for the group
    # itself) would put 1.1.1.01 at 110 %.
    goal = GoalFactory(area=world.goals.g11.area, code="1.7")
    with pytest.raises(ValidationError) as error:
        link(goal, world.products.group_11, 30)
    message = error.value.message_dict["weight"][0]
    assert "1.1.1.01" in message and "110 %" in message
    # 1.1.1.02 holds only the group's 20 %: 80 % more on it alone are fine.
    link(goal, world.products.b, 80)


def test_changing_a_share_counts_the_link_once(world):
    existing = world.links[0]
    existing.weight = 80
    existing.full_clean()
    existing.save()
    existing.weight = 81
    with pytest.raises(ValidationError):
        existing.full_clean()


@pytest.mark.parametrize("weight", [0, 101])
def test_a_share_lies_between_1_and_100_percent(world, weight):
    goal = GoalFactory(area=world.goals.g11.area, code="1.6")
    with pytest.raises(ValidationError):
        link(goal, world.products.b, weight)


def test_links_point_at_source_language_goals(world):
    english = Locale.objects.get_or_create(language_code="en")[0]
    goal = GoalFactory(area=world.goals.g11.area, code="1.5", locale=english)
    with pytest.raises(ValidationError) as error:
        link(goal, world.products.b, 10)
    assert "goal" in error.value.message_dict


def test_cost_check_adds_every_product_and_year_of_the_entry(world):
    entry = world.data["entries"][0]
    check = cost_check(entry)
    assert (check.planned_total, check.actual_total) == (Decimal("15000.00"), Decimal("9500.00"))
    assert check.cost_estimate is None and not check.differs
    entry.cost_estimate = Decimal("20000")
    entry.save()
    line(entry, world.products.b, [(2025, Decimal("5000.00"), None)])
    check = cost_check(entry)
    assert check.planned_total == Decimal("20000.00") and not check.differs
    entry.cost_estimate = Decimal("18000")
    check = cost_check(entry)
    assert check.differs and check.difference == Decimal("2000.00")


def line(entry, node, amounts):
    budget = ProjectBudget(project=entry, product=node)
    for year, planned, actual in amounts:
        budget.amounts.add(ProjectBudgetAmount(year=year, planned=planned, actual=actual))
    budget.save()
    return budget


def test_one_amount_per_year_and_one_line_per_product_and_entry(world):
    existing = world.lines[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectBudgetAmount.objects.create(line=existing, year=2023, planned=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectBudget.objects.create(project=existing.project, product=existing.product)


def test_one_figure_per_product_and_year_and_no_negative_amounts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetFigure.objects.create(product=world.products.a, year=2023)
    figure = BudgetFigure(product=world.products.b, year=2030, expense_planned=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "expense_planned" in error.value.message_dict
    figure = BudgetFigure(product=world.products.b, year=1999)
    with pytest.raises(ValidationError):
        figure.full_clean()


@pytest.mark.parametrize(
    ("direction", "planned", "actual", "met"),
    [
        ("higher", "120", "131", True),
        ("higher", "140", "128", False),
        ("lower", "25", "22", True),
        ("lower", "25", "28", False),
        ("higher", "150", None, None),
    ],
)
def test_key_figure_reaches_its_plan_in_its_direction(world, direction, planned, actual, met):
    key_figure = KeyFigure.objects.create(
        product=world.products.b, name=f"Kennzahl {direction}", unit="Anzahl", direction=direction, locale=german()
    )
    value = KeyFigureValue.objects.create(
        key_figure=key_figure,
        year=2030,
        planned=Decimal(planned),
        actual=Decimal(actual) if actual else None,
    )
    assert value.met is met


def test_an_approved_report_sets_only_its_products_actual_values(world):
    report = KeyFigureReport(product=world.products.c, year=2025, live=False)
    report.values.add(KeyFigureReportValue(key_figure=world.waiting_key_figure, actual=Decimal("3.5")))
    report.values.add(KeyFigureReportValue(key_figure=world.key_figure, actual=Decimal("999")))
    with pytest.raises(ValidationError) as error:
        report.values.all()[1].clean()
    assert "key_figure" in error.value.message_dict
    report.save()
    report.apply()
    report.apply()
    assert KeyFigureValue.objects.get(key_figure=world.waiting_key_figure, year=2025).actual == Decimal("3.5")
    assert not KeyFigureValue.objects.filter(key_figure=world.key_figure, year=2025, actual=Decimal("999")).exists()
    assert KeyFigureValue.objects.filter(key_figure=world.waiting_key_figure).count() == 1
