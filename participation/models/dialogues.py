"""Zukunftsdialoge: public events on the strategy's focus topics, their list, and registrations."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.blocks import BaseStreamBlock
from cms.restrictions import view_restrictions

from .consent import new_key
from .views import public_views

# An event without an end is taken to last this long (list, calendar).
DEFAULT_DURATION = datetime.timedelta(hours=2)


class DialogueIndexPage(Page):
    """The list of Zukunftsdialoge, upcoming first, and their subscribable calendar."""

    intro = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Ein bis drei Sätze über der Liste und in Suchergebnissen.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["participation.DialoguePage"]
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Zukunftsdialoge (Übersicht)")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_view_restrictions(self):
        return view_restrictions(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(public_views().dialogue_index_context(self, request))
        return context


class DialoguePage(Page):
    """One Zukunftsdialog: when and where, what about, how accessible, how to register, what came of it."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("vor Ort")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("vor Ort und online")

    class Registration(models.TextChoices):
        NONE = "none", _("ohne Anmeldung")
        LINK = "link", _("Anmeldung über einen Link")
        FORM = "form", _("Anmeldung mit dem Formular auf dieser Seite")

    start = models.DateTimeField(_("Beginn"), help_text=_("Datum und Uhrzeit des Beginns (deutsche Zeit)."))
    end = models.DateTimeField(_("Ende"), null=True, blank=True, help_text=_("Leer lassen für zwei Stunden."))
    topic = models.CharField(
        _("Schwerpunktthema"), max_length=200, help_text=_("Worum es geht, z. B. „Mobilität auf dem Land“.")
    )
    intro = models.TextField(_("Einleitung"), blank=True, help_text=_("Ein bis drei Sätze für Liste und Kalender."))
    body = StreamField(BaseStreamBlock(), verbose_name=_("Programm und Beschreibung"), blank=True)
    format = models.CharField(_("Form"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(_("Ort"), max_length=200, blank=True, help_text=_("z. B. „Bürgerhaus Kirchberg, Saal“."))
    address = models.TextField(_("Anschrift"), blank=True, help_text=_("Straße, Postleitzahl und Ort."))
    online_url = models.URLField(
        _("Adresse der Online-Teilnahme"), blank=True, help_text=_("Link zur Videokonferenz oder zum Livestream.")
    )
    goals = ParentalManyToManyField(
        "catalogue.Goal",
        verbose_name=_("Ziele"),
        blank=True,
        related_name="dialogues",
        help_text=_("Die Ziele der Strategie, um die es geht."),
    )
    themes = ParentalManyToManyField(
        "catalogue.Theme",
        verbose_name=_("Querschnittsthemen"),
        blank=True,
        related_name="dialogues",
        help_text=_("Die Querschnittsthemen, um die es geht."),
    )
    step_free = models.BooleanField(_("Stufenlos erreichbar"), default=False)
    accessible_toilet = models.BooleanField(_("Barrierefreie Toilette"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    sign_language = models.BooleanField(_("Gebärdensprachdolmetschung"), default=False)
    accessibility_notes = models.TextField(
        _("Hinweise zur Barrierefreiheit"),
        blank=True,
        help_text=_("z. B. Parkplätze, Anfahrt mit Bus und Bahn, Unterstützung auf Anfrage."),
    )
    registration = models.CharField(
        _("Anmeldung"), max_length=10, choices=Registration.choices, default=Registration.NONE
    )
    registration_url = models.URLField(_("Link zur Anmeldung"), blank=True)
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer lassen, wenn die Zahl der Plätze nicht begrenzt ist.")
    )
    cancelled = models.BooleanField(
        _("Abgesagt"), default=False, help_text=_("Der Termin bleibt sichtbar, als abgesagt.")
    )
    documentation = StreamField(
        BaseStreamBlock(),
        verbose_name=_("Dokumentation"),
        blank=True,
        help_text=_("Nach dem Termin: Ergebnisse, Fotos, Downloads."),
    )

    parent_page_types = ["participation.DialogueIndexPage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [
        index.SearchField("topic"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("documentation"),
        index.FilterField("start"),
    ]
    # wagtail-localize leaves many-to-many fields out: the translation keeps the same goals and themes.
    override_translatable_fields = [SynchronizedField("goals"), SynchronizedField("themes")]

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("topic"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("goals"),
        FieldPanel("themes"),
        FieldPanel("cancelled"),
    ]
    place_panels = [
        FieldPanel("format"),
        FieldPanel("venue"),
        FieldPanel("address"),
        FieldPanel("online_url"),
        MultiFieldPanel(
            [
                FieldPanel("step_free"),
                FieldPanel("accessible_toilet"),
                FieldPanel("hearing_loop"),
                FieldPanel("sign_language"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Barrierefreiheit"),
        ),
    ]
    registration_panels = [
        FieldPanel("registration"),
        FieldPanel("registration_url"),
        FieldRowPanel([FieldPanel("registration_deadline"), FieldPanel("capacity")]),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Inhalt")),
            ObjectList(place_panels, heading=_("Ort und Zugang")),
            ObjectList(registration_panels, heading=_("Anmeldung")),
            ObjectList([FieldPanel("documentation")], heading=_("Dokumentation")),
            ObjectList(Page.promote_panels, heading=_("Veröffentlichung")),
        ]
    )

    class Meta:
        verbose_name = _("Zukunftsdialog")
        verbose_name_plural = _("Zukunftsdialoge")
        indexes = [models.Index(fields=["start"], name="participation_dialogue_start")]

    def get_meta_description(self):
        return self.search_description or self.intro or self.topic

    def get_view_restrictions(self):
        return view_restrictions(self)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.end or self.start + DEFAULT_DURATION

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def registration_open(self) -> bool:
        """Whether the form takes registrations now: before the deadline (or the start), not cancelled."""
        closes = self.registration_deadline or self.start
        return self.registration == self.Registration.FORM and not self.cancelled and timezone.now() < closes

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Das Ende muss nach dem Beginn liegen.")
        if self.registration == self.Registration.LINK and not self.registration_url:
            errors["registration_url"] = _("Bitte geben Sie den Link zur Anmeldung an.")
        if self.format != self.Format.IN_PERSON and not self.online_url and not self.cancelled:
            errors["online_url"] = _("Für einen Online-Termin braucht es die Adresse der Online-Teilnahme.")
        if self.format != self.Format.ONLINE and not (self.venue or self.address):
            errors["venue"] = _("Bitte geben Sie an, wo der Termin stattfindet.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(public_views().dialogue_context(self, request))
        return context


class DialogueRegistration(models.Model):
    """A registration for a dialogue by the form; counts once its address is confirmed."""

    dialogue = models.ForeignKey(
        DialoguePage, verbose_name=_("Zukunftsdialog"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("Name"), max_length=120)
    email = models.EmailField(_("E-Mail-Adresse"))
    persons = models.PositiveSmallIntegerField(
        _("Personen"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    needs = models.TextField(
        _("Unterstützungsbedarf"),
        max_length=1000,
        blank=True,
        help_text=_("z. B. Gebärdensprache, Rollstuhlplatz, Begleitperson."),
    )
    language = models.CharField(_("Sprache"), max_length=10, choices=settings.LANGUAGES, default="de")
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("Angemeldet"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Bestätigt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.persons})"
