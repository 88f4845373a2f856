"""Small lists of entries for municipalities' websites, framed only by the websites the county allows.

`/einbetten/gemeinde/<slug>/` lists the entries in one municipality (and, with `county_wide=1`,
the county-wide ones), `/einbetten/?…` any selection the catalogue page can make. The pages
load nothing but the county's own stylesheet, work without JavaScript, and may be framed only
from the origins listed in the open-data settings: their Content Security Policy names those
origins in `frame-ancestors`; every other page keeps `DENY`.
"""

import copy
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from catalogue.imports import LICENCE_NAME, LICENCE_URL
from catalogue.models import Municipality, OpenDataSettings
from cms.locales import active_locale

from .exports import source_note
from .facets import ProjectFilterSet
from .goals import catalogue_page
from .options import DEFAULT_SORT, SORTS, Lookup, Option
from .query import base_queryset, entry_path, parse_query

EMBED_LIMIT = 50


@dataclass(frozen=True)
class EmbedRow:
    code: str
    title: str
    url: str
    status: Option | None
    light: str
    light_label: str
    progress: int


def frame_ancestors(request: HttpRequest) -> list[str]:
    """The origins allowed to frame the embeds, from the site's open-data settings."""
    origins = OpenDataSettings.for_request(request).embed_origin_list()
    return origins or ["'none'"]


def _embed(request: HttpRequest, extra: dict[str, str], heading: str) -> HttpResponse:
    locale = active_locale()
    page = catalogue_page(locale.pk)
    if page is None:
        raise Http404
    lookup = Lookup(locale)
    query = request.GET.copy()
    for name, value in extra.items():
        query[name] = value
    selection = copy.copy(request)
    # django-stubs types `GET` as the immutable QueryDict a server request parses, but Django's
    # HttpRequest holds any QueryDict (it starts with a mutable one); parse_query only reads it.
    selection.GET = query  # type: ignore[assignment]
    try:
        data, notes = parse_query(selection, lookup)
    except BadRequest as error:
        return HttpResponseBadRequest(str(error))
    filterset = ProjectFilterSet(data, base_queryset(locale), lookup=lookup)
    if not filterset.is_valid():
        return HttpResponseBadRequest(_("Ungültige Filter."))
    entries = filterset.qs.order_by(*SORTS[data.get("sort", DEFAULT_SORT)][1])
    total = entries.count()
    base_url = page.get_url(request)
    lights = {option.key: option.label for option in lookup.options["traffic_light"]}
    rows = [
        EmbedRow(
            code=row["code"],
            title=row["title"],
            url=request.build_absolute_uri(entry_path(base_url, row["code"], row["title"], row["slug"])),
            status=lookup.by_id["status"].get(row["status_id"]),
            light=row["traffic_light"],
            light_label=lights.get(row["traffic_light"], row["traffic_light"]),
            progress=row["progress"],
        )
        for row in entries.values("code", "title", "slug", "status_id", "traffic_light", "progress")[:EMBED_LIMIT]
    ]
    list_query = data.copy()
    list_query.pop("page", None)
    context: dict[str, Any] = {
        "heading": heading,
        "rows": rows,
        "total": total,
        "notes": notes,
        "more": total > len(rows),
        "list_url": request.build_absolute_uri(base_url + (f"?{list_query.urlencode()}" if list_query else "")),
        "source_note": source_note(page, request),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "language": locale.language_code,
    }
    response = TemplateResponse(request, "catalogue/embed.html", context)
    # django-csp reads this attribute of the response (its own decorators set it the same way);
    # no stub can know it.
    response._csp_replace = {"frame-ancestors": frame_ancestors(request)}  # type: ignore[attr-defined]
    return response


@require_safe
@xframe_options_exempt
def municipality_embed_view(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Municipality, slug=slug)
    heading = _("Vorhaben des Landkreises in %(place)s") % {"place": place.name}
    return _embed(request, {"municipality": place.slug}, heading)


@require_safe
@xframe_options_exempt
def embed_view(request: HttpRequest) -> HttpResponse:
    return _embed(request, {}, _("Vorhaben des Landkreises"))
