"""Zukunftsdialoge in public: the list (upcoming, then past), one dialogue's page, registration by form."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import CharField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from catalogue.models import Goal, Theme
from catalogue.public.goals import catalogue_page
from cms.locales import locale_of
from cms.restrictions import without_own_restrictions
from participation import links, registrations, spam
from participation.forms import RegistrationForm
from participation.models import DialogueIndexPage, DialoguePage, DialogueRegistration, normalise_email
from participation.models.dialogues import DEFAULT_DURATION

from .responses import link_gone, link_refused, private_page, too_many

UPCOMING_LIMIT = 50
PAST_PER_PAGE = 10


@dataclass(frozen=True)
class Topic:
    """A goal or theme a dialogue is about, named in the page's language, linked into the catalogue."""

    label: str
    url: str | None


@dataclass(frozen=True)
class DialogueItem:
    page: DialoguePage
    url: str
    goals: list[Topic]


def _translated_title(model, locale: Locale, prefix: str):
    translations = model.objects.filter(translation_key=OuterRef(f"{prefix}__translation_key"), locale=locale)
    return Coalesce(Subquery(translations.values("title")[:1]), F(f"{prefix}__title"), output_field=CharField())


def goal_topics(dialogue_ids: list[int], locale: Locale, catalogue_url: str | None) -> dict[int, list[Topic]]:
    """The goals of these dialogues, by dialogue, in one query."""
    through = DialoguePage.goals.through.objects.filter(dialoguepage_id__in=dialogue_ids)
    rows = through.annotate(label=_translated_title(Goal, locale, "goal")).values_list(
        "dialoguepage_id", "goal__code", "label"
    )
    found: dict[int, list[Topic]] = {}
    for dialogue_id, code, label in sorted(rows, key=lambda row: row[1]):
        url = f"{catalogue_url}ziel/{code.replace('.', '-')}/" if catalogue_url else None
        found.setdefault(dialogue_id, []).append(Topic(f"{code} {label}", url))
    return found


def theme_topics(dialogue: DialoguePage, locale: Locale, catalogue_url: str | None) -> list[Topic]:
    through = DialoguePage.themes.through.objects.filter(dialoguepage_id=dialogue.pk)
    rows = through.annotate(label=_translated_title(Theme, locale, "theme")).values_list("theme__slug", "label")
    return sorted(
        (Topic(label, f"{catalogue_url}?theme={slug}" if catalogue_url else None) for slug, label in rows),
        key=lambda topic: topic.label.casefold(),
    )


def _still_running(now) -> Q:
    return Q(end__gte=now) | Q(end__isnull=True, start__gte=now - DEFAULT_DURATION)


