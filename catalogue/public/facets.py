"""The public catalogue's filters and their facet counts.

The public list, its exports, its feed and the API share `ProjectFilterSet`. Counting uses
the bit sets of `catalogue.public.bitsets`, and so does the list's page of results (`matching`,
docs/decisions/0010); exports, feed and API filter in SQL (`qs`), and the tests hold both ways
against the rows and against each other.
"""

import copy
import datetime
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalogue.models import Project
from cms import cache

from . import extra_facets, text
from .bitsets import FacetSets, facet_sets
from .options import FACET_NAMES, Lookup

MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 100
MAX_QUERY_LENGTH = 200
MAX_TEXT_MATCH_IDS = 5000


def active_in_year_q(year: int) -> Q:
    begin, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = Q(actual_start__lte=end) | Q(actual_start__isnull=True, planned_start__lte=end)
    not_ended = (
        Q(actual_end__gte=begin)
        | Q(actual_end__isnull=True, planned_end__gte=begin)
        | Q(actual_end__isnull=True, planned_end__isnull=True)
    )
    return started & not_ended


class FacetField(django_filters.fields.MultipleChoiceField):
    """A facet's field; the copies each form makes of it share its choices.

    The choices are built for each filter set and never changed, and Django's choice fields copy
    them deeply for every form: that copying was most of the time a list request spent on its
    form (bench/README.md, cache-busting filters).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> "FacetField":
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class FacetFilter(django_filters.MultipleChoiceFilter):
    """Several values within one facet are alternatives (OR)."""

    field_class = FacetField

    def __deepcopy__(self, memo: dict[int, Any]) -> "FacetFilter":
        # Each filter set copies its class's filters; a shallow copy with its own options and its
        # own bound method does what django-filter's deep copy did, at a fraction of the cost.
        result = copy.copy(self)
        memo[id(self)] = result
        result.extra = dict(self.extra)
        result.__dict__.pop("_field", None)
        result.method = self.method
        return result

    def __init__(self, *args: Any, facet: str, method: str = "", **kwargs: Any) -> None:
        self.facet = facet
        super().__init__(*args, method=method or f"filter_{facet}", **kwargs)


class ProjectFilterSet(django_filters.FilterSet):
    """Public filters of the catalogue; `lookup` supplies the options of the active language."""

    q = django_filters.CharFilter(label=_("Suchbegriff"), method="filter_text")
    area = FacetFilter(label=_("Handlungsfeld"), facet="area")
    goal = FacetFilter(label=_("Ziel (mit Unterzielen)"), facet="goal")
    theme = FacetFilter(label=_("Querschnittsthema"), facet="theme")
    sdg = FacetFilter(label=_("Nachhaltigkeitsziel (SDG)"), facet="sdg")
    status = FacetFilter(label=_("Status"), facet="status")
    traffic_light = FacetFilter(label=_("Ampel"), facet="traffic_light")
    department = FacetFilter(label=_("Fachbereich (federführend oder beteiligt)"), facet="department")
    municipality = FacetFilter(label=_("Gemeinde"), facet="municipality")
    exclude_county_wide = django_filters.BooleanFilter(
        label=_("Kreisweite Einträge ausblenden"), method="filter_nothing", widget=forms.CheckboxInput
    )
    kind = FacetFilter(label=_("Art"), facet="kind")
    year = FacetFilter(label=_("Aktiv im Jahr"), facet="year")
    priority = FacetFilter(label=_("Priorität"), facet="priority")

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        queryset: QuerySet[Project] | None = None,
        *,
        lookup: Lookup,
        **kwargs: Any,
    ) -> None:
        self.lookup = lookup
        super().__init__(data, queryset, **kwargs)
        for facet in extra_facets.registered():
            extra = FacetFilter(label=facet.label, facet=facet.name, field_name=facet.name, method="filter_extra")
            extra.model, extra.parent = self.queryset.model, self
            self.filters[facet.name] = extra
        for name in FACET_NAMES:
            self.filters[name].extra["choices"] = [(option.key, option.label) for option in lookup.options[name]]

    def ids(self, facet: str, keys: Iterable[str]) -> list[Any]:
        options = self.lookup.by_key[facet]
        return [value for key in keys if key in options for value in options[key].ids]

    def _through(self, field: str, column: str, ids: Iterable[Any]) -> QuerySet[Any, dict[str, Any]]:
        through = getattr(Project, field).through
        return through.objects.filter(**{f"{column}__in": ids}).values("project_id")

    def filter_nothing(self, queryset: QuerySet[Project], name: str, value: object) -> QuerySet[Project]:
        return queryset

    def filter_text(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        # The site search matches entries the same way (`catalogue.public.text`). The ids of the
        # matches, read once per data version, keep the statement simple for the planner; a very
        # common word is left to the database rather than sent as a list of many thousand ids.
        found = self.text_matches(value)
        if len(found) > MAX_TEXT_MATCH_IDS:
            return text.matching(queryset, value)
        return queryset.filter(pk__in=found)

    def filter_area(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        goal_ids = self.lookup.area_goal_ids(value)
        return queryset.filter(pk__in=self._through("goals", "goal_id", goal_ids))

    def filter_goal(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        return queryset.filter(pk__in=self._through("goals", "goal_id", self.ids("goal", value)))

    def filter_theme(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        return queryset.filter(pk__in=self._through("themes", "theme_id", self.ids("theme", value)))

    def filter_sdg(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        through = Project.sdg_targets.through.objects.filter(sdgtarget__goal_id__in=self.ids("sdg", value))
        return queryset.filter(pk__in=through.values("project_id"))

    def filter_status(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        return queryset.filter(status_id__in=self.ids("status", value))

    def filter_traffic_light(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        return queryset.filter(traffic_light__in=self.ids("traffic_light", value))

    def filter_department(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        ids = self.ids("department", value)
        partner_of = self._through("partner_departments", "department_id", ids)
        return queryset.filter(Q(lead_department_id__in=ids) | Q(pk__in=partner_of))

    def filter_municipality(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        condition = Q(pk__in=self._through("municipalities", "municipality_id", self.ids("municipality", value)))
        # What happens in the whole county happens in each of its municipalities too.
        if not self.form.cleaned_data.get("exclude_county_wide"):
            condition |= Q(county_wide=True)
        return queryset.filter(condition)

    def filter_kind(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        return queryset.filter(kind__in=self.ids("kind", value))

    def filter_priority(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        return queryset.filter(priority__in=self.ids("priority", value))

    def filter_year(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        condition = Q(pk__in=[])
        for year in self.ids("year", value):
            condition |= active_in_year_q(year)
        return queryset.filter(condition)

    def filter_extra(self, queryset: QuerySet[Project], name: str, value: list[str]) -> QuerySet[Project]:
        """A facet of another app: the entries its link table joins to the chosen options."""
        facet = extra_facets.get(name)
        if facet is None:
            return queryset
        links = facet.links(self.lookup.locale).filter(value__in=self.ids(name, value))
        return queryset.filter(pk__in=links.values("entry"))

    def active(self) -> dict[str, list[str]]:
        """Facet name -> selected keys, for the valid form."""
        data = self.form.cleaned_data
        return {name: list(data.get(name) or []) for name in FACET_NAMES if data.get(name)}

    def selection_key(self) -> str:
        """Language, data version and the selection (not sort or page), for cache keys."""
        data = self.form.cleaned_data
        selection: list[tuple[str, object]] = [(name, sorted(data.get(name) or [])) for name in FACET_NAMES]
        selection.append(("q", (data.get("q") or "").strip()))
        selection.append(("exclude_county_wide", bool(data.get("exclude_county_wide"))))
        digest = hashlib.sha256(repr(selection).encode()).hexdigest()
        return cache.versioned_key("catalogue:selection", self.lookup.locale.language_code, digest)

    def facet_counts(self) -> dict[str, Any]:
        """Per facet and option, the entries it would give with the other facets applied.

        Cached per language, filter selection and data version: the counting statement is the
        bulk of a list request's database time, and visitors repeat the same selections.
        """
        return cache.versioned("catalogue:facets", self.selection_key(), build=self._count_facets)

    def text_matches(self, query: str) -> list[int]:
        """Ids of the entries of this filter set's queryset that the words of `query` match.

        Cached per queryset, words and data version (so never stale): visitors combine the same
        few words with many filters, and the match is the costliest statement of a list request
        (the planner cannot estimate it and walks the list's index scoring every title).
        """
        words = " ".join(text.words(query))
        digest = hashlib.sha256(f"{self.queryset.query}\n{words}".encode()).hexdigest()

        def build() -> list[int]:
            return list(text.matching(self.queryset, query).values_list("pk", flat=True))

        return cache.versioned("catalogue:text-match", self.lookup.locale.language_code, digest, build=build)

    def _masks(self, sets: FacetSets) -> tuple[int, int, dict[str, int]]:
        """The bit sets of the selection: the text search's matches, the county-wide entries that
        join a chosen municipality, and each chosen facet's options ORed.

        Kept for the filter set: a list request counts its facets and picks its page from the same masks.
        """
        kept = self.__dict__.get("_selection_masks")
        if kept is not None and kept[0] is sets:
            return kept[1]
        data = self.form.cleaned_data
        universe = sets.everything
        query = (data.get("q") or "").strip()
        if query:
            universe &= sets.of_pks(self.text_matches(query))
        county_wide = 0 if data.get("exclude_county_wide") else sets.county_wide
        chosen: dict[str, int] = {}
        for name in FACET_NAMES:
            if data.get(name):
                mask = 0
                for key in data[name]:
                    mask |= sets.of(name, key)
                # As in filter_municipality: county-wide entries join a selected municipality.
                chosen[name] = mask | county_wide if name == "municipality" else mask
        self._selection_masks = (sets, (universe, county_wide, chosen))
        return universe, county_wide, chosen

    def matching(self, sets: FacetSets) -> int:
        """The selected entries as a bit set of `sets`: what `qs` selects (the tests hold both)."""
        total, _county_wide, chosen = self._masks(sets)
        for mask in chosen.values():
            total &= mask
        return total

    def _count_facets(self) -> dict[str, Any]:
        """Counts from the entries' bit sets: each facet's options ANDed with the other facets' selections."""
        sets = facet_sets(self.lookup.locale)
        universe, county_wide, chosen = self._masks(sets)
        total = self.matching(sets)
        result: dict[str, Any] = {"_total": total.bit_count()}
        for name in FACET_NAMES:
            others = universe
            for other, mask in chosen.items():
                if other != name:
                    others &= mask
            extra = county_wide if name == "municipality" else 0
            counts: dict[str, int] = {}
            for option in self.lookup.options[name]:
                number = (others & (sets.of(name, option.key) | extra)).bit_count()
                if number:
                    counts[option.key] = number
            result[name] = counts
        return result
