"""The evaluation: dated status reports on entries, indicators with their measured values."""

from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .projects import Project, TrafficLight


class StatusReport(models.Model):
    """One dated report on an entry; the newest published one sets the entry's current state."""

    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField(_("Datum"), help_text=_("Stichtag des Berichts."))
    reporting_period = models.CharField(
        _("Berichtszeitraum"),
        max_length=80,
        blank=True,
        help_text=_("Zeitraum, über den berichtet wird, z. B. „1. Halbjahr 2025“."),
    )
    status = models.ForeignKey(
        "catalogue.Status",
        verbose_name=_("Status"),
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("Stand der Umsetzung zum Stichtag."),
    )
    traffic_light = models.CharField(
        _("Ampel"),
        max_length=10,
        choices=TrafficLight.choices,
        default=TrafficLight.UNKNOWN,
        help_text=_("Liegt der Eintrag im Plan? Die Ampel wird immer auch als Text gezeigt."),
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Geschätzter Fortschritt in Prozent, von 0 bis 100."),
    )
    text = models.TextField(
        _("Bericht"), blank=True, help_text=_("Was seit dem letzten Bericht geschehen ist und was als Nächstes kommt.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Die Person, die den Bericht verfasst hat."),
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("Berichtende Stelle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("Die Stelle, für die berichtet wird; meist die federführende."),
    )
    # Values typed into the quick report travel with the report in the entry's draft revision,
    # so they wait for the same approval; publishing turns them into `IndicatorValue` rows.
    pending_indicator_values = models.JSONField(
        _("Gemeldete Messwerte"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Messwerte je Indikator, die mit der Freigabe des Berichts übernommen werden."),
    )

    class Meta:
        verbose_name = _("Statusbericht")
        verbose_name_plural = _("Statusberichte")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["project", "date"], name="catalogue_report_project_date")]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.status}"

    def clean(self):
        super().clean()
        if self.progress is not None and not 0 <= self.progress <= 100:
            raise ValidationError({"progress": _("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")})

    def contradictions(self) -> list[str]:
        """What in this report cannot all be true at once (for a warning, not an error)."""
        found = []
        status = self.status if self.status_id else None
        if status is not None and status.is_closed and status.default_progress == 100 and self.progress < 100:
            found.append(
                gettext("Status „%(status)s“, aber Fortschritt %(progress)s %%: Abgeschlossenes steht bei 100 %%.")
                % {"status": status.name, "progress": self.progress}
            )
        if status is not None and not status.is_closed and self.progress == 100:
            found.append(
                gettext("Fortschritt 100 %%, aber Status „%(status)s“: Ist der Eintrag abgeschlossen?")
                % {"status": status.name}
            )
        if self.progress == 100 and self.traffic_light == TrafficLight.OFF_TRACK:
            found.append(gettext("Fortschritt 100 %, aber Ampel „kritisch“: Beides zugleich kann nicht stimmen."))
        return found

    def release_indicator_values(self):
        """Store the values reported with this (now published) report as measurements.

        Only indicators still linked to the entry take a value. `get_or_create` and clearing
        the pending values keep a second publish (or a reverted revision) from counting twice.
        """
        pending = {int(key): value for key, value in self.pending_indicator_values.items() if str(key).isdigit()}
        for indicator in Indicator.objects.filter(pk__in=pending, projects=self.project_id):
            IndicatorValue.objects.get_or_create(
                indicator=indicator,
                date=self.date,
                value=Decimal(str(pending[indicator.pk])),
                defaults={"note": gettext("gemeldet mit Statusbericht")},
            )
        StatusReport.objects.filter(pk=self.pk).update(pending_indicator_values={})
        self.pending_indicator_values = {}


