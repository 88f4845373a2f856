"""A record of each catalogue import, so every change it made can be traced and rolled back."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateUploadStorage(FileSystemStorage):
    """Files kept outside `MEDIA_ROOT`, with no URL: no web server and no link reaches them."""

    def url(self, name):
        raise NotImplementedError("Import uploads have no URL.")


def private_upload_root() -> Path:
    """`IMPORT_UPLOAD_ROOT`, or `private/` beside the project; never inside the public media."""
    return Path(getattr(settings, "IMPORT_UPLOAD_ROOT", None) or Path(settings.BASE_DIR) / "private")


def import_storage() -> PrivateUploadStorage:
    return PrivateUploadStorage(location=private_upload_root())


def import_upload_name(instance: "ImportRun", filename: str) -> str:
    """A random name: the uploader's file name (often telling) stays in `file_name` only."""
    return f"imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class ImportRun(models.Model):
    """One uploaded spreadsheet: previewed, then applied (or abandoned)."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Vorschau")
        APPLIED = "applied", _("Übernommen")
        FAILED = "failed", _("Fehlgeschlagen")
        ABANDONED = "abandoned", _("Verworfen")

    file = models.FileField(
        _("Datei"),
        upload_to=import_upload_name,
        storage=import_storage,
        blank=True,
        help_text=_(
            "Die hochgeladene Datei; zwischen Vorschau und Übernahme nur auf dem Server gespeichert, "
            "außerhalb der öffentlichen Medien, und danach gelöscht."
        ),
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
    state = models.CharField(_("Stand"), max_length=10, choices=State.choices, default=State.PREVIEWED)
    started_at = models.DateTimeField(_("Begonnen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Beendet"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    created = models.PositiveIntegerField(_("Angelegt"), default=0)
    changed = models.PositiveIntegerField(_("Geändert"), default=0)
    unchanged = models.PositiveIntegerField(_("Unverändert"), default=0)
    errors = models.PositiveIntegerField(_("Fehler"), default=0)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-started_at", "-pk"]
        default_permissions = ()
        permissions = [("import_projects", _("Kann den Katalog aus Tabellen importieren"))]

    def __str__(self):
        return f"{self.file_name} ({self.started_at:%d.%m.%Y %H:%M})" if self.started_at else self.file_name

    def close(self, state: str) -> None:
        """End the run in `state` and delete its upload: only a previewed run keeps its file."""
        if self.file:
            self.file.delete(save=False)
        self.state = state
        self.save()
