"""Reporting periods: the dates of the evaluation concept, the entries they cover, and the reminders sent for them."""

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalogue.models import Department, Goal, Project, StatusReport, tree
from cms.locales import default_locale

# Without a period before it, reports count from this many days before the reporting date.
FIRST_WINDOW_DAYS = 183


def in_default_locale() -> Q:
    """The scope is chosen among the source-language rows, which the entries link to."""
    return Q(locale__language_code=settings.LANGUAGE_CODE)


def scoped_entries(area_ids: Collection[int] = (), department_ids: Collection[int] = ()) -> QuerySet[Project]:
    """Live source-language entries in some areas (none: all) led by some departments or their units (none: all)."""
    default = default_locale()
    entries = Project.objects.filter(live=True, locale=default)
    if area_ids:
        goals = Goal.objects.filter(area_id__in=area_ids)
        entries = entries.filter(pk__in=Project.goals.through.objects.filter(goal__in=goals).values("project_id"))
    if department_ids:
        below = tree.subtrees(Department.objects.filter(locale=default).values_list("pk", "parent_id"))
        covered = set().union(*(below.get(pk, {pk}) for pk in department_ids))
        entries = entries.filter(lead_department_id__in=covered)
    return entries


class ReportingPeriod(models.Model):
    """One reporting date of the evaluation concept (Stichtag) with its scope and the departments' deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        CLOSING = "closing", _("wird abgeschlossen")
        CLOSED = "closed", _("abgeschlossen")

    title = models.CharField(
        _("Bezeichnung"),
        max_length=120,
        help_text=_("Name des Berichts, z. B. „Fortschrittsbericht 2. Halbjahr 2025“."),
    )
    title_en = models.CharField(
        _("Bezeichnung (Englisch)"),
        max_length=120,
        blank=True,
        help_text=_("Für die englische Seite, z. B. „Progress report, second half of 2025“; leer: die deutsche."),
    )
    reporting_date = models.DateField(
        _("Stichtag"), unique=True, help_text=_("Der Tag, zu dem der Stand aller Einträge festgehalten wird.")
    )
    reports_from = models.DateField(
        _("Berichte zählen ab"),
        null=True,
        blank=True,
        help_text=_(
            "Statusberichte ab diesem Tag zählen für diesen Zeitraum. Leer lassen: der Tag nach dem vorigen "
            "Stichtag, beim ersten Zeitraum ein halbes Jahr vor dem Stichtag."
        ),
    )
    deadline = models.DateField(
        _("Meldefrist"),
        help_text=_("Bis zu diesem Tag berichten die Fachbereiche; Erinnerungen nennen diese Frist."),
    )
    areas = models.ManyToManyField(
        "catalogue.Area",
        verbose_name=_("Handlungsfelder"),
        blank=True,
        related_name="+",
        limit_choices_to=in_default_locale,
        help_text=_("Nur Einträge dieser Handlungsfelder; keine Auswahl: alle."),
    )
    departments = models.ManyToManyField(
        "catalogue.Department",
        verbose_name=_("Fachbereiche"),
        blank=True,
        related_name="+",
        limit_choices_to=in_default_locale,
        help_text=_("Nur Einträge unter Federführung dieser Stellen (mit ihren Untereinheiten); keine Auswahl: alle."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("Erinnerung (Tage vor der Frist)"),
        default=14,
        help_text=_("So viele Tage vor der Meldefrist erinnert das System die Fachbereiche an fehlende Berichte."),
    )
    state = models.CharField(_("Zustand"), max_length=10, choices=State.choices, default=State.OPEN, editable=False)
    closing_requested_at = models.DateTimeField(_("Abschluss angestoßen"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("Abgeschlossen am"), null=True, blank=True, editable=False)
    close_error = models.TextField(_("Fehler beim Abschluss"), blank=True, editable=False)

    class Meta:
        verbose_name = _("Berichtszeitraum")
        verbose_name_plural = _("Berichtszeiträume")
        ordering = ["-reporting_date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.reporting_date:%d.%m.%Y})"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.reporting_date and self.deadline and self.deadline < self.reporting_date:
            errors["deadline"] = _("Die Meldefrist darf nicht vor dem Stichtag liegen.")
        if self.reports_from and self.reporting_date and self.reports_from > self.reporting_date:
            errors["reports_from"] = _("Berichte müssen spätestens ab dem Stichtag zählen.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def window_start(self) -> datetime.date:
        """The first day a status report counts for this period."""
        if self.reports_from:
            return self.reports_from
        previous = (
            ReportingPeriod.objects.filter(reporting_date__lt=self.reporting_date)
            .order_by("-reporting_date")
            .values_list("reporting_date", flat=True)
            .first()
        )
        if previous is not None:
            return previous + datetime.timedelta(days=1)
        return self.reporting_date - datetime.timedelta(days=FIRST_WINDOW_DAYS)

    def entries_in_scope(self) -> QuerySet[Project]:
        """The live source-language entries this period covers."""
        return scoped_entries(
            list(self.areas.values_list("pk", flat=True)), list(self.departments.values_list("pk", flat=True))
        )

    def with_report_flag(self, entries: QuerySet[Project]) -> QuerySet[Project]:
        """`entries` annotated with `has_reported`: a published report dated within this period's window."""
        counted = StatusReport.objects.filter(
            project=OuterRef("pk"), date__gte=self.window_start(), date__lte=self.deadline
        )
        return entries.annotate(has_reported=Exists(counted))


class PeriodReminder(models.Model):
    """A reminder or escalation sent for a period, so the command sends each at most once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Erinnerung vor der Frist")
        ESCALATION = "escalation", _("Eskalation nach der Frist")

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    department = models.ForeignKey(
        "catalogue.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    entry_count = models.PositiveIntegerField(_("Fehlende Berichte"), default=0)
    sent_at = models.DateTimeField(_("Gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erinnerung zum Berichtszeitraum")
        verbose_name_plural = _("Erinnerungen zum Berichtszeitraum")
        indexes = [models.Index(fields=["period", "kind"], name="reporting_reminder_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.period}"
