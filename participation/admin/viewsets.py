"""One admin menu „Beteiligung“: ideas (the moderation queue), registrations, the data of one address."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Locale
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalogue.models import Goal, Theme
from participation.models import DialoguePage, DialogueRegistration, Idea

from .privacy import PrivacyViewSet


def _default_locale(queryset):
    return queryset.filter(locale_id=Locale.get_default().pk)


class IdeaFilterSet(WagtailFilterSet):
    moderation = django_filters.ChoiceFilter(label=_("Moderation"), choices=Idea.Moderation.choices)
    state = django_filters.ChoiceFilter(label=_("Stand"), choices=Idea.State.choices)
    goal = django_filters.ModelChoiceFilter(
        label=_("Ziel"), queryset=lambda request: _default_locale(Goal.objects.all()).order_by("area__order", "code")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Querschnittsthema"), queryset=lambda request: _default_locale(Theme.objects.all())
    )
    answer = django_filters.ChoiceFilter(
        label=_("Antwort"),
        choices=[("missing", _("noch ohne Antwort")), ("given", _("beantwortet"))],
        method="filter_answer",
    )

    class Meta:
        model = Idea
        fields: list[str] = []

    def filter_answer(self, queryset, name, value):
        return queryset.filter(answered_at__isnull=value == "missing")


class IdeaViewSet(SnippetViewSet):
    """The coordinator's queue: new ideas wait for moderation; published ones get a state and an answer."""

    model = Idea
    icon = "help"
    menu_label = _("Ideen")
    filterset_class = IdeaFilterSet
    list_display = ["title", "moderation", "state", "goal", "submitted_at", "answered_at"]
    list_per_page = 50
    ordering = ["-submitted_at"]
    search_fields = ["title", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    list_export = [
        "title",
        "text",
        "get_state_display",
        "get_moderation_display",
        "goal",
        "theme",
        "submitted_at",
        "answer",
    ]
    export_headings = {
        "title": _("Titel"),
        "text": _("Beschreibung"),
        "get_state_display": _("Stand"),
        "get_moderation_display": _("Moderation"),
        "goal": _("Ziel"),
        "theme": _("Querschnittsthema"),
        "submitted_at": _("Eingereicht"),
        "answer": _("Öffentliche Antwort"),
    }
    export_filename = "ideen"
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("text"),
                FieldRowPanel([FieldPanel("goal"), FieldPanel("theme")]),
            ],
            heading=_("Die Idee"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("moderation", widget=forms.RadioSelect),
                FieldPanel("state"),
                FieldPanel("answer"),
                FieldPanel("project"),
            ],
            heading=_("Moderation und öffentliche Antwort"),
            help_text=_(
                "Veröffentlichte Ideen erscheinen mit Stand und Antwort auf der Website. Wer eine bestätigte "
                "E-Mail-Adresse hinterlassen hat, erhält eine Nachricht, sobald die Antwort veröffentlicht ist."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name", read_only=True), FieldPanel("email", read_only=True)]),
                FieldRowPanel(
                    [FieldPanel("submitted_at", read_only=True), FieldPanel("email_confirmed_at", read_only=True)]
                ),
                FieldRowPanel([FieldPanel("answered_at", read_only=True), FieldPanel("notified_at", read_only=True)]),
            ],
            heading=_("Eingang (nicht öffentlich)"),
        ),
    ]


class RegistrationFilterSet(WagtailFilterSet):
    dialogue = django_filters.ModelChoiceFilter(
        label=_("Zukunftsdialog"), queryset=lambda request: DialoguePage.objects.order_by("-start")
    )
    confirmed = django_filters.BooleanFilter(
        label=_("Bestätigt"), field_name="confirmed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = DialogueRegistration
        fields: list[str] = []


class RegistrationViewSet(SnippetViewSet):
    model = DialogueRegistration
    icon = "date"
    menu_label = _("Anmeldungen")
    filterset_class = RegistrationFilterSet
    list_display = ["name", "dialogue", "persons", "confirmed_at", "created_at"]
    ordering = ["-created_at"]
    search_fields = ["name", "email"]
    search_backend_name = None
    inspect_view_enabled = True
    list_export = ["dialogue", "name", "email", "persons", "needs", "confirmed_at", "created_at"]
    export_filename = "anmeldungen"
    panels = [
        FieldPanel("dialogue"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
        FieldPanel("persons"),
        FieldPanel("needs"),
        FieldPanel("confirmed_at"),
    ]


class ParticipationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Beteiligung")
    menu_icon = "group"
    menu_order = 210
    items = (IdeaViewSet, RegistrationViewSet, PrivacyViewSet)
