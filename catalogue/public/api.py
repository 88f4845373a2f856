"""The catalogue's read API: entries with the catalogue page's filters, taxonomy, indicators, reports.

Mounted on Wagtail's API v3 (`cms.urls`), so it shares its OpenAPI schema and docs. Anonymous
callers see what the public site shows and nothing more: live entries of a language whose
catalogue page is live and public, published reports, the public fields of each. Every answer
carries the licence, an ETag and Last-Modified from the catalogue's data version (a repeated
request with either is answered 304 without touching the database), and CORS headers for GET
(`cms.middleware.OpenDataMiddleware`).
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import BadRequest
from django.db.models import CharField, F, Value
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from wagtail.models import Locale, Page
from wagtail.rich_text import expand_db_html

from catalogue.imports import LICENCE_NAME, LICENCE_URI, LICENCE_URL
from catalogue.models import (
    Area,
    Department,
    Goal,
    Indicator,
    Municipality,
    Project,
    SdgGoal,
    Status,
    StatusReport,
    Theme,
    TrafficLight,
    department_slug,
)
from cms import cache
from cms.locales import locales_by_code

from .entry import IndicatorSeries, entry_context, indicators
from .exports import source_note
from .facets import ProjectFilterSet
from .goals import catalogue_page
from .options import DEFAULT_SORT, SORTS, Lookup, Option
from .query import entry_path, parse_query

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
CACHE_SECONDS = 60
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'

router = Router(tags=["Projektkatalog"])

T = TypeVar("T")


# Payloads ----------------------------------------------------------------------------------


class Licence(Schema):
    name: str
    url: str
    uri: str = Field(description="The licence in DCAT-AP.de's vocabulary.")
    source_note: str = Field(description="The source note the licence asks users of the data to give.")


class Term(Schema):
    key: str = Field(description="Stable key, as used in the catalogue's filter parameters.")
    label: str


class SdgTargetRef(Schema):
    code: str
    goal: int
    text: str


class Link(Schema):
    title: str
    url: str


class EntrySummary(Schema):
    code: str
    title: str
    kind: str
    summary: str
    url: str = Field(description="The entry's public page.")
    api_url: str
    parent: str | None = Field(None, description="Code of the entry this one belongs to.")
    status: Term | None
    traffic_light: Term
    progress: int
    last_report_date: datetime.date | None
    lead_department: Term | None
    partner_departments: list[Term]
    areas: list[Term]
    goals: list[Term]
    themes: list[Term]
    municipalities: list[Term]
    county_wide: bool
    funding_programmes: list[Term]
    sdg_targets: list[SdgTargetRef]
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    continuous: bool
    priority: str


class Measurement(Schema):
    date: datetime.date
    value: Decimal


class IndicatorOut(Schema):
    id: int
    title: str
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    source: str
    values: list[Measurement]


class IndicatorWithLinks(IndicatorOut):
    entries: list[str] = Field(description="Codes of the live entries the indicator belongs to.")
    goals: list[str] = Field(description="Codes of the goals it measures.")


class ReportOut(Schema):
    id: int
    date: datetime.date
    period: str
    status: Term | None
    traffic_light: Term
    progress: int
    text: str


class EntryDetail(EntrySummary):
    description: str = Field(description="HTML, as the entry's page shows it.")
    external_partners: str
    cost_estimate: Decimal | None
    funding_amount: Decimal | None
    contact_name: str
    contact_email: str
    contact_phone: str
    links: list[Link]
    documents: list[Link]
    reports: list[ReportOut]
    indicators: list[IndicatorOut]
    license: Licence


class ListPage(Schema):
    license: Licence
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None


class EntryList(ListPage):
    notes: list[str] = Field(description="Filter values that were not understood and therefore ignored.")
    items: list[EntrySummary]


class ReportWithEntry(ReportOut):
    entry: str = Field(description="Code of the entry.")
    entry_title: str
    url: str


class ReportList(ListPage):
    notes: list[str]
    items: list[ReportWithEntry]


class IndicatorList(ListPage):
    items: list[IndicatorWithLinks]


class AreaOut(Schema):
    key: str
    code: str
    title: str
    description: str
    colour: str


class GoalOut(Schema):
    key: str
    code: str
    title: str
    description: str
    level: int
    parent: str | None
    area: str
    sdg_targets: list[str]
    url: str | None


class ThemeOut(Schema):
    key: str
    title: str
    description: str


class DepartmentOut(Schema):
    key: str
    name: str
    short_name: str
    email: str
    parent: str | None


class MunicipalityOut(Schema):
    key: str
    name: str
    ags: str = Field(description="Amtlicher Gemeindeschlüssel.")


class StatusOut(Schema):
    key: str
    name: str
    colour: str
    order: int
    is_closed: bool


class SdgTargetOut(Schema):
    code: str
    text: str


class SdgOut(Schema):
    number: int
    name: str
    title: str
    colour: str
    icon: str
    targets: list[SdgTargetOut]


def _listing(item: type[Schema], name: str) -> type[Schema]:
    return type(name, (Schema,), {"__annotations__": {"license": Licence, "items": list[item]}})


AreaList = _listing(AreaOut, "AreaList")
GoalList = _listing(GoalOut, "GoalList")
ThemeList = _listing(ThemeOut, "ThemeList")
DepartmentList = _listing(DepartmentOut, "DepartmentList")
MunicipalityList = _listing(MunicipalityOut, "MunicipalityList")
StatusList = _listing(StatusOut, "StatusList")
SdgList = _listing(SdgOut, "SdgList")


class LanguageQuery(Schema):
    locale: str | None = Field(None, description="Language of labels and entries, e.g. de or en; default: de.")


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class EntryFilters(LanguageQuery):
    """The catalogue page's parameters; unknown values are ignored with a note, as on the page."""

    q: str | None = Field(None, description="Search term (title, code, summary).")
    area: list[str] = Field([], description="Area keys (slugs).")
    goal: list[str] = Field([], description="Goal codes; sub-goals are included.")
    theme: list[str] = Field([], description="Theme keys.")
    sdg: list[str] = Field([], description="SDG numbers, 1 to 17.")
    status: list[str] = Field([], description="Status keys.")
    traffic_light: list[str] = Field([], description="on_track, at_risk, off_track or unknown.")
    department: list[str] = Field([], description="Department keys (lead or partner).")
    municipality: list[str] = Field([], description="Municipality keys.")
    county_wide: str | None = Field(None, description="1: entries for the whole county join a municipality filter.")
    kind: list[str] = Field([], description="project or measure.")
    year: list[str] = Field([], description="Active in these years.")
    priority: list[str] = Field([], description="I, II or III.")
    sort: str | None = Field(None, description="code (default), title, updated or start.")
    page: str | None = Field(None, description="Page of `limit` entries, counted from 1 (instead of `offset`).")


