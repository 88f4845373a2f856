"""Open-data exports of exactly the filtered set: CSV (German Excel), XLSX and JSON.

CSV and XLSX use the column set the import reads (`catalogue.imports`), so an export can
be edited and imported again. The rows come as plain values in chunks (`project_rows`), and the
file is streamed while it is written.

Each export is cached per selection, sort, language and data version: in parts of about a
megabyte, written while the first request streams it, and announced by a manifest only once the
file is complete, so later requests stream the parts without touching the database. At most
`EXPORT_CONCURRENCY` exports are written at the same time across all workers and servers; a request
for a file another one is writing waits for that first; a request beyond the limit waits for a
place (up to `EXPORT_WAIT_SECONDS`), then gets a 503 with Retry-After.
"""

import datetime
import hashlib
import io
import json
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalogue.imports import COLUMN_KEYS, COLUMNS, LICENCE_NAME, LICENCE_URL, csv_lines, project_rows, write_xlsx
from catalogue.models import Project
from cms import cache

__all__ = ["LICENCE_NAME", "LICENCE_URL", "Export", "export_response", "source_note"]

PART_SIZE = 1024 * 1024
EXPORT_TIMEOUT = cache.HOUR
WAIT_STEP = 0.25
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


@dataclass(frozen=True)
class Manifest:
    """A complete cached export: whose parts (each writer has its own), how many, the ETag of the whole file."""

    writer: str
    parts: int
    etag: str
    size: int


@dataclass(frozen=True)
class Export:
    """One export request: the page, the format, the entries and the key of their selection."""

    page: Page
    file_format: str
    queryset: QuerySet[Project]
    selection: str
    sort: str


def _filename(page: Page, extension: str) -> str:
    return f"{page.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def attribution(page: Page, request: HttpRequest) -> str:
    return f"{page.get_site().site_name or page.title}, {page.get_full_url(request)}"


def source_note(page: Page, request: HttpRequest) -> str:
    """The source note the licence asks users to give, as every export carries it."""
    return f"Quelle: {attribution(page, request)}; Lizenz: {LICENCE_NAME} ({LICENCE_URL})"


def _csv_chunks(page: Page, request: HttpRequest, queryset: QuerySet[Project]) -> Iterator[bytes]:
    return (chunk.encode("utf-8") for chunk in csv_lines(project_rows(queryset), note=source_note(page, request)))


