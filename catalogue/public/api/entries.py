"""Catalogue entries: the filtered list and one entry in full."""

from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, F, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query
from wagtail.rich_text import expand_db_html

from catalogue.models import Project

from ..entry import entry_context
from ..options import DEFAULT_SORT, SORTS, Lookup
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
    terms,
)
from .schemas import EntryDetail, EntryFilters, EntryList, LanguageQuery, Paging, SdgTargetRef, Term

RELATIONS = (
    ("goal", "goals", "goal_id"),
    ("theme", "themes", "theme_id"),
    ("department", "partner_departments", "department_id"),
    ("municipality", "municipalities", "municipality_id"),
    ("funding", "funding_programmes", "fundingprogramme_id"),
    ("sdg", "sdg_targets", "sdgtarget_id"),
)


def _relations(pks: list[int]) -> dict[int, dict[str, list[int]]]:
    """The many-to-many links of these entries in one UNION query: entry -> kind -> ids."""
    found: dict[int, dict[str, list[int]]] = {pk: {kind: [] for kind, _name, _column in RELATIONS} for pk in pks}
    if not pks:
        return found
    parts = [
        getattr(Project, name)
        .through.objects.filter(project_id__in=pks)
        .values_list(Value(kind, output_field=CharField()), "project_id", column)
        .order_by()
        for kind, name, column in RELATIONS
    ]
    first, *rest = parts
    for kind, project_id, value in first.union(*rest, all=True):
        found[project_id][kind].append(value)
    return found


def _areas(lookup: Lookup, goal_ids: list[int]) -> list[Term]:
    area_ids = []
    for goal_id in goal_ids:
        area_id = lookup.area_of_goal.get(goal_id)
        if area_id is not None and area_id not in area_ids:
            area_ids.append(area_id)
    order = [option.first_id for option in lookup.options["area"]]
    return terms(lookup, "area", sorted(area_ids, key=lambda pk: order.index(pk) if pk in order else 0))


def _sdg_targets(lookup: Lookup, ids: Iterable[int]) -> list[SdgTargetRef]:
    table = lookup.by_id["sdg_target"]
    found = [table[pk] for pk in ids if pk in table]
    return [
        SdgTargetRef(code=option.key, goal=int(option.key.split(".")[0]), text=option.title)
        for option in sorted(found, key=lambda option: lookup.options["sdg_target"].index(option))
    ]


SUMMARY_FIELDS = (
    "pk",
    "code",
    "title",
    "slug",
    "kind",
    "summary",
    "status_id",
    "traffic_light",
    "progress",
    "last_report_date",
    "lead_department_id",
    "county_wide",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "continuous",
    "priority",
    "parent_code",
)


def _summary(
    request: HttpRequest, lookup: Lookup, base_url: str, row: dict[str, Any], links: dict[str, list[int]]
) -> dict[str, Any]:
    goal_ids = links["goal"]
    path = entry_path(base_url, row["code"], row["title"], row["slug"])
    return {
        "code": row["code"],
        "title": row["title"],
        "kind": row["kind"],
        "summary": row["summary"],
        "url": absolute(request, path),
        "api_url": absolute(request, reverse("wagtailapi_v3:catalogue_entry", args=[row["code"]])),
        "parent": row["parent_code"],
        "status": term(lookup.by_id["status"].get(row["status_id"])),
        "traffic_light": light(row["traffic_light"]),
        "progress": row["progress"],
        "last_report_date": row["last_report_date"],
        "lead_department": term(lookup.by_id["department"].get(row["lead_department_id"])),
        "partner_departments": terms(lookup, "department", links["department"]),
        "areas": _areas(lookup, goal_ids),
        "goals": sorted(terms(lookup, "goal", goal_ids), key=lambda found: found.key),
        "themes": terms(lookup, "theme", links["theme"]),
        "municipalities": sorted(terms(lookup, "municipality", links["municipality"]), key=lambda t: t.label),
        "county_wide": row["county_wide"],
        "funding_programmes": terms(lookup, "funding", links["funding"]),
        "sdg_targets": _sdg_targets(lookup, links["sdg"]),
        "planned_start": row["planned_start"],
        "planned_end": row["planned_end"],
        "actual_start": row["actual_start"],
        "actual_end": row["actual_end"],
        "continuous": row["continuous"],
        "priority": row["priority"],
    }


@router.get(
    "/entries/",
    response={200: EntryList, 304: None},
    url_name="catalogue_entries",
    summary="Katalogeinträge (gefiltert)",
    operation_id="catalogue_entries_list",
)
def list_entries(
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
        queryset = filterset.qs.order_by(*SORTS[data.get("sort", DEFAULT_SORT)][1])
        count = queryset.count()
        rows = list(queryset.annotate(parent_code=F("parent__code")).values(*SUMMARY_FIELDS)[offset : offset + limit])
        links = _relations([row["pk"] for row in rows])
        base_url = page.get_url(request)
        following, previous = page_links(request, count, limit, offset)
        return {
            "license": licence(request, page),
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": following,
            "previous": previous,
            "notes": notes,
            "items": [_summary(request, filterset.lookup, base_url, row, links[row["pk"]]) for row in rows],
        }

    return in_language(locale, build)


@router.get(
    "/entries/{code}/",
    response={200: EntryDetail, 304: None},
    url_name="catalogue_entry",
    summary="Ein Katalogeintrag mit Berichten, Indikatoren, Links und Dokumenten",
    operation_id="catalogue_entries_detail",
)
def get_entry(
    request: HttpRequest,
    response: HttpResponse,
    code: str,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    unchanged = not_modified(request, response)
    if unchanged is not None:
        return unchanged
    locale = requested_locale(language.locale)
    page = public_catalogue(locale)

    def build() -> dict[str, Any]:
        project = (
            Project.objects.filter(live=True, locale=locale, code=code[:20])
            .annotate(parent_code=F("parent__code"))
            .first()
        )
        if project is None:
            raise Http404(_("Diesen Eintrag gibt es nicht."))
        lookup = Lookup(locale)
        base_url = page.get_url(request)
        entry = entry_context(project, lookup, base_url=base_url)
        row = {name: getattr(project, name) for name in SUMMARY_FIELDS}
        links: dict[str, list[int]] = {kind: [] for kind, _name, _column in RELATIONS}
        links.update({kind: ids for kind, ids in entry["relation_ids"].items() if kind in links})
        return {
            **_summary(request, lookup, base_url, row, links),
            "description": expand_db_html(project.description),
            "external_partners": project.external_partners,
            "cost_estimate": project.cost_estimate,
            "funding_amount": project.funding_amount,
            "contact_name": project.contact_name,
            "contact_email": project.contact_email,
            "contact_phone": project.contact_phone,
            "links": [{"title": link.title, "url": link.url} for link in entry["links"]],
            "documents": [{"title": item.title, "url": absolute(request, item.url)} for item in entry["documents"]],
            "reports": [
                {
                    "id": report.pk,
                    "date": report.date,
                    "period": report.period,
                    "status": term(report.status),
                    "traffic_light": light(report.traffic_light),
                    "progress": report.progress,
                    "text": report.text,
                }
                for report in entry["reports"]
            ],
            "indicators": [series_payload(series) for series in entry["indicators"]],
            "license": licence(request, page),
        }

    return in_language(locale, build)
