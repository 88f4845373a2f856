from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock


class BasePage(Page):
    """Fields and behaviour every editorial page shares."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        help_text=_("Ein bis drei Sätze, die oben auf der Seite und in Suchergebnissen erscheinen."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        abstract = True

    def get_meta_description(self):
        return self.search_description or self.intro


class HomePage(BasePage):
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("Startseite")


class StandardPage(BasePage):
    """Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache and other plain pages."""

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("Standardseite")
