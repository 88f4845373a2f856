"""The taxonomy the catalogue filters by: areas, goals, themes, departments, municipalities, statuses, SDGs."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from ninja import Query
from wagtail.models import Locale

from catalogue.models import Area, Department, Goal, Municipality, SdgGoal, Status, Theme, department_slug

from ..goals import catalogue_page
from ..options import Lookup
from .common import absolute, in_language, licence, not_modified, requested_locale, router
from .schemas import (
    AreaList,
    DepartmentList,
    GoalList,
    LanguageQuery,
    MunicipalityList,
    SdgList,
    StatusList,
    ThemeList,
)

# The translatable taxonomy models: rows per locale, linked by their translation key.
Translatable = TypeVar("Translatable", Area, Department, Goal, Status, Theme)


def _translated(
    model: type[Translatable], locale: Locale, order: Iterable[str]
) -> list[tuple[Translatable, Translatable]]:
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
    request: HttpRequest,
    response: HttpResponse,
    locale_code: str | None,
    items: Callable[[Locale], list[dict[str, Any]]],
) -> HttpResponse | dict[str, Any]:
    unchanged = not_modified(request, response)
    if unchanged is not None:
        return unchanged
    locale = requested_locale(locale_code)
    return in_language(locale, lambda: {"license": licence(request, catalogue_page(locale.pk)), "items": items(locale)})


# Ninja names an operation after its module unless told; these keep the ids the API first
# published (from `catalogue.public.api`), so clients generated from the schema keep working.


@router.get(
    "/areas/",
    response={200: AreaList, 304: None},
    url_name="catalogue_areas",
    summary="Handlungsfelder",
    operation_id="catalogue_public_api_list_areas",
)
def list_areas(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
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


@router.get(
    "/goals/",
    response={200: GoalList, 304: None},
    url_name="catalogue_goals",
    summary="Ziele (alle Ebenen)",
    operation_id="catalogue_public_api_list_goals",
)
def list_goals(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
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
                "description": descriptions.get(option.id, "") if option.id is not None else "",
                "level": option.depth,
                "parent": goals[option.parent_id].key if option.parent_id in goals else None,
                "area": areas[option.area_id].key if option.area_id in areas else "",
                "sdg_targets": targets.get(option.id, []) if option.id is not None else [],
                "url": absolute(request, f"{base_url}ziel/{option.token}/") if base_url else None,
            }
            for option in lookup.options["goal"]
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get(
    "/themes/",
    response={200: ThemeList, 304: None},
    url_name="catalogue_themes",
    summary="Querschnittsthemen",
    operation_id="catalogue_public_api_list_themes",
)
def list_themes(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
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
    operation_id="catalogue_public_api_list_departments",
)
def list_departments(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
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
    operation_id="catalogue_public_api_list_municipalities",
)
def list_municipalities(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
        return [
            {"key": place.slug, "name": place.name, "ags": place.ags} for place in Municipality.objects.order_by("name")
        ]

    return _taxonomy(request, response, language.locale, items)


@router.get(
    "/statuses/",
    response={200: StatusList, 304: None},
    url_name="catalogue_statuses",
    summary="Status der Umsetzung",
    operation_id="catalogue_public_api_list_statuses",
)
def list_statuses(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
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
    operation_id="catalogue_public_api_list_sdgs",
)
def list_sdgs(
    request: HttpRequest,
    response: HttpResponse,
    language: LanguageQuery = Query(...),  # noqa: B008
) -> HttpResponse | dict[str, Any]:
    def items(locale: Locale) -> list[dict[str, Any]]:
        code = locale.language_code
        return [
            {
                "number": goal.number,
                "name": goal.names.get(code) or goal.name,
                "title": goal.titles.get(code) or goal.title,
                "colour": goal.colour,
                "icon": absolute(request, static(goal.icon)),
                "targets": [
                    {"code": target.code, "text": target.texts.get(code) or target.text}
                    for target in goal.targets.all()
                ],
            }
            for goal in SdgGoal.objects.prefetch_related("targets")
        ]

    return _taxonomy(request, response, language.locale, items)
