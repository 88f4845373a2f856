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
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    UUIDField,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone, translation

from catalogue.imports import COLUMN_KEYS, project_rows
from catalogue.models import (
    Area,
    Goal,
    Indicator,
    LightSource,
    Project,
    Status,
    StatusReport,
    TrafficLight,
    code_sort_key,
    progress,
    tree,
)
from cms.locales import default_locale

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


def _vocabulary_rows() -> list[tuple[Any, ...]]:
    """Statuses, areas and goals of every language in one padded UNION ALL query.

    Columns: kind, translation key, language, key (slug or code), label, colour, order,
    closed, parent goal code, area code, slug.
    """
    text, number, flag = CharField(), IntegerField(), BooleanField()
    null_text = Cast(Value(None), TextField())
    # Typed NULLs and values: PostgreSQL takes a UNION's column types from the first SELECT.
    statuses = Status.objects.values_list(
        Value("status", output_field=text),
        "translation_key",
        "locale__language_code",
        Cast("slug", TextField()),
        Cast("name", TextField()),
        Cast("colour", TextField()),
        Cast("order", number),
        Cast("is_closed", flag),
        null_text,
        null_text,
        Cast("slug", TextField()),
    )
    areas = Area.objects.values_list(
        Value("area", output_field=text),
        "translation_key",
        "locale__language_code",
        Cast("code", TextField()),
        Cast("title", TextField()),
        Cast("colour", TextField()),
        Cast("order", number),
        Cast(Value(False), flag),
        null_text,
        null_text,
        Cast("slug", TextField()),
    )
    goals = Goal.objects.values_list(
        Value("goal", output_field=text),
        "translation_key",
        "locale__language_code",
        Cast("code", TextField()),
        Cast("title", TextField()),
        null_text,
        Cast("order", number),
        Cast(Value(False), flag),
        Cast("parent__code", TextField()),
        Cast("area__code", TextField()),
        null_text,
    )
    return list(statuses.order_by().union(areas.order_by(), goals.order_by(), all=True))


