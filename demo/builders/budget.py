"""The demo county's product budget: the product tree in six Teilhaushalte, three budget years, key figures, links.

Texts and figures come from `demo/data/budget.yaml`. Every object is looked up by its natural
key before it is created, so running it twice changes nothing. The first two budget years are
closed (plan and actual), the current one is planned; one key-figure report waits for approval.
"""

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
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
    SubBudget,
)
from budget.roles import setup_budget_roles
from catalogue.models import Department, Goal, Project
from demo.data import parse_yaml
from demo.translation import translate

DATA = Path(__file__).resolve().parent.parent / "data" / "budget.yaml"
# How the actual amounts of the two closed years land against their plan, per product (percent).
SPENT = [(97, 101), (102, 95), (99, 98), (94, 103)]
PLAN_GROWTH = [Decimal("1.00"), Decimal("1.03"), Decimal("1.06")]
CENT = Decimal("0.01")
REPORTING_USER = "fb-umwelt"


def budget_years() -> list[int]:
    """Two closed years and the current one."""
    year = timezone.localdate().year
    return [year - 2, year - 1, year]


def _data() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        return parse_yaml(handle)


def _departments(locale: Locale) -> dict[str, Department]:
    return {department.short_name: department for department in Department.objects.filter(locale=locale)}


def _translated(instance, english: Locale, strings: dict[str, str]):
    if not instance.has_translation(english):
        translate(instance, english, strings)


def build_tree(data, german, english, departments):
    sub_budgets = {}
    for item in data["sub_budgets"]:
        sub_budget = SubBudget.objects.filter(code=item["code"], locale=german).first()
        if sub_budget is None:
            sub_budget = SubBudget.objects.create(
                code=item["code"],
                name=item["de"],
                order=int(item["code"]),
                department=departments.get(item["department"]),
                locale=german,
            )
        _translated(sub_budget, english, {item["de"]: item["en"]})
        sub_budgets[item["code"]] = sub_budget
    products: dict[str, BudgetProduct] = {}
    nodes = [*data["groups"], *data["products"]]
    for item in sorted(nodes, key=lambda node: [int(part) for part in node["key"].split(".")]):
        product = BudgetProduct.objects.filter(key=item["key"], locale=german).first()
        if product is None:
            parts = item["key"].split(".")
            parent = next(
                (products[key] for end in range(len(parts) - 1, 0, -1) if (key := ".".join(parts[:end])) in products),
                None,
            )
            product = BudgetProduct(
                key=item["key"],
                name=item["de"],
                parent=parent,
                sub_budget=sub_budgets.get(item.get("sub_budget")),
                department=departments.get(item.get("department", "")),
                locale=german,
            )
            product.full_clean()
            product.save()
        _translated(product, english, {item["de"]: item["en"]})
        products[item["key"]] = product
    return products


def build_figures(data, products):
    years = budget_years()
    for index, item in enumerate(data["products"]):
        product = products[item["key"]]
        spent = SPENT[index % len(SPENT)]
        for position, year in enumerate(years):
            if BudgetFigure.objects.filter(product=product, year=year).exists():
                continue
            growth = PLAN_GROWTH[position]
            closed = position < len(spent)
            values: dict[str, Decimal | None] = {}
            for field, base in (
                ("expense", item["expense"]),
                ("income", item["income"]),
                ("investment", item["investment"]),
            ):
                planned = (Decimal(base) * growth).quantize(CENT)
                values[f"{field}_planned"] = planned
                values[f"{field}_actual"] = (planned * spent[position] / 100).quantize(CENT) if closed else None
            BudgetFigure.objects.create(product=product, year=year, **values)


def build_key_figures(data, products, german, english):
    years = budget_years()
    figures = {}
    for order, item in enumerate(data["key_figures"]):
        product = products[item["product"]]
        key_figure = KeyFigure.objects.filter(product=product, name=item["de"], locale=german).first()
        if key_figure is None:
            key_figure = KeyFigure.objects.create(
                product=product,
                name=item["de"],
                unit=item["unit"],
                direction=item["direction"],
                order=order,
                locale=german,
            )
        strings = {item["de"]: item["en"]}
        if item["unit"] != item["unit_en"]:
            strings[item["unit"]] = item["unit_en"]
        _translated(key_figure, english, strings)
        figures[item["de"]] = key_figure
        for position, year in enumerate(years):
            planned = Decimal(str(item["plan"])) + Decimal(str(item["step"])) * position
            actual = None
            if position < len(item["actual"]):
                actual = (planned * (100 + item["actual"][position]) / 100).quantize(Decimal("0.1"))
            KeyFigureValue.objects.get_or_create(
                key_figure=key_figure, year=year, defaults={"planned": planned, "actual": actual}
            )
    return figures


def build_links(data, products, german):
    goals = {goal.code: goal for goal in Goal.objects.filter(locale=german)}
    for item in data["goal_links"]:
        link = GoalProductLink.objects.filter(goal=goals[item["goal"]], product=products[item["product"]]).first()
        if link is None:
            link = GoalProductLink(goal=goals[item["goal"]], product=products[item["product"]], weight=item["weight"])
            link.full_clean()
            link.save()
    years = budget_years()
    entries = {entry.code: entry for entry in Project.objects.filter(locale=german)}
    for item in data["entry_budgets"]:
        entry = entries.get(item["entry"])
        if entry is None or ProjectBudget.objects.filter(project=entry, product=products[item["product"]]).exists():
            continue
        line = ProjectBudget(project=entry, product=products[item["product"]], investment_number=item["investment"])
        cost = entry.cost_estimate or Decimal(0)
        for position, year in enumerate(years):
            share = item["split"][position]
            if not share:
                continue
            planned = (cost * share / 100).quantize(CENT)
            actual = None
            if position < len(item["spent"]) and item["spent"][position]:
                actual = (planned * item["spent"][position] / 100).quantize(CENT)
            line.amounts.add(ProjectBudgetAmount(year=year, planned=planned, actual=actual))
        line.full_clean()
        line.save()


def ensure_pending_report(data, figures):
    """The environment department has reported this year's CO₂ emissions; the coordination has yet to approve."""
    user = get_user_model().objects.filter(username=REPORTING_USER).first()
    pending = data["pending_report"]
    key_figure = figures.get(pending["key_figure"])
    if user is None or key_figure is None:
        return None
    year = budget_years()[-1]
    if KeyFigureReport.objects.filter(product=key_figure.product, year=year).exists():
        return None
    report = KeyFigureReport(
        product=key_figure.product,
        year=year,
        text=pending["text"],
        author=user,
        live=False,
    )
    report.values.add(KeyFigureReportValue(key_figure=key_figure, actual=Decimal(str(pending["actual"]))))
    report.save()
    revision = report.save_revision(user=user, log_action=True)
    workflow = report.get_workflow()
    if workflow is not None:
        workflow.start(report, user)
    return revision


@transaction.atomic
def build_budget(stdout=None):
    german = Locale.objects.get(language_code="de")
    english = Locale.objects.get(language_code="en")
    data = _data()
    departments = _departments(german)
    products = build_tree(data, german, english, departments)
    build_figures(data, products)
    figures = build_key_figures(data, products, german, english)
    build_links(data, products, german)
    setup_budget_roles()
    ensure_pending_report(data, figures)
    if stdout is not None:
        stdout.write(
            f"Budget: {len(data['products'])} products in {len(data['sub_budgets'])} Teilhaushalte, "
            f"years {', '.join(str(year) for year in budget_years())}, {len(data['key_figures'])} key figures."
        )
