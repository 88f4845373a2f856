"""The catalogue's filtered list: result cards, facets with counts, chips and paging."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.http import HttpRequest, QueryDict
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalogue.models import Project
from cms import cache

from .bitsets import FacetSets, facet_sets
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
    traffic_light_source: str
    progress: int
    lead_department_id: int
    last_report_date: Any
    first_goal_id: int | None
    # Whether the title and summary are still the source language's words (translated entries).
    title_is_source: bool
    summary_is_source: bool


ANNOTATED = ("first_goal_id", "title_is_source", "summary_is_source")
LIST_COLUMNS = tuple(name for name in ListRow._fields if name not in ANNOTATED)


@dataclass(frozen=True)
class Card:
    project: ListRow
    url: str
    status: Option | None
    light: str
    department: Option | None
    area: Option | None
    title_lang: str = ""
    summary_lang: str = ""


@dataclass(frozen=True)
class FacetChoice:
    key: str
    label: str
    count: int
    checked: bool
    depth: int
    lang: str = ""


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
    lang: str = ""


def first_goal() -> Subquery:
    """The entry's first goal by number, as a subquery: names the row's area without another query."""
    links = Project.goals.through.objects.filter(project_id=OuterRef("pk")).order_by("goal__code")
    return Subquery(links.values("goal_id")[:1])


def same_as_source(column: str, locale_code: str) -> Exists | Value:
    """Whether the entry's `column` still holds its source-language entry's words."""
    if locale_code == settings.LANGUAGE_CODE:
        return Value(False)
    source = Project.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=settings.LANGUAGE_CODE
    ).exclude(**{column: ""})
    return Exists(source.filter(**{column: OuterRef(column)}))


def _card_columns(queryset: QuerySet[Project], language_code: str, *extra: str) -> QuerySet[Project, tuple[Any, ...]]:
    """Plain rows of the columns the cards show (then `extra`): no model instances, no long descriptions."""
    return queryset.annotate(
        first_goal_id=first_goal(),
        title_is_source=same_as_source("title", language_code),
        summary_is_source=same_as_source("summary", language_code),
    ).values_list(*ListRow._fields, *extra)


class BitSetRows(Sequence[tuple[Any, ...]]):
    """The selection's card rows in the order of `sort`, a page at a time, picked from the bit sets.

    The rows query then names the twenty entries of the page instead of filtering and sorting the
    selection: the filter set's statement was a fifth of an uncached list request (bench/README.md).
    The bit sets and their orders are built from the same rows (the tests hold both ways equal).
    """

    def __init__(
        self, sets: FacetSets, mask: int, sort: str, total: int, queryset: QuerySet[Project], language_code: str
    ) -> None:
        self.sets, self.mask, self.sort, self.total = sets, mask, sort, total
        self.queryset, self.language_code = queryset, language_code

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> tuple[Any, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Any, ...] | list[tuple[Any, ...]]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(self.total)
        positions = self.sets.page_positions(self.mask, self.sort, start, max(stop - start, 0))
        pks = [self.sets.pks[position] for position in positions]
        if not pks:
            return []
        rows = _card_columns(self.queryset.filter(pk__in=pks), self.language_code, "pk")
        found = {values[-1]: values[:-1] for values in rows}
        # An entry unpublished since the bit sets were built has no row (and no card) for a moment.
        return [found[pk] for pk in pks if pk in found]


def card_fragments(cards: list[Card]) -> list[SafeString]:
    """Each card's HTML, cached by what it shows: a card looks the same in every list it appears in.

    A selection nobody asked for before still shows entries other selections showed; rendering
    twenty cards is a third of such a request's time (bench/README.md, cache-busting filters).
    """
    template = get_template("catalogue/includes/entry_card.html")
    language = get_language()
    parts = [(language, hashlib.blake2b(repr(card).encode(), digest_size=16).hexdigest()) for card in cards]

    def render(missing: list[int]) -> list[SafeString]:
        return [SafeString(template.render({"entry": cards[position]})) for position in missing]

    return cache.versioned_many("entry-card", parts, render)


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
    sort = data.get("sort", DEFAULT_SORT)
    rows: Sequence[tuple[Any, ...]] | QuerySet[Project, tuple[Any, ...]]
    if cache.derived_is_current():
        sets = facet_sets(lookup.locale)
        mask = filterset.matching(sets)
        rows = BitSetRows(sets, mask, sort, total, filterset.queryset, lookup.locale.language_code)
    else:
        # The bit sets trail a change until the task worker has rebuilt them: the rows say it at once.
        rows = _card_columns(sorted_queryset(filterset, data), lookup.locale.language_code)
    paginator = KnownCountPaginator(rows, PER_PAGE, total)
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
                title_lang=settings.LANGUAGE_CODE if row.title_is_source else "",
                summary_lang=settings.LANGUAGE_CODE if row.summary_is_source else "",
            )
            for row in rows
        ]

    # The rows query runs when the template first asks whether there are results.
    entries = SimpleLazyObject(cards)
    entry_cards = SimpleLazyObject(lambda: card_fragments(list(entries)))

    active = filterset.active()
    facets = []
    for name, label in FACETS:
        selected = active.get(name, [])
        options = []
        for option in lookup.options[name]:
            count = counts[name].get(option.key, 0)
            checked = option.key in selected
            # Every municipality is offered: a visitor looks for their own, even where nothing happens yet.
            if not count and not checked and name != "municipality":
                continue
            options.append(FacetChoice(option.key, option.label, count, checked, option.depth, option.lang))
        extra = name == "municipality" and bool(data.get("exclude_county_wide"))
        facets.append(FacetView(name, str(label), options, bool(selected) or extra, len(selected)))
    chips = []
    for name, label in FACETS:
        for key in active.get(name, []):
            remaining = [value for value in active[name] if value != key]
            option = lookup.by_key[name][key]
            chips.append(Chip(str(label), option.label, _querystring(data, **{name: remaining or None}), option.lang))
    if data.get("exclude_county_wide"):
        chips.append(Chip(_("Gemeinde"), _("ohne kreisweite Einträge"), _querystring(data, exclude_county_wide=None)))
    if data.get("q"):
        chips.append(Chip(_("Suchbegriff"), str(data["q"]), _querystring(data, q=None)))
    active_count = sum(len(values) for values in active.values()) + (1 if data.get("exclude_county_wide") else 0)
    selected_values = active_count + (1 if data.get("q") else 0)
    query = data.copy()
    query.pop("page", None)
    export_query = f"?{query.urlencode()}" if query else ""
    return {
        "filterset": filterset,
        "facets": facets,
        "results": results,
        "entries": entries,
        "entry_cards": entry_cards,
        "total": total,
        "notes": notes,
        "chips": chips,
        "query": data.get("q", ""),
        "exclude_county_wide": bool(data.get("exclude_county_wide")),
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()],
        "sort": sort,
        "active_count": active_count,
        "noindex": selected_values > 1 or "page" in data or "sort" in data,
        "canonical_query": f"?{data.urlencode()}" if selected_values == 1 and not data.get("q") else "",
        "export_query": export_query,
        "base_url": base_url,
        "page_query": _page_query(data),
    }


def _page_query(data: QueryDict) -> str:
    query = data.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""
