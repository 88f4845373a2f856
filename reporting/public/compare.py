"""The comparison page: two reports, or a report and today, with filters; and the same as XLSX.

The visitor's choices come as GET parameters (`from`, `to`: a report's date or `heute`; `area`,
`goal`: codes; `department`: a lead department's short name as a slug; `change`: kinds of
change). Unknown values are dropped with a note, so a shared link keeps working when a report
or a goal is gone.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from catalogue.imports.columns import XLSX_DATE_FORMAT
from catalogue.public.query import entry_path
from cms import cache
from reporting import comparison
from reporting.comparison import CHANGE_KINDS, EntryChange, IndicatorMove, Summary
from reporting.freezing import current
from reporting.models import ProgressReport, scoped_entries

from .figures import Label, Legend
from .report import load_entries, load_indicators

TODAY = "heute"
MAX_PARAMETERS = 60
TODAY_TIMEOUT = cache.HOUR
KIND_LABELS = {
    "new": gettext_lazy("neu aufgenommen"),
    "removed": gettext_lazy("nicht mehr enthalten"),
    "finished": gettext_lazy("beendet"),
    "status": gettext_lazy("Status geändert"),
    "light": gettext_lazy("Ampel geändert"),
    "progress": gettext_lazy("Fortschritt geändert"),
}


@dataclass
class Side:
    key: str
    label: str
    report: ProgressReport | None
    entries: list[Any]
    indicators: list[Any]
    legend: Legend


@dataclass(frozen=True)
class GroupRow:
    code: str
    title: Label
    depth: int
    summary: Summary


@dataclass
class AreaChanges:
    row: GroupRow
    goals: list[GroupRow] = field(default_factory=list)


@dataclass
class Choices:
    """The validated parameters and what the form offers."""

    before: str
    after: str
    area: str = ""
    goal: str = ""
    department: str = ""
    kinds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def query(self) -> str:
        data = QueryDict(mutable=True)
        data.update({"from": self.before, "to": self.after})
        for name, value in (("area", self.area), ("goal", self.goal), ("department", self.department)):
            if value:
                data[name] = value
        data.setlist("change", self.kinds)
        return data.urlencode()


def report_label(report: ProgressReport, language: str) -> str:
    return _("%(title)s (Stichtag %(date)s)") % {
        "title": report.title_in(language),
        "date": formats.date_format(report.reporting_date, "SHORT_DATE_FORMAT"),
    }


def _department_key(entry: Any) -> str:
    return slugify(entry.lead_short_name) if getattr(entry, "lead_short_name", "") else ""


def parse(request: HttpRequest, reports: Sequence[ProgressReport]) -> Choices:
    """The visitor's choices; a missing or unknown report falls back to the newest two (or the newest and today)."""
    data = request.GET
    if sum(len(values) for _name, values in data.lists()) > MAX_PARAMETERS:
        raise BadRequest(_("Zu viele Parameter."))
    known = {report.slug for report in reports}
    newest = reports[0].slug
    default_before = reports[1].slug if len(reports) > 1 else newest
    default_after = newest if len(reports) > 1 else TODAY
    notes = []

    def side(name: str, default: str) -> str:
        value = data.get(name, "").strip()
        if not value:
            return default
        if value in known or value == TODAY:
            return value
        notes.append(_("Einen Bericht „%(value)s“ gibt es nicht; gezeigt wird ein anderer.") % {"value": value[:20]})
        return default

    kinds = []
    for value in data.getlist("change"):
        if value in CHANGE_KINDS and value not in kinds:
            kinds.append(value)
        elif value:
            notes.append(_("Die Art der Änderung „%(value)s“ gibt es nicht.") % {"value": value[:20]})
    return Choices(
        before=side("from", default_before),
        after=side("to", default_after),
        area=data.get("area", "").strip()[:20],
        goal=data.get("goal", "").strip()[:20],
        department=data.get("department", "").strip()[:60],
        kinds=kinds,
        notes=notes,
    )


def _today(scope: dict[str, Any], language: str) -> Side:
    frozen = cache.versioned(
        "reporting:today",
        ",".join(map(str, scope.get("area_ids", []))),
        ",".join(map(str, scope.get("department_ids", []))),
        build=lambda: current(
            scoped_entries(scope.get("area_ids", []), scope.get("department_ids", [])),
            set(scope.get("areas", [])) or None,
        ),
        timeout=TODAY_TIMEOUT,
    )
    label = _("heute (%(date)s)") % {"date": formats.date_format(frozen.as_of, "SHORT_DATE_FORMAT")}
    return Side(TODAY, label, None, frozen.entries, frozen.indicators, Legend(frozen.legend, language))


def _side(key: str, reports: dict[str, ProgressReport], other: ProgressReport | None, language: str) -> Side:
    if key == TODAY:
        return _today(other.scope if other is not None else {}, language)
    report = reports[key]
    return Side(
        key,
        report_label(report, language),
        report,
        load_entries(report),
        load_indicators(report),
        Legend(report.legend, language),
    )


