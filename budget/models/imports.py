"""A record of each budget import: the stored file between preview and confirmation, and what it changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetImport(models.Model):
    """One uploaded export of the budget system: previewed, then applied (or abandoned)."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Vorschau")
        APPLIED = "applied", _("Übernommen")
        FAILED = "failed", _("Fehlgeschlagen")

    file = models.FileField(
        _("Datei"),
        upload_to="imports/budget/",
        blank=True,
        help_text=_("Die hochgeladene Datei; zwischen Vorschau und Übernahme nur auf dem Server gespeichert."),
    )
    file_name = models.CharField(_("Dateiname"), max_length=255, help_text=_("Name der Datei beim Hochladen."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Die Person, die den Import gestartet hat."),
    )
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.PREVIEWED)
    started_at = models.DateTimeField(_("Begonnen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Beendet"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    created = models.PositiveIntegerField(_("Angelegt"), default=0)
    changed = models.PositiveIntegerField(_("Geändert"), default=0)
    unchanged = models.PositiveIntegerField(_("Unverändert"), default=0)
    errors = models.PositiveIntegerField(_("Fehler"), default=0)

    class Meta:
        verbose_name = _("Haushaltsimport")
        verbose_name_plural = _("Haushaltsimporte")
        ordering = ["-started_at", "-pk"]
        default_permissions = ()
        permissions = [("import_budget", _("Kann Haushaltsdaten aus Tabellen importieren"))]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%d.%m.%Y %H:%M})" if self.started_at else self.file_name
