"""Admin for the strategy's data: one menu „Strategie & Katalog“ with a viewset per model."""

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, LocaleColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.imports import COLUMN_KEYS
from catalogue.models import Area, Department, FundingProgramme, Goal, Indicator, Municipality, Project, Status, Theme

from .choosers import ChooseOnlyChooserViewSet, ProjectChooserViewSet
from .filters import ProjectAdminFilterSet
from .forms import GoalForm, ProjectForm
from .inspect import ProjectInspectView
from .panels import HeldValuesPanel, PendingReportPanel, ReportsInlinePanel
from .project_views import (
    ProjectDeleteView,
    ProjectEditView,
    ProjectHistoryView,
    ProjectIndexView,
    ProjectLockView,
    ProjectPreviewRevisionView,
    ProjectRevisionsCompareView,
    ProjectRevisionsUnscheduleView,
    ProjectUnlockView,
    ProjectUnpublishView,
    ProjectUsageView,
    ProjectWorkflowHistoryDetailView,
    ProjectWorkflowHistoryView,
    german_date,
    nowrap,
)
from .quick_report import QuickReportView

# Status and department as plain selects: a chooser reads its value once per report shown.
REPORT_PANELS = [
    FieldRowPanel([FieldPanel("date"), FieldPanel("reporting_period")]),
    FieldRowPanel([FieldPanel("status", widget=forms.Select), FieldPanel("traffic_light"), FieldPanel("progress")]),
    FieldPanel("text"),
    FieldPanel("department", widget=forms.Select),
    HeldValuesPanel(heading=_("Gemeldete Messwerte")),
]


class CatalogueSnippetViewSet(SnippetViewSet):
    """Base of every catalogue snippet viewset: its chooser picks existing rows only."""

    chooser_viewset_class = ChooseOnlyChooserViewSet


class ProjectViewSet(CatalogueSnippetViewSet):
    model = Project
    chooser_viewset_class = ProjectChooserViewSet
    index_view_class = ProjectIndexView
    edit_view_class = ProjectEditView
    usage_view_class = ProjectUsageView
    inspect_view_enabled = True
    inspect_view_class = ProjectInspectView
    delete_view_class = ProjectDeleteView
    unpublish_view_class = ProjectUnpublishView
    lock_view_class = ProjectLockView
    unlock_view_class = ProjectUnlockView
    revisions_unschedule_view_class = ProjectRevisionsUnscheduleView
    revisions_compare_view_class = ProjectRevisionsCompareView
    revisions_view_class = ProjectPreviewRevisionView
    history_view_class = ProjectHistoryView
    workflow_history_view_class = ProjectWorkflowHistoryView
    workflow_history_detail_view_class = ProjectWorkflowHistoryDetailView
    icon = "tasks"
    menu_label = _("Katalog")
    menu_order = 100
    filterset_class = ProjectAdminFilterSet
    # Compact enough for 1280 px beside the menu: short department names, dates as dd.mm.yyyy,
    # the language only when several are listed (ProjectIndexView.columns).
    list_display = [
        "title",
        nowrap("code", _("Nummer")),
        LocaleColumn(label=_("Sprache"), classname="w-whitespace-nowrap"),
        "status",
        "traffic_light",
        nowrap("progress", _("Fortschritt (%)")),
        Column(
            "lead_department",
            label=_("Federführung"),
            accessor=lambda entry: entry.lead_department.short_name,
            sort_key="lead_department__short_name",
        ),
        nowrap("last_report_date", _("Letzter Bericht"), accessor=german_date("last_report_date")),
    ]
    list_per_page = 50
    ordering = ["code"]
    search_fields = ["code", "title"]
    # The ORM search sees rows created in bulk by import and seeding, which the index may not yet.
    search_backend_name = None
    # Columns and order come from the import format (see ProjectIndexView.as_spreadsheet).
    list_export = COLUMN_KEYS
    export_filename = "katalog"

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    PendingReportPanel(heading=_("Wartet auf Freigabe")),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("code")]),
                    FieldPanel("title"),
                    FieldPanel("slug"),
                    FieldPanel("parent"),
                    FieldPanel("summary"),
                    FieldPanel("description"),
                    FieldPanel("image"),
                    InlinePanel("links", label=_("Link"), heading=_("Links")),
                    InlinePanel("documents", label=_("Dokument"), heading=_("Dokumente")),
                ],
                heading=_("Inhalt"),
            ),
            ObjectList(
                [
                    FieldPanel("goals"),
                    FieldPanel("themes"),
                    FieldPanel("lead_department", widget=forms.Select),
                    FieldPanel("partner_departments"),
                    FieldPanel("external_partners"),
                    FieldPanel("municipalities"),
                    FieldPanel("county_wide"),
                    FieldPanel("sdg_targets"),
                ],
                heading=_("Zuordnung"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
                            FieldRowPanel([FieldPanel("actual_start"), FieldPanel("actual_end")]),
                            FieldPanel("continuous"),
                        ],
                        heading=_("Zeitplan"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("cost_estimate"),
                            FieldPanel("funding_programmes"),
                            FieldPanel("funding_amount"),
                            FieldPanel("priority"),
                        ],
                        heading=_("Kosten und Förderung"),
                    ),
                ],
                heading=_("Zeit & Kosten"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("status", read_only=True),
                                    FieldPanel("traffic_light", read_only=True),
                                    FieldPanel("progress", read_only=True),
                                    FieldPanel("last_report_date", read_only=True),
                                ]
                            ),
                        ],
                        heading=_("Aktueller Stand (aus dem neuesten veröffentlichten Bericht)"),
                    ),
                    FieldPanel("weight"),
                    FieldPanel("traffic_light_source"),
                    ReportsInlinePanel(
                        "reports", panels=REPORT_PANELS, label=_("Statusbericht"), heading=_("Statusberichte")
                    ),
                ],
                heading=_("Bewertung/Berichte"),
            ),
            ObjectList(
                [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
                heading=_("Kontakt"),
            ),
        ],
        base_form_class=ProjectForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("quick-report/<int:pk>/", QuickReportView.as_view(), name="quick_report"),
        ]