def _page_number(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 6 and int(value) > 0 else 1


def dialogue_index_context(page: DialogueIndexPage, request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    locale = locale_of(page)
    dialogues = without_own_restrictions(DialoguePage.objects.child_of(page).live()).defer_streamfields()
    upcoming = list(dialogues.filter(_still_running(now)).order_by("start")[:UPCOMING_LIMIT])
    past = Paginator(dialogues.exclude(_still_running(now)).order_by("-start"), PAST_PER_PAGE).get_page(
        _page_number(request.GET.get("page", ""))
    )
    shown = [*upcoming, *past.object_list]
    catalogue = catalogue_page(locale.pk)
    topics = goal_topics([item.pk for item in shown], locale, catalogue.get_url(request) if catalogue else None)

    def items(pages) -> list[DialogueItem]:
        return [DialogueItem(item, item.get_url(request), topics.get(item.pk, [])) for item in pages]

    feed_url = links.absolute_url(f"{page.get_url(request)}kalender.ics", request)
    return {
        "upcoming": items(upcoming),
        "past": items(past.object_list),
        "past_page": past,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        "noindex": "page" in request.GET,
    }


def accessibility(dialogue: DialoguePage) -> list[str]:
    return [
        str(label)
        for flag, label in [
            (dialogue.step_free, _("stufenlos erreichbar")),
            (dialogue.accessible_toilet, _("barrierefreie Toilette")),
            (dialogue.hearing_loop, _("Induktionsschleife für Hörgeräte")),
            (dialogue.sign_language, _("Gebärdensprachdolmetschung")),
        ]
        if flag
    ]


def dialogue_context(page: DialoguePage, request: HttpRequest, form: RegistrationForm | None = None) -> dict[str, Any]:
    locale = locale_of(page)
    catalogue = catalogue_page(locale.pk)
    catalogue_url = catalogue.get_url(request) if catalogue else None
    registering = page.registration == DialoguePage.Registration.FORM
    left = registrations.places_left(page) if registering else None
    return {
        "goals": goal_topics([page.pk], locale, catalogue_url).get(page.pk, []),
        "themes": theme_topics(page, locale, catalogue_url),
        "accessibility": accessibility(page),
        "ics_url": f"{page.get_url(request)}termin.ics",
        "places_left": left,
        "registration_open": registering and page.registration_open and left != 0,
        "registration_form": form or RegistrationForm(),
        "registration_action": reverse("participation:register", args=[page.pk]),
        "registered": request.GET.get("angemeldet") == "1",
    }


def _dialogue(page_id: int) -> DialoguePage:
    dialogue = DialoguePage.objects.live().public().filter(pk=page_id).first()
    if dialogue is None:
        raise Http404
    return dialogue


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, page_id: int) -> HttpResponse:
    """The registration form of a dialogue posts here; with errors it is shown again on a page of its own."""
    dialogue = _dialogue(page_id)
    if request.method == "GET":
        return redirect(f"{dialogue.get_url(request)}#anmeldung")
    form = RegistrationForm(request.POST)
    if form.is_bot():
        return redirect(f"{dialogue.get_url(request)}?angemeldet=1#anmeldung")
    if not spam.allow_ip(request, "registration"):
        return too_many(request)
    left = registrations.places_left(dialogue)
    if not dialogue.registration_open or left == 0:
        form.add_error(None, _("Für diesen Termin ist keine Anmeldung mehr möglich."))
    elif form.is_valid():
        data = form.cleaned_data
        email = normalise_email(data["email"])
        if not spam.allow_address(email, "registration"):
            return too_many(request)
        if left is not None and data["persons"] > left:
            form.add_error(
                "persons",
                ngettext("Es ist nur noch %(count)s Platz frei.", "Es sind nur noch %(count)s Plätze frei.", left)
                % {"count": left},
            )
        else:
            registrations.register(
                dialogue,
                name=data["name"],
                email=email,
                persons=data["persons"],
                needs=data.get("needs", ""),
                request=request,
            )
            return redirect(f"{dialogue.get_url(request)}?angemeldet=1#anmeldung")
    context = {
        "page": dialogue,
        "dialogue": dialogue,
        "registration_form": form,
        "registration_action": request.path,
        "places_left": left,
    }
    return TemplateResponse(request, "participation/registration_form.html", context, status=400)


@require_http_methods(["GET", "POST"])
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = links.find(
            links.Purpose.CONFIRM_REGISTRATION, token, DialogueRegistration.objects.select_related("dialogue")
        )
    except links.LinkError as error:
        return link_refused(request, error)
    if registration is None:
        return link_gone(request, _("Diese Anmeldung gibt es nicht mehr: Sie wurde abgesagt oder nicht bestätigt."))
    context: dict[str, Any] = {"registration": registration, "dialogue": registration.dialogue}
    if request.method == "POST":
        if not registrations.confirm(registration, request):
            context["full"] = True
            return private_page(request, "participation/registration_confirm.html", context, status=409)
        return redirect(request.path)
    return private_page(request, "participation/registration_confirm.html", context)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = links.find(
            links.Purpose.CANCEL_REGISTRATION, token, DialogueRegistration.objects.select_related("dialogue")
        )
    except links.LinkError as error:
        return link_refused(request, error)
    if registration is None:
        return link_gone(request, _("Diese Anmeldung gibt es nicht mehr."))
    if request.method == "POST":
        dialogue = registration.dialogue
        registrations.cancel(registration)
        return private_page(request, "participation/registration_cancelled.html", {"dialogue": dialogue})
    return private_page(
        request,
        "participation/registration_cancel.html",
        {"registration": registration, "dialogue": registration.dialogue},
    )
