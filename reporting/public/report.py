"""A frozen report as the public sees it: area -> goal -> entry, with distributions, progress and indicators.

Three queries read a report (its header, its entries, its indicators); the payload is cached per
report, language, area and data version (the links to the live entry pages can change, the
figures cannot).
"""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from catalogue.models import LightSource, Project, TrafficLight
from catalogue.models.progress import LIGHT_POINTS
from catalogue.public.query import entry_path
from cms import cache
from reporting.freezing import entry_sort_key
from reporting.models import EntrySnapshot, IndicatorSnapshot, ProgressReport

from .figures import Figures, Label, Legend, figures, in_goals

ENTRY_FIELDS = [
    "translation_key",
    "code",
    "title",
    "title_en",
    "slug",
    "goal_codes",
    "area_codes",
    "lead_department",
    "lead_short_name",
    "status",
    "status_closed",
    "traffic_light",
    "light_source",
    "progress",
    "weight",
    "report_date",
    "report_text",
    "reported_in_period",
    "indicator_keys",
    "contributions",
]


@dataclass(frozen=True)
class EntryRow:
    code: str
    title: Label
    url: str
    lead_department: str
    status: Label
    status_colour: str
    traffic_light: str
    light_label: str
    computed_light: bool
    progress: int
    weight: int
    report_date: datetime.date | None
    report_text: str
    reported_in_period: bool
    indicators: list[str]
    contributions: list[tuple[Label, Any]]


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    title: Label
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    value: Decimal | None
    value_date: datetime.date | None
    expected: Decimal | None
    achieved_percent: int | None
    light: str
    light_label: str
    goal_codes: list[str]


