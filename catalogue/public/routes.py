"""What the catalogue's page types answer: registered with `catalogue.models.pages` when the app is ready."""

from typing import Any

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from catalogue.models import AreaPage, CatalogueIndexPage, Goal
from catalogue.models.pages import SitemapUrls, register_public_views
from cms import cache
from cms.blocks import register_figure_counter

from . import exports, feeds, figures, goals, listing, sitemap, translations
from .entry import entry_context, find_entry
from .options import DEFAULT_SORT, Lookup
from .query import code_candidates, entry_url, filtered, page_locale, sorted_queryset


def _render(page: CatalogueIndexPage, request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context = {
        **page.get_context(request),
        **context,
        "licence_name": exports.LICENCE_NAME,
        "licence_url": exports.LICENCE_URL,
    }
    return TemplateResponse(request, template, context)


class CatalogueViews:
    """The public catalogue's answers, one method per route of `CatalogueIndexPage`."""

    def list(self, page: CatalogueIndexPage, request: HttpRequest) -> HttpResponse:
        try:
            context = listing.list_context(page, request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))
        context["route_alternates"] = translations.everywhere(context["export_query"])
        return _render(page, request, "catalogue/catalogue_index_page.html", context)

    def entry(self, page: CatalogueIndexPage, request: HttpRequest, token: str, slug: str | None) -> HttpResponse:
        project = find_entry(page, token)
        if project is None:
            raise Http404
        base_url = page.get_url(request)
        canonical = entry_url(base_url, project)
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        # The page shows this entry's own data and the catalogue's structure (labels, other entries'
        # numbers and titles): its cached response outlives other entries' reports (`cms.cache`).
        cache.depends_on_entries([project.pk])
        entry = entry_context(project, Lookup(page_locale(page)), base_url=base_url)
        languages = translations.entry_languages(project)
        context = {"entry": entry, "project": project, "languages": languages, "route_alternates": languages.alternates}
        return _render(page, request, "catalogue/project_detail.html", context)

    def goal(self, page: CatalogueIndexPage, request: HttpRequest, token: str) -> HttpResponse:
        lookup = Lookup(page_locale(page))
        code = next((candidate for candidate in code_candidates(token) if candidate in lookup.by_key["goal"]), None)
        if code is None:
            raise Http404
        goal = Goal.objects.get(pk=lookup.by_key["goal"][code].first_id)
        context = goals.goal_context(page, request, goal)
        context["route_alternates"] = translations.everywhere(f"ziel/{lookup.by_key['goal'][code].token}/")
        return _render(page, request, "catalogue/goal_detail.html", context)

    def overview(self, page: CatalogueIndexPage, request: HttpRequest) -> HttpResponse:
        context = goals.overview_context(page, request)
        context["route_alternates"] = translations.everywhere("umsetzungsstand/")
        return _render(page, request, "catalogue/overview.html", context)

    def export(self, page: CatalogueIndexPage, request: HttpRequest, file_format: str) -> HttpResponseBase:
        try:
            filterset, data, _notes = filtered(page, request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))
        export = exports.Export(
            page=page,
            file_format=file_format,
            queryset=sorted_queryset(filterset, data),
            selection=filterset.selection_key(),
            sort=data.get("sort", DEFAULT_SORT),
        )
        return exports.export_response(request, export)

    def feed(self, page: CatalogueIndexPage, request: HttpRequest) -> HttpResponse:
        try:
            return feeds.StatusReportFeed(page)(request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))

    def entry_feed(self, page: CatalogueIndexPage, request: HttpRequest, token: str) -> HttpResponse:
        project = find_entry(page, token)
        if project is None:
            raise Http404
        return feeds.EntryReportFeed(page, project)(request)

    def sitemap_urls(self, page: CatalogueIndexPage, request: HttpRequest | None) -> SitemapUrls:
        return sitemap.sitemap_urls(page, request)

    def area_context(self, page: AreaPage, request: HttpRequest) -> dict[str, Any]:
        return goals.area_context(page, request)


def register() -> None:
    register_public_views(CatalogueViews())
    register_figure_counter(figures.figure_counts)
