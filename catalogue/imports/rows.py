"""Entries as rows of the spreadsheet format, read in chunks of plain values: the body of every export."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import CharField, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.utils import translation

from catalogue.models import (
    Department,
    FundingProgramme,
    Goal,
    Municipality,
    Project,
    SdgTarget,
    StatusReport,
    Theme,
    TrafficLight,
)

from .columns import COUNTY_WIDE, LIST_SEPARATOR, YES

CHUNK_SIZE = 1000
Cell = str | int | Decimal | datetime.date | None


def _newest_report_text() -> Subquery:
    newest = StatusReport.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk")
    return Subquery(newest.values("text")[:1])


def project_queryset(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """`queryset` with the related rows an import compares, in a fixed number of queries."""
    return (
        queryset.select_related("parent", "lead_department", "status")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("code").only("id", "code")),
            Prefetch("themes", queryset=Theme.objects.order_by("title").only("id", "title")),
            Prefetch("partner_departments", queryset=Department.objects.order_by("name").only("id", "name")),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name").only("id", "name")),
            Prefetch("funding_programmes", queryset=FundingProgramme.objects.order_by("name").only("id", "name")),
            Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("goal__number", "order").only("id", "code")),
        )
        .annotate(newest_report_text=_newest_report_text())
    )


# The entry's own columns, read as plain values (no model instances): one row per entry.
VALUE_COLUMNS = (
    "pk",
    "code",
    "title",
    "kind",
    "parent__code",
    "summary",
    "description",
    "lead_department__name",
    "external_partners",
    "county_wide",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "continuous",
    "cost_estimate",
    "funding_amount",
    "priority",
    "weight",
    "status__name",
    "traffic_light",
    "progress",
    "contact_name",
    "contact_email",
    "contact_phone",
    "last_report_date",
    "newest_report_text",
)
# The lists of an entry: relation, the through table's field, the column shown, and its rank
# (the lists sort by rank, then by the column shown).
NO_RANK = Value(0, output_field=IntegerField())
LIST_RELATIONS = (
    ("goals", "goal", "code", NO_RANK),
    ("themes", "theme", "title", NO_RANK),
    ("partner_departments", "department", "name", NO_RANK),
    ("municipalities", "municipality", "name", NO_RANK),
    ("funding_programmes", "fundingprogramme", "name", NO_RANK),
    # SDG targets in the order of the goals, then of the targets within a goal (9.1 before 9.c before 10.1).
    ("sdg_targets", "sdgtarget", "code", F("sdgtarget__goal__number") * 1000 + F("sdgtarget__order")),
)


def _ids(project_ids: list[int]) -> Any:
    """The chunk's entry ids for an IN condition: on PostgreSQL one array parameter.

    A thousand separate parameters per relation cost far more to build and bind than the query.
    """
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (project_ids,))
    return project_ids


def _list_values(project_ids: list[int]) -> dict[tuple[str, int], list[str]]:
    """(relation, entry id) -> the names of the related rows, in one query for a chunk of entries."""
    ids = _ids(project_ids)
    parts = [
        getattr(Project, relation)
        .through.objects.filter(project_id__in=ids)
        .annotate(
            relation=Value(relation, output_field=CharField()),
            rank=rank,
            shown=F(f"{target}__{column}"),
        )
        .values_list("relation", "project_id", "rank", "shown")
        .order_by()
        for relation, target, column, rank in LIST_RELATIONS
    ]
    first, *rest = parts
    found: dict[tuple[str, int], list[str]] = {}
    ordered = first.union(*rest, all=True).order_by("relation", "project_id", "rank", "shown")
    for relation, project_id, _rank, shown in ordered:
        found.setdefault((relation, project_id), []).append(shown)
    return found


def _joined(lists: dict[tuple[str, int], list[str]], pk: int, relation: str) -> str:
    return LIST_SEPARATOR.join(lists.get((relation, pk), []))


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


def project_rows(queryset: QuerySet[Project], language: str = "de") -> Iterator[list[Cell]]:
    """Rows for the entries of `queryset`, in its order, in cell values of `COLUMNS` order.

    Read in chunks of plain values: one query for the entries (fetched chunk by chunk) and one
    for the lists of each chunk, so 10,000 entries stay cheap in time and memory. Choice labels
    are written in `language` (German by default, the format's language).
    """
    if not queryset.query.order_by and not queryset.query.default_ordering:
        queryset = queryset.order_by("code")
    with translation.override(language):
        kinds = {value: str(label) for value, label in Project.Kind.choices}
        lights = {value: str(label) for value, label in TrafficLight.choices}
    values = queryset.annotate(newest_report_text=_newest_report_text()).values_list(*VALUE_COLUMNS)
    for chunk in _chunks(values.iterator(chunk_size=CHUNK_SIZE)):
        lists = _list_values([row[0] for row in chunk])
        for row in chunk:
            entry = dict(zip(VALUE_COLUMNS, row, strict=True))
            names = partial(_joined, lists, entry["pk"])
            places = lists.get(("municipalities", entry["pk"]), [])
            yield [
                entry["code"],
                entry["title"],
                kinds.get(entry["kind"], entry["kind"]),
                entry["parent__code"] or "",
                entry["summary"],
                entry["description"],
                names("goals"),
                names("themes"),
                entry["lead_department__name"] or "",
                names("partner_departments"),
                entry["external_partners"],
                LIST_SEPARATOR.join([COUNTY_WIDE, *places] if entry["county_wide"] else places),
                entry["planned_start"],
                entry["planned_end"],
                entry["actual_start"],
                entry["actual_end"],
                YES if entry["continuous"] else "",
                entry["cost_estimate"],
                names("funding_programmes"),
                entry["funding_amount"],
                entry["priority"],
                entry["weight"],
                entry["status__name"] or "",
                lights.get(entry["traffic_light"], entry["traffic_light"]),
                entry["progress"],
                entry["contact_name"],
                entry["contact_email"],
                entry["contact_phone"],
                entry["last_report_date"],
                entry["newest_report_text"] or "",
                names("sdg_targets"),
            ]


def template_rows() -> list[list[Cell]]:
    """The example row of the empty import template."""
    return [
        [
            "2.1.03",
            "Glasfaserausbau in den Ortsteilen",
            "Projekt",
            "",
            "Alle Haushalte im Landkreis erhalten einen Glasfaseranschluss.",
            "Ausgangslage, Vorgehen und erwartete Wirkung.",
            "2.1",
            "Digitalisierung",
            "Amt für Wirtschaftsförderung",
            "",
            "Zweckverband Breitband",
            COUNTY_WIDE,
            datetime.date(2024, 1, 1),
            datetime.date(2027, 12, 31),
            None,
            None,
            "",
            Decimal("1250000.00"),
            "Gigabitförderung",
            Decimal("900000.00"),
            "I",
            1,
            "in Planung",
            "im Plan",
            10,
            "Anna Keller",
            "wirtschaft@example.org",
            "09999 123-456",
            datetime.date(2025, 6, 30),
            "Ausschreibung vorbereitet.",
        ]
    ]
