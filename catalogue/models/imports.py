"""A record of each catalogue import, and the column mappings coordinators save for their files.

Uploaded files live in a private storage (`settings.PRIVATE_MEDIA_ROOT`) that no URL serves:
they hold the county's unpublished plans. They are deleted once the import is applied or
abandoned.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT that no URL serves: asking for one is an error, not a link."""

    def url(self, name):
        raise ValueError("Files in private storage have no URL.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)


def import_upload_name(instance: "ImportRun", filename: str) -> str:
    """A random name: the uploader's file name (often telling) stays in `file_name` only."""
    return f"imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class ImportMapping(models.Model):
    """A named column mapping (and word mapping) for a county's recurring spreadsheet."""

    name = models.CharField(
        _("Name"), max_length=120, unique=True, help_text=_("Unter diesem Namen wird die Zuordnung wieder angeboten.")
    )
    columns = models.JSONField(
        _("Spalten"),
        default=dict,
        blank=True,
        help_text=_("Überschrift der Spalte in der Datei → Feld des Katalogs (leer: nicht übernehmen)."),
    )
    values = models.JSONField(
        _("Wörter"),
        default=dict,
        blank=True,
        help_text=_("Je Art unbekannte Wörter der Datei → vorhandener Begriff oder ausdrücklich neu anlegen."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Die Person, die die Zuordnung gespeichert hat."),
    )
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Import-Zuordnung")
        verbose_name_plural = _("Import-Zuordnungen")
        ordering = ["name"]
        default_permissions = ()

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One uploaded spreadsheet: mapped, checked in the background, then applied (or abandoned)."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Hochgeladen")
        CHECKING = "checking", _("Wird geprüft")
        PREVIEWED = "previewed", _("Vorschau")
        APPLYING = "applying", _("Wird übernommen")
        APPLIED = "applied", _("Übernommen")
        FAILED = "failed", _("Fehlgeschlagen")
        ABANDONED = "abandoned", _("Verworfen")

    RUNNING = (State.CHECKING, State.APPLYING)
    FINISHED = (State.APPLIED, State.FAILED, State.ABANDONED)
    # The entries the last `apply_import` wrote, for indexing after the commit; not stored.
    written_ids: list[int]

    file = models.FileField(
        _("Datei"),
        upload_to=import_upload_name,
        storage=private_storage,
        blank=True,
        help_text=_("Die hochgeladene Datei; nur bis zur Übernahme und nie öffentlich gespeichert."),
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
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("Sprache"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Die Sprache der Einträge, die der Import anlegt oder ändert."),
    )
    create_missing = models.BooleanField(
        _("Fehlende Stichwörter anlegen"),
        default=False,
        help_text=_("Unbekannte Stellen, Gemeinden, Themen und Ziele werden angelegt statt gemeldet."),
    )
    skip_invalid = models.BooleanField(
        _("Nur fehlerfreie Zeilen übernehmen"),
        default=False,
        help_text=_("Zeilen mit Fehlern werden übersprungen und im Ergebnis einzeln genannt."),
    )
    mapping = models.JSONField(
        _("Zuordnung"),
        default=dict,
        blank=True,
        help_text=_("Welche Spalte welches Feld ist und wie unbekannte Wörter gelesen werden."),
    )
    saved_mapping = models.ForeignKey(
        ImportMapping,
        verbose_name=_("Gespeicherte Zuordnung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        help_text=_("Die gespeicherte Zuordnung, mit der die Spalten vorbelegt wurden."),
    )
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.UPLOADED)
    started_at = models.DateTimeField(_("Begonnen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Beendet"), null=True, blank=True)
    task_id = models.CharField(
        _("Hintergrundaufgabe"), max_length=64, blank=True, help_text=_("Kennung der laufenden Hintergrundaufgabe.")
    )
    progress_step = models.CharField(_("Schritt"), max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(_("Erledigt"), default=0)
    progress_total = models.PositiveIntegerField(_("Gesamt"), default=0)
    report = models.JSONField(
        _("Bericht"),
        default=dict,
        blank=True,
        help_text=_("Zusammenfassung der letzten Prüfung oder Übernahme: Zahlen, Fehler, Hinweise, Beispiele."),
    )
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    created = models.PositiveIntegerField(_("Angelegt"), default=0)
    changed = models.PositiveIntegerField(_("Geändert"), default=0)
    unchanged = models.PositiveIntegerField(_("Unverändert"), default=0)
    skipped = models.PositiveIntegerField(_("Übersprungen"), default=0)
    errors = models.PositiveIntegerField(_("Fehler"), default=0)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-started_at", "-pk"]
        default_permissions = ()
        permissions = [("import_projects", _("Kann den Katalog aus Tabellen importieren"))]

    def __str__(self):
        return f"{self.file_name} ({self.started_at:%d.%m.%Y %H:%M})" if self.started_at else self.file_name

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, 100 * self.progress_done // self.progress_total)
