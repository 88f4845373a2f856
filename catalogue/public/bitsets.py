"""Per facet and option, the live entries it matches, as bit sets: facet counts without joins.

Bit i stands for the i-th live entry by id; a Python int serves as the set, so a facet count
is an AND and a popcount over 10,000 bits instead of a join. Built with two queries and cached
per language and data version.
"""

from array import array
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import CharField, Value
from django.db.models.functions import Coalesce
from wagtail.models import Locale

from catalogue.models import Project
from cms import cache
from cms.locales import locales_by_code

from . import extra_facets
from .options import FACET_NAMES, SORTS, Lookup, language_parts

# The shape of `FacetSets` is part of the name: after an upgrade that changes it, the builds an
# older release left in the shared cache are not read (they would lack the new fields).
FACET_SETS = "catalogue:facet-sets:2"


@dataclass
class FacetSets:
    """`options[facet][key]`: the entries an option matches; `everything`: all live entries."""

    options: dict[str, dict[str, int]]
    everything: int
    county_wide: int
    pks: list[int]
    # Per sort of the list (`SORTS`), the bits in that order: a page of results without the rows query
    # sorting the selection (`page_positions`).
    orders: dict[str, array] = field(default_factory=dict)

    def of(self, facet: str, key: str) -> int:
        return self.options[facet].get(key, 0)

    def page_positions(self, mask: int, sort: str, offset: int, limit: int) -> list[int]:
        """The bits of `mask` from `offset` to `offset + limit` in the order of `sort`."""
        order = self.orders[sort]
        count = mask.bit_count()
        if offset >= count:
            return []
        # The mask as a string of 0s and 1s, bit i at index i: testing a bit is an index.
        bits = format(mask, "b")[::-1]
        wanted = offset + limit
        if count <= len(order) // 8:
            # Few matches: find them (a scan in C), then sort them by their place in the order.
            rank = self.rank(sort)
            found, index = [], bits.find("1")
            while index >= 0:
                found.append(index)
                index = bits.find("1", index + 1)
            found.sort(key=rank.__getitem__)
            return found[offset:wanted]
        # Many: walk the order until the page is full.
        size = len(bits)
        page = []
        seen = 0
        for position in order:
            if position < size and bits[position] == "1":
                if seen >= offset:
                    page.append(position)
                    if len(page) == limit:
                        break
                seen += 1
        return page

    def rank(self, sort: str) -> array:
        """Bit -> its place in the order of `sort`; built once per process for a build."""
        ranks = self.__dict__.setdefault("_ranks", {})
        if sort not in ranks:
            rank = array("i", bytes(4 * len(self.pks)))
            for place, position in enumerate(self.orders[sort]):
                rank[position] = place
            ranks[sort] = rank
        return ranks[sort]

    @cached_property
    def position(self) -> dict[int, int]:
        """Entry id -> bit; built once per process for a build (the build itself is shared, see `cms.cache`)."""
        return {pk: index for index, pk in enumerate(self.pks)}

    def of_pks(self, pks: Iterable[int]) -> int:
        position = self.position
        members = 0
        for pk in pks:
            if pk in position:
                members |= 1 << position[pk]
        return members


def facet_sets(locale: Locale) -> FacetSets:
    """Per facet and option key, the live entries of `locale` it matches, as a bit set.

    Bit i stands for the i-th entry by id; a Python int serves as the set, so a facet count is an
    AND and a popcount over 10,000 bits instead of a join. Built with two queries as derived data
    (rebuilt after each change, by the task worker where one runs), with each sort's order: the
    list takes its page of results from them (docs/decisions/0010); exports, feed and API filter
    in SQL (`ProjectFilterSet.qs`), and the tests hold both ways against the rows.
    """
    return cache.derived(FACET_SETS, locale.language_code)


