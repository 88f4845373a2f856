"""The demo county's reports, from demo/data/reporting.yaml: the report page, three closed periods, an open one.

Each period is closed as the coordination would close it (`reporting.closing.close_period`, here
in the foreground); between the first and the second the catalogue takes in new entries, so the
comparison shows them as new. Safe to run again: what exists already is left alone.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from catalogue.models import LightSource, Project
from demo import data
from demo.builders import catalogue as catalogue_demo
from demo.translation import translate
from reporting.closing import close_period
from reporting.models import ProgressReport, ReportIndexPage, ReportingPeriod


def build_report_page(home: Page) -> ReportIndexPage:
    spec = data.load("reporting")["page"]
    page = ReportIndexPage.objects.child_of(home).first()
    if page is None:
        page = ReportIndexPage(**data.german(spec), show_in_menus=True)
        home.add_child(instance=page)
        page.save_revision().publish()
    english = Locale.objects.filter(language_code="en").first()
    if english and not page.has_translation(english):
        translate(page, english, data.english(spec))
    return page


def _light_from_indicators(codes: list[str]) -> None:
    """The entries (in every language) take their light from their indicators, as if an editor chose so."""
    keys = Project.objects.filter(code__in=codes).values("translation_key")
    entries = Project.objects.filter(translation_key__in=keys, live=True)
    for entry in entries.exclude(traffic_light_source=LightSource.INDICATORS):
        Project.objects.filter(pk=entry.pk).update(traffic_light_source=LightSource.INDICATORS)
        entry.traffic_light_source = LightSource.INDICATORS
        entry.apply_latest_report()


def _add_entries(specs: list[dict[str, Any]], taxonomy: dict[str, dict[str, Any]]) -> None:
    german, english = catalogue_demo.locales()
    for spec in specs:
        entry = catalogue_demo.create_entry(taxonomy, spec, german)
        if (strings := data.english(spec)) and not entry.has_translation(english):
            translate(entry, english, strings)


def _period(spec: dict[str, Any]) -> ReportingPeriod:
    texts = data.german(spec)
    period, _created = ReportingPeriod.objects.get_or_create(
        reporting_date=spec["reporting_date"],
        defaults={
            "title": texts["title"],
            "title_en": spec["title"].get("en", ""),
            "deadline": spec["deadline"],
            "reminder_days": spec.get("reminder_days", 14),
        },
    )
    return period


def _open_period(spec: dict[str, Any], today: datetime.date) -> ReportingPeriod:
    """The next 30 June or 31 December after `today`."""
    mid_year = datetime.date(today.year, 6, 30)
    reporting_date = mid_year if today < mid_year else datetime.date(today.year, 12, 31)
    if reporting_date <= today:
        reporting_date = datetime.date(today.year + 1, 6, 30)
    half = 1 if reporting_date.month == 6 else 2
    return _period(
        {
            "title": {
                language: text.format(half=half, year=reporting_date.year) for language, text in spec["title"].items()
            },
            "reporting_date": reporting_date,
            "deadline": reporting_date + datetime.timedelta(days=spec["deadline_days"]),
            "reminder_days": spec["reminder_days"],
        }
    )


@transaction.atomic
def build_reporting(home: Page, stdout=None) -> ReportIndexPage:
    spec = data.load("reporting")
    page = build_report_page(home)
    _light_from_indicators(spec["light_from_indicators"])
    taxonomy = catalogue_demo.build_taxonomy(catalogue_demo.locales()[0])
    for number, period_spec in enumerate(spec["periods"]):
        if number == 1:
            _add_entries(spec["added_after_first"], taxonomy)
        period = _period(period_spec)
        if not ProgressReport.objects.filter(period=period).exists():
            # Closed a week after the deadline, as the coordination would have done then.
            closed = datetime.datetime.combine(period.deadline + datetime.timedelta(days=7), datetime.time(10))
            close_period(period.pk, closed_at=timezone.make_aware(closed))
    _open_period(spec["open_period"], timezone.localdate())
    if stdout is not None:
        stdout.write(f"Reports: {ProgressReport.objects.count()} closed, page /{page.slug}/.")
    return page
