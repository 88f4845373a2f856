"""Which column of a file is which field: guessed from headers and content, changed by people, saved by name.

A guess never refuses the file. A header that names a field without doubt maps to it; an
ambiguous one ("Stand", "Status", "Datum") is decided by the column's content (a column of
dates is the status date, colour words are the traffic light); a header nobody knows maps
by distinctive content (e-mail addresses, colour words, status words, percentages) or is
ignored. When two columns claim one field, the better reason wins and the other is ignored
with a note that says so. The coordinator can change every choice in the preview.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .cells import CellError, cell_text, parse_date
from .columns import COLUMNS
from .reading import ImportFileError, Table
from .synonyms import AREA, IGNORE, candidates_for_header, field_for_header, normalise_header
from .vocabulary import term_key, word_maps_from_json, word_maps_to_json
from .words import LIGHT_WORDS, choice_key

SAMPLES = 3
CONTENT_SAMPLE = 200
REQUIRED = ["code"]


class Target(NamedTuple):
    key: str
    label: str
    description: Promise | str


TARGETS = [
    *(Target(column.key, column.header_de, column.description) for column in COLUMNS),
    Target(
        AREA,
        "Handlungsfeld",
        gettext_lazy("Nummer oder Titel des Handlungsfelds; findet Ziele nach ihrem Titel und legt fehlende darin an."),
    ),
]
TARGET_LABELS = {target.key: target.label for target in TARGETS}
# What content each field accepts when an ambiguous header is decided by it.
ACCEPTS = {
    "last_report_date": "date",
    "planned_start": "date",
    "planned_end": "date",
    "status": "status",
    "traffic_light": "light",
}
BY_CONTENT = {"email": "contact_email", "light": "traffic_light", "status": "status", "percent": "progress"}
CONTENT_NAMES = {
    "date": gettext_lazy("Datumsangaben"),
    "light": gettext_lazy("Ampelfarben"),
    "status": gettext_lazy("Statusangaben"),
    "email": gettext_lazy("E-Mail-Adressen"),
    "percent": gettext_lazy("Prozentangaben"),
    "money": gettext_lazy("Beträge"),
    "code": gettext_lazy("Nummern wie 1.2.03"),
}
# How sure a choice is; the surer one keeps a field that two columns claim.
SAVED, HEADER, DECIDED, CONTENT = 4, 3, 2, 1


@dataclass
class ColumnChoice:
    position: int
    header: str
    samples: list[str]
    field: str
    reason: str = ""
    note: str = ""
    certainty: int = 0

    @property
    def field_label(self) -> str:
        return TARGET_LABELS.get(self.field, _("nicht übernehmen"))


@dataclass
class ColumnMapping:
    columns: list[ColumnChoice]
    words: dict[str, dict[str, str]] = field(default_factory=dict)

    def fields(self) -> dict[int, str]:
        return {choice.position: choice.field for choice in self.columns if choice.field}

    def label_of(self, key: str) -> str:
        """The file's own name of the column mapped to `key` (our German name when none is)."""
        return next((choice.header for choice in self.columns if choice.field == key), TARGET_LABELS.get(key, key))

    def duplicates(self) -> dict[str, list[str]]:
        seen: dict[str, list[str]] = {}
        for choice in self.columns:
            if choice.field:
                seen.setdefault(choice.field, []).append(choice.header)
        return {key: headers for key, headers in seen.items() if len(headers) > 1}

    def missing(self) -> list[str]:
        mapped = set(self.fields().values())
        return [key for key in REQUIRED if key not in mapped]

    def to_run(self) -> dict[str, Any]:
        """As stored on the import run: by column position, which is exact for this one file."""
        return {
            "columns": {str(choice.position): choice.field for choice in self.columns},
            "words": word_maps_to_json(self.words),
        }

    def to_saved(self) -> dict[str, Any]:
        """As saved under a name for the next file: by header, which is what the next file shares."""
        return {normalise_header(choice.header): choice.field for choice in self.columns if choice.header}


