"""Entries as rows of the spreadsheet format, read in chunks: the body of every export."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
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
)

from .columns import COUNTY_WIDE, LIST_SEPARATOR, YES

CHUNK_SIZE = 1000
Cell = str | int | Decimal | datetime.date | None


def _names(objects: Any, attribute: str) -> str:
    return LIST_SEPARATOR.join(getattr(item, attribute) for item in objects)


def _newest_report_text() -> Subquery:
    newest = StatusReport.objects.filter(project=OuterRef("pk")).order_by("-date", "-pk")
    return Subquery(newest.values("text")[:1])


def project_queryset(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """`queryset` with everything `project_row` reads, in a fixed number of queries per chunk."""
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


def project_row(project: Project) -> list[Cell]:
    """One entry as a list of cell values in `COLUMNS` order (str, int, Decimal, date or None)."""
    places = [place.name for place in project.municipalities.all()]
    if project.county_wide:
        places.insert(0, COUNTY_WIDE)
    return [
        project.code,
        project.title,
        str(project.get_kind_display()),
        project.parent.code if project.parent else "",
        project.summary,
        project.description,
        _names(project.goals.all(), "code"),
        _names(project.themes.all(), "title"),
        project.lead_department.name,
        _names(project.partner_departments.all(), "name"),
        project.external_partners,
        LIST_SEPARATOR.join(places),
        project.planned_start,
        project.planned_end,
        project.actual_start,
        project.actual_end,
        YES if project.continuous else "",
        project.cost_estimate,
        _names(project.funding_programmes.all(), "name"),
        project.funding_amount,
        project.priority,
        project.weight,
        project.status.name if project.status else "",
        str(project.get_traffic_light_display()),
        project.progress,
        project.contact_name,
        project.contact_email,
        project.contact_phone,
        project.last_report_date,
        getattr(project, "newest_report_text", None) or "",
        _names(project.sdg_targets.all(), "code"),
    ]


def project_rows(queryset: QuerySet[Project], language: str = "de") -> Iterator[list[Cell]]:
    """Rows for the entries of `queryset`, in its order, read in chunks so 10,000 entries stay cheap.

    Choice labels are written in `language` (German by default, the format's language).
    """
    if not queryset.query.order_by and not queryset.query.default_ordering:
        queryset = queryset.order_by("code")
    with translation.override(language):
        for project in project_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
            yield project_row(project)


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
            "9.1; 9.c",
        ]
    ]