@dataclass
class GoalSection:
    code: str
    title: Label
    depth: int
    figures: Figures
    entries: list[EntryRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class AreaSection:
    code: str
    slug: str
    title: Label
    colour: str
    figures: Figures
    goals: list[GoalSection]
    indicators: list[IndicatorRow]


@dataclass
class ReportPayload:
    report: ProgressReport
    totals: Figures
    areas: list[AreaSection]
    indicators: list[IndicatorRow]
    contributed_columns: list[Label]
    scope_areas: list[Label]
    scope_departments: list[str]


def find_report(date: str) -> ProgressReport | None:
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        return None
    if date != day.isoformat():
        return None
    return ProgressReport.objects.filter(reporting_date=day).first()


def snapshot_rows(report: ProgressReport) -> QuerySet[EntrySnapshot, dict[str, Any]]:
    return EntrySnapshot.objects.filter(report=report).values(*ENTRY_FIELDS)


class _Row:
    """A snapshot's values with attribute access, as `figures` reads them."""

    code: str

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def load_entries(report: ProgressReport) -> list[Any]:
    """The report's entries in code order; cached, as a closed report never changes.

    Decoding the snapshots' JSON columns is most of a comparison's cost at 10,000 entries.
    """

    def build_rows() -> list[Any]:
        rows = [_Row(values) for values in snapshot_rows(report)]
        rows.sort(key=lambda row: entry_sort_key(row.code))
        return rows

    return cache.named(
        "reporting:entries", report.pk, report.closed_at.isoformat(), build=build_rows, timeout=cache.DAY
    )


def load_indicators(report: ProgressReport) -> list[IndicatorSnapshot]:
    return list(IndicatorSnapshot.objects.filter(report=report).order_by("title"))


def _title(title: str, title_en: str, language: str) -> Label:
    if language == "en" and title_en:
        return Label(title_en)
    return Label(title, "de" if language != "de" else "")


def _indicator_row(indicator: IndicatorSnapshot, language: str, lights: dict[str, str]) -> IndicatorRow:
    share = indicator.achieved_share
    return IndicatorRow(
        key=str(indicator.translation_key),
        title=_title(indicator.title, indicator.title_en, language),
        unit=indicator.unit,
        direction=indicator.direction,
        baseline_value=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        value=indicator.value,
        value_date=indicator.value_date,
        expected=indicator.expected,
        achieved_percent=None if share is None else round(share * 100),
        light=indicator.light,
        light_label=lights[indicator.light],
        goal_codes=indicator.goal_codes,
    )


def _live_entry_urls(keys: Sequence[uuid.UUID], locale_id: int, base_url: str | None) -> dict[uuid.UUID, str]:
    """Where each entry can be seen today: only entries still live in the catalogue get a link."""
    if not base_url:
        return {}
    found = Project.objects.filter(live=True, locale_id=locale_id, translation_key__in=keys).values_list(
        "translation_key", "code", "title", "slug"
    )
    return {key: entry_path(base_url, code, title, slug) for key, code, title, slug in found}


def entry_row(entry: Any, legend: Legend, language: str, url: str, lights: dict[str, str]) -> EntryRow:
    contributions: list[tuple[Label, Any]] = []
    for contributor in legend.contributors:
        values = entry.contributions.get(contributor["name"], {})
        contributions.extend(
            (legend.column_label(column), values.get(column["key"])) for column in contributor["columns"]
        )
    return EntryRow(
        code=entry.code,
        title=_title(entry.title, entry.title_en, language),
        url=url,
        lead_department=entry.lead_department,
        status=legend.status_label(entry.status),
        status_colour=legend.status_colour(entry.status),
        traffic_light=entry.traffic_light,
        light_label=lights[entry.traffic_light],
        computed_light=entry.light_source == LightSource.INDICATORS,
        progress=entry.progress,
        weight=entry.weight,
        report_date=entry.report_date,
        report_text=entry.report_text,
        reported_in_period=entry.reported_in_period,
        indicators=entry.indicator_keys,
        contributions=contributions,
    )


def build(
    report: ProgressReport,
    language: str,
    locale_id: int,
    catalogue_url: str | None,
    area_code: str | None = None,
    with_entries: bool = False,
) -> ReportPayload:
    """The report's payload: its areas (or the one of `area_code`) with their goals' figures.

    `with_entries` lists the entries and indicators under each goal; `catalogue_url` is the
    address of the catalogue page in the report's language, for links to the entries still live.
    """
    legend = Legend(report.legend, language)
    lights = {value: str(label) for value, label in TrafficLight.choices}
    entries = load_entries(report)
    indicators = load_indicators(report)
    indicator_rows = [_indicator_row(indicator, language, lights) for indicator in indicators]
    urls = _live_entry_urls([entry.translation_key for entry in entries], locale_id, catalogue_url) if area_code else {}
    areas = []
    for area in legend.areas:
        if area_code and area["code"] != area_code:
            continue
        area_entries = [entry for entry in entries if area["code"] in entry.area_codes]
        goals = legend.area_goals(area["code"])
        area_indicators = in_goals(indicator_rows, {goal["code"] for goal in goals})
        if not area_entries and not area_indicators:
            continue
        sections = []
        for goal in goals:
            subtree = legend.descendants.get(goal["code"], {goal["code"]})
            goal_entries = in_goals(area_entries, subtree)
            goal_indicators = in_goals(area_indicators, subtree)
            if not goal_entries and not goal_indicators:
                continue
            section = GoalSection(
                code=goal["code"],
                title=legend.label(goal["labels"]),
                depth=goal["depth"],
                figures=figures(goal_entries, goal_indicators, legend),
            )
            if with_entries:
                section.entries = [
                    entry_row(entry, legend, language, urls.get(entry.translation_key, ""), lights)
                    for entry in goal_entries
                    if goal["code"] in entry.goal_codes
                ]
                section.indicators = [row for row in goal_indicators if goal["code"] in row.goal_codes]
            sections.append(section)
        areas.append(
            AreaSection(
                code=area["code"],
                slug=area["slug"],
                title=legend.label(area["labels"]),
                colour=area["colour"],
                figures=figures(area_entries, area_indicators, legend),
                goals=sections,
                indicators=area_indicators,
            )
        )
    contributed = [
        legend.column_label(column) for contributor in legend.contributors for column in contributor["columns"]
    ]
    return ReportPayload(
        report=report,
        totals=figures(entries, indicators, legend),
        areas=areas,
        indicators=indicator_rows,
        contributed_columns=contributed,
        scope_areas=[
            legend.label(legend.area_by_code[code]["labels"])
            for code in report.scope.get("areas", [])
            if code in legend.area_by_code
        ],
        scope_departments=report.scope.get("departments", []),
    )


def cached_payload(
    report: ProgressReport, language: str, locale_id: int, catalogue_url: str | None, area_code: str | None
) -> ReportPayload:
    """The overview (no `area_code`) or one area with its entries, cached per data version."""
    return cache.versioned(
        "reporting:report",
        report.pk,
        language,
        locale_id,
        catalogue_url or "",
        area_code or "",
        build=lambda: build(report, language, locale_id, catalogue_url, area_code, with_entries=bool(area_code)),
        timeout=cache.HOUR,
    )


def light_points() -> list[tuple[str, int]]:
    """The points of the lights in the roll-up, for the method note."""
    return [(str(label), LIGHT_POINTS[value]) for value, label in TrafficLight.choices if value in LIGHT_POINTS]
