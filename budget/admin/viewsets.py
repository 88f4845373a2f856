"""The admin menu „Haushalt“: one viewset per budget model, and the key-figure reports departments send for approval."""

from typing import Any

from django.contrib import messages
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from catalogue.admin.viewsets import CatalogueSnippetViewSet
from catalogue.permissions import acts_for_all_departments, department_ids

from ..chart import euros
from ..models import (
    BudgetFigure,
    BudgetProduct,
    GoalProductLink,
    KeyFigure,
    KeyFigureReport,
    KeyFigureValue,
    ProjectBudget,
    ProjectBudgetAmount,
    SubBudget,
)
from ..permissions import ReportObjectPermissionMixin
from .forms import KeyFigureReportForm


def cost_warning(line: ProjectBudget) -> str:
    """The admin's warning where an entry's planned amounts do not add up to its estimated cost; empty otherwise."""
    check = line.cost_check()
    if not check.differs:
        return ""
    return _(
        "Die geplanten Beträge des Eintrags „%(entry)s“ ergeben zusammen %(planned)s, seine geschätzten Kosten "
        "sind %(cost)s (Abweichung %(difference)s). Bitte Beträge oder Kosten prüfen."
    ) % {
        "entry": line.project,
        "planned": euros(check.planned_total),
        "cost": euros(check.cost_estimate),
        "difference": euros(check.difference),
    }


def warn_where_costs_differ(request: HttpRequest, line: ProjectBudget | None) -> None:
    if line is not None and line.pk and (warning := cost_warning(line)):
        messages.warning(request, warning)


class ProjectBudgetCreateView(snippets.CreateView):
    """Saves as usual, then warns where the entry's amounts and its cost differ."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        warn_where_costs_differ(self.request, self.object)
        return response


class ProjectBudgetEditView(snippets.EditView):
    """Warns on opening and after saving where the entry's amounts and its cost differ."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        warn_where_costs_differ(request, self.object)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        warn_where_costs_differ(self.request, self.object)
        return response


class CostColumn(Column):
    """„Summe passt“ or the difference to the entry's cost, from the listing's annotations (no query per row)."""

    def get_value(self, instance: Any) -> str:
        cost, planned = instance.project.cost_estimate, instance.planned_total
        if cost is None:
            return _("keine Kosten angegeben")
        if planned == cost:
            return _("Summe passt")
        return _("weicht ab: %(planned)s statt %(cost)s") % {"planned": euros(planned), "cost": euros(cost)}


class SubBudgetViewSet(CatalogueSnippetViewSet):
    model = SubBudget
    icon = "folder-inverse"
    menu_label = gettext_lazy("Teilhaushalte")
    list_display = ["code", "name", "department", "order"]
    ordering = ["order", "code"]
    search_fields = ["code", "name"]
    search_backend_name = None


class BudgetProductViewSet(CatalogueSnippetViewSet):
    model = BudgetProduct
    icon = "list-ul"
    menu_label = gettext_lazy("Produkte")
    list_display = ["key", "name", "level_name", "sub_budget", "department"]
    list_filter = ["sub_budget", "depth"]
    ordering = ["key"]
    search_fields = ["key", "name"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("parent")]),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("sub_budget"), FieldPanel("department")]),
    ]


class BudgetFigureViewSet(CatalogueSnippetViewSet):
    model = BudgetFigure
    icon = "table"
    menu_label = gettext_lazy("Haushaltszahlen")
    list_display = ["product", "year", "expense_planned", "expense_actual", "investment_planned", "investment_actual"]
    list_filter = ["year"]
    ordering = ["product__key", "year"]
    search_fields = ["product__key", "product__name"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("product"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("expense_planned"), FieldPanel("expense_actual")]),
        FieldRowPanel([FieldPanel("income_planned"), FieldPanel("income_actual")]),
        FieldRowPanel([FieldPanel("investment_planned"), FieldPanel("investment_actual")]),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[BudgetFigure]:
        return BudgetFigure.objects.select_related("product")


class KeyFigureViewSet(CatalogueSnippetViewSet):
    model = KeyFigure
    icon = "pick"
    menu_label = gettext_lazy("Kennzahlen")
    list_display = ["name", "unit", "product", "direction"]
    ordering = ["product__key", "order", "name"]
    search_fields = ["name", "product__key"]
    search_backend_name = None
    panels = [
        FieldPanel("product"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("direction"), FieldPanel("order")]),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[KeyFigure]:
        return KeyFigure.objects.select_related("product")


class KeyFigureValueViewSet(CatalogueSnippetViewSet):
    model = KeyFigureValue
    icon = "table"
    menu_label = gettext_lazy("Kennzahlwerte")
    list_display = ["key_figure", "year", "planned", "actual"]
    list_filter = ["year"]
    ordering = ["key_figure__product__key", "key_figure__name", "year"]
    search_fields = ["key_figure__name", "key_figure__product__key"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("key_figure"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("planned"), FieldPanel("actual")]),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[KeyFigureValue]:
        return KeyFigureValue.objects.select_related("key_figure")


