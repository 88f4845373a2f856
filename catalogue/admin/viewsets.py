"""Admin for the strategy's data: one menu „Strategie & Katalog“ with a viewset per model."""

from django.http import Http404
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.models import Area, Department, FundingProgramme, Goal, Indicator, Municipality, Project, Status, Theme
from catalogue.permissions import ProjectObjectPermissionMixin, acts_for_all_departments, department_ids

from .filters import ProjectAdminFilterSet
from .forms import GoalForm, ProjectForm
from .quick_report import QuickReportView, quick_report_url, user_can_report

REPORT_PANELS = [
    FieldRowPanel([FieldPanel("date"), FieldPanel("reporting_period")]),
    FieldRowPanel([FieldPanel("status"), FieldPanel("traffic_light"), FieldPanel("progress")]),
    FieldPanel("text"),
    FieldPanel("department"),
]


class ChooserCreateView(SnippetCreateView):
    """The chooser's „create“ endpoint, answering 404 while the chooser offers no creation form.

    Wagtail routes the endpoint for every snippet chooser and, without a form, fails on the
    missing form with a 500. Creating in the modal is not wanted here anyway: it would skip
    the editor's form (department choices), revisions and the approval workflow.
    """

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ChooseOnlyChooserViewSet(SnippetChooserViewSet):
    create_view_class = ChooserCreateView


class CatalogueSnippetViewSet(SnippetViewSet):
    """Base of every catalogue snippet viewset: its chooser picks existing rows only."""

    chooser_viewset_class = ChooseOnlyChooserViewSet


class ProjectIndexView(snippets.IndexView):
    """All entries stay visible; edit, copy and delete are offered only where the policy allows."""

    def _in_scope(self, instance):
        return acts_for_all_departments(self.request.user) or instance.lead_department_id in department_ids(
            self.request.user
        )

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self._in_scope(instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self._in_scope(instance) else None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self._in_scope(instance) and self.request.user.has_perm("catalogue.add_statusreport"):
            buttons.append(
                MenuItem(_("Statusbericht melden"), url=quick_report_url(instance.pk), icon_name="tasks", priority=15)
            )
        return buttons


class ProjectEditView(ProjectObjectPermissionMixin, snippets.EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if user_can_report(self.request.user, self.object):
            buttons.append(
                HeaderButton(_("Statusbericht melden"), url=quick_report_url(self.object.pk), icon_name="tasks")
            )
        return buttons


class ProjectDeleteView(ProjectObjectPermissionMixin, snippets.DeleteView):
    pass


class ProjectUnpublishView(ProjectObjectPermissionMixin, snippets.UnpublishView):
    pass


class ProjectLockView(ProjectObjectPermissionMixin, snippets.LockView):
    pass


class ProjectUnlockView(ProjectObjectPermissionMixin, snippets.UnlockView):
    pass


class ProjectRevisionsUnscheduleView(ProjectObjectPermissionMixin, snippets.RevisionsUnscheduleView):
    pass


class ProjectRevisionsCompareView(ProjectObjectPermissionMixin, snippets.RevisionsCompareView):
    pass


class ProjectPreviewRevisionView(ProjectObjectPermissionMixin, snippets.PreviewRevisionView):
    pass


class ProjectHistoryView(ProjectObjectPermissionMixin, snippets.HistoryView):
    pass


class ProjectWorkflowHistoryView(ProjectObjectPermissionMixin, snippets.WorkflowHistoryView):
    pass


class ProjectWorkflowHistoryDetailView(ProjectObjectPermissionMixin, snippets.WorkflowHistoryDetailView):
    pass


class ProjectViewSet(CatalogueSnippetViewSet):
    model = Project
    index_view_class = ProjectIndexView
    edit_view_class = ProjectEditView
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
    list_display = [
        "code",
        "title",
        "kind",
        "status",
        "traffic_light",
        "progress",
        "lead_department",
        "last_report_date",
    ]
    list_per_page = 50
    ordering = ["code"]
    search_fields = ["code", "title", "summary"]
    # The ORM search sees rows created in bulk by import and seeding, which the index may not yet.
    search_backend_name = None
    list_export = [
        "code",
        "title",
        "get_kind_display",
        "status",
        "get_traffic_light_display",
        "progress",
        "lead_department",
        "get_priority_display",
        "planned_start",
        "planned_end",
        "last_report_date",
        "live",
    ]
    export_headings = {
        "code": _("Nummer"),
        "title": _("Titel"),
        "get_kind_display": _("Art"),
        "status": _("Status"),
        "get_traffic_light_display": _("Ampel"),
        "progress": _("Fortschritt (%)"),
        "lead_department": _("Federführung"),
        "get_priority_display": _("Priorität"),
        "planned_start": _("Geplanter Beginn"),
        "planned_end": _("Geplantes Ende"),
        "last_report_date": _("Letzter Bericht"),
        "live": _("Veröffentlicht"),
    }
    export_filename = "katalog"

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
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
                    FieldPanel("lead_department"),
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
                    InlinePanel("reports", panels=REPORT_PANELS, label=_("Statusbericht"), heading=_("Statusberichte")),
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