def content_kind(values: Iterable[Any], statuses: set[str]) -> str | None:
    """What most of a column's values are (dates, colour words, status words, …), or None."""
    texts = [value for value in values if cell_text(value)][:CONTENT_SAMPLE]
    if not texts:
        return None
    tests = [
        ("light", lambda value: choice_key(cell_text(value)) in LIGHT_WORDS),
        ("status", lambda value: term_key(cell_text(value)) in statuses),
        ("date", _is_date),
        ("email", lambda value: re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", cell_text(value)) is not None),
        ("percent", lambda value: re.fullmatch(r"\d{1,3}\s*%", cell_text(value)) is not None),
        ("money", lambda value: re.search(r"€|\bmio\b|\btsd\b|^\d{1,3}(\.\d{3})*,\d{2}$", cell_text(value).casefold())),
        ("code", lambda value: re.fullmatch(r"\d+(\.\d+)+", cell_text(value)) is not None),
    ]
    for kind, test in tests:
        if sum(1 for value in texts if test(value)) * 10 >= len(texts) * 8:
            return kind
    return None


def _is_date(value: Any) -> bool:
    if isinstance(value, int | float):
        return False
    try:
        return parse_date(value) is not None
    except CellError:
        return False


def guess_mapping(
    table: Table,
    statuses: set[str] | None = None,
    saved: dict[str, str] | None = None,
    saved_name: str = "",
    words: dict[str, Any] | None = None,
) -> ColumnMapping:
    """The best mapping of `table`'s columns; `saved` (header -> field) wins over guesses."""
    statuses = statuses or set()
    choices = []
    kinds = {}
    for position in range(table.width):
        values = table.values(position, CONTENT_SAMPLE)
        kinds[position] = content_kind(values, statuses)
        choice = ColumnChoice(
            position=position,
            header=table.label(position),
            samples=[cell_text(value)[:80] for value in values[:SAMPLES]],
            field=IGNORE,
        )
        header = table.header[position]
        normalised = normalise_header(header)
        if saved and normalised in saved and (saved[normalised] in TARGET_LABELS or saved[normalised] == IGNORE):
            choice.field, choice.certainty = saved[normalised], SAVED
            choice.reason = _("aus der gespeicherten Zuordnung „%(name)s“") % {"name": saved_name}
        elif key := field_for_header(header):
            choice.field, choice.certainty, choice.reason = key, HEADER, _("erkannt an der Überschrift")
        choices.append(choice)
    for choice in choices:
        if choice.certainty:
            continue
        _decide(choice, table.header[choice.position], kinds[choice.position], choices)
    _settle_duplicates(choices)
    return ColumnMapping(columns=choices, words=word_maps_from_json(words))


def _decide(choice: ColumnChoice, header: str, kind: str | None, choices: list[ColumnChoice]) -> None:
    candidates = candidates_for_header(header)
    described = CONTENT_NAMES.get(kind or "", "")
    if candidates:
        fitting = [key for key in candidates if ACCEPTS.get(key) == kind] or candidates[:1]
        choice.field, choice.certainty = fitting[0], DECIDED
        choice.reason = _("„%(header)s“ ist mehrdeutig; die Spalte enthält %(content)s") % {
            "header": header,
            "content": described or _("keine eindeutigen Werte"),
        }
        others = [TARGET_LABELS[key] for key in candidates if key != choice.field]
        choice.note = _("Gemeint sein könnte auch: %(fields)s.") % {"fields": ", ".join(others)}
        return
    key = BY_CONTENT.get(kind or "")
    if kind == "date" and _next_to(choice, choices, {"status", "traffic_light"}):
        key = "last_report_date"
    if key:
        choice.field, choice.certainty = key, CONTENT
        choice.reason = _("erkannt am Inhalt: %(content)s") % {"content": described}
    elif described:
        choice.reason = _("Überschrift unbekannt; die Spalte enthält %(content)s") % {"content": described}
    else:
        choice.reason = _("Überschrift unbekannt")


def _next_to(choice: ColumnChoice, choices: list[ColumnChoice], keys: set[str]) -> bool:
    return any(other.field in keys for other in choices if abs(other.position - choice.position) == 1)


def _settle_duplicates(choices: list[ColumnChoice]) -> None:
    by_field: dict[str, list[ColumnChoice]] = {}
    for choice in choices:
        if choice.field:
            by_field.setdefault(choice.field, []).append(choice)
    for key, claimants in by_field.items():
        if len(claimants) < 2:
            continue
        keeper = max(claimants, key=lambda item: (item.certainty, -item.position))
        for choice in claimants:
            if choice is keeper:
                continue
            choice.note = _(
                "Auch diese Spalte passt zu „%(field)s“, das schon „%(other)s“ zugeordnet ist; sie wird nicht "
                "übernommen. Bei Bedarf hier umstellen."
            ) % {"field": TARGET_LABELS[key], "other": keeper.header}
            choice.field, choice.certainty = IGNORE, 0


def mapping_from_run(table: Table, data: dict[str, Any]) -> ColumnMapping:
    """The mapping stored on an import run (by position), with the file's current samples."""
    stored = data.get("columns", {})
    choices = []
    for position in range(table.width):
        values = table.values(position, SAMPLES)
        key = stored.get(str(position), IGNORE)
        choices.append(
            ColumnChoice(
                position=position,
                header=table.label(position),
                samples=[cell_text(value)[:80] for value in values],
                field=key if key in TARGET_LABELS else IGNORE,
            )
        )
    return ColumnMapping(columns=choices, words=word_maps_from_json(data.get("words")))


def mapping_from_file_data(table: Table, data: dict[str, Any], statuses: set[str] | None = None) -> ColumnMapping:
    """A JSON mapping file of the command line: {"columns": {header: field}, "words": {...}}.

    Fields may be given by key ("last_report_date") or by their German column name ("Letzter Bericht");
    null or "" ignores a column. Columns the file does not mention are guessed.
    """
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise ImportFileError(_("Die Zuordnungsdatei muss ein JSON-Objekt mit „columns“ sein."))
    by_label = {normalise_header(label): key for key, label in TARGET_LABELS.items()}
    columns = {}
    for header, target in data.get("columns", {}).items():
        if target in (None, ""):
            columns[normalise_header(header)] = IGNORE
            continue
        key = target if target in TARGET_LABELS else by_label.get(normalise_header(target))
        if key is None:
            raise ImportFileError(_("Die Zuordnungsdatei nennt ein unbekanntes Feld „%(field)s“.") % {"field": target})
        columns[normalise_header(header)] = key
    return guess_mapping(table, statuses, columns, _("Zuordnungsdatei"), data.get("words"))