def legend() -> dict[str, Any]:
    """The vocabulary a report needs to be read later: statuses, areas and goals with their labels in every language."""
    default = default_locale().language_code
    labels: defaultdict[Any, dict[str, str]] = defaultdict(dict)
    source: dict[str, list[tuple[Any, ...]]] = {"status": [], "area": [], "goal": []}
    for row in _vocabulary_rows():
        kind, key, language, _code, label = row[:5]
        labels[key][language] = label
        if language == default:
            source[kind].append(row)
    return {
        "statuses": [
            {"slug": code, "colour": colour, "is_closed": bool(closed), "labels": labels[key]}
            for _kind, key, _language, code, _label, colour, _order, closed, *_rest in sorted(
                source["status"], key=lambda row: (row[6], row[4])
            )
        ],
        "areas": [
            {"code": code, "slug": slug, "colour": colour, "labels": labels[key]}
            for _kind, key, _language, code, _label, colour, _order, _closed, _parent, _area, slug in sorted(
                source["area"], key=lambda row: (row[6], code_sort_key(row[3]))
            )
        ],
        "goals": [
            {"code": code, "parent": parent or "", "area": area, "labels": labels[key]}
            for _kind, key, _language, code, _label, _colour, _order, _closed, parent, area, _slug in sorted(
                source["goal"], key=lambda row: code_sort_key(row[3])
            )
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
        Project.objects.filter(live=True, locale=default_locale())
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
        for pk, parent_id, weight in Project.objects.filter(live=True, locale=default_locale()).values_list(
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


@dataclass
class Links:
    """How the entries in scope hang together with goals and indicators (from one query)."""

    goals: dict[int, list[str]] = field(default_factory=dict)
    areas: dict[int, list[str]] = field(default_factory=dict)
    entry_indicators: dict[uuid.UUID, set[int]] = field(default_factory=dict)
    indicator_goals: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


def _links(entries: QuerySet[Project]) -> Links:
    """Goal and area codes of the entries, their indicators (by translation key), every indicator's goals.

    One padded UNION ALL query; entries share indicators across languages through their translation key.
    """
    text, number = CharField(), BigIntegerField()
    null_text, null_key = Cast(Value(None), TextField()), Cast(Value(None), UUIDField())
    # Typed columns: PostgreSQL takes a UNION's column types from the first SELECT.
    entry_goals = Project.goals.through.objects.filter(project__in=entries.values("pk")).values_list(
        Value("goal", output_field=text),
        Cast("project_id", number),
        Cast("goal__code", TextField()),
        Cast("goal__area__code", TextField()),
        null_key,
    )
    entry_indicators = Indicator.projects.through.objects.filter(
        project__translation_key__in=entries.values("translation_key")
    ).values_list(
        Value("indicator", output_field=text),
        Cast("indicator_id", number),
        null_text,
        null_text,
        "project__translation_key",
    )
    indicator_goals = Indicator.goals.through.objects.values_list(
        Value("indicator_goal", output_field=text),
        Cast("indicator_id", number),
        Cast("goal__code", TextField()),
        Cast("goal__area__code", TextField()),
        null_key,
    )
    goals: defaultdict[int, list[str]] = defaultdict(list)
    areas: defaultdict[int, set[str]] = defaultdict(set)
    linked: defaultdict[uuid.UUID, set[int]] = defaultdict(set)
    indicator_goal_codes: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)
    for kind, pk, goal_code, area_code, key in entry_goals.order_by().union(
        entry_indicators.order_by(), indicator_goals.order_by(), all=True
    ):
        if kind == "goal":
            goals[pk].append(goal_code)
            areas[pk].add(area_code)
        elif kind == "indicator":
            linked[key].add(pk)
        else:
            indicator_goal_codes[pk].append((goal_code, area_code))
    return Links(
        goals={pk: sorted(codes, key=code_sort_key) for pk, codes in goals.items()},
        areas={pk: sorted(codes, key=code_sort_key) for pk, codes in areas.items()},
        entry_indicators=dict(linked),
        indicator_goals=dict(indicator_goal_codes),
    )


def _indicators(
    links: Links,
    area_codes: set[str] | None,
    as_of: datetime.date | None,
    tolerance: Decimal,
) -> tuple[list[IndicatorState], dict[int, progress.Assessment], dict[int, uuid.UUID]]:
    """The indicators of the entries in scope and of the goals of the areas in scope, assessed as of `as_of`.

    One query: the indicators with their English titles and their values up to `as_of`.
    """
    ids = {
        pk
        for pk, pairs in links.indicator_goals.items()
        if area_codes is None or any(area in area_codes for _goal, area in pairs)
    }
    ids = ids.union(*links.entry_indicators.values())
    if not ids:
        return [], {}, {}
    translated = Indicator.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=SECOND_LANGUAGE
    )
    indicators = Indicator.objects.filter(pk__in=ids).annotate(title_en=Subquery(translated.values("title")[:1]))
    # The values joined in the same query; `kept` leaves out those after the day, and keeps
    # indicators without any value (a LEFT JOIN with the date in its condition).
    condition = Q(values__date__lte=as_of or datetime.date.max)
    rows = list(
        indicators.annotate(kept=FilteredRelation("values", condition=condition))
        .order_by("pk", "kept__date", "kept__pk")
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
            "kept__date",
            "kept__value",
        )
    )
    series: defaultdict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    first: dict[int, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(row["pk"], row)
        if row["kept__date"] is not None:
            series[row["pk"]].append((row["kept__date"], row["kept__value"]))
    states, assessments, keys = [], {}, {}
    for row in first.values():
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
                goal_codes=sorted(
                    {goal for goal, _area in links.indicator_goals.get(row["pk"], [])}, key=code_sort_key
                ),
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


def _state(row: dict[str, Any], links: Links, **values: Any) -> EntryState:
    return EntryState(
        translation_key=row["translation_key"],
        code=row["code"],
        title=row["title"],
        title_en=row["title_en"] or "",
        slug=row["slug"],
        kind=row["kind"],
        parent_code=row["parent__code"] or "",
        goal_codes=links.goals.get(row["pk"], []),
        area_codes=links.areas.get(row["pk"], []),
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
    links = _links(entries)
    reports = _newest_reports(as_of)
    rolled_up = _rolled_up_progress(reports)
    linked = links.entry_indicators
    indicators, assessments, keys = _indicators(links, area_codes, as_of, tolerance)
    lights = progress.entry_lights(linked, assessments)
    states = []
    for row in rows:
        report = reports.get(row["pk"], {})
        report_date = report.get("date")
        computed = row["traffic_light_source"] == LightSource.INDICATORS
        states.append(
            _state(
                row,
                links,
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
    links = _links(entries)
    linked = links.entry_indicators
    tolerance = progress.current_tolerance()
    indicators, _assessments, keys = _indicators(links, area_codes, None, tolerance)
    states = [
        _state(
            row,
            links,
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
