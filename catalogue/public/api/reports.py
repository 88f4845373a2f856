"""Published status reports of the filtered entries, and the indicators with their values."""

from typing import Any

from django.db.models import CharField, Value
from django.http import HttpRequest, HttpResponse
from ninja import Query
from wagtail.models import Locale

from catalogue.models import Indicator, StatusReport

from ..entry import indicators
from ..query import entry_path
from .common import (
    absolute,
    filtered,
    in_language,
    licence,
    light,
    limit_and_offset,
    not_modified,
    page_links,
    public_catalogue,
    requested_locale,
    router,
    series_payload,
    term,
)
from .schemas import EntryFilters, IndicatorList, LanguageQuery, Paging, ReportList


@router.get(
    "/reports/",
    response={200: ReportList, 304: None},
    url_name="catalogue_reports",
    summary="Veröffentlichte Statusberichte der gefilterten Einträge, neueste zuerst",
    operation_id="catalogue_reports_list",
)
def list_reports(
    request: HttpRequest,
    response: HttpResponse,
    filters: EntryFilters = Query(...),  # noqa: B008
    paging: Paging = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    unchanged = not_modified(request, response)
    if unchanged is not None:
        return unchanged
    locale = requested_locale(filters.locale)
    page = public_catalogue(locale)

    def build() -> dict[str, Any]:
        filterset, data, notes = filtered(request, locale)
        limit, offset = limit_and_offset(paging, data)
        # Report rows exist only for published versions: a report waiting for approval lives in
        # the entry's draft revision, not in this table.
        reports = StatusReport.objects.filter(project__in=filterset.qs.values("pk")).order_by("-date", "-pk")
        count = reports.count()
        rows = reports.values(
            "pk",
            "date",
            "reporting_period",
            "status_id",
            "traffic_light",
            "progress",
            "text",
            "project__code",
            "project__title",
            "project__slug",
        )[offset : offset + limit]
        lookup = filterset.lookup
        base_url = page.get_url(request)
        following, previous = page_links(request, count, limit, offset)
        items = [
            {
                "id": row["pk"],
                "date": row["date"],
                "period": row["reporting_period"],
                "status": term(lookup.by_id["status"].get(row["status_id"])),
                "traffic_light": light(row["traffic_light"]),
                "progress": row["progress"],
                "text": row["text"],
                "entry": row["project__code"],
                "entry_title": row["project__title"],
                "url": absolute(
                    request,
                    entry_path(base_url, row["project__code"], row["project__title"], row["project__slug"])
                    + f"#report-{row['pk']}",
                ),
            }
            for row in rows
        ]
        return {
            "license": licence(request, page),
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": following,
            "previous": previous,
            "notes": notes,
            "items": items,
        }

    return in_language(locale, build)


@router.get(
    "/indicators/",
    response={200: IndicatorList, 304: None},
    url_name="catalogue_indicators",
    summary="Indikatoren mit ihren Messwerten",
    operation_id="catalogue_indicators_list",
)
def list_indicators(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
    paging: Paging = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    unchanged = not_modified(request, response)
    if unchanged is not None:
        return unchanged
    locale = requested_locale(language.locale)
    page = public_catalogue(locale)

    def build() -> dict[str, Any]:
        source = Indicator.objects.filter(locale=Locale.get_default()).order_by("title", "pk")
        count = source.count()
        ids = list(source.values_list("pk", flat=True)[paging.offset : paging.offset + paging.limit])
        series = {item.pk: item for item in indicators(ids, locale)}
        keys = dict(Indicator.objects.filter(pk__in=[*ids, *series]).values_list("pk", "translation_key"))
        by_key = {keys.get(pk): item for pk, item in series.items()}
        links: dict[int, dict[str, list[str]]] = {pk: {"entry": [], "goal": []} for pk in ids}
        entries = Indicator.projects.through.objects.filter(
            indicator_id__in=ids, project__live=True, project__locale=locale
        ).values_list(Value("entry", output_field=CharField()), "indicator_id", "project__code")
        goals = Indicator.goals.through.objects.filter(indicator_id__in=ids).values_list(
            Value("goal", output_field=CharField()), "indicator_id", "goal__code"
        )
        for kind, indicator_id, code in entries.order_by().union(goals.order_by(), all=True):
            links[indicator_id][kind].append(code)
        following, previous = page_links(request, count, paging.limit, paging.offset)
        items = []
        for pk in ids:
            item = by_key.get(keys.get(pk))
            if item is None:
                continue
            items.append(
                {
                    **series_payload(item),
                    "id": pk,
                    "entries": sorted(links[pk]["entry"]),
                    "goals": sorted(links[pk]["goal"]),
                }
            )
        return {
            "license": licence(request, page),
            "count": count,
            "limit": paging.limit,
            "offset": paging.offset,
            "next": following,
            "previous": previous,
            "items": items,
        }

    return in_language(locale, build)
