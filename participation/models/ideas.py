"""Ideas and suggestions from citizens, moderated and answered in public."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.restrictions import view_restrictions

from .consent import new_key
from .views import public_views


class IdeaQuerySet(models.QuerySet):
    def public(self) -> "IdeaQuerySet":
        return self.filter(moderation=Idea.Moderation.PUBLISHED)


class Idea(index.Indexed, models.Model):
    """An idea for a goal or theme; public once moderated, answered with a state and a text."""

    class State(models.TextChoices):
        RECEIVED = "received", _("eingegangen")
        IN_REVIEW = "in_review", _("in Prüfung")
        ADOPTED = "adopted", _("aufgenommen")
        REJECTED = "rejected", _("nicht umsetzbar")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("wartet auf Moderation")
        PUBLISHED = "published", _("veröffentlicht")
        HIDDEN = "hidden", _("nicht veröffentlicht")

    title = models.CharField(_("Titel"), max_length=160, help_text=_("Die Idee in wenigen Worten."))
    text = models.TextField(_("Beschreibung"), max_length=5000, help_text=_("Die Idee, wie sie eingereicht wurde."))
    goal = models.ForeignKey(
        "catalogue.Goal",
        verbose_name=_("Ziel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Das Ziel der Strategie, zu dem die Idee passt."),
    )
    theme = models.ForeignKey(
        "catalogue.Theme",
        verbose_name=_("Querschnittsthema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Das Querschnittsthema, zu dem die Idee passt."),
    )
    name = models.CharField(
        _("Name"), max_length=120, blank=True, help_text=_("Freiwillig; wird nicht veröffentlicht.")
    )
    email = models.EmailField(
        _("E-Mail-Adresse"),
        blank=True,
        help_text=_("Freiwillig; erhält nach Bestätigung eine Nachricht, wenn die Antwort veröffentlicht ist."),
    )
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt"), null=True, blank=True)
    language = models.CharField(_("Sprache"), max_length=10, choices=settings.LANGUAGES, default="de")
    key = models.CharField(max_length=32, default=new_key, editable=False)
    submitted_at = models.DateTimeField(_("Eingereicht"), default=timezone.now, db_index=True)

    moderation = models.CharField(
        _("Moderation"),
        max_length=20,
        choices=Moderation.choices,
        default=Moderation.PENDING,
        help_text=_("Nur veröffentlichte Ideen erscheinen auf der Website."),
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.RECEIVED, help_text=_("Öffentlicher Stand.")
    )
    answer = models.TextField(
        _("Öffentliche Antwort"),
        blank=True,
        help_text=_("Die Antwort der Verwaltung; bei „nicht umsetzbar“ die Begründung."),
    )
    project = models.ForeignKey(
        "catalogue.Project",
        verbose_name=_("Aufgenommen in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Der Katalogeintrag, der die Idee aufgenommen hat."),
    )
    answered_at = models.DateTimeField(_("Antwort veröffentlicht"), null=True, blank=True)
    answer_signature = models.CharField(max_length=64, blank=True, editable=False)
    notified_at = models.DateTimeField(_("Einreichende Person benachrichtigt"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    search_fields = [index.SearchField("title"), index.SearchField("text"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["moderation", "state"], name="participation_idea_public"),
            models.Index(fields=["goal"], name="participation_idea_goal"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Catalogue entries live in each language; the idea keeps the source-language one.
        project = self.project if self.project_id else None
        if project is not None and project.locale_id != Locale.get_default().pk:
            self.project = project.get_translation_or_none(Locale.get_default()) or project
        if self.has_public_answer and self._answer_signature() != self.answer_signature:
            self.answer_signature = self._answer_signature()
            self.answered_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.state == self.State.ADOPTED and not self.project_id:
            errors["project"] = _("Bitte wählen Sie den Katalogeintrag, der die Idee aufgenommen hat.")
        if self.state == self.State.REJECTED and not self.answer.strip():
            errors["answer"] = _("Bitte begründen Sie öffentlich, warum die Idee nicht umsetzbar ist.")
        if self.state != self.State.ADOPTED and self.project_id:
            errors["project"] = _("Ein Katalogeintrag gehört nur zu einer aufgenommenen Idee.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_public_answer(self) -> bool:
        """Published, and either answered in words or decided (taken up or not feasible)."""
        return self.moderation == self.Moderation.PUBLISHED and (
            bool(self.answer.strip()) or self.state in (self.State.ADOPTED, self.State.REJECTED)
        )

    def _answer_signature(self) -> str:
        return hashlib.sha256(repr((self.state, self.answer.strip(), self.project_id)).encode()).hexdigest()

    @property
    def awaits_notification(self) -> bool:
        """The submitter confirmed an address and has not yet heard of the answer now public."""
        return bool(
            self.email
            and self.email_confirmed_at
            and self.answered_at
            and self.has_public_answer
            and (self.notified_at is None or self.notified_at < self.answered_at)
        )


class IdeaIndexPage(RoutablePageMixin, Page):
    """Ideas and suggestions: the public list with answers, each idea's page, and the form to submit one."""

    intro = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Ein bis drei Sätze über der Liste und in Suchergebnissen.")
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("Hinweise"),
        blank=True,
        help_text=_("Wie Ideen geprüft und beantwortet werden; erscheint neben dem Formular."),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Ideen und Anregungen")

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_view_restrictions(self):
        return view_restrictions(self)

    @path("", name="list")
    def list_view(self, request):
        return public_views().ideas(self, request)

    @path("einreichen/", name="submit")
    def submit_view(self, request):
        return public_views().submit_idea(self, request)

    @path("einreichen/danke/", name="thanks")
    def thanks_view(self, request):
        return public_views().idea_thanks(self, request)

    @path("idee/<int:pk>/", name="idea")
    def idea_view(self, request, pk):
        return public_views().idea(self, request, pk)
