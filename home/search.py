"""The site search: live pages and catalogue entries of the current language."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from catalogue.models import CatalogueIndexPage, Project
from catalogue.public.query import entry_url

SEARCH_QUERY_MAX_LENGTH = 200
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_ENTRIES = 10


@require_GET
def search(request):
    """Site search over the live pages and catalogue entries of the current language."""
    query = request.GET.get("q", "").strip()
    notice = ""
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        query = query[:SEARCH_QUERY_MAX_LENGTH]
        notice = _("Der Suchbegriff war zu lang und wurde gekürzt.")
    results = Page.objects.none()
    entries = []
    if query:
        locale = Locale.get_active()
        pages = Page.objects.live().public().filter(locale=locale).specific()
        results = pages.search(query)
        entries = _catalogue_entries(request, locale, query)
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_results": page,
            "notice": notice,
            "paginator": paginator,
            "entries": entries,
        },
    )


def _catalogue_entries(request, locale, query):
    """Live catalogue entries in the active language that match, linked into the catalogue page."""
    catalogue = CatalogueIndexPage.objects.live().public().filter(locale=locale).first()
    if catalogue is None:
        return []
    live = Project.objects.filter(live=True, locale_id=locale.pk)
    found = get_search_backend().search(query, live)[:SEARCH_ENTRIES]
    base_url = catalogue.get_url(request)
    return [{"project": entry, "url": entry_url(base_url, entry)} for entry in found]
