"""The public catalogue's filters and facet counts.

The public list, its exports, its feed and the API share `ProjectFilterSet`. URLs carry
slugs and codes only. Entries link to the source-language taxonomy, so every option maps its
public key to ids of the default locale's rows and takes its label from the active language.
"""

import datetime
import hashlib

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Max, Min, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Municipality,
    Project,
    Status,
    Theme,
    TrafficLight,
    code_sort_key,
)

VERSION_KEY = "catalogue:data-version"
OPTIONS_TIMEOUT = 60 * 60 * 24
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 100
MAX_QUERY_LENGTH = 200
YEAR_SPAN = 12

FACETS = [
    ("area", _("Handlungsfeld")),
    ("goal", _("Ziel")),
    ("theme", _("Querschnittsthema")),
    ("status", _("Status")),
    ("traffic_light", _("Ampel")),
    ("department", _("Fachbereich")),
    ("municipality", _("Gemeinde")),
    ("kind", _("Art")),
    ("year", _("Aktiv im Jahr")),
    ("priority", _("Priorität")),
]
FACET_NAMES = [name for name, _label in FACETS]

SORTS = {
    "code": (_("Nummer"), ["code"]),
    "title": (_("Titel"), ["title", "code"]),
    "updated": (_("Letzte Aktualisierung"), [F("last_report_date").desc(nulls_last=True), "code"]),
    "start": (_("Beginn"), [F("planned_start").asc(nulls_last=True), "code"]),
}
DEFAULT_SORT = "code"


