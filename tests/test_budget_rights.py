"""Who may change what in the budget, through the real admin URLs.

Departments report the actual values of their own products' key figures, and those values wait
for the coordination's approval (the status reports' workflow); amounts, products, links and
planned values are the coordination's.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import Revision, WorkflowState

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
)
from budget.permissions import report_policy
from budget.roles import setup_budget_roles
from tests.catalogue_roles import build_world
from tests.factories.catalogue import german
from tests.test_catalogue_admin import inline

pytestmark = pytest.mark.django_db

REPORTS = "wagtailsnippets_budget_keyfigurereport"


@pytest.fixture
def world(site):
    world = build_world()
    assert setup_budget_roles() == world.workflow
    de = german()
    world.product_a = BudgetProduct.objects.create(
        key="5.6.1.01", name="Klimaschutz", department=world.dep_a, locale=de
    )
    world.product_b = BudgetProduct.objects.create(
        key="5.4.1.01", name="Kreisstraßen", department=world.dep_b, locale=de
    )
    world.figure_a = KeyFigure.objects.create(
        product=world.product_a, name="CO₂", unit="t", direction="lower", locale=de
    )
    world.figure_b = KeyFigure.objects.create(product=world.product_b, name="Sanierte km", unit="km", locale=de)
    KeyFigureValue.objects.create(key_figure=world.figure_a, year=2025, planned=Decimal(4500))
    world.amounts = BudgetFigure.objects.create(product=world.product_a, year=2025, expense_planned=Decimal(1000))
    return world


def url(name, *args, urls=REPORTS):
    return reverse(f"{urls}:{name}", args=args)


def assert_refused(response):
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def report_data(product, values, **extra):
    return {
        "product": str(product.pk),
        "year": "2025",
        "text": "Vorläufig",
        **inline("values", [{"key_figure": str(figure.pk), "actual": value} for figure, value in values]),
        **extra,
    }


def submitted_report(client, user, product, figure, value="4390"):
    client.force_login(user)
    response = client.post(url("add"), report_data(product, [(figure, value)], **{"action-submit": "1"}), follow=True)
    assert response.redirect_chain and response.status_code == 200
    return KeyFigureReport.objects.get(product=product)


def workflow_action(client, report, action):
    state = WorkflowState.objects.get(
        base_content_type__model="keyfigurereport", object_id=str(report.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    return client.post(url("workflow_action", report.pk, action, state.current_task_state.pk), {"comment": ""})


def test_department_reports_its_products_value_and_it_counts_after_approval(client, world):
    report = submitted_report(client, world.editor_a, world.product_a, world.figure_a)
    assert not report.live and report.author == world.editor_a
    assert report.workflow_in_progress
    assert KeyFigureValue.objects.get(key_figure=world.figure_a, year=2025).actual is None
    # The department cannot approve its own report.
    assert_refused(workflow_action(client, report, "approve"))
    assert KeyFigureValue.objects.get(key_figure=world.figure_a, year=2025).actual is None

    client.force_login(world.coordinator)
    assert workflow_action(client, report, "approve").status_code in (200, 302)
    report.refresh_from_db()
    assert report.live and not report.workflow_in_progress
    assert KeyFigureValue.objects.get(key_figure=world.figure_a, year=2025).actual == Decimal("4390")


def test_department_cannot_report_for_another_departments_product(client, world):
    client.force_login(world.editor_a)
    form = client.get(url("add")).content.decode()
    assert "5.6.1.01 Klimaschutz" in form and "5.4.1.01 Kreisstraßen" not in form
    response = client.post(url("add"), report_data(world.product_b, [(world.figure_b, "3")], **{"action-submit": "1"}))
    assert response.status_code == 200
    assert "Sie können nur für Produkte berichten" in response.content.decode()
    # Nor smuggle another department's key figure into a report on its own product.
    response = client.post(url("add"), report_data(world.product_a, [(world.figure_b, "3")]))
    assert response.status_code == 200 and "Diese Kennzahl gehört nicht zu Ihren Produkten" in response.content.decode()
    assert not KeyFigureReport.objects.exists() and not KeyFigureReportValue.objects.exists()


def state(report):
    row = KeyFigureReport.objects.get(pk=report.pk)
    return (
        row.live,
        row.locked,
        row.latest_revision_id,
        row.text,
        list(row.values.values_list("actual", flat=True)),
        Revision.objects.filter(object_id=str(report.pk), base_content_type__model="keyfigurereport").count(),
    )


def test_department_cannot_touch_another_departments_report(client, world):
    report = submitted_report(client, world.editor_b, world.product_b, world.figure_b, "7")
    before = state(report)
    client.force_login(world.editor_a)
    assert_refused(client.get(url("edit", report.pk)))
    changed = report_data(world.product_b, [(world.figure_b, "9")], text="Fremd")
    assert_refused(client.post(url("edit", report.pk), changed))
    assert_refused(client.post(url("delete", report.pk)))
    assert_refused(client.post(url("lock", report.pk)))
    assert_refused(client.get(url("history", report.pk)))
    assert_refused(workflow_action(client, report, "approve"))
    assert state(report) == before
    # Every report stays visible in the listing, but another department's has no edit link.
    listing = client.get(url("list")).content.decode()
    assert "5.4.1.01" in listing and url("edit", report.pk) not in listing
    client.force_login(world.editor_b)
    assert url("edit", report.pk) in client.get(url("list")).content.decode()


def test_coordination_may_act_on_every_report(client, world):
    report = submitted_report(client, world.editor_b, world.product_b, world.figure_b, "7")
    client.force_login(world.coordinator)
    assert client.get(url("edit", report.pk)).status_code == 200
    # Fresh user rows: Django caches permissions on the instance, and the roles changed since.
    coordinator, editor_a, editor_b = (fresh(user) for user in (world.coordinator, world.editor_a, world.editor_b))
    assert report_policy.user_has_permission_for_instance(coordinator, "delete", report)
    assert not report_policy.user_has_permission_for_instance(editor_a, "change", report)
    assert report_policy.user_has_permission_for_instance(editor_b, "change", report)
    assert not report_policy.user_has_permission_for_instance(editor_b, "delete", report)
    assert list(report_policy.instances_user_has_permission_for(editor_a, "change")) == []
    assert list(report_policy.instances_user_has_permission_for(editor_b, "change")) == [report]
    users = {user.username for user in report_policy.users_with_any_permission_for_instance(["change"], report)}
    assert users == {"admin", "editor-b", "koordination"}


def fresh(user):
    return type(user).objects.get(pk=user.pk)


AMOUNT_URLS = {
    "budgetfigure": "wagtailsnippets_budget_budgetfigure",
    "keyfigurevalue": "wagtailsnippets_budget_keyfigurevalue",
    "projectbudget": "wagtailsnippets_budget_projectbudget",
    "goalproductlink": "wagtailsnippets_budget_goalproductlink",
    "budgetproduct": "wagtailsnippets_budget_budgetproduct",
}


def test_amounts_products_and_links_are_the_coordinations(client, world):
    client.force_login(world.editor_a)
    for urls in AMOUNT_URLS.values():
        assert_refused(client.get(url("add", urls=urls)))
    figure_urls = AMOUNT_URLS["budgetfigure"]
    assert_refused(client.get(url("edit", world.amounts.pk, urls=figure_urls)))
    data = {"product": str(world.product_a.pk), "year": "2025", "expense_planned": "999999"}
    assert_refused(client.post(url("edit", world.amounts.pk, urls=figure_urls), data))
    assert BudgetFigure.objects.get(pk=world.amounts.pk).expense_planned == Decimal(1000)
    value = KeyFigureValue.objects.get(key_figure=world.figure_a)
    data = {"key_figure": str(world.figure_a.pk), "year": "2025", "planned": "1", "actual": "1"}
    assert_refused(client.post(url("edit", value.pk, urls=AMOUNT_URLS["keyfigurevalue"]), data))
    assert KeyFigureValue.objects.get(pk=value.pk).actual is None
    assert client.get(url("list", urls=figure_urls)).status_code == 200  # viewing is allowed

    client.force_login(world.coordinator)
    response = client.post(
        url("edit", world.amounts.pk, urls=figure_urls),
        data | {"product": str(world.product_a.pk), "expense_planned": "1200"},
    )
    assert response.status_code == 302
    assert BudgetFigure.objects.get(pk=world.amounts.pk).expense_planned == Decimal(1200)


def test_reviewer_reads_and_changes_nothing(client, world):
    client.force_login(world.reviewer)
    assert client.get(url("list")).status_code == 200
    assert_refused(client.get(url("add")))
    assert_refused(client.get(url("add", urls=AMOUNT_URLS["budgetfigure"])))


def test_admin_warns_where_an_entrys_amounts_miss_its_cost(client, world):
    entry = world.entry_a
    entry.cost_estimate = Decimal("10000")
    entry.save()
    client.force_login(world.coordinator)
    urls = AMOUNT_URLS["projectbudget"]
    data = {
        "project": str(entry.pk),
        "product": str(world.product_a.pk),
        "investment_number": "I-2025-001",
        **inline(
            "amounts",
            [{"year": "2025", "planned": "6000", "actual": ""}, {"year": "2026", "planned": "3000", "actual": ""}],
        ),
    }
    response = client.post(url("add", urls=urls), data, follow=True)
    html = response.content.decode()
    assert "9.000 €" in html and "10.000 €" in html and "Abweichung -1.000 €" in html
    line = ProjectBudget.objects.get(project=entry)
    assert sorted(line.amounts.values_list("year", "planned")) == [(2025, Decimal(6000)), (2026, Decimal(3000))]
    listing = client.get(url("list", urls=urls)).content.decode()
    assert "weicht ab: 9.000 € statt 10.000 €" in listing
    # Opening the editor warns too; once the amounts add up, the warning is gone.
    assert "Abweichung" in client.get(url("edit", line.pk, urls=urls)).content.decode()
    ProjectBudgetAmount.objects.filter(line=line, year=2026).update(planned=Decimal(4000))
    assert "Abweichung" not in client.get(url("edit", line.pk, urls=urls)).content.decode()
    assert "Summe passt" in client.get(url("list", urls=urls)).content.decode()


def test_a_share_over_100_percent_is_refused_in_the_admin(client, world):
    client.force_login(world.coordinator)
    urls = AMOUNT_URLS["goalproductlink"]
    GoalProductLink.objects.create(goal=world.goal, product=world.product_a, weight=70)
    other = type(world.goal).objects.create(area=world.goal.area, code="9.99", title="Noch ein Ziel", locale=german())
    response = client.post(
        url("add", urls=urls), {"goal": str(other.pk), "product": str(world.product_a.pk), "weight": "40"}
    )
    assert response.status_code == 200 and "110 %" in response.content.decode()
    assert GoalProductLink.objects.count() == 1


def test_every_budget_admin_view_opens_for_the_coordination(client, world):
    report = submitted_report(client, world.editor_a, world.product_a, world.figure_a)
    client.force_login(world.coordinator)
    for model in ("subbudget", "budgetproduct", "budgetfigure", "keyfigure", "keyfigurevalue", "goalproductlink"):
        urls = f"wagtailsnippets_budget_{model}"
        assert client.get(url("list", urls=urls)).status_code == 200, model
        assert client.get(url("add", urls=urls)).status_code == 200, model
    assert client.get(url("list", urls=AMOUNT_URLS["projectbudget"])).status_code == 200
    assert client.get(url("edit", world.product_a.pk, urls=AMOUNT_URLS["budgetproduct"])).status_code == 200
    assert client.get(url("edit", report.pk)).status_code == 200
    assert client.get(url("history", report.pk)).status_code == 200
    assert client.get(reverse("budget_import")).status_code == 200