# Helpers -----------------------------------------------------------------------------------


def _locale(code: str | None) -> Locale:
    locales = locales_by_code()
    if not code:
        return Locale.get_default()
    if code not in locales:
        raise HttpError(400, _("Die Sprache „%(code)s“ gibt es nicht.") % {"code": code[:10]})
    return locales[code]


def _licence(request: HttpRequest, page: Page | None) -> Licence:
    note = (
        source_note(page, request)
        if page is not None
        else f"Quelle: {request.build_absolute_uri('/')}; Lizenz: {LICENCE_NAME} ({LICENCE_URL})"
    )
    return Licence(name=LICENCE_NAME, url=LICENCE_URL, uri=LICENCE_URI, source_note=note)


def _unchanged(request: HttpRequest, response: HttpResponse) -> HttpResponse | None:
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


def _public_catalogue(locale: Locale) -> Page:
    page = catalogue_page(locale.pk)
    if page is None:
        raise Http404(_("In dieser Sprache gibt es keinen öffentlichen Projektkatalog."))
    return page


def _page_links(request: HttpRequest, count: int, limit: int, offset: int) -> tuple[str | None, str | None]:
    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = link(offset + limit) if offset + limit < count else None
    previous = link(max(offset - limit, 0)) if offset > 0 else None
    return following, previous


def _paging(paging: Paging, data: QueryDict) -> tuple[int, int]:
    """Limit and offset; a `page` of the catalogue page's kind overrides the offset."""
    if "page" in data and "offset" not in data:
        return paging.limit, (int(data["page"]) - 1) * paging.limit
    return paging.limit, paging.offset


