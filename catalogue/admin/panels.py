"""Panels of the entry editor that show what waits for approval: the new report and its indicator values."""

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel, Panel
from wagtail.admin.panels.base import get_form_for_model

from catalogue.models import Indicator, Project, Status, StatusReport, TrafficLight

from .forms import StatusReportForm

HELD_FIELD = "pending_indicator_values"


class HeldValue(NamedTuple):
    """An indicator value reported with a status report, stored as a measurement on approval."""

    indicator: str
    unit: str
    value: Decimal


class PendingReport(NamedTuple):
    """A report in a draft that is not public yet, as the approver needs to see it."""

    date: datetime.date | None
    status: str
    traffic_light: str
    progress: int | None
    text: str
    values: list[HeldValue]


def held_values(pending_maps: Iterable[dict[str, Any]]) -> list[list[HeldValue]]:
    """The held values of several reports, resolved to indicator titles in one query."""
    pending_maps = list(pending_maps)
    ids = {int(key) for held in pending_maps for key in (held or {}) if str(key).isdigit()}
    indicators = Indicator.objects.in_bulk(ids) if ids else {}
    resolved = []
    for held in pending_maps:
        values = []
        for key, value in (held or {}).items():
            indicator = indicators.get(int(key)) if str(key).isdigit() else None
            if indicator is not None:
                values.append(HeldValue(indicator.title, indicator.unit, Decimal(str(value))))
        resolved.append(sorted(values, key=lambda held_value: held_value.indicator))
    return resolved


def pending_reports_of_revisions(contents: Iterable[dict[str, Any]]) -> list[list[PendingReport]]:
    """The reports each draft revision adds (or holds values for), from the stored revision content.

    Reads the revision's JSON instead of building objects from it, so a list of many pending
    entries costs two queries (statuses and indicators), not one per entry.
    """
    drafts = [[report for report in content.get("reports", []) if _is_pending(report)] for content in contents]
    reports = [report for draft in drafts for report in draft]
    statuses = Status.objects.in_bulk({report.get("status") for report in reports if report.get("status")})
    values = iter(held_values(report.get(HELD_FIELD) for report in reports))
    lights = dict(TrafficLight.choices)
    return [
        [
            PendingReport(
                date=parse_date(report.get("date") or ""),
                status=str(statuses.get(report.get("status"), "")),
                traffic_light=str(lights.get(report.get("traffic_light"), "")),
                progress=report.get("progress"),
                text=report.get("text") or "",
                values=next(values),
            )
            for report in draft
        ]
        for draft in drafts
    ]


def _is_pending(report: dict[str, Any]) -> bool:
    return report.get("pk") is None or bool(report.get(HELD_FIELD))


def pending_reports(entry: Project) -> list[PendingReport]:
    """The reports of the entry's draft that are not public yet (none when nothing is unpublished)."""
    if entry.pk is None or not entry.has_unpublished_changes:
        return []
    revision = entry.latest_revision
    if revision is None:
        return []
    return pending_reports_of_revisions([revision.content])[0]


class ReportsInlinePanel(InlinePanel):
    """The reports inline, with a form that carries the values held for approval."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        built = formset.get("form")
        formset["form"] = get_form_for_model(
            StatusReport,
            form_class=StatusReportForm,
            fields=formset["fields"],
            widgets=formset["widgets"],
            defer_required_on_fields=built._meta.defer_required_on_fields if built else [],
        )
        return options


class HeldValuesPanel(Panel):
    """Inside a report: the hidden field with the held values and a readable list of them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalogue/admin/panels/held_values.html"

        @cached_property
        def values(self):
            if self.form is None:
                return []
            # The field renders as JSON; Wagtail's inline panel already outputs it with the hidden fields.
            try:
                held = json.loads(self.form[HELD_FIELD].value() or "{}")
            except (TypeError, ValueError):
                held = {}
            return held_values([held if isinstance(held, dict) else {}])[0]

        def is_shown(self):
            return bool(self.values)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["values"] = self.values
            return context


class PendingReportPanel(Panel):
    """At the top of the editor: what the department reported and what approving will publish."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalogue/admin/panels/pending_report.html"

        @cached_property
        def reports(self):
            return pending_reports(self.instance) if isinstance(self.instance, Project) else []

        def is_shown(self):
            return bool(self.reports)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["reports"] = self.reports
            context["heading"] = _("Wartet auf Freigabe")
            return context
