"""Per-site settings of the catalogue: the reporting cycle, open data and embedding."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="time")
class CatalogueSettings(BaseSiteSetting):
    """How often departments report and whom to tell when they do not."""

    report_interval_days = models.PositiveSmallIntegerField(
        _("Berichtsintervall (Tage)"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=_("Nach so vielen Tagen ohne Statusbericht gilt ein Eintrag als überfällig."),
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("Eskalation nach (Tage)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("So viele Tage nach Fälligkeit wird die Koordination benachrichtigt."),
    )
    coordinator_emails = models.TextField(
        _("E-Mail-Adressen der Koordination"),
        blank=True,
        help_text=_("Eine Adresse je Zeile; sie erhalten die Eskalationen überfälliger Berichte."),
    )

    class Meta:
        verbose_name = _("Berichtswesen")

    def coordinator_email_list(self):
        return [line.strip() for line in self.coordinator_emails.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        for address in self.coordinator_email_list():
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"coordinator_emails": _("„%(address)s“ ist keine gültige E-Mail-Adresse.") % {"address": address}}
                ) from None


ORIGIN_PATTERN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$", re.IGNORECASE)
GEOCODING_LEVELS = "http://dcat-ap.de/def/politicalGeocoding/Level/"


@register_setting(icon="link")
class OpenDataSettings(BaseSiteSetting):
    """What open-data portals and municipalities' websites need to know about the county's data."""

    class GeocodingLevel(models.TextChoices):
        FEDERAL = "federal", _("Bund")
        STATE = "state", _("Land")
        DISTRICT = "administrativeDistrict", _("Landkreis")
        MUNICIPALITY = "municipality", _("Gemeinde")

    contributor_id = models.URLField(
        _("Contributor-ID (DCAT-AP.de)"),
        blank=True,
        help_text=_(
            "Kennung der datenbereitstellenden Stelle aus der Liste von GovData, "
            "z. B. http://dcat-ap.de/def/contributors/…; ohne sie übernimmt GovData die Daten nicht."
        ),
    )
    political_geocoding_uri = models.URLField(
        _("Gebietskennung (politicalGeocodingURI)"),
        blank=True,
        help_text=_(
            "Der Kreisschlüssel des Landkreises als Adresse, "
            "z. B. http://dcat-ap.de/def/politicalGeocoding/districtKey/09184."
        ),
    )
    political_geocoding_level = models.CharField(
        _("Gebietsebene"),
        max_length=30,
        choices=GeocodingLevel.choices,
        default=GeocodingLevel.DISTRICT,
        help_text=_("Die Verwaltungsebene, für die die Daten gelten."),
    )
    embed_origins = models.TextField(
        _("Erlaubte Websites für eingebettete Listen"),
        blank=True,
        help_text=_(
            "Adressen der Websites, die die Listen unter /einbetten/ in einem Rahmen zeigen dürfen, eine je Zeile, "
            "z. B. https://www.gemeinde-beispiel.de. Alle anderen Websites können sie nicht einbetten."
        ),
    )

    class Meta:
        verbose_name = _("Offene Daten und Einbettung")

    @property
    def political_geocoding_level_uri(self) -> str:
        return f"{GEOCODING_LEVELS}{self.political_geocoding_level}"

    def embed_origin_list(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.embed_origins.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        for origin in self.embed_origin_list():
            if not ORIGIN_PATTERN.match(origin):
                raise ValidationError(
                    {
                        "embed_origins": _(
                            "„%(origin)s“ ist keine Website-Adresse wie https://www.gemeinde-beispiel.de "
                            "(ohne Pfad, eine je Zeile)."
                        )
                        % {"origin": origin}
                    }
                )