def _term(option: Option | None) -> Term | None:
    return Term(key=option.key, label=option.label) if option else None


def _terms(lookup: Lookup, facet: str, ids: Iterable[Any]) -> list[Term]:
    table = lookup.by_id[facet]
    return [Term(key=table[pk].key, label=table[pk].label) for pk in ids if pk in table]


def _light(value: str) -> Term:
    return Term(key=value, label=str(TrafficLight(value).label) if value in TrafficLight.values else value)


def _sdg_targets(lookup: Lookup, ids: Iterable[int]) -> list[SdgTargetRef]:
    table = lookup.by_id["sdg_target"]
    found = [table[pk] for pk in ids if pk in table]
    return [
        SdgTargetRef(code=option.key, goal=int(option.key.split(".")[0]), text=option.title)
        for option in sorted(found, key=lambda option: lookup.options["sdg_target"].index(option))
    ]


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _in_language(locale: Locale, build: Callable[[], T]) -> T:
    """Build an answer in the requested language, whatever the caller's Accept-Language says."""
    with translation.override(locale.language_code):
        return build()


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
    return _terms(lookup, "area", sorted(area_ids, key=lambda pk: order.index(pk) if pk in order else 0))


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


def _summary(request: HttpRequest, lookup: Lookup, base_url: str, row: dict[str, Any], links: dict) -> dict:
    goal_ids = links["goal"]
    path = entry_path(base_url, row["code"], row["title"], row["slug"])
    return {
        "code": row["code"],
        "title": row["title"],
        "kind": row["kind"],
        "summary": row["summary"],
        "url": _absolute(request, path),
        "api_url": _absolute(request, reverse("wagtailapi_v3:catalogue_entry", args=[row["code"]])),
        "parent": row["parent_code"],
        "status": _term(lookup.by_id["status"].get(row["status_id"])),
        "traffic_light": _light(row["traffic_light"]),
        "progress": row["progress"],
        "last_report_date": row["last_report_date"],
        "lead_department": _term(lookup.by_id["department"].get(row["lead_department_id"])),
        "partner_departments": _terms(lookup, "department", links["department"]),
        "areas": _areas(lookup, goal_ids),
        "goals": sorted(_terms(lookup, "goal", goal_ids), key=lambda term: term.key),
        "themes": _terms(lookup, "theme", links["theme"]),
        "municipalities": sorted(_terms(lookup, "municipality", links["municipality"]), key=lambda t: t.label),
        "county_wide": row["county_wide"],
        "funding_programmes": _terms(lookup, "funding", links["funding"]),
        "sdg_targets": _sdg_targets(lookup, links["sdg"]),
        "planned_start": row["planned_start"],
        "planned_end": row["planned_end"],
        "actual_start": row["actual_start"],
        "actual_end": row["actual_end"],
        "continuous": row["continuous"],
        "priority": row["priority"],
    }


def _filtered(request: HttpRequest, locale: Locale) -> tuple[ProjectFilterSet, QueryDict, list[str]]:
    lookup = Lookup(locale)
    try:
        data, notes = parse_query(request, lookup)
    except BadRequest as error:
        raise HttpError(400, str(error)) from error
    filterset = ProjectFilterSet(data, Project.objects.filter(live=True, locale=locale), lookup=lookup)
    if not filterset.is_valid():
        raise HttpError(400, _("Ungültige Filter."))
    return filterset, data, notes


def _series(series: IndicatorSeries) -> dict[str, Any]:
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


# Entries -----------------------------------------------------------------------------------


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
):
    unchanged = _unchanged(request, response)
    if unchanged is not None:
        return unchanged
    locale = _locale(filters.locale)
    page = _public_catalogue(locale)

    def build() -> dict[str, Any]:
        filterset, data, notes = _filtered(request, locale)
        limit, offset = _paging(paging, data)
        queryset = filterset.qs.order_by(*SORTS[data.get("sort", DEFAULT_SORT)][1])
        count = queryset.count()
        rows = list(queryset.annotate(parent_code=F("parent__code")).values(*SUMMARY_FIELDS)[offset : offset + limit])
        links = _relations([row["pk"] for row in rows])
        base_url = page.get_url(request)
        following, previous = _page_links(request, count, limit, offset)
        return {
            "license": _licence(request, page),
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": following,
            "previous": previous,
            "notes": notes,
            "items": [_summary(request, filterset.lookup, base_url, row, links[row["pk"]]) for row in rows],
        }

    return _in_language(locale, build)


