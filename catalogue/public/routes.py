"""What the catalogue's page types answer: registered with `catalogue.models.pages` when the app is ready."""

from typing import Any

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from catalogue.models import AreaPage, CatalogueIndexPage, Goal
from catalogue.models.pages import register_public_views

from . import exports, feeds, goals, listing
from .entry import entry_context, find_entry
from .options import Lookup
from .query import code_candidates, entry_url, filtered, page_locale, sorted_queryset

EXPORTS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response, "json": exports.json_response}


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
        return _render(page, request, "catalogue/catalogue_index_page.html", context)

    def entry(self, page: CatalogueIndexPage, request: HttpRequest, token: str, slug: str | None) -> HttpResponse:
        project = find_entry(page, token)
        if project is None:
            raise Http404
        base_url = page.get_url(request)
        canonical = entry_url(base_url, project)
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        entry = entry_context(project, Lookup(page_locale(page)), base_url=base_url)
        return _render(page, request, "catalogue/project_detail.html", {"entry": entry, "project": project})

    def goal(self, page: CatalogueIndexPage, request: HttpRequest, token: str) -> HttpResponse:
        lookup = Lookup(page_locale(page))
        code = next((candidate for candidate in code_candidates(token) if candidate in lookup.by_key["goal"]), None)
        if code is None:
            raise Http404
        goal = Goal.objects.get(pk=lookup.by_key["goal"][code].first_id)
        return _render(page, request, "catalogue/goal_detail.html", goals.goal_context(page, request, goal))

    def overview(self, page: CatalogueIndexPage, request: HttpRequest) -> HttpResponse:
        return _render(page, request, "catalogue/overview.html", goals.overview_context(page, request))

    def export(self, page: CatalogueIndexPage, request: HttpRequest, file_format: str) -> HttpResponseBase:
        try:
            filterset, data, _notes = filtered(page, request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))
        return EXPORTS[file_format](page, request, sorted_queryset(filterset, data))

    def feed(self, page: CatalogueIndexPage, request: HttpRequest) -> HttpResponse:
        try:
            return feeds.StatusReportFeed(page)(request)
        except BadRequest as error:
            return HttpResponseBadRequest(str(error))

    def area_context(self, page: AreaPage, request: HttpRequest) -> dict[str, Any]:
        return goals.area_context(page, request)


def register() -> None:
    register_public_views(CatalogueViews())