class Indicator(TranslatableMixin, index.Indexed, ClusterableModel):
    """A measurable quantity with a baseline and a target, linked to goals and entries."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("höher ist besser")
        LOWER = "lower", _("niedriger ist besser")

    title = models.CharField(
        _("Titel"), max_length=255, help_text=_("Was gemessen wird, z. B. „Breitbandversorgung der Haushalte“.")
    )
    unit = models.CharField(_("Einheit"), max_length=40, help_text=_("Maßeinheit, z. B. „%“, „t CO₂“ oder „Anzahl“."))
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Wie der Wert erhoben und gelesen wird."))
    direction = models.CharField(
        _("Richtung"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.HIGHER,
        help_text=_("Ob ein steigender oder ein fallender Wert eine Verbesserung ist."),
    )
    baseline_value = models.DecimalField(
        _("Ausgangswert"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Wert zu Beginn der Strategie."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("Ausgangsjahr"), null=True, blank=True, help_text=_("Jahr, in dem der Ausgangswert gemessen wurde.")
    )
    target_value = models.DecimalField(
        _("Zielwert"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Wert, der erreicht werden soll."),
    )
    target_year = models.PositiveSmallIntegerField(
        _("Zieljahr"), null=True, blank=True, help_text=_("Jahr, bis zu dem der Zielwert erreicht sein soll.")
    )
    source = models.CharField(
        _("Quelle"),
        max_length=255,
        blank=True,
        help_text=_("Woher die Werte stammen, z. B. „Statistisches Landesamt“."),
    )
    goals = models.ManyToManyField(
        "catalogue.Goal",
        verbose_name=_("Ziele"),
        blank=True,
        related_name="indicators",
        help_text=_("Ziele, deren Erreichung der Indikator misst."),
    )
    projects = models.ManyToManyField(
        Project,
        verbose_name=_("Katalogeinträge"),
        blank=True,
        related_name="indicators",
        help_text=_("Einträge, deren Wirkung der Indikator zeigt."),
    )

    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("locale_id")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("unit"),
        TranslatableField("description"),
        TranslatableField("source"),
        SynchronizedField("direction"),
        SynchronizedField("baseline_value"),
        SynchronizedField("baseline_year"),
        SynchronizedField("target_value"),
        SynchronizedField("target_year"),
        SynchronizedField("goals"),
        SynchronizedField("projects"),
        SynchronizedField("values"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.baseline_year and self.target_year and self.target_year < self.baseline_year:
            raise ValidationError({"target_year": _("Das Zieljahr darf nicht vor dem Ausgangsjahr liegen.")})

    def expected_value(self, year):
        """The value on the straight line from baseline to target in `year`."""
        if (
            self.baseline_value is None
            or self.baseline_year is None
            or self.target_value is None
            or self.target_year is None
        ):
            return None
        if self.target_year == self.baseline_year:
            return self.target_value
        share = Decimal(min(max(year - self.baseline_year, 0), self.target_year - self.baseline_year)) / Decimal(
            self.target_year - self.baseline_year
        )
        return self.baseline_value + (self.target_value - self.baseline_value) * share

    def is_on_track(self, latest=None):
        """Whether the latest value is at least as good as the linear path predicts for its year.

        None when there is no value yet or baseline and target are incomplete. `latest` lets
        callers that loaded values in bulk avoid a query per indicator.
        """
        latest = latest if latest is not None else self.values.order_by("-date", "-pk").first()
        if latest is None:
            return None
        expected = self.expected_value(latest.date.year)
        if expected is None:
            return None
        if self.direction == self.Direction.LOWER:
            return latest.value <= expected
        return latest.value >= expected


class PublicState(NamedTuple):
    """What the public sees of a live entry: its status, light and progress, and whether it has measures."""

    status_id: int | None
    traffic_light: str
    progress: int
    has_measures: bool


def public_state(project_pk: int) -> PublicState | None:
    """The live row's state, None when the entry is not live."""
    row = (
        Project.objects.filter(pk=project_pk, live=True)
        .annotate(has_measures=Exists(Project.objects.filter(parent_id=OuterRef("pk"))))
        .values_list("status_id", "traffic_light", "progress", "has_measures")
        .first()
    )
    return PublicState(*row) if row is not None else None


def report_warnings(project: Project) -> list[str]:
    """`report_warnings_against` the entry's public state, read here."""
    return report_warnings_against(project, public_state(project.pk))


def report_warnings_against(project: Project, shown: PublicState | None) -> list[str]:
    """Where an entry's newest report contradicts itself, or the public state `shown` is not that report's.

    The reports are read as the entry holds them (in an edit form or a draft revision,
    modelcluster keeps them in memory); the public state is compared with the stored reports.
    """
    warnings = []
    reports = list(project.reports.all())
    if reports:
        newest = max(reports, key=lambda report: (report.date, report.pk is None, report.pk or 0))
        warnings += [
            gettext("Neuester Bericht vom %(date)s: %(problem)s")
            % {"date": f"{newest.date:%d.%m.%Y}", "problem": problem}
            for problem in newest.contradictions()
        ]
    if shown is None:
        return warnings
    if "reports" in getattr(project, "_prefetched_objects_cache", {}):
        # The stored reports were read already (the edit view prefetches them).
        stored_reports = list(project._prefetched_objects_cache["reports"])
        stored = max(stored_reports, key=lambda report: (report.date, report.pk)) if stored_reports else None
    else:
        stored = StatusReport.objects.filter(project_id=project.pk).order_by("-date", "-pk").first()
    if stored is None:
        return warnings
    differs = shown.status_id != stored.status_id or shown.traffic_light != stored.traffic_light
    # A parent's progress is the weighted progress of its measures, not its own report's.
    if not shown.has_measures:
        differs = differs or shown.progress != stored.progress
    if differs:
        warnings.append(
            gettext(
                "Der öffentlich gezeigte Stand weicht vom neuesten Bericht vom %(date)s ab. "
                "Veröffentlichen Sie den Eintrag erneut, um den Stand des Berichts zu übernehmen."
            )
            % {"date": f"{stored.date:%d.%m.%Y}"}
        )
    return warnings


class IndicatorValue(models.Model):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("Stichtag"), help_text=_("Stichtag der Messung; für Jahreswerte den 31.12. des Jahres."))
    value = models.DecimalField(
        _("Wert"), max_digits=16, decimal_places=4, help_text=_("Gemessener Wert in der Einheit des Indikators.")
    )
    note = models.CharField(
        _("Anmerkung"), max_length=255, blank=True, help_text=_("Hinweis zur Messung, z. B. „vorläufig“.")
    )

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["date"]
        indexes = [models.Index(fields=["indicator", "date"], name="catalogue_value_ind_date")]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}: {self.value}"

    @property
    def year(self):
        return self.date.year