class GoalProductLinkViewSet(CatalogueSnippetViewSet):
    model = GoalProductLink
    icon = "link"
    menu_label = gettext_lazy("Ziele im Haushalt")
    list_display = ["goal", "product", "weight"]
    ordering = ["goal__code", "product__key"]
    search_fields = ["goal__code", "goal__title", "product__key", "product__name"]
    search_backend_name = None
    panels = [FieldPanel("goal"), FieldPanel("product"), FieldPanel("weight"), FieldPanel("note")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[GoalProductLink]:
        return GoalProductLink.objects.select_related("goal", "product")


class ProjectBudgetViewSet(CatalogueSnippetViewSet):
    model = ProjectBudget
    icon = "doc-full"
    menu_label = gettext_lazy("Mittel der Einträge")
    add_view_class = ProjectBudgetCreateView
    edit_view_class = ProjectBudgetEditView
    ordering = ["project__code", "product__key"]
    search_fields = ["project__code", "project__title", "product__key", "investment_number"]
    search_backend_name = None
    panels = [
        FieldPanel("project"),
        FieldRowPanel([FieldPanel("product"), FieldPanel("investment_number")]),
        InlinePanel(
            "amounts",
            panels=[FieldRowPanel([FieldPanel("year"), FieldPanel("planned"), FieldPanel("actual")])],
            label=gettext_lazy("Jahresbetrag"),
            heading=gettext_lazy("Beträge je Haushaltsjahr"),
        ),
    ]

    @cached_property
    def list_display(self) -> list[Any]:
        return [
            "project",
            "product",
            "investment_number",
            CostColumn("cost_check", label=gettext_lazy("Abgleich mit den Gesamtkosten")),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProjectBudget]:
        planned = (
            ProjectBudgetAmount.objects.filter(line__project=OuterRef("project"))
            .values("line__project")
            .annotate(total=Sum("planned"))
            .values("total")
        )
        return ProjectBudget.objects.select_related("project", "product").annotate(
            planned_total=Coalesce(Subquery(planned, output_field=DecimalField()), 0, output_field=DecimalField())
        )


class ReportIndexView(snippets.IndexView):
    """Every report stays visible; edit and delete are offered only for the user's products."""

    def _in_scope(self, instance: KeyFigureReport) -> bool:
        user = self.request.user
        return acts_for_all_departments(user) or instance.product.department_id in department_ids(user)

    def get_edit_url(self, instance: KeyFigureReport) -> str | None:
        return super().get_edit_url(instance) if self._in_scope(instance) else None

    def get_delete_url(self, instance: KeyFigureReport) -> str | None:
        return super().get_delete_url(instance) if self._in_scope(instance) else None


class ReportEditView(ReportObjectPermissionMixin, snippets.EditView):
    pass


class ReportDeleteView(ReportObjectPermissionMixin, snippets.DeleteView):
    pass


class ReportUnpublishView(ReportObjectPermissionMixin, snippets.UnpublishView):
    pass


class ReportLockView(ReportObjectPermissionMixin, snippets.LockView):
    pass


class ReportUnlockView(ReportObjectPermissionMixin, snippets.UnlockView):
    pass


class ReportRevisionsUnscheduleView(ReportObjectPermissionMixin, snippets.RevisionsUnscheduleView):
    pass


class ReportRevisionsCompareView(ReportObjectPermissionMixin, snippets.RevisionsCompareView):
    pass


class ReportHistoryView(ReportObjectPermissionMixin, snippets.HistoryView):
    pass


class ReportWorkflowHistoryView(ReportObjectPermissionMixin, snippets.WorkflowHistoryView):
    pass


class ReportWorkflowHistoryDetailView(ReportObjectPermissionMixin, snippets.WorkflowHistoryDetailView):
    pass


class KeyFigureReportViewSet(CatalogueSnippetViewSet):
    model = KeyFigureReport
    icon = "tasks"
    menu_label = gettext_lazy("Kennzahlberichte")
    index_view_class = ReportIndexView
    edit_view_class = ReportEditView
    delete_view_class = ReportDeleteView
    unpublish_view_class = ReportUnpublishView
    lock_view_class = ReportLockView
    unlock_view_class = ReportUnlockView
    revisions_unschedule_view_class = ReportRevisionsUnscheduleView
    revisions_compare_view_class = ReportRevisionsCompareView
    history_view_class = ReportHistoryView
    workflow_history_view_class = ReportWorkflowHistoryView
    workflow_history_detail_view_class = ReportWorkflowHistoryDetailView
    list_display = ["product", "year", "author", "live"]
    list_filter = ["year"]
    ordering = ["-year", "product__key"]
    search_fields = ["product__key", "product__name"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("product"), FieldPanel("year")]),
            FieldPanel("text"),
            InlinePanel(
                "values",
                panels=[FieldRowPanel([FieldPanel("key_figure"), FieldPanel("actual")])],
                label=gettext_lazy("Ist-Wert"),
                heading=gettext_lazy("Ist-Werte der Kennzahlen"),
            ),
        ],
        base_form_class=KeyFigureReportForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[KeyFigureReport]:
        return KeyFigureReport.objects.select_related("product", "author")


class BudgetViewSetGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Haushalt")
    menu_icon = "table"
    menu_order = 210
    items = (
        BudgetProductViewSet,
        BudgetFigureViewSet,
        KeyFigureViewSet,
        KeyFigureValueViewSet,
        KeyFigureReportViewSet,
        GoalProductLinkViewSet,
        ProjectBudgetViewSet,
        SubBudgetViewSet,
    )
