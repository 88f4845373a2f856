"""An entry's way through the reports: its status, light and progress at each reporting date.

Shown on the catalogue's entry page through the `entry_history` tag; one query (cached per
entry, language and data version, which closing a period bumps) however many reports exist.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Locale

from catalogue.models import LightSource, TrafficLight
from cms import cache
from reporting.models import EntrySnapshot, ReportIndexPage

from .figures import Label, Legend


@dataclass(frozen=True)
class HistoryRow:
    report_title: str
    report_slug: str
    reporting_date: datetime.date
    status: Label
    traffic_light: str
    light_label: str
    computed_light: bool
    progress: int
    report_date: datetime.date | None


def history(translation_key: uuid.UUID, language: str) -> list[HistoryRow]:
    lights = dict(TrafficLight.choices)
    snapshots = (
        EntrySnapshot.objects.filter(translation_key=translation_key)
        .select_related("report")
        .only(
            "status",
            "traffic_light",
            "light_source",
            "progress",
            "report_date",
            "report__title",
            "report__title_en",
            "report__reporting_date",
            "report__legend",
        )
        .order_by("-report__reporting_date")
    )
    return [
        HistoryRow(
            report_title=snapshot.report.title_in(language),
            report_slug=snapshot.report.slug,
            reporting_date=snapshot.report.reporting_date,
            status=Legend(snapshot.report.legend, language).status_label(snapshot.status),
            traffic_light=snapshot.traffic_light,
            light_label=str(lights.get(snapshot.traffic_light, snapshot.traffic_light)),
            computed_light=snapshot.light_source == LightSource.INDICATORS,
            progress=snapshot.progress,
            report_date=snapshot.report_date,
        )
        for snapshot in snapshots
    ]


def cached_history(translation_key: uuid.UUID, language: str) -> list[HistoryRow]:
    # Closing a report bumps the catalogue's structure version; entry pages show this and stay
    # cached while other entries only report (cms.cache, "Entry-scoped").
    return cache.structure_versioned(
        "reporting:history", translation_key, language, build=lambda: history(translation_key, language)
    )


def reports_page(locale: Locale) -> ReportIndexPage | None:
    """The live, public report page of a language (or of the default language), cached per site version."""
    found = cache.site_versioned(
        "reporting:index-page",
        locale.pk,
        build=lambda: (
            ReportIndexPage.objects.live().public().filter(locale=locale).first()
            or ReportIndexPage.objects.live().public().filter(locale=Locale.get_default()).first()
            or False
        ),
        timeout=cache.HOUR,
    )
    return found if isinstance(found, ReportIndexPage) else None


def reports_url(locale: Locale, request: HttpRequest | None) -> str | None:
    page = reports_page(locale)
    return page.get_url(request) if page is not None else None
