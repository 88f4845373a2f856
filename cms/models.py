from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms import cache

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Bitte eine Farbe im Format #1a5f7a angeben."))


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The county's identity and the links every page carries."""

    select_related = ["logo"]

    county_name = models.CharField(
        _("Name des Landkreises"),
        max_length=120,
        default="Landkreis",
        help_text=_("Erscheint im Kopf jeder Seite, z. B. „Landkreis Musterhausen“."),
    )
    tagline = models.CharField(
        _("Untertitel"),
        max_length=160,
        blank=True,
        help_text=_("Kurze Zeile unter dem Namen, z. B. „Zukunftsprofil 2030“."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Wappen oder Logo im Kopf der Seite."),
    )
    brand_colour = models.CharField(
        _("Hauptfarbe"),
        max_length=7,
        default="#1a5f7a",
        validators=[hex_colour],
        help_text=_("Die Farbe des Landkreises als #rrggbb; mit mindestens 4,5:1 Kontrast zu Weiß."),
    )
    impressum_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Impressum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Seite, die im Fuß als „Impressum“ verlinkt wird."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Datenschutz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Seite, die im Fuß als „Datenschutz“ verlinkt wird."),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Erklärung zur Barrierefreiheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Seite, die im Fuß als „Barrierefreiheit“ verlinkt wird."),
    )
    easy_language_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Leichte Sprache"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Seite, die im Kopf und Fuß als „Leichte Sprache“ verlinkt wird."),
    )
    contact_address = models.TextField(
        _("Kontaktadresse"),
        blank=True,
        help_text=_("Postanschrift im Fuß, eine Zeile je Zeile."),
    )
    contact_email = models.EmailField(
        _("Kontakt-E-Mail"), blank=True, help_text=_("Öffentliche Kontakt-E-Mail-Adresse.")
    )
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True, help_text=_("Öffentliche Telefonnummer."))

    panels = [
        MultiFieldPanel(
            [FieldPanel("county_name"), FieldPanel("tagline"), FieldPanel("logo"), FieldPanel("brand_colour")],
            heading=_("Erscheinungsbild"),
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("impressum_page"),
                PageChooserPanel("privacy_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("easy_language_page"),
            ],
            heading=_("Pflichtseiten"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_address"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Kontakt"),
        ),
    ]

    class Meta:
        verbose_name = _("Website-Einstellungen")

    @classmethod
    def for_site(cls, site):
        # Every page reads these; they change rarely, so they come from the cache, dropped
        # whenever the settings or an image (the logo) change.
        if site is None:
            return super().for_site(site)
        return cache.named(cache.SITE_SETTINGS, site.pk, build=lambda: super(SiteSettings, cls).for_site(site))
