"""Planning an import: read and check the whole file and say, per row, what would change, writing nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from wagtail.models import Locale

from catalogue.models import (
    Project,
    Status,
    TrafficLight,
)

from .cells import clean_description
from .parsing import REPORT_KEYS, REQUIRED_FOR_NEW, comparable, current_values, display, existing_projects, parse_row
from .reading import COLUMN_BY_KEY, ImportFileError, Problem, map_columns, read_table
from .vocabulary import Vocabulary


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class RowPlan:
    row: int
    code: str
    action: str  # "create", "change" or "unchanged"
    values: dict[str, Any]
    changes: list[FieldChange] = field(default_factory=list)
    project: Project | None = None
    report: dict[str, Any] | None = None  # the status report to create or update


@dataclass
class ImportPlan:
    file_name: str
    locale: Locale
    create_missing: bool
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    # Set by `plan_import` once the file could be read; `apply_import` creates the pending terms.
    vocabulary: Vocabulary = field(init=False, repr=False, compare=False)
    existing: dict[str, Project] = field(default_factory=dict, repr=False, compare=False)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ("create", "change", "unchanged")}

    @property
    def ok(self) -> bool:
        return not self.errors


def plan_import(
    fileobj: IO[bytes],
    file_name: str,
    locale: Locale | None = None,
    create_missing: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> ImportPlan:
    """Read and check a whole file; nothing is written. `progress(done, total)` is called as rows go."""
    locale = locale or Locale.get_default()
    plan = ImportPlan(file_name=file_name, locale=locale, create_missing=create_missing)
    try:
        header, body, warnings = read_table(fileobj, file_name)
        mapping, header_warnings = map_columns(header)
    except ImportFileError as error:
        plan.errors.append(Problem(None, "", str(error)))
        return plan
    plan.warnings.extend(header_warnings)
    plan.columns = list(mapping.values())
    for warning in warnings:
        position = int(warning.column) - 1
        warning.column = COLUMN_BY_KEY[mapping[position]].header_de if position in mapping else warning.column
        plan.warnings.append(warning)
    plan.vocabulary = Vocabulary(create_missing)
    plan.existing = existing_projects(locale)
    seen_codes: dict[str, int] = {}
    for done, (number, cells) in enumerate(body, start=1):
        values, problems = parse_row(cells, mapping, plan.vocabulary)
        for key, message in problems:
            plan.errors.append(Problem(number, COLUMN_BY_KEY[key].header_de, message))
        code = values.get("code", "")
        if not code:
            plan.errors.append(Problem(number, COLUMN_BY_KEY["code"].header_de, _("Die Nummer fehlt.")))
        elif code in seen_codes:
            plan.errors.append(
                Problem(
                    number,
                    COLUMN_BY_KEY["code"].header_de,
                    _("Die Nummer %(code)s steht schon in Zeile %(row)s.") % {"code": code, "row": seen_codes[code]},
                )
            )
        else:
            seen_codes[code] = number
            if not any(key == "code" for key, _message in problems):
                plan.rows.append(_plan_row(plan, number, code, values, {key for key, _message in problems}))
        if progress is not None and (done % 500 == 0 or done == len(body)):
            progress(done, len(body))
    _check_parents(plan)
    return plan


def _plan_row(plan: ImportPlan, number: int, code: str, values: dict[str, Any], failed: set[str]) -> RowPlan:
    project = plan.existing.get(code)
    old = current_values(project) if project else {}
    row = RowPlan(
        row=number, code=code, action="create" if project is None else "change", values=values, project=project
    )

    def error(key: str, message: str) -> None:
        plan.errors.append(Problem(number, COLUMN_BY_KEY[key].header_de, message))

    for key in REQUIRED_FOR_NEW:
        if key in failed:
            continue
        missing = not values.get(key) if (project is None or key in values) else False
        if missing:
            error(
                key,
                {
                    "title": _("Der Titel fehlt."),
                    "goals": _("Mindestens ein Ziel ist nötig."),
                    "lead_department": _("Die federführende Stelle fehlt."),
                }[key],
            )
    merged = {**old, **values}
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if merged.get(start) and merged.get(end) and merged[end] < merged[start]:
            error(end, _("Das Ende liegt vor dem Beginn."))

    if "description" in values and project is not None:
        if comparable("description", values["description"]) == comparable("description", project.description):
            values["description"] = project.description
        else:
            values["description"] = clean_description(values["description"])
    elif "description" in values:
        values["description"] = clean_description(values["description"])

    if project is not None:
        for key, new in values.items():
            if key in ("code", *REPORT_KEYS) or key not in old:
                continue
            if comparable(key, old[key]) != comparable(key, new):
                row.changes.append(FieldChange(key, _label(key), display(key, old[key]), display(key, new)))

    row.report = _plan_report(plan, row, old, values, error)
    if project is not None and not row.changes and row.report is None:
        row.action = "unchanged"
    return row


def _label(key: str) -> str:
    if key == "county_wide":
        return _("Kreisweit")
    return COLUMN_BY_KEY[key].header_de


def _plan_report(
    plan: ImportPlan,
    row: RowPlan,
    old: dict[str, Any],
    values: dict[str, Any],
    error: Callable[[str, str], None],
) -> dict[str, Any] | None:
    if not any(key in values for key in REPORT_KEYS):
        return None
    current = {
        "status": old.get("status"),
        "traffic_light": old.get("traffic_light", TrafficLight.UNKNOWN),
        "progress": old.get("progress", 0),
        "last_report_date": old.get("last_report_date"),
        "last_report_text": old.get("last_report_text", ""),
    }
    wanted = dict(current)
    for key in REPORT_KEYS:
        if key in values:
            wanted[key] = values[key]
    if wanted["traffic_light"] is None:
        wanted["traffic_light"] = TrafficLight.UNKNOWN
    if wanted["progress"] is None:
        wanted["progress"] = wanted["status"].default_progress if isinstance(wanted["status"], Status) else 0
    if all(comparable(key, current[key]) == comparable(key, wanted[key]) for key in REPORT_KEYS):
        return None
    date = wanted["last_report_date"]
    if date is None:
        if comparable("status", current["status"]) != comparable("status", wanted["status"]) or (
            current["traffic_light"] != wanted["traffic_light"]
        ):
            error("last_report_date", _("Für Status und Ampel wird das Datum des Berichts gebraucht."))
        elif current["progress"] != wanted["progress"]:
            plan.warnings.append(
                Problem(
                    row.row,
                    COLUMN_BY_KEY["progress"].header_de,
                    _("Ein Fortschritt ohne Berichtsdatum wird nicht übernommen."),
                )
            )
        return None
    if wanted["status"] is None:
        error("status", _("Für den Statusbericht fehlt der Status."))
        return None
    last = current["last_report_date"]
    if last is not None and date < last:
        error(
            "last_report_date",
            _(
                "Der Bericht vom %(date)s ist älter als der neueste Bericht vom %(last)s. "
                "Ältere Berichte bitte im Redaktionssystem ändern."
            )
            % {"date": date.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")},
        )
        return None
    for key in REPORT_KEYS:
        if row.project is not None and comparable(key, current[key]) != comparable(key, wanted[key]):
            row.changes.append(FieldChange(key, _label(key), display(key, current[key]), display(key, wanted[key])))
    return {**wanted, "update": last is not None and date == last}


def _check_parents(plan: ImportPlan) -> None:
    parents = {code: (project.parent.code if project.parent else "") for code, project in plan.existing.items()}
    for row in plan.rows:
        if "parent_code" in row.values:
            parents[row.code] = row.values["parent_code"]
    for row in plan.rows:
        parent = row.values.get("parent_code")
        if not parent:
            continue
        column = COLUMN_BY_KEY["parent_code"].header_de
        if parent not in parents:
            plan.errors.append(
                Problem(row.row, column, _("Einen Eintrag mit der Nummer %(code)s gibt es nicht.") % {"code": parent})
            )
            continue
        seen, code = {row.code}, parent
        while code:
            if code in seen:
                plan.errors.append(
                    Problem(
                        row.row,
                        column,
                        _("Der Eintrag kann nicht sich selbst oder seinem Untereintrag untergeordnet werden."),
                    )
                )
                break
            seen.add(code)
            code = parents.get(code, "")
