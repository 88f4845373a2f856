"""Planning an import: read and check the whole file and say, per row, what would change, writing nothing.

Everything a row can carry is a row error (with row, column and a German message), never a
refusal of the file. The plan is good when no error remains; with `skip_invalid` the rows
with errors (and the rows that need them, such as sub-entries of a skipped new entry) are
left out and named, and the plan is good when the rest is.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from catalogue.models import Status, TrafficLight

from .cells import clean_description
from .columns import COLUMNS
from .mapping import TARGET_LABELS, ColumnMapping, guess_mapping
from .parsing import REPORT_KEYS, REQUIRED_FOR_NEW, comparable, current_values, display, existing_projects, parse_row
from .plans import FieldChange, ImportPlan, RowPlan
from .problems import Problem
from .reading import ImportFileError, Table, read_table
from .rules import check_parents, skip_invalid
from .vocabulary import Vocabulary, term_key

Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 250
COLUMN_LABELS = {column.key: column.header_de for column in COLUMNS}
# A last row that adds up a column is no entry.
SUM_WORDS = {"summe", "gesamt", "insgesamt", "gesamtsumme", "total", "sum"}


def plan_import(
    fileobj: Any,
    file_name: str,
    locale: Locale | None = None,
    create_missing: bool = False,
    progress: Progress | None = None,
    mapping: ColumnMapping | None = None,
    skip_invalid: bool = False,
    today: datetime.date | None = None,
) -> ImportPlan:
    """Read and check a whole file; nothing is written. `mapping` defaults to the guessed one."""
    locale = locale or Locale.get_default()
    plan = ImportPlan(file_name=file_name, locale=locale, create_missing=create_missing, skip_invalid=skip_invalid)
    try:
        table = read_table(fileobj, file_name)
    except ImportFileError as error:
        plan.errors.append(Problem(None, "", str(error)))
        return plan
    if mapping is None:
        mapping = guess_mapping(table, known_status_words())
    return plan_table(plan, table, mapping, progress, today)


def known_status_words() -> set[str]:
    """Every word the import reads as a status (names, keys, configured synonyms), for guessing columns."""
    words = {term_key(word) for word in getattr(settings, "CATALOGUE_IMPORT_STATUS_SYNONYMS", {})}
    for name, slug in Status.objects.filter(locale=Locale.get_default()).values_list("name", "slug"):
        words.update({term_key(name), slug})
    return words


def plan_table(
    plan: ImportPlan,
    table: Table,
    mapping: ColumnMapping,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> ImportPlan:
    plan.mapping = mapping
    plan.total_rows = len(table.rows)
    fields = mapping.fields()
    labels = {key: mapping.label_of(key) for key in TARGET_LABELS}
    if "code" not in fields.values():
        plan.errors.append(
            Problem(
                None,
                "",
                _(
                    "Keine Spalte ist der Nummer der Einträge zugeordnet; ohne sie kann keine Zeile zugeordnet "
                    "werden. Bitte die Spalte mit der Nummer (z. B. „Nr.“) als „Nummer“ zuordnen."
                ),
            )
        )
        return plan
    plan.warnings.extend(table.notes)
    _note_columns(plan, table, mapping)
    plan.vocabulary = vocabulary = Vocabulary(plan.create_missing, mapping.words)
    plan.existing = existing_projects(plan.locale)
    today = today or timezone.localdate()
    seen_codes: dict[str, int] = {}
    for done, (number, cells) in enumerate(table.rows, start=1):
        values, problems = parse_row(number, cells, fields, vocabulary, table.formulas, labels)
        failed = {key for key, _message in problems}
        code = values.get("code", "")
        if code.casefold().rstrip(":") in SUM_WORDS and not values.get("title"):
            code = ""
        if not code and not values.get("title") and "code" not in failed and "title" not in failed:
            plan.warnings.append(
                Problem(number, "", _("Die Zeile hat weder Nummer noch Titel und wird übergangen (z. B. eine Summe)."))
            )
            continue
        for key, message in problems:
            plan.errors.append(Problem(number, labels[key], message))
        if not code:
            if "code" not in failed:
                plan.errors.append(Problem(number, labels["code"], _("Die Nummer fehlt.")))
        elif code in seen_codes:
            plan.errors.append(
                Problem(
                    number,
                    labels["code"],
                    _("Die Nummer %(code)s steht schon in Zeile %(row)s.") % {"code": code, "row": seen_codes[code]},
                )
            )
        else:
            seen_codes[code] = number
            plan.rows.append(_plan_row(plan, number, code, values, failed, labels, today))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(table.rows)):
            progress("check", done, len(table.rows))
    plan.warnings.extend(vocabulary.warnings)
    check_parents(plan, labels)
    if plan.skip_invalid:
        skip_invalid(plan, labels)
    return plan


def _note_columns(plan: ImportPlan, table: Table, mapping: ColumnMapping) -> None:
    ignored = [choice.header for choice in mapping.columns if not choice.field and table.values(choice.position, 1)]
    if ignored:
        names = ", ".join(f"„{name}“" for name in ignored[:10])
        if len(ignored) > 10:
            names = _("%(names)s und %(count)s weitere") % {"names": names, "count": len(ignored) - 10}
        plan.warnings.append(
            Problem(None, "", _("Diese Spalten werden nicht übernommen: %(names)s.") % {"names": names})
        )
    if table.formulas:
        plan.warnings.append(
            Problem(
                None,
                "",
                _(
                    "In %(count)s Zellen stehen Formeln ohne gespeichertes Ergebnis; ihre Zeilen werden als "
                    "fehlerhaft gemeldet."
                )
                % {"count": len(table.formulas)},
            )
        )


def _plan_row(
    plan: ImportPlan,
    number: int,
    code: str,
    values: dict[str, Any],
    failed: set[str],
    labels: dict[str, str],
    today: datetime.date,
) -> RowPlan:
    project = plan.existing.get(code)
    old = current_values(project) if project else {}
    row = RowPlan(
        row=number,
        code=code,
        action="create" if project is None else "change",
        values=values,
        project=project,
        title=values.get("title") or (project.title if project else ""),
    )

    def error(key: str, message: str) -> None:
        plan.errors.append(Problem(number, labels[key], message))

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

    row.report = _plan_report(plan, row, old, values, error, labels, today, failed)
    if project is not None and not row.changes and row.report is None:
        row.action = "unchanged"
    return row


def _label(key: str) -> str:
    if key == "county_wide":
        return _("Kreisweit")
    return COLUMN_LABELS[key]


def _plan_report(
    plan: ImportPlan,
    row: RowPlan,
    old: dict[str, Any],
    values: dict[str, Any],
    error: Callable[[str, str], None],
    labels: dict[str, str],
    today: datetime.date,
    failed: set[str],
) -> dict[str, Any] | None:
    if not any(key in values for key in REPORT_KEYS) or failed & set(REPORT_KEYS):
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
    if all(comparable(key, current[key]) == comparable(key, wanted[key]) for key in REPORT_KEYS if key in values):
        return None
    if wanted["status"] is None:
        if "status" in values:
            error("status", _("Für den Statusbericht fehlt der Status."))
        else:
            plan.warnings.append(
                Problem(
                    row.row,
                    "",
                    _(
                        "Ampel, Fortschritt oder Bericht ohne Status werden nicht übernommen: Der Eintrag hat "
                        "keinen Status."
                    ),
                )
            )
        return None
    if values.get("last_report_date") is None:
        wanted["last_report_date"] = today
        plan.warnings.append(
            Problem(
                row.row,
                labels["last_report_date"],
                _("Kein Datum für den Stand angegeben: Es gilt das Datum des Imports (%(date)s).")
                % {"date": today.strftime("%d.%m.%Y")},
            )
        )
    date, last = wanted["last_report_date"], current["last_report_date"]
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
