"""The state of entries and indicators as of a day: what a closed period freezes, and "today" in a comparison.

An entry's state on a day comes from its newest published status report dated on or before that
day (status, light, progress, text), with the progress of entries that have measures rolled up
from them as the catalogue does (`catalogue.models.tree`), and the light of entries that take it
from their indicators computed from the indicator values up to that day
(`catalogue.models.progress`). The same rules give the catalogue's current state when the day is
today, so a report and "today" compare like with like.

A fixed number of queries however many entries (the export rows are read in chunks of 1,000).
"""

import datetime
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from wagtail.models import Locale

from catalogue.imports import COLUMN_KEYS, project_rows
from catalogue.models import (
    Area,
    Goal,
    Indicator,
    IndicatorValue,
    LightSource,
    Project,
    Status,
    StatusReport,
    TrafficLight,
    code_sort_key,
    progress,
    tree,
)

from . import contributors

SECOND_LANGUAGE = "en"
# Stored shares are capped: a value far off a path with a tiny expected change is "far off", not 10^9.
SHARE_LIMIT = Decimal(9999)
REPORT_COLUMNS = {
    "status": "status",
    "traffic_light": "traffic_light",
    "progress": "progress",
    "last_report_date": "report_date",
    "last_report_text": "report_text",
}


def entry_sort_key(code: str) -> tuple[int, ...]:
    """Numeric order for entry codes, measures (`4.1.01-2`) right after their project (`4.1.01`)."""
    return tuple(int(part) if part.isdigit() else 0 for part in re.split(r"[.\-]", code))


@dataclass
class EntryState:
    translation_key: uuid.UUID
    code: str
    title: str
    title_en: str
    slug: str
    kind: str
    parent_code: str
    goal_codes: list[str]
    area_codes: list[str]
    lead_department: str
    lead_short_name: str
    status: str
    status_closed: bool
    traffic_light: str
    light_source: str
    progress: int
    weight: int
    report_date: datetime.date | None
    report_text: str
    reported_in_period: bool
    indicator_keys: list[str]
    row: list[Any] = field(default_factory=list)
    contributions: dict[str, Any] = field(default_factory=dict)


@dataclass
class IndicatorState:
    translation_key: uuid.UUID
    title: str
    title_en: str
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    value: Decimal | None
    value_date: datetime.date | None
    expected: Decimal | None
    achieved_share: Decimal | None
    light: str
    goal_codes: list[str]
    values: list[list[str]]


@dataclass
class Frozen:
    as_of: datetime.date
    tolerance: Decimal
    legend: dict[str, Any]
    entries: list[EntryState]
    indicators: list[IndicatorState]


def _labels(rows: Iterable[Mapping[str, Any]], key: str, label: str) -> dict[Any, dict[str, str]]:
    """{translation key: {language: label}} from rows of every locale."""
    found: defaultdict[Any, dict[str, str]] = defaultdict(dict)
    for row in rows:
        found[row[key]][row["locale__language_code"]] = row[label]
    return found


def legend() -> dict[str, Any]:
    """The vocabulary a report needs to be read later: statuses, areas and goals with their labels in every language."""
    default = Locale.get_default().language_code
    statuses = list(
        Status.objects.values(
            "translation_key", "locale__language_code", "slug", "name", "colour", "order", "is_closed"
        )
    )
    areas = list(
        Area.objects.values("translation_key", "locale__language_code", "code", "slug", "title", "colour", "order")
    )
    goals = list(
        Goal.objects.values(
            "translation_key", "locale__language_code", "code", "title", "parent__code", "area__code", "order"
        )
    )
    status_labels = _labels(statuses, "translation_key", "name")
    area_labels = _labels(areas, "translation_key", "title")
    goal_labels = _labels(goals, "translation_key", "title")
    return {
        "statuses": [
            {
                "slug": row["slug"],
                "colour": row["colour"],
                "is_closed": row["is_closed"],
                "labels": status_labels[row["translation_key"]],
            }
            for row in sorted(statuses, key=lambda row: (row["order"], row["name"]))
            if row["locale__language_code"] == default
        ],
        "areas": [
            {
                "code": row["code"],
                "slug": row["slug"],
                "colour": row["colour"],
                "labels": area_labels[row["translation_key"]],
            }
            for row in sorted(areas, key=lambda row: (row["order"], code_sort_key(row["code"])))
            if row["locale__language_code"] == default
        ],
        "goals": [
            {
                "code": row["code"],
                "parent": row["parent__code"] or "",
                "area": row["area__code"],
                "labels": goal_labels[row["translation_key"]],
            }
            for row in sorted(goals, key=lambda row: code_sort_key(row["code"]))
            if row["locale__language_code"] == default
        ],
        "contributors": [
            {
                "name": contributor.name,
                "labels": _in_languages(contributor.label),
                "columns": [column._asdict() for column in contributor.columns],
            }
            for contributor in contributors.registered()
        ],
    }


