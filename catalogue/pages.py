"""Public pages of the catalogue: the filterable index (list, entries, goals, exports, feed) and area chapters."""

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, published, unpublished

from cms.blocks import BaseStreamBlock
from cms.restrictions import view_restrictions

from . import views
from .facets import Lookup, bump_data_version, data_version
from .models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    ImportRun,
    Indicator,
    IndicatorValue,
    Municipality,
    Project,
    Status,
    StatusReport,
    Theme,
)

LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


class CatalogueIndexPage(RoutablePageMixin, Page):
    """The public catalogue: filterable list, entry pages, goal views, overview, exports and feed."""

    intro = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Ein bis drei Sätze über dem Katalog und in Suchergebnissen.")
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("Projektkatalog")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_view_restrictions(self):
        return view_restrictions(self)

    def _render(self, request, template, context, status=200):
        context = {**self.get_context(request), **context, "licence_name": LICENCE_NAME, "licence_url": LICENCE_URL}
        return TemplateResponse(request, template, context, status=status)

    @path("", name="list")
    def list_view(self, request):
        try:
            context = views.list_context(self, request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))
        return self._render(request, "catalogue/catalogue_index_page.html", context)

    @path("eintrag/<str:token>/", name="entry_short")
    @path("eintrag/<str:token>/<str:slug>/", name="entry")
    def entry_view(self, request, token, slug=None):
        project = views.find_entry(self, token)
        if project is None:
            raise Http404
        base_url = self.get_url(request)
        canonical = views.entry_url(base_url, project)
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        entry = views.entry_context(project, Lookup(views.page_locale(self)), base_url=base_url)
        return self._render(request, "catalogue/project_detail.html", {"entry": entry, "project": project})

    @path("ziel/<str:token>/", name="goal")
    def goal_view(self, request, token):
        lookup = Lookup(views.page_locale(self))
        code = next(
            (candidate for candidate in views.code_candidates(token) if candidate in lookup.by_key["goal"]), None
        )
        if code is None:
            raise Http404
        goal = Goal.objects.get(pk=lookup.by_key["goal"][code]["id"])
        return self._render(request, "catalogue/goal_detail.html", views.goal_context(self, request, goal))

    @path("umsetzungsstand/", name="overview")
    def overview_view(self, request):
        return self._render(request, "catalogue/overview.html", views.overview_context(self, request))

    @path("export/csv/", name="export_csv")
    def export_csv(self, request):
        from .exports import csv_response

        return self._export(request, csv_response)

    @path("export/xlsx/", name="export_xlsx")
    def export_xlsx(self, request):
        from .exports import xlsx_response

        return self._export(request, xlsx_response)

    @path("export/json/", name="export_json")
    def export_json(self, request):
        from .exports import json_response

        return self._export(request, json_response)

    def _export(self, request, build):
        try:
            filterset, data, _notes = views.filtered(self, request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))
        return build(self, request, views.sorted_queryset(filterset, data), filterset.lookup)

    @path("feed/", name="feed")
    def feed_view(self, request):
        from .feeds import StatusReportFeed

        try:
            return StatusReportFeed(self)(request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))


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
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [FieldPanel("area"), FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Handlungsfeld-Seite")

    def get_view_restrictions(self):
        return view_restrictions(self)

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lookup = Lookup(views.page_locale(self))
        # The page may point at either language's area; goals and entries hang off the source one.
        option = next(
            (
                candidate
                for candidate in lookup.options["area"]
                if candidate["ids"][0] == self.area_id or candidate["key"] == self.area.slug
            ),
            None,
        )
        catalogue = catalogue_page(self.locale_id)
        catalogue_url = catalogue.get_url(request) if catalogue else None
        goals, aggregate = [], None
        if option:
            goals, aggregate = area_aggregates(option["ids"][0])
        ordered = [goal for key in [item["id"] for item in lookup.options["goal"]] for goal in goals if goal.pk == key]
        entries = []
        if option and catalogue_url:
            filterset = views.ProjectFilterSet(
                {"area": [option["key"]]}, views.base_queryset(views.page_locale(self)), lookup=lookup
            )
            filterset.is_valid()
            entries = [
                {
                    "project": row,
                    "url": views.entry_url(catalogue_url, row),
                    "status": lookup.by_id["status"].get(row.status_id),
                }
                for row in filterset.qs.order_by("code")[:50]
            ]
        context.update(
            {
                "area_option": option,
                "aggregate": aggregate,
                "area_status_rows": views.status_rows(aggregate, lookup) if aggregate else [],
                "tree": views.goal_tree(ordered, lookup),
                "entries": entries,
                "catalogue_url": catalogue_url,
                "goal_url_base": f"{catalogue_url}ziel/" if catalogue_url else None,
                "area_list_url": f"{catalogue_url}?area={option['key']}" if option and catalogue_url else None,
            }
        )
        return context


AREA_AGGREGATES_TIMEOUT = 60 * 60


def area_aggregates(area_id):
    """An area's goals with their aggregates and the area's total, cached per data version.

    The figures change only when entries, reports or taxonomy change, which bump the version.
    """
    key = f"catalogue:area-aggregates:{area_id}:{data_version()}"
    found = cache.get(key)
    if found is None:
        found = Goal.objects.filter(area_id=area_id).with_aggregates_and_total()
        cache.set(key, found, AREA_AGGREGATES_TIMEOUT)
    return found


def catalogue_page(locale_id):
    """The live catalogue page of a language, cached per data version (publishing it bumps it)."""
    key = f"catalogue:index-page:{locale_id}:{data_version()}"
    found = cache.get(key)
    if found is None:
        found = CatalogueIndexPage.objects.live().filter(locale_id=locale_id).first() or False
        cache.set(key, found, AREA_AGGREGATES_TIMEOUT)
    return found or None


TAXONOMY = (Area, Goal, Theme, Department, Municipality, Status, FundingProgramme, Indicator, IndicatorValue)


@receiver(published, sender=Project)
@receiver(unpublished, sender=Project)
@receiver(post_delete, sender=Project)
@receiver(post_save, sender=StatusReport)
@receiver(post_delete, sender=StatusReport)
def catalogue_changed(sender, **kwargs):
    # At once, so the rest of this transaction (and tests inside one) see fresh figures; and
    # again after commit, because a request served meanwhile may have cached the old rows
    # under the version of the first bump.
    bump_data_version()
    transaction.on_commit(bump_data_version)


@receiver(post_save, sender=ImportRun)
def catalogue_imported(sender, instance, **kwargs):
    # The importer writes entries in bulk, without the signals above; the bump waits for its
    # transaction, so no request caches the old rows under the new version.
    if instance.state == ImportRun.State.APPLIED:
        transaction.on_commit(bump_data_version)


for model in TAXONOMY:
    post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-cache-{model.__name__}-save")
    post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-cache-{model.__name__}-delete")
page_published.connect(catalogue_changed, sender=CatalogueIndexPage, dispatch_uid="catalogue-cache-index")
page_unpublished.connect(catalogue_changed, sender=CatalogueIndexPage, dispatch_uid="catalogue-cache-index-unpublished")
