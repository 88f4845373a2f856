"""A small product budget over the public catalogue's test data: a product tree, figures, key figures, links."""

from decimal import Decimal
from types import SimpleNamespace

from budget.models import (
    BudgetFigure,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureValue,
    ProjectBudget,
    ProjectBudgetAmount,
    SubBudget,
)
from tests.catalogue_public_data import build, catalogue_page
from tests.factories.catalogue import ProjectFactory, german

YEARS = (2023, 2024, 2025)


def product(key, name, parent=None, sub_budget=None, department=None):
    node = BudgetProduct(
        key=key, name=name, parent=parent, sub_budget=sub_budget, department=department, locale=german()
    )
    node.full_clean()
    node.save()
    return node


def figures(node, base):
    """Three years: plan in every year, actual in the first two."""
    for offset, year in enumerate(YEARS):
        BudgetFigure.objects.create(
            product=node,
            year=year,
            expense_planned=Decimal(base + 1000 * offset),
            expense_actual=Decimal(base + 900 * offset) if year < YEARS[-1] else None,
            income_planned=Decimal(base // 10),
            investment_planned=Decimal(base // 2) if offset else None,
        )


def line(entry, node, amounts, investment_number=""):
    budget = ProjectBudget(project=entry, product=node, investment_number=investment_number)
    for year, planned, actual in amounts:
        budget.amounts.add(ProjectBudgetAmount(year=year, planned=planned, actual=actual))
    budget.save()
    return budget


def build_budget(count=12):
    """The catalogue test data (`count` entries) and a budget over it."""
    data = build(count)
    page = catalogue_page()
    de = german()
    central = SubBudget.objects.create(code="1", name="Zentrale Dienste", order=1, locale=de)
    building = SubBudget.objects.create(code="2", name="Bauen und Umwelt", order=2, locale=de)
    dep_a, dep_b = data["departments"][0], data["departments"][1]
    area_1 = product("1", "Zentrale Verwaltung", sub_budget=central)
    group_11 = product("1.1", "Innere Verwaltung", area_1, central)
    product_a = product("1.1.1.01", "Wirtschaftsförderung", group_11, central, dep_a)
    product_b = product("1.1.1.02", "Digitale Dienste", group_11, central, dep_b)
    area_5 = product("5", "Gestaltung der Umwelt", sub_budget=building)
    group_56 = product("5.6", "Verkehrsflächen", area_5, building)
    product_c = product("5.6.1.01", "Kreisstraßen", group_56, building, dep_b)
    figures(product_a, 100_000)
    figures(product_b, 40_000)
    figures(product_c, 250_000)
    key_figure = KeyFigure.objects.create(
        product=product_a, name="Beratene Betriebe", unit="Anzahl", direction="higher", locale=de
    )
    KeyFigureValue.objects.create(key_figure=key_figure, year=2023, planned=Decimal(120), actual=Decimal(131))
    KeyFigureValue.objects.create(key_figure=key_figure, year=2024, planned=Decimal(140), actual=Decimal(128))
    KeyFigureValue.objects.create(key_figure=key_figure, year=2025, planned=Decimal(150))
    waiting = KeyFigure.objects.create(
        product=product_c, name="Sanierte Straßenkilometer", unit="km", direction="higher", locale=de
    )
    goal_11, goal_111, goal_21 = data["goals"][0], data["goals"][1], data["goals"][2]
    links = [
        GoalProductLink.objects.create(goal=goal_11, product=product_a, weight=60),
        GoalProductLink.objects.create(goal=goal_111, product=group_11, weight=20),
        GoalProductLink.objects.create(goal=goal_21, product=product_c, weight=50),
    ]
    entries = data["entries"]
    lines = [
        line(
            entries[0],
            product_a,
            [(2023, Decimal("10000.00"), Decimal("9500.00")), (2024, Decimal("5000.00"), None)],
            "I-2023-001",
        ),
        line(entries[1], product_a, [(2024, Decimal("7000.00"), Decimal("7100.00"))]),
        line(entries[2], product_c, [(2025, Decimal("80000.00"), None)], "I-2025-007"),
    ]
    return SimpleNamespace(
        data=data,
        page=page,
        sub_budgets=(central, building),
        products=SimpleNamespace(
            area_1=area_1, group_11=group_11, a=product_a, b=product_b, area_5=area_5, group_56=group_56, c=product_c
        ),
        key_figure=key_figure,
        waiting_key_figure=waiting,
        links=links,
        lines=lines,
        goals=SimpleNamespace(g11=goal_11, g111=goal_111, g21=goal_21),
    )


def grow(world, count):
    """`count` more products in group 1.1, each with figures, a key figure, a 10 % link to goal 1.1.1 and an entry."""
    central = world.sub_budgets[0]
    department = world.data["departments"][0]
    start = BudgetProduct.objects.filter(key__startswith="1.1.2.").count()
    for number in range(start + 1, start + count + 1):
        node = product(
            f"1.1.2.{number:02d}", f"Weiteres Produkt {number}", world.products.group_11, central, department
        )
        figures(node, 1_000 * number)
        key_figure = KeyFigure.objects.create(product=node, name=f"Fälle {number}", unit="Anzahl", locale=german())
        KeyFigureValue.objects.create(key_figure=key_figure, year=YEARS[0], planned=Decimal(number))
        GoalProductLink.objects.create(goal=world.goals.g111, product=node, weight=10)
        entry = ProjectFactory(
            code=f"1.1.1.9{number:02d}", lead_department=department, goals=[world.goals.g111], cost_estimate=1000
        )
        line(entry, node, [(YEARS[1], Decimal(1000), Decimal(900))], f"I-{number}")