class AreaViewSet(CatalogueSnippetViewSet):
    model = Area
    icon = "folder-open-inverse"
    menu_label = _("Handlungsfelder")
    list_display = ["code", "title", "order"]
    ordering = ["order", "code"]
    search_fields = ["code", "title"]
    search_backend_name = None


class GoalViewSet(CatalogueSnippetViewSet):
    model = Goal
    icon = "pick"
    menu_label = _("Ziele")
    list_display = ["code", "title", "area", "level_name"]
    list_filter = ["area"]
    ordering = ["area__order", "code"]
    search_fields = ["code", "title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("area"),
            FieldPanel("parent"),
            FieldRowPanel([FieldPanel("code"), FieldPanel("order")]),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("sdg_targets"),
        ],
        base_form_class=GoalForm,
    )


class ThemeViewSet(CatalogueSnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Querschnittsthemen")
    list_display = ["title", "slug"]
    search_fields = ["title"]
    search_backend_name = None


class DepartmentViewSet(CatalogueSnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Fachbereiche")
    list_display = ["name", "short_name", "parent", "email"]
    search_fields = ["name", "short_name"]
    search_backend_name = None


class MunicipalityViewSet(CatalogueSnippetViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Gemeinden")
    list_display = ["name", "ags"]
    search_fields = ["name", "ags"]
    search_backend_name = None


class StatusViewSet(CatalogueSnippetViewSet):
    model = Status
    icon = "radio-full"
    menu_label = _("Status")
    list_display = ["name", "order", "is_closed", "default_progress"]
    ordering = ["order"]


class FundingProgrammeViewSet(CatalogueSnippetViewSet):
    model = FundingProgramme
    icon = "doc-full"
    menu_label = _("Förderprogramme")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class IndicatorViewSet(CatalogueSnippetViewSet):
    model = Indicator
    icon = "table"
    menu_label = _("Indikatoren")
    list_display = ["title", "unit", "baseline_year", "target_year"]
    search_fields = ["title"]
    search_backend_name = None
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("direction")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("baseline_value"), FieldPanel("baseline_year")]),
        FieldRowPanel([FieldPanel("target_value"), FieldPanel("target_year")]),
        FieldPanel("source"),
        FieldPanel("goals"),
        FieldPanel("projects"),
        InlinePanel("values", label=_("Messwert"), heading=_("Messwerte")),
    ]


class StrategyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Strategie & Katalog")
    menu_icon = "site"
    menu_order = 200
    items = (
        ProjectViewSet,
        AreaViewSet,
        GoalViewSet,
        ThemeViewSet,
        IndicatorViewSet,
        StatusViewSet,
        DepartmentViewSet,
        MunicipalityViewSet,
        FundingProgrammeViewSet,
    )
