"""Goals and areas in public: a goal's page, the Umsetzungsstand overview, the area chapters."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from catalogue.models import Aggregate, Area, AreaPage, CatalogueIndexPage, Goal, Project, tree
from cms import cache
from cms.restrictions import without_restrictions

from .facets import ProjectFilterSet
from .options import Lookup, Option
from .query import base_queryset, entry_url, page_locale

AREA_ENTRIES_SHOWN = 50
NO_REPORT_COLOUR = "#555b61"


@dataclass(frozen=True)
class StatusRow:
    """One bar of a status distribution, in the vocabulary's order."""

    label: str
    colour: str
    count: int
    share: float
    lang: str = ""


@dataclass(frozen=True)
class AreaRow:
    option: Option
    aggregate: Aggregate
    status_rows: list[StatusRow]
    list_url: str


@dataclass(frozen=True)
class GoalLine:
    """A goal of an area as a line of the compact version: its figures, indented by level."""

    option: Option
    depth: int
    aggregate: Aggregate


@dataclass(frozen=True)
class AreaSummary:
    """An area chapter's figures for the one-page view and the PDF: no entry list, all from cached aggregates."""

    option: Option
    aggregate: Aggregate
    status_rows: list[StatusRow]
    goals: list[GoalLine]
    list_url: str


@dataclass(frozen=True)
class EntryLink:
    project: Project
    url: str
    status: Option | None


AREA_AGGREGATES = "catalogue:area-aggregates"
AREA_OVERVIEW = "catalogue:area-overview"


def area_aggregates(area_id: int) -> tuple[list[Goal], Aggregate]:
    """An area's goals with their aggregates and the area's total: derived data, rebuilt after each change."""
    return cache.derived(AREA_AGGREGATES, area_id)


def overview_aggregates() -> dict[int, Aggregate]:
    """Per area of the default language, its aggregate: derived data, rebuilt after each change."""
    return cache.derived(AREA_OVERVIEW)


cache.register_derived(
    AREA_AGGREGATES,
    parts=lambda: [(pk,) for pk in Area.objects.filter(locale=Locale.get_default()).values_list("pk", flat=True)],
    build=lambda area_id: Goal.objects.filter(area_id=area_id).with_aggregates_and_total(),
)
cache.register_derived(
    AREA_OVERVIEW, parts=lambda: [()], build=lambda: Area.objects.filter(locale=Locale.get_default()).aggregates()
)


def catalogue_page(locale_id: int) -> CatalogueIndexPage | None:
    """The live, public catalogue page of a language, cached per data version (publishing it bumps it)."""
    found = cache.versioned(
        "catalogue:index-page",
        locale_id,
        build=lambda: without_restrictions(CatalogueIndexPage.objects.live().filter(locale_id=locale_id)).first(),
        timeout=cache.HOUR,
    )
    return found or None


def status_rows(aggregate: Aggregate, lookup: Lookup) -> list[StatusRow]:
    """Status distribution as rows (label, colour, count, share) in the vocabulary's order."""
    total = aggregate.entry_count or 0
    rows = []
    for option in lookup.options["status"]:
        count = aggregate.status_counts.get(option.first_id, 0)
        if count:
            rows.append(StatusRow(option.label, option.colour, count, count / total, option.lang))
    unreported = aggregate.status_counts.get(None, 0)
    if unreported:
        rows.append(StatusRow(_("noch kein Bericht"), NO_REPORT_COLOUR, unreported, unreported / total))
    return rows


def goal_tree(goals: list[Goal], lookup: Lookup) -> list[Goal]:
    """Goals nested by parent, each with `.subgoals`, `.option` and status rows for charts."""
    for goal in goals:
        goal.option = lookup.by_id["goal"].get(goal.pk)
        goal.status_rows = status_rows(goal.aggregate, lookup)
    return tree.nest(goals, pk=lambda goal: goal.pk, parent=lambda goal: goal.parent_id)


