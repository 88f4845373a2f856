"""The catalogue's filtered list: result cards, facets with counts, chips and paging."""

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, QueryDict
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalogue.models import Project

from .options import DEFAULT_SORT, FACETS, SORTS, Option
from .query import KnownCountPaginator, entry_path, filtered, sorted_queryset

PER_PAGE = 20


class ListRow(NamedTuple):
    """The columns a result card shows: no model instance, no long description."""

    code: str
    title: str
    slug: str
    summary: str
    status_id: int | None
    traffic_light: str
    progress: int
    lead_department_id: int
    last_report_date: Any
    first_goal_id: int | None


LIST_COLUMNS = tuple(name for name in ListRow._fields if name != "first_goal_id")


@dataclass(frozen=True)
class Card:
    project: ListRow
    url: str
    status: Option | None
    light: str
    department: Option | None
    area: Option | None


@dataclass(frozen=True)
class FacetChoice:
    key: str
    label: str
    count: int
    checked: bool
    depth: int


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    options: list[FacetChoice]
    open: bool
    selected: int


@dataclass(frozen=True)
class Chip:
    facet: str
    label: str
    url: str


def first_goal() -> Subquery:
    """The entry's first goal by number, as a subquery: names the row's area without another query."""
    links = Project.goals.through.objects.filter(project_id=OuterRef("pk")).order_by("goal__code")
    return Subquery(links.values("goal_id")[:1])


def _querystring(data: QueryDict, **changes: Any) -> str:
    query = data.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, value if isinstance(value, list) else [value])
    query.pop("page", None) if "page" not in changes else None
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def list_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    filterset, data, notes = filtered(page, request)
    lookup = filterset.lookup
    counts = filterset.facet_counts()
    total = counts["_total"]
    # Plain rows of the columns the cards show: no model instances, no long descriptions.
    paginator = KnownCountPaginator(
        sorted_queryset(filterset, data).annotate(first_goal_id=first_goal()).values_list(*ListRow._fields),
        PER_PAGE,
        total,
    )
    number = int(data.get("page", 1))
    if number > paginator.num_pages:
        if total:
            notes.append(
                _("Seite %(number)s gibt es nicht; gezeigt wird die letzte Seite.") % {"number": min(number, 999999)}
            )
        number = paginator.num_pages
    results = paginator.page(number)
    base_url = page.get_url(request)
    lights = {option.key: option.label for option in lookup.options["traffic_light"]}

    def cards() -> list[Card]:
        rows = [ListRow(*values) for values in results.object_list]
        return [
            Card(
                project=row,
                url=entry_path(base_url, row.code, row.title, row.slug),
                status=lookup.by_id["status"].get(row.status_id),
                light=lights.get(row.traffic_light, row.traffic_light),
                department=lookup.by_id["department"].get(row.lead_department_id),
                area=lookup.by_id["area"].get(lookup.area_of_goal.get(row.first_goal_id)),
            )
            for row in rows
        ]

    # Asked for only when the template renders the results, so a cached fragment skips the query.
    entries = SimpleLazyObject(cards)

    active = filterset.active()
    facets = []
    for name, label in FACETS:
        selected = active.get(name, [])
        options = []
        for option in lookup.options[name]:
            count = counts[name].get(option.key, 0)
            checked = option.key in selected
            if not count and not checked:
                continue
            options.append(FacetChoice(option.key, option.label, count, checked, option.depth))
        facets.append(FacetView(name, str(label), options, bool(selected), len(selected)))
    chips = []
    for name, label in FACETS:
        for key in active.get(name, []):
            remaining = [value for value in active[name] if value != key]
            chips.append(
                Chip(str(label), lookup.by_key[name][key].label, _querystring(data, **{name: remaining or None}))
            )
    if data.get("q"):
        chips.append(Chip(_("Suchbegriff"), str(data["q"]), _querystring(data, q=None)))
    selected_values = sum(len(values) for values in active.values()) + (1 if data.get("q") else 0)
    query = data.copy()
    query.pop("page", None)
    export_query = f"?{query.urlencode()}" if query else ""
    sort = data.get("sort", DEFAULT_SORT)
    return {
        "filterset": filterset,
        "facets": facets,
        "results": results,
        "entries": entries,
        "total": total,
        "notes": notes,
        "chips": chips,
        "query": data.get("q", ""),
        "county_wide": bool(data.get("county_wide")),
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()],
        "sort": sort,
        "noindex": selected_values > 1 or "page" in data or "sort" in data,
        "canonical_query": f"?{data.urlencode()}" if selected_values == 1 and not data.get("q") else "",
        "export_query": export_query,
        "base_url": base_url,
        "page_query": _page_query(data),
        # Keys of the cached facet and result fragments of the template: what they show
        # follows from the selection, the sort, the page number and the page's address.
        "facets_key": filterset.selection_key(),
        "results_key": f"{filterset.selection_key()}:{sort}:{results.number}:{base_url}",
    }


def _page_query(data: QueryDict) -> str:
    query = data.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""