def _xlsx_chunks(page: Page, request: HttpRequest, queryset: QuerySet[Project]) -> Iterator[bytes]:
    properties = {
        "title": page.title,
        "creator": attribution(page, request),
        "description": f"Lizenz: {LICENCE_NAME} ({LICENCE_URL})",
        "keywords": LICENCE_NAME,
    }
    buffer = io.BytesIO()
    write_xlsx(project_rows(queryset), buffer, properties=properties, note=source_note(page, request))
    data = buffer.getvalue()
    for start in range(0, len(data), PART_SIZE):
        yield data[start : start + PART_SIZE]


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _json_chunks(page: Page, request: HttpRequest, queryset: QuerySet[Project]) -> Iterator[bytes]:
    head = {
        "title": page.title,
        "source": page.get_full_url(request),
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "attribution": attribution(page, request),
        "source_note": source_note(page, request),
        "generated": timezone.now().isoformat(timespec="seconds"),
        "columns": [
            {"key": column.key, "header": column.header_de, "description": str(column.description)}
            for column in COLUMNS
        ],
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": [').encode("utf-8")
    for number, row in enumerate(project_rows(queryset)):
        entry = {key: _json_value(value) for key, value in zip(COLUMN_KEYS, row, strict=True)}
        yield (("," if number else "") + json.dumps(entry, ensure_ascii=False)).encode("utf-8")
    yield b"]}"


WRITERS: dict[str, Callable[[Page, HttpRequest, QuerySet[Project]], Iterator[bytes]]] = {
    "csv": _csv_chunks,
    "xlsx": _xlsx_chunks,
    "json": _json_chunks,
}


def _key(export: Export, request: HttpRequest) -> str:
    return cache.versioned_key(
        "catalogue:export",
        export.file_format,
        export.page.pk,
        export.sort,
        export.selection,
        request.scheme,
        request.get_host(),
    )


def _part_key(key: str, writer: str, number: int) -> str:
    return f"{key}:{writer}:part:{number}"


def _cached_manifest(key: str) -> Manifest | None:
    """The finished export's manifest, if every part of it is still in the cache.

    Redis evicts under memory pressure (`volatile-lru`), and the manifest, read by every request
    for the file, outlives parts read only while someone downloads: such an export is written anew.
    """
    manifest = default_cache.get(key)
    if not isinstance(manifest, Manifest):
        return None
    if all(default_cache.has_key(_part_key(key, manifest.writer, number)) for number in range(manifest.parts)):
        return manifest
    default_cache.delete(key)
    return None


def _cached_parts(key: str, manifest: Manifest) -> Iterator[bytes]:
    for number in range(manifest.parts):
        part = default_cache.get(_part_key(key, manifest.writer, number))
        if part is None:
            # Evicted in the moment since `_cached_manifest` saw it: the client sees a truncated download.
            raise RuntimeError(f"cached export part {number} of {key} is gone")
        yield part


class _WrittenExport:
    """Streams the export as it is written, storing it in parts; releases the writing slot when closed.

    A class rather than a generator: Django closes the response's iterator when the response is
    done, even if it was never iterated (a HEAD request, a client gone early), and only a close()
    of our own runs then.
    """

    def __init__(self, chunks: Iterator[bytes], key: str, slots: list[str]):
        self.chunks = chunks
        self.key = key
        self.slots = slots
        # Two requests may write the same file (the first one slow): each writes parts of its own.
        self.writer = secrets.token_hex(8)
        self.buffer = bytearray()
        self.parts = 0
        self.size = 0
        self.digest = hashlib.sha256()
        self.done = False

    def __iter__(self) -> "_WrittenExport":
        return self

    def _store_part(self) -> None:
        default_cache.set(_part_key(self.key, self.writer, self.parts), bytes(self.buffer), EXPORT_TIMEOUT)
        self.parts += 1
        self.buffer.clear()

    def __next__(self) -> bytes:
        try:
            chunk = next(self.chunks)
        except StopIteration:
            if not self.done:
                self.done = True
                if self.buffer:
                    self._store_part()
                manifest = Manifest(self.writer, self.parts, f'"{self.digest.hexdigest()[:32]}"', self.size)
                default_cache.set(self.key, manifest, EXPORT_TIMEOUT)
            self.close()
            raise
        self.digest.update(chunk)
        self.size += len(chunk)
        self.buffer += chunk
        if len(self.buffer) >= PART_SIZE:
            self._store_part()
        return chunk

    def close(self) -> None:
        # Ends the reading too (on PostgreSQL a server-side cursor) when the visitor left early.
        close_chunks = getattr(self.chunks, "close", None)
        if close_chunks is not None:
            close_chunks()
        for slot in self.slots:
            cache.release_slot(slot)
        self.slots = []


def _busy() -> HttpResponse:
    response = HttpResponse(
        _("Gerade werden viele Exporte erstellt. Bitte versuchen Sie es in einigen Sekunden noch einmal."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "10"
    return response


def _attachment(response: HttpResponseBase, export: Export) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{_filename(export.page, export.file_format)}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _from_cache(request: HttpRequest, export: Export, key: str, manifest: Manifest) -> HttpResponseBase:
    response = StreamingHttpResponse(_cached_parts(key, manifest), content_type=CONTENT_TYPES[export.file_format])
    response["Content-Length"] = str(manifest.size)
    response["ETag"] = manifest.etag
    _attachment(response, export)
    # django-stubs name HttpResponse only; Django answers a streaming response too (and gives it back unchanged).
    conditional = get_conditional_response(request, etag=manifest.etag, response=response)  # type: ignore[arg-type]
    return conditional if conditional is not None else response


def _wait_for_slot(key: str) -> tuple[list[str], Manifest | None]:
    """The right to write this export (one of the shared slots), or its finished manifest.

    A request asking for a file someone is writing waits for it a few seconds
    (EXPORT_SAME_FILE_WAIT_SECONDS) before writing it too: the first writer streams as slowly as
    its visitor downloads. Empty when no slot came within EXPORT_WAIT_SECONDS.
    """
    slots = int(getattr(settings, "EXPORT_CONCURRENCY", 2))
    seconds = int(getattr(settings, "EXPORT_SLOT_SECONDS", 120))
    started = time.monotonic()
    deadline = started + float(getattr(settings, "EXPORT_WAIT_SECONDS", 60))
    same_file_until = started + float(getattr(settings, "EXPORT_SAME_FILE_WAIT_SECONDS", 5))
    writer_lock = f"catalogue-export-writer:{hashlib.sha256(key.encode()).hexdigest()}"
    while True:
        manifest = _cached_manifest(key)
        if manifest is not None:
            return [], manifest
        writer = cache.take_slot(writer_lock, 1, seconds)
        if writer is not None or time.monotonic() >= same_file_until:
            slot = cache.take_slot("catalogue-export", slots, seconds)
            if slot is not None:
                return [held for held in (writer, slot) if held is not None], None
            if writer is not None:
                cache.release_slot(writer)
        if time.monotonic() >= deadline:
            return [], None
        time.sleep(WAIT_STEP)


def export_response(request: HttpRequest, export: Export) -> HttpResponseBase:
    """The export file: from the cache when this selection was exported since the last change."""
    key = _key(export, request)
    manifest = _cached_manifest(key)
    if manifest is not None:
        return _from_cache(request, export, key, manifest)
    slots, manifest = _wait_for_slot(key)
    if manifest is not None:
        return _from_cache(request, export, key, manifest)
    if not slots:
        return _busy()
    chunks = WRITERS[export.file_format](export.page, request, export.queryset)
    response = StreamingHttpResponse(_WrittenExport(chunks, key, slots), content_type=CONTENT_TYPES[export.file_format])
    return _attachment(response, export)
