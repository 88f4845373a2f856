"""The site search: live pages and catalogue entries of the current language.

Pages are found through Wagtail's search backend (every word as a word beginning, see
`cms.search_backend`), entries with the catalogue's own matching (`catalogue.public.text`), so
"alle N Katalogeinträge" leads to exactly the N entries the catalogue shows for the same `q`.
Only the words of the query are used: no input reaches a database's query syntax.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from catalogue.models import Project
from catalogue.public import text
from catalogue.public.goals import catalogue_page
from catalogue.public.options import Lookup, Option
from catalogue.public.query import clean_text, entry_path
from cms.locales import active_locale

SEARCH_QUERY_MAX_LENGTH = 200
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_ENTRIES = 10
# Pages are ranked in Python (title matches first), so only the best ones are fetched.
PAGE_RESULTS_LIMIT = 100


@dataclass(frozen=True)
class EntryResult:
    code: str
    title: str
    summary: str
    url: str


@dataclass(frozen=True)
class CatalogueHits:
    """The entries matching the query: the first few, how many there are, the catalogue's list of all."""

    entries: list[EntryResult]
    total: int
    list_url: str
    areas: list[tuple[Option, str]]
    catalogue_url: str


def _title_has_every_word(title: str, found: list[str]) -> bool:
    folded = title.casefold()
    return all(word.casefold() in folded for word in found)


def _pages(locale: Locale, found: list[str]) -> list[Page]:
    pages = Page.objects.live().public().filter(locale=locale).specific()
    results = list(pages.search(" ".join(found), operator="and")[:PAGE_RESULTS_LIMIT])
    # Stable: within each group the backend's relevance order stays.
    return sorted(results, key=lambda page: not _title_has_every_word(page.title, found))


def _catalogue(request: HttpRequest, locale: Locale, query: str) -> CatalogueHits | None:
    catalogue = catalogue_page(locale.pk)
    if catalogue is None:
        return None
    base_url = catalogue.get_url(request)
    live = Project.objects.filter(live=True, locale_id=locale.pk)
    matching = text.ranked(live, query)
    rows = list(matching.values_list("code", "title", "summary", "slug")[:SEARCH_ENTRIES])
    total = len(rows) if len(rows) < SEARCH_ENTRIES else matching.count()
    entries = [
        EntryResult(code, title, summary, entry_path(base_url, code, title, slug))
        for code, title, summary, slug in rows
    ]
    lookup = Lookup(locale)
    areas = [(option, f"{base_url}?{urlencode({'area': option.key})}") for option in lookup.options["area"]]
    return CatalogueHits(entries, total, f"{base_url}?{urlencode({'q': query})}", areas, base_url)


def _suggestion(locale: Locale, query: str) -> str:
    titles = Page.objects.live().public().filter(locale=locale).values_list("title", flat=True)
    known = text.vocabulary(locale) + [word for title in titles for word in text.WORD.findall(title)]
    return text.suggestion(query, known)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Site search over the live pages and catalogue entries of the current language."""
    query = clean_text(request.GET.get("q", "")).strip()
    notice = ""
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        query = query[:SEARCH_QUERY_MAX_LENGTH]
        notice = _("Der Suchbegriff war zu lang und wurde gekürzt.")
    found = text.words(query)
    if query and not found:
        notice = _("Bitte geben Sie ein Wort mit Buchstaben oder Ziffern ein.")
    results: list[Page] = []
    hits = None
    suggestion = ""
    locale = active_locale()
    if found:
        results = _pages(locale, found)
        hits = _catalogue(request, locale, query)
        if not results and not (hits and hits.total):
            suggestion = _suggestion(locale, query)
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    context: dict[str, Any] = {
        "search_query": query,
        "search_words": found,
        "search_results": page,
        "notice": notice,
        "paginator": paginator,
        "catalogue": hits,
        "suggestion": suggestion,
        "suggestion_url": f"?{urlencode({'q': suggestion})}" if suggestion else "",
    }
    return render(request, "search/search.html", context)
