"""Page types of the catalogue: the filterable index (list, entries, goals, exports, feed) and area chapters.

The pages declare their routes; what each route answers is registered by the public wing
(`catalogue.public.routes`) when the app is ready, so the models never import the views.
"""

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.restrictions import view_restrictions

from .taxonomy import Area


class PublicViews(Protocol):
    """What the public wing answers for the catalogue's routes."""

    def list(self, page: "CatalogueIndexPage", request: HttpRequest) -> HttpResponse: ...
    def entry(self, page: "CatalogueIndexPage", request: HttpRequest, token: str, slug: str | None) -> HttpResponse: ...
    def goal(self, page: "CatalogueIndexPage", request: HttpRequest, token: str) -> HttpResponse: ...
    def overview(self, page: "CatalogueIndexPage", request: HttpRequest) -> HttpResponse: ...
    def export(self, page: "CatalogueIndexPage", request: HttpRequest, file_format: str) -> HttpResponseBase: ...
    def feed(self, page: "CatalogueIndexPage", request: HttpRequest) -> HttpResponse: ...
    def area_context(self, page: "AreaPage", request: HttpRequest) -> dict[str, Any]: ...


_public_views: PublicViews | None = None


def register_public_views(views: PublicViews) -> None:
    global _public_views
    _public_views = views


def public_views() -> PublicViews:
    if _public_views is None:
        raise ImproperlyConfigured("catalogue.public has not registered its views (is the app ready?)")
    return _public_views


class CatalogueIndexPage(RoutablePageMixin, Page):
    """The public catalogue: filterable list, entry pages, goal views, overview, exports and feed."""

    intro = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Ein bis drei Sätze über dem Katalog und in Suchergebnissen.")
    )

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("Projektkatalog")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_view_restrictions(self):
        return view_restrictions(self)

    @path("", name="list")
    def list_view(self, request):
        return public_views().list(self, request)

    @path("eintrag/<str:token>/", name="entry_short")
    @path("eintrag/<str:token>/<str:slug>/", name="entry")
    def entry_view(self, request, token, slug=None):
        return public_views().entry(self, request, token, slug)

    @path("ziel/<str:token>/", name="goal")
    def goal_view(self, request, token):
        return public_views().goal(self, request, token)

    @path("umsetzungsstand/", name="overview")
    def overview_view(self, request):
        return public_views().overview(self, request)

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        return public_views().export(self, request, "csv")

    @path("export/xlsx/", name="export_xlsx")
    def export_xlsx(self, request):
        return public_views().export(self, request, "xlsx")

    @path("export/json/", name="export_json")
    def export_json(self, request):
        return public_views().export(self, request, "json")

    @path("feed/", name="feed")
    def feed_view(self, request):
        return public_views().feed(self, request)


class AreaPage(Page):
    """A Handlungsfeld chapter: editorial text plus the area's live goals, figures and entries."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Das Handlungsfeld, dessen Ziele und Einträge die Seite zeigt."),
    )
    intro = models.TextField(_("Einleitung"), blank=True, help_text=_("Ein bis drei Sätze oben auf der Seite."))
    body = StreamField(BaseStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    parent_page_types = ["home.StrategyPage", "home.HomePage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("area"), FieldPanel("intro"), FieldPanel("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("Handlungsfeld-Seite")

    def get_view_restrictions(self):
        return view_restrictions(self)

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(public_views().area_context(self, request))
        return context
