"""A record of reminders sent, so the reminder command can run any number of times a day."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Erinnerung")
        ESCALATION = "escalation", _("Eskalation")

    project = models.ForeignKey(
        "catalogue.Project", verbose_name=_("Eintrag"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    # The interval is identified by the report it followed: a new report opens a new one.
    last_report_date = models.DateField(_("Letzter Bericht"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["project", "kind"], name="catalogue_reminder_project")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.project_id} ({self.sent_at:%d.%m.%Y})"