def _in_languages(text: Any) -> dict[str, str]:
    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels[code] = str(text)
    return labels


def _newest_reports(as_of: datetime.date) -> dict[int, dict[str, Any]]:
    """The newest published report on or before `as_of` of every live source-language entry, by entry id."""
    newest = StatusReport.objects.filter(project=OuterRef("pk"), date__lte=as_of).order_by("-date", "-pk")
    report_ids = (
        Project.objects.filter(live=True, locale=Locale.get_default())
        .annotate(report_id=Subquery(newest.values("pk")[:1]))
        .filter(report_id__isnull=False)
        .values("report_id")
    )
    return {
        row["project_id"]: dict(row)
        for row in StatusReport.objects.filter(pk__in=report_ids).values(
            "project_id", "date", "status__slug", "status__is_closed", "traffic_light", "progress", "text"
        )
    }


def _rolled_up_progress(reports: dict[int, dict[str, Any]]) -> dict[int, int]:
    """Progress of every live source-language entry as of the reports' day, parents from their measures."""
    rows = [
        {"pk": pk, "parent_id": parent_id, "weight": weight, "progress": reports.get(pk, {}).get("progress", 0)}
        for pk, parent_id, weight in Project.objects.filter(live=True, locale=Locale.get_default()).values_list(
            "pk", "parent_id", "weight"
        )
    ]
    found = {row["pk"]: row["progress"] for row in rows}
    found.update(tree.rollup_changes(rows, [row["pk"] for row in rows if row["parent_id"] is not None]))
    return found


def _english_title() -> Subquery:
    translated = Project.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=SECOND_LANGUAGE
    )
    return Subquery(translated.values("title")[:1])


def _indicators(
    entry_indicators: dict[uuid.UUID, set[int]],
    area_codes: set[str] | None,
    as_of: datetime.date | None,
    tolerance: Decimal,
) -> tuple[list[IndicatorState], dict[int, progress.Assessment], dict[int, uuid.UUID]]:
    """The indicators of the entries in scope and of the goals of the areas in scope, assessed as of `as_of`.

    Three queries: the goal links, the indicators (with their English titles), their values.
    """
    goals: defaultdict[int, list[str]] = defaultdict(list)
    linked_to_goals = set()
    for indicator_id, goal_code, area_code in Indicator.goals.through.objects.values_list(
        "indicator_id", "goal__code", "goal__area__code"
    ):
        goals[indicator_id].append(goal_code)
        if area_codes is None or area_code in area_codes:
            linked_to_goals.add(indicator_id)
    ids = linked_to_goals.union(*entry_indicators.values())
    if not ids:
        return [], {}, {}
    translated = Indicator.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=SECOND_LANGUAGE
    )
    rows = list(
        Indicator.objects.filter(pk__in=ids)
        .annotate(title_en=Subquery(translated.values("title")[:1]))
        .values(
            "pk",
            "translation_key",
            "title",
            "title_en",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
        )
    )
    values_query = IndicatorValue.objects.filter(indicator_id__in=ids)
    if as_of is not None:
        values_query = values_query.filter(date__lte=as_of)
    series: defaultdict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for indicator_id, date, value in values_query.order_by("date", "pk").values_list("indicator_id", "date", "value"):
        series[indicator_id].append((date, value))
    states, assessments, keys = [], {}, {}
    for row in rows:
        path = progress.Path(
            row["direction"], row["baseline_value"], row["baseline_year"], row["target_value"], row["target_year"]
        )
        values = series.get(row["pk"], [])
        newest: tuple[datetime.date | None, Decimal | None] = values[-1] if values else (None, None)
        measured_on, measured = newest
        assessment = progress.assess(path, measured, measured_on, tolerance)
        share = assessment.achieved_share
        if share is not None:
            share = max(-SHARE_LIMIT, min(SHARE_LIMIT, share))
        assessments[row["pk"]] = assessment
        keys[row["pk"]] = row["translation_key"]
        states.append(
            IndicatorState(
                translation_key=row["translation_key"],
                title=row["title"],
                title_en=row["title_en"] or "",
                unit=row["unit"],
                direction=row["direction"],
                baseline_value=row["baseline_value"],
                baseline_year=row["baseline_year"],
                target_value=row["target_value"],
                target_year=row["target_year"],
                value=measured,
                value_date=measured_on,
                expected=assessment.expected,
                achieved_share=share,
                light=assessment.light,
                goal_codes=sorted(goals.get(row["pk"], []), key=code_sort_key),
                values=[[day.isoformat(), str(amount)] for day, amount in values],
            )
        )
    states.sort(key=lambda state: state.title.casefold())
    return states, assessments, keys


