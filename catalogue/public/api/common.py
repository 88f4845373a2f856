"""What every answer of the read API shares: language, licence, validators, paging, terms."""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from wagtail.models import Locale, Page

from catalogue.imports import LICENCE_NAME, LICENCE_URI, LICENCE_URL
from catalogue.models import Project, TrafficLight
from cms import cache
from cms.locales import locales_by_code

from ..entry import IndicatorSeries
from ..exports import source_note
from ..facets import ProjectFilterSet
from ..goals import catalogue_page
from ..options import Lookup, Option
from ..query import parse_query
from .schemas import Licence, Paging, Term

CACHE_SECONDS = 60
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'

router = Router(tags=["Projektkatalog"])

T = TypeVar("T")


def requested_locale(code: str | None) -> Locale:
    locales = locales_by_code()
    if not code:
        return Locale.get_default()
    if code not in locales:
        raise HttpError(400, _("Die Sprache „%(code)s“ gibt es nicht.") % {"code": code[:10]})
    return locales[code]


def licence(request: HttpRequest, page: Page | None) -> Licence:
    note = (
        source_note(page, request)
        if page is not None
        else f"Quelle: {request.build_absolute_uri('/')}; Lizenz: {LICENCE_NAME} ({LICENCE_URL})"
    )
    return Licence(name=LICENCE_NAME, url=LICENCE_URL, uri=LICENCE_URI, source_note=note)


def not_modified(request: HttpRequest, response: HttpResponse) -> HttpResponse | None:
    """Set the validators of this answer; return a 304 when the caller holds it already.

    Everything here derives from catalogue data, so the data version and the full address (the
    answer's links carry scheme and host) name an answer exactly; no query is needed to tell
    whether it changed.
    """
    digest = hashlib.sha256(f"{cache.data_version()}|{request.build_absolute_uri()}".encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    changed = cache.data_changed_at()
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(changed),
        "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        "Link": LICENCE_LINK,
    }
    for name, value in headers.items():
        response[name] = value
    answer = get_conditional_response(request, etag=etag, last_modified=changed)
    if answer is None:
        return None
    for name, value in headers.items():
        answer[name] = value
    return answer


def public_catalogue(locale: Locale) -> Page:
    page = catalogue_page(locale.pk)
    if page is None:
        raise Http404(_("In dieser Sprache gibt es keinen öffentlichen Projektkatalog."))
    return page


def page_links(request: HttpRequest, count: int, limit: int, offset: int) -> tuple[str | None, str | None]:
    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = link(offset + limit) if offset + limit < count else None
    previous = link(max(offset - limit, 0)) if offset > 0 else None
    return following, previous


def limit_and_offset(paging: Paging, data: QueryDict) -> tuple[int, int]:
    """Limit and offset; a `page` of the catalogue page's kind overrides the offset."""
    page = data.get("page")
    if page is not None and "offset" not in data:
        return paging.limit, (int(page) - 1) * paging.limit
    return paging.limit, paging.offset


def term(option: Option | None) -> Term | None:
    return Term(key=option.key, label=option.label) if option else None


def terms(lookup: Lookup, facet: str, ids: Iterable[Any]) -> list[Term]:
    table = lookup.by_id[facet]
    return [Term(key=table[pk].key, label=table[pk].label) for pk in ids if pk in table]


def light(value: str) -> Term:
    return Term(key=value, label=str(TrafficLight(value).label) if value in TrafficLight.values else value)


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def in_language(locale: Locale, build: Callable[[], T]) -> T:
    """Build an answer in the requested language, whatever the caller's Accept-Language says."""
    with translation.override(locale.language_code):
        return build()


def filtered(request: HttpRequest, locale: Locale) -> tuple[ProjectFilterSet, QueryDict, list[str]]:
    lookup = Lookup(locale)
    try:
        data, notes = parse_query(request, lookup)
    except BadRequest as error:
        raise HttpError(400, str(error)) from error
    filterset = ProjectFilterSet(data, Project.objects.filter(live=True, locale=locale), lookup=lookup)
    if not filterset.is_valid():
        raise HttpError(400, _("Ungültige Filter."))
    return filterset, data, notes


def series_payload(series: IndicatorSeries) -> dict[str, Any]:
    return {
        "id": series.pk,
        "title": series.title,
        "unit": series.unit,
        "direction": series.direction,
        "baseline_value": series.baseline_value,
        "baseline_year": series.baseline_year,
        "target_value": series.target_value,
        "target_year": series.target_year,
        "source": series.source,
        "values": [{"date": value.date, "value": value.value} for value in series.values],
    }
