"""Frozen reports: what every entry and indicator in scope looked like when a period was closed.

Every row holds copies of values, never keys to rows that can change: the entries and indicators
are named by their translation key (shared by all languages, stable across edits) and carry
their code, titles, status, light, progress, report text and values as they stood. A later edit
of an entry, its reports or its indicators cannot change a report, and deleting an entry keeps
it in the reports it was part of.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import LightSource, TrafficLight

from .periods import ReportingPeriod


class FrozenModel(models.Model):
    """Written once, when the period closes; refuses to be saved again."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self)._default_manager.filter(pk=self.pk).exists():
            raise ValidationError(_("Ein abgeschlossener Bericht kann nicht mehr geändert werden."))
        super().save(*args, **kwargs)


class ProgressReport(FrozenModel):
    """The report (Fortschrittsbericht) of a closed period: its header and the vocabulary as it stood."""

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("Berichtszeitraum"), on_delete=models.PROTECT, related_name="report"
    )
    title = models.CharField(_("Bezeichnung"), max_length=120)
    title_en = models.CharField(_("Bezeichnung (Englisch)"), max_length=120, blank=True)
    reporting_date = models.DateField(_("Stichtag"), unique=True)
    reports_from = models.DateField(_("Berichte zählen ab"))
    as_of = models.DateField(
        _("Stand"), help_text=_("Berichte und Messwerte bis zu diesem Tag (die Meldefrist) sind eingegangen.")
    )
    closed_at = models.DateTimeField(_("Abgeschlossen am"))
    tolerance = models.DecimalField(_("Toleranz der Indikatoren (%)"), max_digits=5, decimal_places=2)
    # The scope's labels and the vocabulary (statuses, areas, goals) in every language, as they stood.
    scope = models.JSONField(_("Umfang"), default=dict)
    legend = models.JSONField(_("Verzeichnis"), default=dict)
    entry_count = models.PositiveIntegerField(_("Einträge"), default=0)
    indicator_count = models.PositiveIntegerField(_("Indikatoren"), default=0)

    class Meta:
        verbose_name = _("Fortschrittsbericht")
        verbose_name_plural = _("Fortschrittsberichte")
        ordering = ["-reporting_date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.reporting_date:%d.%m.%Y})"

    def title_in(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title

    @property
    def slug(self) -> str:
        """The report's date as it appears in its address, e.g. 2025-06-30."""
        return self.reporting_date.isoformat()


class EntrySnapshot(FrozenModel):
    """One entry as it stood in a report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries")
    translation_key = models.UUIDField(_("Schlüssel des Eintrags"))
    code = models.CharField(_("Nummer"), max_length=20)
    title = models.CharField(_("Titel"), max_length=255)
    title_en = models.CharField(_("Titel (Englisch)"), max_length=255, blank=True)
    slug = models.CharField(_("Kurzname (URL)"), max_length=120, blank=True)
    kind = models.CharField(_("Art"), max_length=10)
    parent_code = models.CharField(_("Übergeordnete Nummer"), max_length=20, blank=True)
    goal_codes = models.JSONField(_("Ziele"), default=list)
    area_codes = models.JSONField(_("Handlungsfelder"), default=list)
    lead_department = models.CharField(_("Federführung"), max_length=200, blank=True)
    lead_short_name = models.CharField(_("Federführung (Kurzname)"), max_length=40, blank=True)
    status = models.CharField(
        _("Status"), max_length=80, blank=True, help_text=_("Kurzname des Status; leer: kein Bericht.")
    )
    status_closed = models.BooleanField(_("Beendet"), default=False)
    traffic_light = models.CharField(_("Ampel"), max_length=10, choices=TrafficLight.choices)
    light_source = models.CharField(_("Ampel ermittelt"), max_length=10, choices=LightSource.choices)
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"))
    weight = models.PositiveSmallIntegerField(_("Gewicht"))
    report_date = models.DateField(_("Datum des Berichts"), null=True, blank=True)
    report_text = models.TextField(_("Berichtstext"), blank=True)
    reported_in_period = models.BooleanField(_("Im Zeitraum berichtet"), default=False)
    indicator_keys = models.JSONField(_("Indikatoren"), default=list)
    # The entry in the catalogue's import/export column set, for the report's downloads.
    row = models.JSONField(_("Zeile"), default=list)
    # Figures other apps add through `reporting.contributors`, by the contributor's name.
    contributions = models.JSONField(_("Weitere Angaben"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("Eintrag im Bericht")
        verbose_name_plural = _("Einträge im Bericht")
        ordering = ["report", "code"]
        indexes = [
            models.Index(fields=["report", "code"], name="reporting_entry_report_code"),
            models.Index(fields=["translation_key"], name="reporting_entry_key"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class IndicatorSnapshot(FrozenModel):
    """One indicator as it stood in a report: its path, newest value and assessment."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicators")
    translation_key = models.UUIDField(_("Schlüssel des Indikators"))
    title = models.CharField(_("Titel"), max_length=255)
    title_en = models.CharField(_("Titel (Englisch)"), max_length=255, blank=True)
    unit = models.CharField(_("Einheit"), max_length=40, blank=True)
    direction = models.CharField(_("Richtung"), max_length=10)
    baseline_value = models.DecimalField(_("Ausgangswert"), max_digits=16, decimal_places=4, null=True)
    baseline_year = models.PositiveSmallIntegerField(_("Ausgangsjahr"), null=True)
    target_value = models.DecimalField(_("Zielwert"), max_digits=16, decimal_places=4, null=True)
    target_year = models.PositiveSmallIntegerField(_("Zieljahr"), null=True)
    value = models.DecimalField(_("Neuester Wert"), max_digits=16, decimal_places=4, null=True)
    value_date = models.DateField(_("Stichtag des Werts"), null=True)
    expected = models.DecimalField(_("Erwarteter Wert"), max_digits=16, decimal_places=4, null=True)
    achieved_share = models.DecimalField(_("Erreichter Anteil"), max_digits=12, decimal_places=4, null=True)
    light = models.CharField(_("Bewertung"), max_length=10, choices=TrafficLight.choices)
    goal_codes = models.JSONField(_("Ziele"), default=list)
    # Every value up to the report's date as [ISO date, decimal text], for the chart and its table.
    values = models.JSONField(_("Werte"), default=list)

    class Meta:
        verbose_name = _("Indikator im Bericht")
        verbose_name_plural = _("Indikatoren im Bericht")
        ordering = ["report", "title"]
        indexes = [models.Index(fields=["translation_key"], name="reporting_indicator_key")]

    def __str__(self) -> str:
        return self.title