def _export_rows(entries: QuerySet[Project], states: dict[str, EntryState], labels: dict[str, str]) -> None:
    """Each state's entry in the import/export column set, with the report columns as of the day."""
    positions = {key: COLUMN_KEYS.index(key) for key in REPORT_COLUMNS}
    lights = dict(TrafficLight.choices)
    with translation.override(settings.LANGUAGE_CODE):
        for row in project_rows(entries):
            state = states.get(str(row[0]))
            if state is None:
                continue
            values: dict[str, Any] = {
                "status": labels.get(state.status, ""),
                "traffic_light": str(lights[state.traffic_light]),
                "progress": state.progress,
                "last_report_date": state.report_date,
                "last_report_text": state.report_text,
            }
            for key, position in positions.items():
                row[position] = values[key]
            state.row = [_json_cell(value) for value in row]


def _json_cell(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


ENTRY_VALUES = [
    "pk",
    "translation_key",
    "code",
    "title",
    "title_en",
    "slug",
    "kind",
    "parent__code",
    "lead_department__name",
    "lead_department__short_name",
    "weight",
    "traffic_light_source",
]


def _goal_links(entries: QuerySet[Project]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Goal codes and area codes of each entry, in code order."""
    goal_codes: defaultdict[int, list[str]] = defaultdict(list)
    area_codes: defaultdict[int, set[str]] = defaultdict(set)
    for project_id, goal_code, area_code in Project.goals.through.objects.filter(
        project__in=entries.values("pk")
    ).values_list("project_id", "goal__code", "goal__area__code"):
        goal_codes[project_id].append(goal_code)
        area_codes[project_id].add(area_code)
    return (
        {pk: sorted(codes, key=code_sort_key) for pk, codes in goal_codes.items()},
        {pk: sorted(codes, key=code_sort_key) for pk, codes in area_codes.items()},
    )


def _state(row: dict[str, Any], goals: dict[int, list[str]], areas: dict[int, list[str]], **values: Any) -> EntryState:
    return EntryState(
        translation_key=row["translation_key"],
        code=row["code"],
        title=row["title"],
        title_en=row["title_en"] or "",
        slug=row["slug"],
        kind=row["kind"],
        parent_code=row["parent__code"] or "",
        goal_codes=goals.get(row["pk"], []),
        area_codes=areas.get(row["pk"], []),
        lead_department=row["lead_department__name"] or "",
        lead_short_name=row["lead_department__short_name"] or "",
        weight=row["weight"],
        light_source=row["traffic_light_source"],
        **values,
    )


def _indicator_keys(key: uuid.UUID, linked: dict[uuid.UUID, set[int]], keys: dict[int, uuid.UUID]) -> list[str]:
    return sorted(str(keys[pk]) for pk in linked.get(key, set()) if pk in keys)


def freeze(
    entries: QuerySet[Project],
    as_of: datetime.date,
    tolerance: Decimal,
    *,
    reports_from: datetime.date | None = None,
    area_codes: set[str] | None = None,
    with_rows: bool = False,
) -> Frozen:
    """The state of `entries` (live, source language) and their indicators as of `as_of`, from their history.

    `reports_from` marks entries that reported in the period; `area_codes` limits the goal
    indicators to the areas in scope (None: all); `with_rows` adds each entry's export row and
    the contributors' figures, which only a closing period stores.
    """
    rows = list(entries.annotate(title_en=_english_title()).order_by("code").values(*ENTRY_VALUES))
    goals, areas = _goal_links(entries)
    reports = _newest_reports(as_of)
    rolled_up = _rolled_up_progress(reports)
    linked = progress.indicators_by_entry(entries.values("translation_key"))
    indicators, assessments, keys = _indicators(linked, area_codes, as_of, tolerance)
    lights = progress.entry_lights(linked, assessments)
    states = []
    for row in rows:
        report = reports.get(row["pk"], {})
        report_date = report.get("date")
        computed = row["traffic_light_source"] == LightSource.INDICATORS
        states.append(
            _state(
                row,
                goals,
                areas,
                status=report.get("status__slug") or "",
                status_closed=bool(report.get("status__is_closed")),
                traffic_light=(
                    lights.get(row["translation_key"], TrafficLight.UNKNOWN)
                    if computed
                    else report.get("traffic_light", TrafficLight.UNKNOWN)
                ),
                progress=rolled_up.get(row["pk"], 0),
                report_date=report_date,
                report_text=report.get("text", ""),
                reported_in_period=bool(reports_from and report_date and report_date >= reports_from),
                indicator_keys=_indicator_keys(row["translation_key"], linked, keys),
            )
        )
    vocabulary = legend()
    if with_rows:
        status_labels = {status["slug"]: status["labels"][settings.LANGUAGE_CODE] for status in vocabulary["statuses"]}
        _export_rows(entries, {state.code: state for state in states}, status_labels)
        _contribute(rows, states, as_of)
    return Frozen(as_of=as_of, tolerance=tolerance, legend=vocabulary, entries=states, indicators=indicators)


def current(entries: QuerySet[Project], area_codes: set[str] | None = None) -> Frozen:
    """The state of `entries` now, as the catalogue shows it (its denormalised status, light and progress)."""
    newest_text = StatusReport.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk").values("text")[:1]
    rows = list(
        entries.annotate(title_en=_english_title(), report_text=Subquery(newest_text))
        .order_by("code")
        .values(
            *ENTRY_VALUES,
            "status__slug",
            "status__is_closed",
            "traffic_light",
            "progress",
            "last_report_date",
            "report_text",
        )
    )
    goals, areas = _goal_links(entries)
    linked = progress.indicators_by_entry(entries.values("translation_key"))
    tolerance = progress.current_tolerance()
    indicators, _assessments, keys = _indicators(linked, area_codes, None, tolerance)
    states = [
        _state(
            row,
            goals,
            areas,
            status=row["status__slug"] or "",
            status_closed=bool(row["status__is_closed"]),
            traffic_light=row["traffic_light"],
            progress=row["progress"],
            report_date=row["last_report_date"],
            report_text=row["report_text"] or "",
            reported_in_period=False,
            indicator_keys=_indicator_keys(row["translation_key"], linked, keys),
        )
        for row in rows
    ]
    return Frozen(
        as_of=timezone.localdate(), tolerance=tolerance, legend=legend(), entries=states, indicators=indicators
    )


def _contribute(rows: Sequence[dict[str, Any]], states: Sequence[EntryState], as_of: datetime.date) -> None:
    refs = [contributors.EntryRef(row["pk"], row["translation_key"], row["code"]) for row in rows]
    for contributor in contributors.registered():
        figures = contributor.collect(refs, as_of)
        for state in states:
            values = figures.get(state.translation_key)
            if values:
                state.contributions[contributor.name] = {key: _json_cell(value) for key, value in values.items()}