def goal_context(page: Page, request: HttpRequest, goal: Goal) -> dict[str, Any]:
    """One goal with its sub-goals, aggregates, indicators and a link into the filtered list."""
    lookup = Lookup(page_locale(page))
    subtree = lookup.by_key["goal"][goal.code].ids
    goals = {item.pk: item for item in Goal.objects.filter(pk__in=subtree).with_aggregates()}
    area, path = lookup.goal_path(goal.pk)
    return {
        "goal": goals[goal.pk],
        "goal_option": lookup.by_id["goal"][goal.pk],
        "area": area,
        "path": path,
        "tree": goal_tree([goals[pk] for pk in subtree if pk in goals], lookup),
        "statuses": lookup.options["status"],
        "list_url": f"{page.get_url(request)}?goal={goal.code}",
        "goal_url_base": f"{page.get_url(request)}ziel/",
    }


def overview_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    """Implementation across all areas: per area its aggregate and status distribution."""
    lookup = Lookup(page_locale(page))
    aggregates = overview_aggregates()
    base_url = page.get_url(request)
    rows = [
        AreaRow(option, aggregate, status_rows(aggregate, lookup), f"{base_url}?area={option.key}")
        for option in lookup.options["area"]
        if (aggregate := aggregates.get(option.first_id)) is not None
    ]
    return {"areas": rows, "statuses": lookup.options["status"], "catalogue_url": base_url}


def _area_option(page: AreaPage, lookup: Lookup) -> Option | None:
    # The page may point at either language's area; goals and entries hang off the source one.
    return next(
        (
            candidate
            for candidate in lookup.options["area"]
            if candidate.first_id == page.area_id or candidate.key == page.area.slug
        ),
        None,
    )


def area_summary(page: AreaPage, request: HttpRequest) -> AreaSummary | None:
    """The area's aggregate, status distribution and goals with their figures, for the compact version."""
    lookup = Lookup(page_locale(page))
    option = _area_option(page, lookup)
    if option is None:
        return None
    goals, aggregate = area_aggregates(option.first_id)
    by_pk = {goal.pk: goal for goal in goals}
    lines = [
        GoalLine(item, item.depth, by_pk[item.id].aggregate) for item in lookup.options["goal"] if item.id in by_pk
    ]
    catalogue = catalogue_page(page.locale_id)
    list_url = f"{catalogue.get_url(request)}?area={option.key}" if catalogue else ""
    return AreaSummary(option, aggregate, status_rows(aggregate, lookup), lines, list_url)


def area_context(page: AreaPage, request: HttpRequest) -> dict[str, Any]:
    """An area chapter's live part: its goal tree with figures and its entries."""
    locale = page_locale(page)
    lookup = Lookup(locale)
    option = _area_option(page, lookup)
    catalogue = catalogue_page(page.locale_id)
    catalogue_url = catalogue.get_url(request) if catalogue else None
    goals: list[Goal] = []
    aggregate = None
    if option:
        goals, aggregate = area_aggregates(option.first_id)
    by_pk = {goal.pk: goal for goal in goals}
    ordered = [by_pk[item.id] for item in lookup.options["goal"] if item.id in by_pk]
    entries = []
    if option and catalogue_url:
        filterset = ProjectFilterSet({"area": [option.key]}, base_queryset(locale), lookup=lookup)
        filterset.is_valid()
        entries = [
            EntryLink(row, entry_url(catalogue_url, row), lookup.by_id["status"].get(row.status_id))
            for row in filterset.qs.order_by("code")[:AREA_ENTRIES_SHOWN]
        ]
    return {
        "area_option": option,
        "aggregate": aggregate,
        "area_status_rows": status_rows(aggregate, lookup) if aggregate else [],
        "tree": goal_tree(ordered, lookup),
        "entries": entries,
        "catalogue_url": catalogue_url,
        "goal_url_base": f"{catalogue_url}ziel/" if catalogue_url else None,
        "area_list_url": f"{catalogue_url}?area={option.key}" if option and catalogue_url else None,
    }
