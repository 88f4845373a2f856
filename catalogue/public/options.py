"""The options of the catalogue's facets in one language, and the `Lookup` that names rows by them.

URLs carry slugs and codes only. Entries link to the source-language taxonomy, so every
option maps its public key to ids of the default locale's rows and takes its label from the
active language. The options are cached per language and data version (`cms.cache`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Max, Min, OrderBy
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from catalogue.models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Municipality,
    Project,
    SdgGoal,
    SdgTarget,
    Status,
    Theme,
    TrafficLight,
    code_sort_key,
    department_slug,
    tree,
)
from cms import cache
from cms.locales import locales_by_code

from . import extra_facets

YEAR_SPAN = 12

FACETS: list[tuple[str, str | Promise]] = [
    ("area", _("Handlungsfeld")),
    ("goal", _("Ziel")),
    ("theme", _("Querschnittsthema")),
    ("sdg", _("Nachhaltigkeitsziel (SDG)")),
    ("status", _("Status")),
    ("traffic_light", _("Ampel")),
    ("department", _("Fachbereich")),
    ("municipality", _("Gemeinde")),
    ("kind", _("Art")),
    ("year", _("Aktiv im Jahr")),
    ("priority", _("Priorität")),
]
FACET_NAMES = [name for name, _label in FACETS]


def _offer(facet: extra_facets.ExtraFacet) -> None:
    """Another app's facet joins the list every part of the catalogue reads (see extra_facets)."""
    if facet.name in FACET_NAMES:
        raise ImproperlyConfigured(f"The catalogue has a facet named {facet.name!r} already.")
    FACETS.append((facet.name, facet.label))
    FACET_NAMES.append(facet.name)


extra_facets.on_register(_offer)

# Sort key -> (label, ordering of the entries).
SORTS: dict[str, tuple[Promise, list[str | OrderBy]]] = {
    "code": (_("Nummer"), ["code"]),
    "title": (_("Titel"), ["title", "code"]),
    "updated": (_("Letzte Aktualisierung"), [F("last_report_date").desc(nulls_last=True), "code"]),
    "start": (_("Beginn"), [F("planned_start").asc(nulls_last=True), "code"]),
}
DEFAULT_SORT = "code"

# The translatable taxonomy whose labels follow the active language.
Term = Area | Goal | Theme | Status | Department | FundingProgramme


@dataclass(frozen=True)
class Option:
    """One choice of a facet: its key in URLs, its label, and the ids (or values) it stands for.

    A goal's `ids` are its own id and those of all its sub-goals; `id` is its own.
    """

    key: str
    label: str
    ids: tuple[Any, ...]
    colour: str = ""
    email: str = ""
    id: int | None = None
    token: str = ""
    title: str = ""
    depth: int = 1
    parent_id: int | None = None
    area_id: int | None = None
    # The label's language where it is not the page's: an untranslated name shows the source's.
    lang: str = ""

    @property
    def first_id(self) -> Any:
        return self.ids[0]


@dataclass(frozen=True)
class GoalPath:
    area: Option | None
    goals: list[Option] = field(default_factory=list)


class Labels:
    """Names of one taxonomy in `locale`, falling back to the default locale's, which are then marked."""

    def __init__(
        self, model: type[Term], source_rows: Sequence[Term], locale: Locale, attribute: str, default: Locale
    ) -> None:
        self.attribute = attribute
        self.fallback_lang = "" if locale.pk == default.pk else default.language_code
        keys = [row.translation_key for row in source_rows]
        self.translated: dict[Any, str] = (
            dict(
                model.objects.filter(translation_key__in=keys, locale=locale).values_list("translation_key", attribute)
            )
            if keys and self.fallback_lang
            else {}
        )

    def label(self, row: Term) -> str:
        return self.translated.get(row.translation_key, getattr(row, self.attribute))

    def lang(self, row: Term) -> str:
        return "" if row.translation_key in self.translated else self.fallback_lang


def _year_range() -> list[int]:
    bounds = Project.objects.filter(live=True).aggregate(
        first=Min(Coalesce("actual_start", "planned_start")), last=Max(Coalesce("actual_end", "planned_end"))
    )
    today = timezone.localdate().year
    first = bounds["first"].year if bounds["first"] else today
    last = bounds["last"].year if bounds["last"] else today
    first = max(first, today - YEAR_SPAN)
    last = min(max(last, first), today + YEAR_SPAN)
    return list(range(first, last + 1))


def _choices(choices: Iterable[tuple[str, Any]]) -> list[Option]:
    return [Option(key=value, label=str(label), ids=(value,)) for value, label in choices]


