"""The coordination's list of reporting periods: plan a period, see what is missing, close it."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Locale

from catalogue.permissions import acts_for_all_departments
from reporting.closing import ClosingRefused, request_closing
from reporting.missing import by_department, days_left
from reporting.models import ReportingPeriod
from reporting.public.history import reports_url

from .permissions import period_policy

CLOSE_URL_NAME = "reporting_period:close"


def close_url(period: ReportingPeriod) -> str:
    return reverse(CLOSE_URL_NAME, args=[quote(period.pk)])


def public_report_url(period: ReportingPeriod, request: HttpRequest) -> str | None:
    base = reports_url(Locale.get_default(), request)
    return f"{base}bericht/{period.reporting_date.isoformat()}/" if base else None


class OpenPeriodsOnly(PermissionCheckedMixin):
    """A closing or closed period can be looked at, never changed or deleted (the report rests on it)."""

    request: HttpRequest

    def user_has_permission(self, permission: str) -> bool:
        allowed = super().user_has_permission(permission)
        period = getattr(self, "object", None)
        if allowed and period is not None and permission in ("change", "delete"):
            return period_policy.user_has_permission_for_instance(self.request.user, permission, period)
        return allowed


class PeriodIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance: ReportingPeriod) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_open:
            buttons.append(MenuItem(_("Abschließen"), url=close_url(instance), icon_name="lock", priority=20))
        elif instance.state == ReportingPeriod.State.CLOSED and (url := public_report_url(instance, self.request)):
            buttons.append(MenuItem(_("Bericht ansehen"), url=url, icon_name="view", priority=20))
        return buttons


class PeriodEditView(OpenPeriodsOnly, generic.EditView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)
        if self.object.is_open:
            buttons.append(HeaderButton(_("Abschließen"), url=close_url(self.object), icon_name="lock"))
        return buttons


class PeriodDeleteView(OpenPeriodsOnly, generic.DeleteView):
    pass


class ClosePeriodView(WagtailAdminTemplateMixin, TemplateView):
    """Shows what is in scope and missing, and on POST queues the closing of the period."""

    template_name = "reporting/admin/close_period.html"
    page_title = gettext_lazy("Berichtszeitraum abschließen")
    header_icon = "lock"
    _show_breadcrumbs = True

    def setup(self, request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.period = get_object_or_404(ReportingPeriod, pk=pk)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not acts_for_all_departments(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.period)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": reverse("reporting_period:index"), "label": ReportingPeriod._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        departments = by_department(self.period) if self.period.is_open else []
        context.update(
            {
                "period": self.period,
                "departments": departments,
                "in_scope": sum(item.in_scope for item in departments),
                "missing": sum(len(item.missing) for item in departments),
                "days_left": days_left(self.period),
                "window_start": self.period.window_start(),
                "report_url": public_report_url(self.period, self.request),
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            request_closing(self.period)
        except ClosingRefused:
            messages.error(
                request,
                _("„%(period)s“ ist nicht mehr offen und kann nicht noch einmal abgeschlossen werden.")
                % {"period": self.period},
            )
            return redirect("reporting_period:index")
        messages.success(
            request,
            _(
                "„%(period)s“ wird abgeschlossen: der Bericht entsteht im Hintergrund und erscheint danach "
                "öffentlich. Bis dahin steht der Zeitraum auf „wird abgeschlossen“."
            )
            % {"period": self.period},
        )
        return redirect("reporting_period:index")


class ReportingPeriodViewSet(ModelViewSet):
    model = ReportingPeriod
    icon = "date"
    menu_label = gettext_lazy("Berichtszeiträume")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "reporting/periods"
    name = "reporting_period"
    index_view_class = PeriodIndexView
    edit_view_class = PeriodEditView
    delete_view_class = PeriodDeleteView
    list_display = [
        "title",
        "reporting_date",
        "deadline",
        Column("get_state_display", label=gettext_lazy("Zustand")),
        Column("close_error", label=gettext_lazy("Fehler beim Abschluss")),
    ]
    panels = [
        FieldPanel("title"),
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("reporting_date"), FieldPanel("reports_from"), FieldPanel("deadline")]),
        FieldPanel("reminder_days"),
        MultiFieldPanel(
            [
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("departments", widget=forms.CheckboxSelectMultiple),
            ],
            heading=gettext_lazy("Umfang"),
        ),
    ]

    def get_urlpatterns(self) -> list[Any]:
        return [*super().get_urlpatterns(), path("<int:pk>/close/", ClosePeriodView.as_view(), name="close")]
