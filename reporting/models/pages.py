"""The public page of the reports: the list, each frozen report, its downloads, and the comparison.

The page declares its routes; what each answers is registered by `reporting.public.routes` when
the app is ready, so the models never import the views that build on them.
"""

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from cms.restrictions import view_restrictions


class ReportViews(Protocol):
    """What the public wing answers for the routes of `ReportIndexPage`."""

    def index(self, page: "ReportIndexPage", request: HttpRequest) -> HttpResponse: ...
    def report(self, page: "ReportIndexPage", request: HttpRequest, date: str, area: str | None) -> HttpResponse: ...
    def pdf(self, page: "ReportIndexPage", request: HttpRequest, date: str) -> HttpResponseBase: ...
    def export(
        self, page: "ReportIndexPage", request: HttpRequest, date: str, file_format: str
    ) -> HttpResponseBase: ...
    def comparison(
        self, page: "ReportIndexPage", request: HttpRequest, file_format: str | None
    ) -> HttpResponseBase: ...


_views: ReportViews | None = None


def register_report_views(views: ReportViews) -> None:
    global _views
    _views = views


def report_views() -> ReportViews:
    if _views is None:
        raise ImproperlyConfigured("reporting.public has not registered its views (is the app ready?)")
    return _views


class ReportIndexPage(RoutablePageMixin, Page):
    """Berichte: every closed reporting period as a frozen report, and the comparison between them."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        help_text=_("Ein bis drei Sätze über den Berichten: was berichtet wird und wie oft."),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("Berichte")

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def get_view_restrictions(self) -> Any:
        return view_restrictions(self)

    @path("", name="index")
    def index_view(self, request: HttpRequest) -> HttpResponse:
        return report_views().index(self, request)

    @path("bericht/<str:date>/", name="report")
    def report_view(self, request: HttpRequest, date: str) -> HttpResponse:
        return report_views().report(self, request, date, None)

    @path("bericht/<str:date>/handlungsfeld/<str:area>/", name="report_area")
    def report_area_view(self, request: HttpRequest, date: str, area: str) -> HttpResponse:
        return report_views().report(self, request, date, area)

    @path("bericht/<str:date>/pdf/", name="report_pdf")
    def pdf_view(self, request: HttpRequest, date: str) -> HttpResponseBase:
        return report_views().pdf(self, request, date)

    @path("bericht/<str:date>/export/<str:file_format>/", name="report_export")
    def export_view(self, request: HttpRequest, date: str, file_format: str) -> HttpResponseBase:
        return report_views().export(self, request, date, file_format)

    @path("vergleich/", name="comparison")
    def comparison_view(self, request: HttpRequest) -> HttpResponseBase:
        return report_views().comparison(self, request, None)

    @path("vergleich/xlsx/", name="comparison_xlsx")
    def comparison_xlsx_view(self, request: HttpRequest) -> HttpResponseBase:
        return report_views().comparison(self, request, "xlsx")