@dataclass
class ComparisonPayload:
    choices: Choices
    before: Side
    after: Side
    total: Summary
    areas: list[AreaChanges]
    changes: list[EntryChange]
    indicators: list[IndicatorMove]
    area_options: list[tuple[str, Label]]
    goal_options: list[tuple[str, Label, int]]
    department_options: list[tuple[str, str]]


def _validate_filters(choices: Choices, legend: Legend, departments: dict[str, str]) -> None:
    if choices.area and choices.area not in legend.area_by_code:
        choices.notes.append(
            _("Das Handlungsfeld „%(value)s“ gibt es nicht; es wurde nicht berücksichtigt.") % {"value": choices.area}
        )
        choices.area = ""
    if choices.goal and choices.goal not in legend.goal_by_code:
        choices.notes.append(
            _("Das Ziel „%(value)s“ gibt es nicht; es wurde nicht berücksichtigt.") % {"value": choices.goal}
        )
        choices.goal = ""
    if choices.department and choices.department not in departments:
        choices.notes.append(
            _("Die Stelle „%(value)s“ gibt es nicht; sie wurde nicht berücksichtigt.") % {"value": choices.department}
        )
        choices.department = ""


def build(reports: Sequence[ProgressReport], choices: Choices, language: str) -> ComparisonPayload:
    by_slug = {report.slug: report for report in reports}
    anchor = by_slug.get(choices.before) or by_slug.get(choices.after)
    before = _side(choices.before, by_slug, anchor, language)
    after = _side(choices.after, by_slug, anchor, language)
    legend = after.legend
    departments = {
        _department_key(entry): entry.lead_department
        for entry in [*before.entries, *after.entries]
        if entry.lead_short_name
    }
    _validate_filters(choices, legend, departments)
    changes = comparison.entry_changes(before.entries, after.entries)
    if choices.department:
        changes = comparison.matching(changes, department=lambda entry: _department_key(entry) == choices.department)
    areas = []
    for area in legend.areas:
        if choices.area and area["code"] != choices.area:
            continue
        area_changes = comparison.in_area(changes, area["code"])
        if not area_changes:
            continue
        group = AreaChanges(GroupRow(area["code"], legend.label(area["labels"]), 0, comparison.summarise(area_changes)))
        for goal in legend.area_goals(area["code"]):
            goal_changes = comparison.in_goals(area_changes, legend.descendants.get(goal["code"], {goal["code"]}))
            if goal_changes:
                group.goals.append(
                    GroupRow(
                        goal["code"], legend.label(goal["labels"]), goal["depth"], comparison.summarise(goal_changes)
                    )
                )
        areas.append(group)
    goal_codes = None
    if choices.goal:
        goal_codes = legend.descendants.get(choices.goal, {choices.goal})
    elif choices.area:
        goal_codes = {goal["code"] for goal in legend.area_goals(choices.area)}
    listed = [
        change for change in comparison.matching(changes, goal_codes=goal_codes, kinds=choices.kinds) if change.kinds
    ]
    moves = comparison.indicator_moves(before.indicators, after.indicators)
    if goal_codes is not None:
        moves = [move for move in moves if goal_codes.intersection(move.current.goal_codes)]
    total_changes = comparison.in_goals(changes, goal_codes) if goal_codes is not None else changes
    return ComparisonPayload(
        choices=choices,
        before=before,
        after=after,
        total=comparison.summarise(total_changes),
        areas=areas,
        changes=listed,
        indicators=moves,
        area_options=[(area["code"], legend.label(area["labels"])) for area in legend.areas],
        goal_options=[
            (goal["code"], legend.label(goal["labels"]), goal["depth"])
            for area in legend.areas
            for goal in legend.area_goals(area["code"])
        ],
        department_options=sorted(departments.items(), key=lambda item: item[1].casefold()),
    )


@dataclass(frozen=True)
class ChangeRow:
    """One changed entry as the comparison page lists it."""

    code: str
    title: Label
    url: str
    kinds: list[str]
    status_before: Label | None
    status_after: Label | None
    light_before: str
    light_after: str
    progress_before: int | None
    progress_after: int | None
    progress_delta: int | None
    light_trend: str


@dataclass(frozen=True)
class MoveRow:
    title: Label
    unit: str
    before: Any | None
    after: Any | None
    delta: Decimal | None
    improved: bool | None
    light_before: str
    light_after: str


def _title(entry: Any, language: str) -> Label:
    if language == "en" and entry.title_en:
        return Label(entry.title_en)
    return Label(entry.title, "de" if language != "de" else "")


def change_rows(payload: ComparisonPayload, language: str, catalogue_url: str | None, limit: int) -> list[ChangeRow]:
    """The first `limit` changed entries for the page (the XLSX holds them all)."""
    rows = []
    for change in payload.changes[:limit]:
        before, after, entry = change.before, change.after, change.current
        rows.append(
            ChangeRow(
                code=change.code,
                title=_title(entry, language),
                url=entry_path(catalogue_url, entry.code, entry.title, entry.slug) if catalogue_url and after else "",
                kinds=[str(KIND_LABELS[kind]) for kind in change.kinds],
                status_before=payload.before.legend.status_label(before.status) if before else None,
                status_after=payload.after.legend.status_label(after.status) if after else None,
                light_before=before.traffic_light if before else "",
                light_after=after.traffic_light if after else "",
                progress_before=before.progress if before else None,
                progress_after=after.progress if after else None,
                progress_delta=change.progress_delta,
                light_trend=change.light_trend,
            )
        )
    return rows