@router.get(
    "/entries/{code}/",
    response={200: EntryDetail, 304: None},
    url_name="catalogue_entry",
    summary="Ein Katalogeintrag mit Berichten, Indikatoren, Links und Dokumenten",
    operation_id="catalogue_entries_detail",
)
def get_entry(request: HttpRequest, response: HttpResponse, code: str, language: LanguageQuery = Query(...)):  # noqa: B008
    unchanged = _unchanged(request, response)
    if unchanged is not None:
        return unchanged
    locale = _locale(language.locale)
    page = _public_catalogue(locale)

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
        links = {kind: [] for kind, _name, _column in RELATIONS}
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
            "documents": [{"title": item.title, "url": _absolute(request, item.url)} for item in entry["documents"]],
            "reports": [
                {
                    "id": report.pk,
                    "date": report.date,
                    "period": report.period,
                    "status": _term(report.status),
                    "traffic_light": _light(report.traffic_light),
                    "progress": report.progress,
                    "text": report.text,
                }
                for report in entry["reports"]
            ],
            "indicators": [_series(series) for series in entry["indicators"]],
            "license": _licence(request, page),
        }

    return _in_language(locale, build)


# Reports and indicators --------------------------------------------------------------------


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
):
    unchanged = _unchanged(request, response)
    if unchanged is not None:
        return unchanged
    locale = _locale(filters.locale)
    page = _public_catalogue(locale)

    def build() -> dict[str, Any]:
        filterset, data, notes = _filtered(request, locale)
        limit, offset = _paging(paging, data)
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
        following, previous = _page_links(request, count, limit, offset)
        items = [
            {
                "id": row["pk"],
                "date": row["date"],
                "period": row["reporting_period"],
                "status": _term(lookup.by_id["status"].get(row["status_id"])),
                "traffic_light": _light(row["traffic_light"]),
                "progress": row["progress"],
                "text": row["text"],
                "entry": row["project__code"],
                "entry_title": row["project__title"],
                "url": _absolute(
                    request,
                    entry_path(base_url, row["project__code"], row["project__title"], row["project__slug"])
                    + f"#report-{row['pk']}",
                ),
            }
            for row in rows
        ]
        return {
            "license": _licence(request, page),
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": following,
            "previous": previous,
            "notes": notes,
            "items": items,
        }

    return _in_language(locale, build)


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
):
    unchanged = _unchanged(request, response)
    if unchanged is not None:
        return unchanged
    locale = _locale(language.locale)
    page = _public_catalogue(locale)

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
        following, previous = _page_links(request, count, paging.limit, paging.offset)
        items = []
        for pk in ids:
            item = by_key.get(keys.get(pk))
            if item is None:
                continue
            items.append(
                {**_series(item), "id": pk, "entries": sorted(links[pk]["entry"]), "goals": sorted(links[pk]["goal"])}
            )
        return {
            "license": _licence(request, page),
            "count": count,
            "limit": paging.limit,
            "offset": paging.offset,
            "next": following,
            "previous": previous,
            "items": items,
        }

    return _in_language(locale, build)


# Taxonomy ----------------------------------------------------------------------------------


def _translated(model: type, locale: Locale, order: Iterable[str]) -> list[tuple[Any, Any]]:
    """Rows of the default locale with their translation in `locale` (or themselves): two queries."""
    source = list(model.objects.filter(locale=Locale.get_default()).order_by(*order))
    if locale.pk == Locale.get_default().pk:
        return [(row, row) for row in source]
    translations = {
        row.translation_key: row
        for row in model.objects.filter(locale=locale, translation_key__in=[row.translation_key for row in source])
    }
    return [(row, translations.get(row.translation_key, row)) for row in source]


def _taxonomy(
    request: HttpRequest, response: HttpResponse, locale_code: str | None, items: Callable[[Locale], list[dict]]
):
    unchanged = _unchanged(request, response)
    if unchanged is not None:
        return unchanged
    locale = _locale(locale_code)
    return _in_language(
        locale, lambda: {"license": _licence(request, catalogue_page(locale.pk)), "items": items(locale)}
    )


