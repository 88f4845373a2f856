"""Reading a catalogue request: its validated filters, the entries they select, entry URLs.

The list, the exports, the feed and the search share these; unknown values are dropped with
a note for the visitor, absurd requests are answered with 400, nothing gives a 500.
"""

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from catalogue.models import Project
from cms.locales import locale_of as page_locale

from .facets import MAX_QUERY_LENGTH, MAX_VALUES_PER_FACET, ProjectFilterSet
from .options import DEFAULT_SORT, FACET_NAMES, FACETS, SORTS, Lookup

MAX_PARAMETERS = 300
KNOWN_PARAMETERS = {*FACET_NAMES, "q", "sort", "page", "county_wide"}


def code_token(code: str) -> str:
    """The entry's number as a URL segment: Wagtail's page URLs allow no dots."""
    return code.replace(".", "-")


def code_candidates(token: str, limit: int = 8) -> list[str]:
    """Codes that give `token`: each hyphen was a dot or a hyphen."""
    if not token or len(token) > 40 or token.count("-") > limit:
        return []
    candidates = [""]
    for char in token:
        candidates = [prefix + variant for prefix in candidates for variant in ((".", "-") if char == "-" else (char,))]
    return candidates


def clean_text(value: str) -> str:
    value = unicodedata.normalize("NFC", value.replace("\x00", ""))
    return "".join(char for char in value if unicodedata.category(char)[0] != "C" or char in "\t ")


def parse_query(request: HttpRequest, lookup: Lookup) -> tuple[QueryDict, list[str]]:
    """Validate the GET parameters: returns (clean QueryDict, notes for the visitor).

    Unknown values are dropped with a note; a request with absurd numbers of parameters is
    answered with 400, since no form of ours can produce it.
    """
    data = request.GET
    if sum(len(values) for values in data.lists()) > MAX_PARAMETERS:
        raise BadRequest(_("Zu viele Parameter."))
    clean = QueryDict(mutable=True)
    notes = []
    labels = dict(FACETS)
    for name in FACET_NAMES:
        values = data.getlist(name)
        if len(values) > MAX_VALUES_PER_FACET:
            raise BadRequest(_("Zu viele Werte für einen Filter."))
        known = lookup.by_key[name]
        kept = []
        for value in values:
            value = value.strip()
            if not value or value in kept:
                continue
            if value in known and "\x00" not in value:
                kept.append(value)
            else:
                shown = clean_text(value)[:40] or "?"
                notes.append(
                    _("Den Wert „%(value)s“ für „%(facet)s“ gibt es nicht; er wurde nicht berücksichtigt.")
                    % {"value": shown, "facet": labels[name]}
                )
        if kept:
            clean.setlist(name, kept)
    query = clean_text(data.get("q", "")).strip()
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notes.append(_("Der Suchbegriff war zu lang und wurde gekürzt."))
    if query:
        clean["q"] = query
    if data.get("county_wide") in ("1", "on", "true"):
        clean["county_wide"] = "1"
    sort = data.get("sort", "")
    if sort and sort in SORTS and sort != DEFAULT_SORT:
        clean["sort"] = sort
    elif sort and sort not in SORTS:
        notes.append(_("Diese Sortierung gibt es nicht; die Liste ist nach Nummer sortiert."))
    page = data.get("page", "")
    if page:
        if page.isascii() and page.isdigit() and len(page) <= 6 and int(page) >= 1:
            clean["page"] = str(int(page))
        else:
            notes.append(_("Die Seitenzahl war ungültig; gezeigt wird die erste Seite."))
    return clean, notes


class KnownCountPaginator(Paginator):
    """A paginator told the total, which the facet query has counted already."""

    def __init__(self, object_list: Sequence[Any] | QuerySet[Any], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def base_queryset(locale: Locale) -> QuerySet[Project]:
    return Project.objects.filter(live=True, locale=locale)


def filtered(page: Page, request: HttpRequest) -> tuple[ProjectFilterSet, QueryDict, list[str]]:
    """The validated filter set over the page's entries, with notes; for list, exports and feed."""
    lookup = Lookup(page_locale(page))
    data, notes = parse_query(request, lookup)
    filterset = ProjectFilterSet(data, base_queryset(page_locale(page)), lookup=lookup)
    if not filterset.is_valid():
        raise BadRequest(_("Ungültige Filter."))
    return filterset, data, notes


def sorted_queryset(filterset: ProjectFilterSet, data: QueryDict) -> QuerySet[Project]:
    return filterset.qs.order_by(*SORTS[data.get("sort", DEFAULT_SORT)][1])


def entry_url(base_url: str, project: Project) -> str:
    return entry_path(base_url, project.code, project.title, project.slug)


def entry_path(base_url: str, code: str, title: str, slug: str) -> str:
    return f"{base_url}eintrag/{code_token(code)}/{slug or slugify(title) or 'eintrag'}/"