def move_rows(payload: ComparisonPayload, language: str) -> list[MoveRow]:
    return [
        MoveRow(
            title=_title(move.current, language),
            unit=move.current.unit,
            before=move.before,
            after=move.after,
            delta=move.delta,
            improved=move.improved,
            light_before=move.before.light if move.before else "",
            light_after=move.after.light if move.after else "",
        )
        for move in payload.indicators
    ]


# The XLSX file -------------------------------------------------------------------------------


def _cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if hasattr(value, "isoformat"):
            cell.number_format = XLSX_DATE_FORMAT
        elif isinstance(value, str):
            # Text stays text, even when it looks like a formula.
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _sheet(workbook: Workbook, title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    sheet = workbook.create_sheet(title=title)
    sheet.append(header)
    for row in rows:
        sheet.append(_cells(sheet, row))


def _entry_title(entry: Any, language: str) -> str:
    return (entry.title_en or entry.title) if language == "en" else entry.title


def _status(side: Side, entry: Any | None) -> str:
    return side.legend.status_label(entry.status).text if entry is not None else ""


def xlsx_bytes(payload: ComparisonPayload, language: str) -> bytes:
    """The comparison as a workbook: the entries with their changes, the areas and goals, the indicators."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{payload.before.label} – {payload.after.label}"
    before, after = payload.before, payload.after
    _sheet(
        workbook,
        _("Einträge"),
        [
            _("Nummer"),
            _("Titel"),
            _("Handlungsfelder"),
            _("Ziele"),
            _("Federführung"),
            _("Änderung"),
            _("Status vorher"),
            _("Status nachher"),
            _("Ampel vorher"),
            _("Ampel nachher"),
            _("Fortschritt vorher (%)"),
            _("Fortschritt nachher (%)"),
            _("Veränderung (Prozentpunkte)"),
        ],
        (
            [
                change.code,
                _entry_title(change.current, language),
                "; ".join(change.current.area_codes),
                "; ".join(change.current.goal_codes),
                change.current.lead_department,
                "; ".join(str(KIND_LABELS[kind]) for kind in change.kinds),
                _status(before, change.before),
                _status(after, change.after),
                comparison.light_label(change.before.traffic_light if change.before else None),
                comparison.light_label(change.after.traffic_light if change.after else None),
                change.before.progress if change.before else None,
                change.after.progress if change.after else None,
                change.progress_delta,
            ]
            for change in payload.changes
        ),
    )
    summary_header = [
        _("Nummer"),
        _("Titel"),
        _("Einträge vorher"),
        _("Einträge nachher"),
        _("neu aufgenommen"),
        _("nicht mehr enthalten"),
        _("beendet"),
        _("Status geändert"),
        _("Ampel geändert"),
        _("Ampel besser"),
        _("Ampel schlechter"),
        _("Fortschritt geändert"),
        _("Fortschritt vorher (%)"),
        _("Fortschritt nachher (%)"),
    ]

    def summary_row(code: str, title: str, summary: Summary) -> list[Any]:
        return [
            code,
            title,
            summary.entries_before,
            summary.entries_after,
            summary.new,
            summary.removed,
            summary.finished,
            summary.status_changed,
            summary.light_changed,
            summary.light_better,
            summary.light_worse,
            summary.progress_changed,
            summary.progress_before,
            summary.progress_after,
        ]

    groups = [summary_row("", _("Gesamt"), payload.total)]
    for area in payload.areas:
        groups.append(summary_row(area.row.code, area.row.title.text, area.row.summary))
        groups.extend(summary_row(goal.code, goal.title.text, goal.summary) for goal in area.goals)
    _sheet(workbook, _("Handlungsfelder und Ziele"), summary_header, groups)
    _sheet(
        workbook,
        _("Indikatoren"),
        [
            _("Indikator"),
            _("Einheit"),
            _("Wert vorher"),
            _("Stichtag vorher"),
            _("Wert nachher"),
            _("Stichtag nachher"),
            _("Veränderung"),
            _("Bewertung vorher"),
            _("Bewertung nachher"),
        ],
        (
            [
                _entry_title(move.current, language),
                move.current.unit,
                _decimal(move.before, "value"),
                getattr(move.before, "value_date", None),
                _decimal(move.after, "value"),
                getattr(move.after, "value_date", None),
                move.delta,
                comparison.light_label(move.before.light if move.before else None),
                comparison.light_label(move.after.light if move.after else None),
            ]
            for move in payload.indicators
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _decimal(item: Any | None, name: str) -> Decimal | None:
    return getattr(item, name, None) if item is not None else None


def xlsx_response(payload: ComparisonPayload, language: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(payload, language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"vergleich-{payload.before.key}-{payload.after.key}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
