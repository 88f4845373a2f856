"""The consent log: what a person agreed to, when, and in which words; and the address they gave."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    """A random value that signed links carry, so a link dies with the row it was made for."""
    return secrets.token_urlsafe(16)


def normalise_email(address: str) -> str:
    """One spelling per address, so that subscriptions, consents and deletion find each other."""
    return address.strip().lower()


class Purpose(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Abonnement")
    IDEA = "idea", _("Idee")
    REGISTRATION = "registration", _("Anmeldung")


class ConsentRecord(models.Model):
    """One event of a consent: given with a form, confirmed through the mailed link, or withdrawn."""

    class Event(models.TextChoices):
        GIVEN = "given", _("erteilt")
        CONFIRMED = "confirmed", _("bestätigt")
        WITHDRAWN = "withdrawn", _("widerrufen")

    email = models.EmailField(_("E-Mail-Adresse"), db_index=True)
    purpose = models.CharField(_("Zweck"), max_length=20, choices=Purpose.choices)
    event = models.CharField(_("Vorgang"), max_length=20, choices=Event.choices)
    subject = models.CharField(
        _("Worauf"), max_length=500, help_text=_("Was abonniert, eingereicht oder gebucht wurde.")
    )
    text = models.TextField(_("Einwilligungstext"), help_text=_("Der Wortlaut, dem zugestimmt wurde."))
    language = models.CharField(_("Sprache"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_personal_data", _("Daten einer E-Mail-Adresse herausgeben und löschen"))]

    def __str__(self):
        return f"{self.email}: {self.get_purpose_display()} {self.get_event_display()}"