def _build_facet_sets(locale: Locale) -> FacetSets:
    lookup = Lookup(locale)
    entries = Project.objects.filter(live=True, locale=locale).order_by("pk")
    rows = list(
        entries.values_list(
            "pk",
            "status_id",
            "traffic_light",
            "kind",
            "priority",
            "lead_department_id",
            "county_wide",
            Coalesce("actual_start", "planned_start"),
            Coalesce("actual_end", "planned_end"),
        )
    )
    position = {row[0]: index for index, row in enumerate(rows)}
    sets: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    county_wide = 0

    def add(facet: str, option_key: str, index: int) -> None:
        sets[facet][option_key] = sets[facet].get(option_key, 0) | (1 << index)

    def key_of(facet: str, value: Hashable) -> str | None:
        option = lookup.by_id[facet].get(value)
        return option.key if option else None

    goal_keys: dict[int, list[str]] = {}
    for option in lookup.options["goal"]:
        for goal_id in option.ids:
            goal_keys.setdefault(goal_id, []).append(option.key)
    years = [option.first_id for option in lookup.options["year"]]
    for index, (_pk, status, light, kind, priority, lead, everywhere, start, end) in enumerate(rows):
        for facet, value in (
            ("status", status),
            ("traffic_light", light),
            ("kind", kind),
            ("priority", priority),
            ("department", lead),
        ):
            option_key = key_of(facet, value)
            if option_key is not None:
                add(facet, option_key, index)
        if everywhere:
            county_wide |= 1 << index
        # Active in a year: started by its end, not ended before its start (see active_in_year_q).
        if start is not None:
            for year in years:
                if start.year <= year and (end is None or end.year >= year):
                    add("year", str(year), index)

    links = [
        entries.model.goals.through.objects.filter(project__in=entries).values_list(
            Value("goal", output_field=CharField()), "project_id", "goal_id"
        ),
        entries.model.themes.through.objects.filter(project__in=entries).values_list(
            Value("theme", output_field=CharField()), "project_id", "theme_id"
        ),
        entries.model.partner_departments.through.objects.filter(project__in=entries).values_list(
            Value("department", output_field=CharField()), "project_id", "department_id"
        ),
        entries.model.municipalities.through.objects.filter(project__in=entries).values_list(
            Value("municipality", output_field=CharField()), "project_id", "municipality_id"
        ),
        entries.model.sdg_targets.through.objects.filter(project__in=entries).values_list(
            Value("sdg", output_field=CharField()), "project_id", "sdgtarget__goal_id"
        ),
    ]
    first, *rest = [part.order_by() for part in links]
    for facet, project_id, value in first.union(*rest, all=True):
        index = position[project_id]
        if facet == "goal":
            for option_key in goal_keys.get(value, []):
                add("goal", option_key, index)
            area_key = key_of("area", lookup.area_of_goal.get(value))
            if area_key is not None:
                add("area", area_key, index)
        else:
            option_key = key_of(facet, value)
            if option_key is not None:
                add(facet, option_key, index)
    for extra in extra_facets.registered():
        keys: dict[Hashable, list[str]] = {}
        for option in lookup.options[extra.name]:
            for value in option.ids:
                keys.setdefault(value, []).append(option.key)
        for link in extra.links(locale):
            # The link table may name entries that are not live; those have no bit.
            if (bit := position.get(link["entry"])) is not None:
                for option_key in keys.get(link["value"], []):
                    add(extra.name, option_key, bit)
    # The same orders as the rows query of the list (`sorted_queryset`), from the database: its
    # collation sorts the titles.
    orders = {
        key: array("i", (position[pk] for pk in entries.order_by(*ordering).values_list("pk", flat=True)))
        for key, (_label, ordering) in SORTS.items()
    }
    return FacetSets(
        options=sets, everything=(1 << len(rows)) - 1, county_wide=county_wide, pks=list(position), orders=orders
    )


cache.register_derived(FACET_SETS, parts=language_parts, build=lambda code: _build_facet_sets(locales_by_code()[code]))
