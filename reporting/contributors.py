"""The extension point of frozen reports: figures other apps add to every entry of a report.

An app that keeps figures about entries (the budget, for instance) registers a contributor when
it is ready; this app never imports it:

    from reporting import contributors

    class BudgetFigures:
        name = "budget"
        label = _("Haushalt")
        columns = [contributors.Column("planned", "Plan (Euro)", "Planned (EUR)", summable=True)]

        def collect(self, entries, as_of):
            return {entry.translation_key: {"planned": ...} for entry in entries}

    contributors.register(BudgetFigures())

When a period closes, each contributor is asked once, for all entries in scope, for the values as
of the report's date; they are stored with the entries (`EntrySnapshot.contributions[name]`) as
plain JSON values (numbers as text keep their decimals), so later changes leave the report alone.
The report page shows the columns per entry (and sums those marked `summable` per goal and area);
the downloads add them after the catalogue's columns.
"""

import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from django.core.exceptions import ImproperlyConfigured


class Column(NamedTuple):
    key: str
    header_de: str
    header_en: str
    summable: bool = False


class EntryRef(NamedTuple):
    """What a contributor is told about each entry in scope."""

    pk: int
    translation_key: uuid.UUID
    code: str


class SnapshotContributor(Protocol):
    name: str
    label: Any
    columns: Sequence[Column]

    def collect(self, entries: Sequence[EntryRef], as_of: datetime.date) -> Mapping[uuid.UUID, Mapping[str, Any]]: ...


_registry: dict[str, SnapshotContributor] = {}


def register(contributor: SnapshotContributor) -> None:
    if contributor.name in _registry and _registry[contributor.name] is not contributor:
        raise ImproperlyConfigured(f"A snapshot contributor named {contributor.name!r} is registered already.")
    _registry[contributor.name] = contributor


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[SnapshotContributor]:
    return list(_registry.values())