def data_version():
    """A number that changes whenever catalogue data or taxonomy changes; part of cache keys."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def bump_data_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def department_slug(department):
    return slugify(department.short_name) or f"stelle-{department.pk}"


def _localized_labels(model, source_rows, locale, field):
    """Label per translation key in `locale`, for rows whose source is the default locale."""
    keys = [row.translation_key for row in source_rows]
    if not keys or locale.pk == source_rows[0].locale_id:
        return {}
    return dict(model.objects.filter(translation_key__in=keys, locale=locale).values_list("translation_key", field))


def _year_range():
    bounds = Project.objects.filter(live=True).aggregate(
        first=Min(Coalesce("actual_start", "planned_start")), last=Max(Coalesce("actual_end", "planned_end"))
    )
    today = timezone.localdate().year
    first = bounds["first"].year if bounds["first"] else today
    last = bounds["last"].year if bounds["last"] else today
    first = max(first, today - YEAR_SPAN)
    last = min(max(last, first), today + YEAR_SPAN)
    return list(range(first, last + 1))


def _build_options(locale):
    default = Locale.get_default()
    areas = list(Area.objects.filter(locale=default).order_by("order", "code"))
    goals = sorted(Goal.objects.filter(locale=default), key=lambda goal: (goal.area_id, code_sort_key(goal.code)))
    themes = list(Theme.objects.filter(locale=default).order_by("title"))
    statuses = list(Status.objects.filter(locale=default).order_by("order", "name"))
    departments = list(Department.objects.filter(locale=default).order_by("name"))
    municipalities = list(Municipality.objects.order_by("name"))

    programmes = list(FundingProgramme.objects.filter(locale=default).order_by("name"))
    programme_names = _localized_labels(FundingProgramme, programmes, locale, "name")
    area_titles = _localized_labels(Area, areas, locale, "title")
    goal_titles = _localized_labels(Goal, goals, locale, "title")
    theme_titles = _localized_labels(Theme, themes, locale, "title")
    status_names = _localized_labels(Status, statuses, locale, "name")
    department_names = _localized_labels(Department, departments, locale, "name")

    children = {}
    for goal in goals:
        children.setdefault(goal.parent_id, []).append(goal.pk)

    def subtree(pk):
        ids, frontier = [pk], [pk]
        while frontier:
            frontier = [child for parent in frontier for child in children.get(parent, []) if child not in ids]
            ids.extend(frontier)
        return ids

    area_by_id = {area.pk: area for area in areas}
    options = {
        "area": [
            {
                "key": area.slug,
                "label": f"{area.code} {area_titles.get(area.translation_key, area.title)}",
                "ids": [area.pk],
                "colour": area.colour,
            }
            for area in areas
        ],
        "goal": [
            {
                "key": goal.code,
                "token": goal.code.replace(".", "-"),
                "label": f"{goal.code} {goal_titles.get(goal.translation_key, goal.title)}",
                "title": goal_titles.get(goal.translation_key, goal.title),
                "ids": subtree(goal.pk),
                "id": goal.pk,
                "depth": goal.depth,
                "parent_id": goal.parent_id,
                "area_id": goal.area_id,
            }
            for goal in sorted(goals, key=lambda goal: (area_by_id[goal.area_id].order, code_sort_key(goal.code)))
        ],
        "theme": [
            {"key": theme.slug, "label": theme_titles.get(theme.translation_key, theme.title), "ids": [theme.pk]}
            for theme in themes
        ],
        "status": [
            {
                "key": status.slug,
                "label": status_names.get(status.translation_key, status.name),
                "ids": [status.pk],
                "colour": status.colour,
            }
            for status in statuses
        ],
        "traffic_light": [{"key": value, "label": str(label), "ids": [value]} for value, label in TrafficLight.choices],
        "department": [
            {
                "key": department_slug(department),
                "label": department_names.get(department.translation_key, department.name),
                "ids": [department.pk],
                "email": department.email,
            }
            for department in departments
        ],
        "municipality": [{"key": place.slug, "label": place.name, "ids": [place.pk]} for place in municipalities],
        "kind": [{"key": value, "label": str(label), "ids": [value]} for value, label in Project.Kind.choices],
        "year": [{"key": str(year), "label": str(year), "ids": [year]} for year in _year_range()],
        "priority": [{"key": value, "label": str(label), "ids": [value]} for value, label in Project.Priority.choices],
        "funding": [
            {
                "key": programme.slug,
                "label": programme_names.get(programme.translation_key, programme.name),
                "ids": [programme.pk],
            }
            for programme in programmes
        ],
    }
    return options


def catalogue_options(locale):
    """Every facet's options in `locale`, cached until catalogue data changes.

    Also the lookup tables pages use to name a row's status, department, goal or area without
    asking the database again.
    """
    key = f"catalogue:options:{locale.language_code}:{data_version()}"
    options = cache.get(key)
    if options is None:
        options = _build_options(locale)
        cache.set(key, options, OPTIONS_TIMEOUT)
    return options


class Lookup:
    """Options indexed by key and by id, for one locale."""

    def __init__(self, locale):
        self.locale = locale
        self.options = catalogue_options(locale)
        self.by_key = {name: {option["key"]: option for option in values} for name, values in self.options.items()}
        self.by_id = {
            name: {option["ids"][0]: option for option in values}
            for name, values in self.options.items()
            if name != "goal"
        }
        self.by_id["goal"] = {option["id"]: option for option in self.options["goal"]}
        self.area_of_goal = {option["id"]: option["area_id"] for option in self.options["goal"]}

    def goal_path(self, goal_id):
        """Area, then goals from the top level down to this goal."""
        path = []
        option = self.by_id["goal"].get(goal_id)
        seen = set()
        while option is not None and option["id"] not in seen:
            seen.add(option["id"])
            path.insert(0, option)
            option = self.by_id["goal"].get(option["parent_id"])
        area = self.by_id["area"].get(self.area_of_goal.get(goal_id))
        return area, path


def active_in_year_q(year):
    begin, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    started = Q(actual_start__lte=end) | Q(actual_start__isnull=True, planned_start__lte=end)
    not_ended = (
        Q(actual_end__gte=begin)
        | Q(actual_end__isnull=True, planned_end__gte=begin)
        | Q(actual_end__isnull=True, planned_end__isnull=True)
    )
    return started & not_ended


class FacetFilter(django_filters.MultipleChoiceFilter):
    """Several values within one facet are alternatives (OR)."""

    def __init__(self, *args, facet, **kwargs):
        self.facet = facet
        super().__init__(*args, method=f"filter_{facet}", **kwargs)


class ProjectFilterSet(django_filters.FilterSet):
    """Public filters of the catalogue; `lookup` supplies the options of the active language."""

    q = django_filters.CharFilter(label=_("Suchbegriff"), method="filter_text")
    area = FacetFilter(label=_("Handlungsfeld"), facet="area")
    goal = FacetFilter(label=_("Ziel (mit Unterzielen)"), facet="goal")
    theme = FacetFilter(label=_("Querschnittsthema"), facet="theme")
    status = FacetFilter(label=_("Status"), facet="status")
    traffic_light = FacetFilter(label=_("Ampel"), facet="traffic_light")
    department = FacetFilter(label=_("Fachbereich (federführend oder beteiligt)"), facet="department")
    municipality = FacetFilter(label=_("Gemeinde"), facet="municipality")
    county_wide = django_filters.BooleanFilter(
        label=_("Kreisweite Einträge einbeziehen"), method="filter_nothing", widget=forms.CheckboxInput
    )
    kind = FacetFilter(label=_("Art"), facet="kind")
    year = FacetFilter(label=_("Aktiv im Jahr"), facet="year")
    priority = FacetFilter(label=_("Priorität"), facet="priority")

    class Meta:
        model = Project
        fields = []

    def __init__(self, data=None, queryset=None, *, lookup, **kwargs):
        self.lookup = lookup
        super().__init__(data, queryset, **kwargs)
        for name in FACET_NAMES:
            self.filters[name].extra["choices"] = [(option["key"], option["label"]) for option in lookup.options[name]]

    def ids(self, facet, keys):
        options = self.lookup.by_key[facet]
        return [value for key in keys if key in options for value in options[key]["ids"]]

    def _through(self, field, column, ids):
        through = getattr(Project, field).through
        return through.objects.filter(**{f"{column}__in": ids}).values("project_id")

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value) | Q(summary__icontains=value))

    def filter_area(self, queryset, name, value):
        goal_ids = [
            option["id"] for option in self.lookup.options["goal"] if option["area_id"] in self.ids("area", value)
        ]
        return queryset.filter(pk__in=self._through("goals", "goal_id", goal_ids))

    def filter_goal(self, queryset, name, value):
        return queryset.filter(pk__in=self._through("goals", "goal_id", self.ids("goal", value)))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(pk__in=self._through("themes", "theme_id", self.ids("theme", value)))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_id__in=self.ids("status", value))

    def filter_traffic_light(self, queryset, name, value):
        return queryset.filter(traffic_light__in=self.ids("traffic_light", value))

    def filter_department(self, queryset, name, value):
        ids = self.ids("department", value)
        partner_of = self._through("partner_departments", "department_id", ids)
        return queryset.filter(Q(lead_department_id__in=ids) | Q(pk__in=partner_of))

    def filter_municipality(self, queryset, name, value):
        condition = Q(pk__in=self._through("municipalities", "municipality_id", self.ids("municipality", value)))
        if self.form.cleaned_data.get("county_wide"):
            condition |= Q(county_wide=True)
        return queryset.filter(condition)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=self.ids("kind", value))

    def filter_priority(self, queryset, name, value):
        return queryset.filter(priority__in=self.ids("priority", value))

    def filter_year(self, queryset, name, value):
        condition = Q(pk__in=[])
        for year in self.ids("year", value):
            condition |= active_in_year_q(year)
        return queryset.filter(condition)

    def active(self):
        """Facet name -> selected keys, for the valid form."""
        data = self.form.cleaned_data
        return {name: list(data.get(name) or []) for name in FACET_NAMES if data.get(name)}

    def queryset_without(self, facet):
        """The queryset with every filter applied except `facet` (for its option counts)."""
        queryset = self.queryset
        for name, filter_ in self.filters.items():
            if name != facet:
                queryset = filter_.filter(queryset, self.form.cleaned_data.get(name))
        return queryset

    def facet_counts(self):
        """Per facet and option, the entries it would give with the other facets applied.

        Cached per language, filter selection and data version: the counting statement is the
        bulk of a list request's database time, and visitors repeat the same selections.
        """
        data = self.form.cleaned_data
        selection = [(name, sorted(data.get(name) or [])) for name in FACET_NAMES]
        selection.append(("q", (data.get("q") or "").strip()))
        selection.append(("county_wide", bool(data.get("county_wide"))))
        digest = hashlib.sha256(repr(selection).encode()).hexdigest()
        key = f"catalogue:facets:{self.lookup.locale.language_code}:{data_version()}:{digest}"
        counts = cache.get(key)
        if counts is None:
            counts = self._count_facets()
            cache.set(key, counts, OPTIONS_TIMEOUT)
        return counts

    def _count_facets(self):
        """One SQL statement: a UNION ALL of one grouped query per facet, plus the total."""
        parts = [_part(self.qs, "_total", Value(""), distinct=False)]
        for facet in FACET_NAMES:
            queryset = self.queryset_without(facet).order_by()
            parts.extend(self._facet_parts(facet, queryset))
        first, *rest = parts
        rows = first.union(*rest, all=True)
        counts = {name: {} for name in FACET_NAMES}
        counts["_total"] = {"": 0}
        county_wide_total, county_wide_in = 0, {}
        for facet, key, number in rows:
            if key is None:
                continue
            if facet == "_county_wide_total":
                county_wide_total = number
            elif facet == "_county_wide_in":
                county_wide_in[key] = number
            elif facet == "_span":
                self._add_span(counts["year"], key, number)
            else:
                counts[facet][key] = counts[facet].get(key, 0) + number
        if self.form.cleaned_data.get("county_wide"):
            place_counts = counts["municipality"]
            for option in self.lookup.options["municipality"]:
                key = str(option["ids"][0])
                place_counts[key] = place_counts.get(key, 0) + county_wide_total - county_wide_in.get(key, 0)
        return self._keys_from_ids(counts)

    def _facet_parts(self, facet, queryset):
        if facet == "area":
            return [_part(queryset, facet, F("goals__area_id"))]
        if facet == "goal":
            depth = max((option["depth"] for option in self.lookup.options["goal"]), default=0)
            chain = ["goals__id", "goals__parent_id", "goals__parent__parent_id", "goals__parent__parent__parent_id"]
            parts = []
            # Grouping by the ancestor at each level counts an entry once per goal, even when it
            # is linked to a goal and to one of its sub-goals.
            for level in range(1, min(depth, len(chain)) + 1):
                ancestor = Case(
                    *[
                        When(goals__depth=level + offset, then=F(chain[offset]))
                        for offset in range(len(chain))
                        if level + offset <= depth
                    ],
                    default=None,
                )
                parts.append(_part(queryset, facet, ancestor))
            return parts
        if facet == "theme":
            return [_part(queryset, facet, F("themes__id"))]
        if facet == "status":
            return [_part(queryset, facet, F("status_id"), distinct=False)]
        if facet in ("traffic_light", "kind", "priority"):
            return [_part(queryset, facet, F(facet), distinct=False)]
        if facet == "department":
            through = Project.partner_departments.through.objects.filter(project__in=queryset.values("pk"))
            partners = through.exclude(department_id=F("project__lead_department_id"))
            return [
                _part(queryset, facet, F("lead_department_id"), distinct=False),
                _part(partners, facet, F("department_id"), count="project_id"),
            ]
        if facet == "municipality":
            parts = [_part(queryset, facet, F("municipalities__id"))]
            if self.form.cleaned_data.get("county_wide"):
                county_wide = queryset.filter(county_wide=True)
                parts.append(_part(county_wide, "_county_wide_total", Value("")))
                parts.append(_part(county_wide, "_county_wide_in", F("municipalities__id")))
            return parts
        if facet == "year":
            # One group per (start year, end year) pair; the years an entry is active in follow.
            # The year as the first four characters of the ISO date: no per-row function on SQLite.
            start = Substr(Cast(Coalesce("actual_start", "planned_start"), output_field=CharField()), 1, 4)
            end = Coalesce(
                Substr(Cast(Coalesce("actual_end", "planned_end"), output_field=CharField()), 1, 4), Value("")
            )
            span = Concat(start, Value(":"), end, output_field=CharField())
            return [
                _part(
                    queryset.filter(Q(actual_start__isnull=False) | Q(planned_start__isnull=False)),
                    "_span",
                    span,
                    distinct=False,
                )
            ]
        raise ValueError(facet)

    def _add_span(self, year_counts, span, number):
        first, _colon, last = span.partition(":")
        for option in self.lookup.options["year"]:
            year = option["ids"][0]
            if int(first) <= year and (not last or year <= int(last)):
                year_counts[str(year)] = year_counts.get(str(year), 0) + number

    def _keys_from_ids(self, counts):
        result = {"_total": counts["_total"].get("", 0)}
        for facet in FACET_NAMES:
            by_id = {str(option["ids"][0]): option["key"] for option in self.lookup.options[facet]}
            if facet == "goal":
                by_id = {str(option["id"]): option["key"] for option in self.lookup.options[facet]}
            result[facet] = {by_id.get(key, key): number for key, number in counts[facet].items()}
        return result


def _part(queryset, facet, key, count="pk", distinct=True):
    return (
        queryset.order_by()
        .values(facet_name=Value(facet, output_field=CharField()), key=Cast(key, output_field=CharField()))
        .annotate(number=Count(count, distinct=distinct))
        .values_list("facet_name", "key", "number")
    )
