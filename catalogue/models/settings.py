"""Per-site settings of the catalogue's reporting cycle."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site


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

    @classmethod
    def report_interval_for_default_site(cls) -> int:
        """The reporting interval of the default site (the field's default when there is none)."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return cls._meta.get_field("report_interval_days").default
        return cls.for_site(site).report_interval_days

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