@router.get("/areas/", response={200: AreaList, 304: None}, url_name="catalogue_areas", summary="Handlungsfelder")
def list_areas(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        return [
            {
                "key": area.slug,
                "code": area.code,
                "title": shown.title,
                "description": shown.short_description,
                "colour": area.colour,
            }
            for area, shown in _translated(Area, locale, ["order", "code"])
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get("/goals/", response={200: GoalList, 304: None}, url_name="catalogue_goals", summary="Ziele (alle Ebenen)")
def list_goals(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        lookup = Lookup(locale)
        page = catalogue_page(locale.pk)
        base_url = page.get_url(request) if page is not None else None
        targets: dict[int, list[str]] = {}
        for goal_id, target_code in Goal.sdg_targets.through.objects.order_by(
            "sdgtarget__goal__number", "sdgtarget__order"
        ).values_list("goal_id", "sdgtarget__code"):
            targets.setdefault(goal_id, []).append(target_code)
        descriptions = {goal.pk: shown.description for goal, shown in _translated(Goal, locale, ["code"])}
        goals, areas = lookup.by_id["goal"], lookup.by_id["area"]
        return [
            {
                "key": option.key,
                "code": option.key,
                "title": option.title,
                "description": descriptions.get(option.id, ""),
                "level": option.depth,
                "parent": goals[option.parent_id].key if option.parent_id in goals else None,
                "area": areas[option.area_id].key if option.area_id in areas else "",
                "sdg_targets": targets.get(option.id, []),
                "url": _absolute(request, f"{base_url}ziel/{option.token}/") if base_url else None,
            }
            for option in lookup.options["goal"]
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get("/themes/", response={200: ThemeList, 304: None}, url_name="catalogue_themes", summary="Querschnittsthemen")
def list_themes(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        return [
            {"key": theme.slug, "title": shown.title, "description": shown.description}
            for theme, shown in _translated(Theme, locale, ["title"])
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get(
    "/departments/",
    response={200: DepartmentList, 304: None},
    url_name="catalogue_departments",
    summary="Fachbereiche",
)
def list_departments(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        rows = _translated(Department, locale, ["name"])
        keys = {department.pk: department_slug(department) for department, _shown in rows}
        return [
            {
                "key": keys[department.pk],
                "name": shown.name,
                "short_name": shown.short_name,
                "email": department.email,
                "parent": keys.get(department.parent_id),
            }
            for department, shown in rows
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get(
    "/municipalities/",
    response={200: MunicipalityList, 304: None},
    url_name="catalogue_municipalities",
    summary="Gemeinden",
)
def list_municipalities(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        return [
            {"key": place.slug, "name": place.name, "ags": place.ags} for place in Municipality.objects.order_by("name")
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get(
    "/statuses/", response={200: StatusList, 304: None}, url_name="catalogue_statuses", summary="Status der Umsetzung"
)
def list_statuses(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        return [
            {
                "key": status.slug,
                "name": shown.name,
                "colour": status.colour,
                "order": status.order,
                "is_closed": status.is_closed,
            }
            for status, shown in _translated(Status, locale, ["order", "name"])
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get(
    "/sdgs/",
    response={200: SdgList, 304: None},
    url_name="catalogue_sdgs",
    summary="Die 17 Nachhaltigkeitsziele der Vereinten Nationen mit ihren Unterzielen",
)
def list_sdgs(request: HttpRequest, response: HttpResponse, language: LanguageQuery = Query(...)):  # noqa: B008
    def items(locale: Locale) -> list[dict]:
        code = locale.language_code
        return [
            {
                "number": goal.number,
                "name": goal.names.get(code) or goal.name,
                "title": goal.titles.get(code) or goal.title,
                "colour": goal.colour,
                "icon": _absolute(request, static(goal.icon)),
                "targets": [
                    {"code": target.code, "text": target.texts.get(code) or target.text}
                    for target in goal.targets.all()
                ],
            }
            for goal in SdgGoal.objects.prefetch_related("targets")
        ]

    return _taxonomy(request, response, language.locale, items)
