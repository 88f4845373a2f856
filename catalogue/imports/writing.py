"""What creating and changing entries in bulk share: the write context, revisions, log entries, raw updates.

Each created or changed entry gets what Wagtail's own publishing would give it, written in
bulk: a published revision (its content built from the entry in memory), and one
`catalogue.import` log entry naming the import run and the row.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision

from catalogue.models import ImportRun, Project

from .plans import RowPlan
from .vocabulary import Pending

IMPORT_ACTION = "catalogue.import"
BATCH = 500
# SQLite limits the number of parameters of one statement; ids are sent in slices this long.
ID_SLICE = 2000


@dataclass
class WriteContext:
    """Who writes, for which run, at which moment; and where progress goes."""

    run: ImportRun
    user: User | None
    progress: Callable[[str, int, int], None]
    total: int
    now: Any = field(default_factory=timezone.now)
    action_uuid: uuid.UUID = field(default_factory=uuid.uuid4)
    done: int = 0

    def __post_init__(self) -> None:
        self.content_type = ContentType.objects.get_for_model(Project, for_concrete_model=False)
        self.base_content_type = ContentType.objects.get_for_model(Project)

    def advance(self, count: int) -> None:
        self.done += count
        self.progress("write", self.done, self.total)


class Resolver:
    """Turns the plan's `Pending` terms into the rows created for them."""

    def __init__(self, created: dict[Pending, Any]) -> None:
        self.created = created

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, Pending):
            return self.created[value]
        return value


def slices(items: Sequence[Any], size: int = ID_SLICE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_rows(table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """One UPDATE per row through executemany: far cheaper than bulk_update's CASE over thousands of ids.

    Each row holds the values of `columns` followed by the id.
    """
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def log_data(run: ImportRun, row: RowPlan) -> dict[str, Any]:
    return {"import_run": run.pk, "file_name": run.file_name, "row": row.row}


def publish_in_bulk(context: WriteContext, written: list[tuple[RowPlan, Project]], created: bool) -> None:
    """A published revision and a log entry for each entry, and the entries pointing at their revision."""
    revisions = [
        Revision(
            content_type=context.content_type,
            base_content_type=context.base_content_type,
            object_id=str(entry.pk),
            user=context.user,
            created_at=context.now,
            content=entry.serializable_data(),
            object_str=str(entry),
        )
        for _row, entry in written
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    for (_row, entry), revision in zip(written, revisions, strict=True):
        entry.latest_revision = entry.live_revision = revision
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=context.content_type,
                object_id=str(entry.pk),
                label=str(entry),
                action=IMPORT_ACTION,
                data={**log_data(context.run, row), **_what(row, created)},
                timestamp=context.now,
                uuid=context.action_uuid,
                user=context.user,
                revision=revision,
                content_changed=True,
            )
            for (row, entry), revision in zip(written, revisions, strict=True)
        ],
        batch_size=BATCH,
    )


def _what(row: RowPlan, created: bool) -> dict[str, Any]:
    if created:
        return {"created": True}
    return {"fields": [change.key for change in row.changes]}
