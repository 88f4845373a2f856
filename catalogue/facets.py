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
from django.db.models import CharField, F, Max, Min, Q, Value
from django.db.models.functions import Coalesce
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

    def selection_key(self):
        """Language, data version and the selection (not sort or page), for cache keys."""
        data = self.form.cleaned_data
        selection = [(name, sorted(data.get(name) or [])) for name in FACET_NAMES]
        selection.append(("q", (data.get("q") or "").strip()))
        selection.append(("county_wide", bool(data.get("county_wide"))))
        digest = hashlib.sha256(repr(selection).encode()).hexdigest()
        return f"{self.lookup.locale.language_code}:{data_version()}:{digest}"

    def facet_counts(self):
        """Per facet and option, the entries it would give with the other facets applied.

        Cached per language, filter selection and data version: the counting statement is the
        bulk of a list request's database time, and visitors repeat the same selections.
        """
        key = f"catalogue:facets:{self.selection_key()}"
        counts = cache.get(key)
        if counts is None:
            counts = self._count_facets()
            cache.set(key, counts, OPTIONS_TIMEOUT)
        return counts

    def _count_facets(self):
        """Counts from the entries' bit sets: each facet's options ANDed with the other facets' selections."""
        data = self.form.cleaned_data
        sets = facet_sets(self.lookup.locale)
        universe = sets["all"]
        query = (data.get("q") or "").strip()
        if query:
            universe &= sets_of_pks(sets, self.filter_text(self.queryset, "q", query).values_list("pk", flat=True))
        county_wide = sets["county_wide"] if data.get("county_wide") else 0
        chosen = {}
        for name in FACET_NAMES:
            if data.get(name):
                mask = 0
                for key in data[name]:
                    mask |= sets[name].get(key, 0)
                # As in filter_municipality: county-wide entries join a selected municipality.
                chosen[name] = mask | county_wide if name == "municipality" else mask
        total = universe
        for mask in chosen.values():
            total &= mask
        result = {"_total": total.bit_count()}
        for name in FACET_NAMES:
            others = universe
            for other, mask in chosen.items():
                if other != name:
                    others &= mask
            extra = county_wide if name == "municipality" else 0
            counts = {}
            for option in self.lookup.options[name]:
                number = (others & (sets[name].get(option["key"], 0) | extra)).bit_count()
                if number:
                    counts[option["key"]] = number
            result[name] = counts
        return result


def sets_of_pks(sets, pks):
    position = {pk: index for index, pk in enumerate(sets["pks"])}
    members = 0
    for pk in pks:
        if pk in position:
            members |= 1 << position[pk]
    return members


def facet_sets(locale):
    """Per facet and option key, the live entries of `locale` it matches, as a bit set.

    Bit i stands for the i-th entry by id; a Python int serves as the set, so a facet count is an
    AND and a popcount over 10,000 bits instead of a join. Built with two queries and cached until
    catalogue data changes; the filters themselves stay SQL (`ProjectFilterSet.qs`), and the tests
    hold both against the rows.
    """
    key = f"catalogue:facet-sets:{locale.language_code}:{data_version()}"
    sets = cache.get(key)
    if sets is None:
        sets = _build_facet_sets(locale)
        cache.set(key, sets, OPTIONS_TIMEOUT)
    return sets


def _build_facet_sets(locale):
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
    sets = {name: {} for name in FACET_NAMES}
    county_wide = 0

    def add(facet, option_key, index):
        sets[facet][option_key] = sets[facet].get(option_key, 0) | (1 << index)

    def key_of(facet, value):
        option = lookup.by_id[facet].get(value)
        return option["key"] if option else None

    goal_keys = {}
    for option in lookup.options["goal"]:
        for goal_id in option["ids"]:
            goal_keys.setdefault(goal_id, []).append(option["key"])
    years = [option["ids"][0] for option in lookup.options["year"]]
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
    return {**sets, "all": (1 << len(rows)) - 1, "county_wide": county_wide, "pks": list(position)}
