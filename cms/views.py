from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

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
    from django.apps import apps

    try:
        index_page = apps.get_model("catalogue", "CatalogueIndexPage")
    except LookupError:
        return []
    catalogue = index_page.objects.live().public().filter(locale=locale).first()
    if catalogue is None:
        return []
    from wagtail.search.backends import get_search_backend

    from catalogue.views import entry_url

    project = apps.get_model("catalogue", "Project")
    live = project.objects.filter(live=True, locale_id=locale.pk)
    found = get_search_backend().search(query, live)[:SEARCH_ENTRIES]
    base_url = catalogue.get_url(request)
    return [{"project": entry, "url": entry_url(base_url, entry)} for entry in found]


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors that could fail again; the template is static.
    return render(request, "500.html", status=500)