def _build_options(locale: Locale) -> dict[str, list[Option]]:
    default = Locale.get_default()
    areas = list(Area.objects.filter(locale=default).order_by("order", "code"))
    goals = sorted(Goal.objects.filter(locale=default), key=lambda goal: (goal.area_id, code_sort_key(goal.code)))
    themes = list(Theme.objects.filter(locale=default).order_by("title"))
    statuses = list(Status.objects.filter(locale=default).order_by("order", "name"))
    departments = list(Department.objects.filter(locale=default).order_by("name"))
    municipalities = list(Municipality.objects.order_by("name"))
    programmes = list(FundingProgramme.objects.filter(locale=default).order_by("name"))
    sdgs = list(SdgGoal.objects.order_by("number"))
    sdg_targets = list(SdgTarget.objects.select_related("goal").order_by("goal__number", "order"))

    programme_names = Labels(FundingProgramme, programmes, locale, "name", default)
    area_titles = Labels(Area, areas, locale, "title", default)
    goal_titles = Labels(Goal, goals, locale, "title", default)
    theme_titles = Labels(Theme, themes, locale, "title", default)
    status_names = Labels(Status, statuses, locale, "name", default)
    department_names = Labels(Department, departments, locale, "name", default)
    # Names of places are not translated: on pages in another language they are the source's words.
    place_lang = "" if locale.pk == default.pk else default.language_code

    children = tree.children_of((goal.pk, goal.parent_id) for goal in goals)
    area_order = {area.pk: area.order for area in areas}

    def goal_option(goal: Goal) -> Option:
        title = goal_titles.label(goal)
        return Option(
            key=goal.code,
            token=goal.code.replace(".", "-"),
            label=f"{goal.code} {title}",
            title=title,
            ids=tuple(tree.subtree(children, goal.pk)),
            id=goal.pk,
            depth=goal.depth,
            parent_id=goal.parent_id,
            area_id=goal.area_id,
            lang=goal_titles.lang(goal),
        )

    options = {
        "area": [
            Option(
                key=area.slug,
                label=f"{area.code} {area_titles.label(area)}",
                ids=(area.pk,),
                colour=area.colour,
                lang=area_titles.lang(area),
            )
            for area in areas
        ],
        "goal": [
            goal_option(goal)
            for goal in sorted(goals, key=lambda goal: (area_order.get(goal.area_id, 0), code_sort_key(goal.code)))
        ],
        "theme": [
            Option(key=theme.slug, label=theme_titles.label(theme), ids=(theme.pk,), lang=theme_titles.lang(theme))
            for theme in themes
        ],
        "sdg": [
            Option(
                key=str(goal.number),
                label=f"{goal.number} {goal.names.get(locale.language_code) or goal.name}",
                title=goal.names.get(locale.language_code) or goal.name,
                ids=(goal.pk,),
                colour=goal.colour,
            )
            for goal in sdgs
        ],
        "sdg_target": [
            Option(
                key=target.code,
                label=f"{target.code} {target.texts.get(locale.language_code) or target.text}",
                title=target.texts.get(locale.language_code) or target.text,
                ids=(target.pk,),
                parent_id=target.goal_id,
                colour=target.goal.colour,
            )
            for target in sdg_targets
        ],
        "status": [
            Option(
                key=status.slug,
                label=status_names.label(status),
                ids=(status.pk,),
                colour=status.colour,
                lang=status_names.lang(status),
            )
            for status in statuses
        ],
        "traffic_light": _choices(TrafficLight.choices),
        "department": [
            Option(
                key=department_slug(department),
                label=department_names.label(department),
                ids=(department.pk,),
                email=department.email,
                lang=department_names.lang(department),
            )
            for department in departments
        ],
        "municipality": [
            Option(key=place.slug, label=place.name, ids=(place.pk,), lang=place_lang) for place in municipalities
        ],
        "kind": _choices(Project.Kind.choices),
        "year": [Option(key=str(year), label=str(year), ids=(year,)) for year in _year_range()],
        "priority": _choices(Project.Priority.choices),
        "funding": [
            Option(
                key=programme.slug,
                label=programme_names.label(programme),
                ids=(programme.pk,),
                lang=programme_names.lang(programme),
            )
            for programme in programmes
        ],
    }
    for facet in extra_facets.registered():
        options[facet.name] = [
            Option(key=item.key, label=item.label, ids=item.ids, depth=item.depth) for item in facet.options(locale)
        ]
    return options


def language_parts() -> list[tuple[str]]:
    """One part per language: derived data built for each of them."""
    return [(code,) for code in locales_by_code()]


def catalogue_options(locale: Locale) -> dict[str, list[Option]]:
    """Every facet's options in `locale`: derived data, rebuilt after each change to catalogue data."""
    return cache.derived(OPTIONS, locale.language_code)


OPTIONS = "catalogue:options"
# Entry pages name their status, goals and departments by these labels (`cms.cache`, structure_bound).
cache.register_derived(
    OPTIONS, parts=language_parts, build=lambda code: _build_options(locales_by_code()[code]), structure_bound=True
)


class Lookup:
    """Options indexed by key and by id, for one locale."""

    def __init__(self, locale: Locale):
        self.locale = locale
        self.options = catalogue_options(locale)
        self.by_key: dict[str, dict[str, Option]] = {
            name: {option.key: option for option in values} for name, values in self.options.items()
        }
        self.by_id: dict[str, dict[Any, Option]] = {
            name: {option.first_id: option for option in values} for name, values in self.options.items()
        }
        self.by_id["goal"] = {option.id: option for option in self.options["goal"]}
        self.area_of_goal = {option.id: option.area_id for option in self.options["goal"]}
        self.parent_of_goal = {option.id: option.parent_id for option in self.options["goal"]}

    def goal_path(self, goal_id: int) -> tuple[Option | None, list[Option]]:
        """Area, then goals from the top level down to this goal."""
        path = [self.by_id["goal"][pk] for pk in tree.path(self.parent_of_goal, goal_id)]
        area = self.by_id["area"].get(self.area_of_goal.get(goal_id))
        return area, path

    def area_goal_ids(self, area_keys: list[str]) -> list[int]:
        """Ids of every goal in the areas with these keys."""
        area_ids = {option.first_id for key in area_keys if (option := self.by_key["area"].get(key))}
        return [option.id for option in self.options["goal"] if option.area_id in area_ids and option.id is not None]
