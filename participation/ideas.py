"""Ideas from citizens: submitted, the address confirmed (double opt-in), and the submitter told of the answer."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue.public.goals import catalogue_page
from catalogue.public.query import entry_url

from . import links, mail
from .following import locale_for, token_url
from .forms import IDEA_EMAIL_CONSENT, IDEA_PUBLISH_CONSENT
from .models import ConsentRecord, Idea, IdeaIndexPage, Purpose


def submit(
    *,
    title: str,
    text: str,
    goal_id: int | None,
    theme_id: int | None,
    name: str,
    email: str,
    request: HttpRequest,
) -> Idea:
    """Store a new idea for moderation; with an address, log the consent and mail the confirmation link."""
    language = translation.get_language() or "de"
    with transaction.atomic():
        idea = Idea.objects.create(
            title=title,
            text=text,
            goal_id=goal_id,
            theme_id=theme_id,
            name=name,
            email=email,
            language=language,
        )
        if email:
            ConsentRecord.objects.create(
                email=email,
                purpose=Purpose.IDEA,
                event=ConsentRecord.Event.GIVEN,
                subject=title,
                text=f"{IDEA_PUBLISH_CONSENT}\n{IDEA_EMAIL_CONSENT}",
                language=language,
            )
    if email:
        send_confirmation(idea, request)
    return idea


def send_confirmation(idea: Idea, request: HttpRequest | None = None) -> None:
    with translation.override(idea.language):
        mail.send(
            to=idea.email,
            language=idea.language,
            template="confirm_idea",
            subject=_("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
            context={
                "idea": idea,
                "confirm_url": token_url("idea_confirm", links.Purpose.CONFIRM_IDEA, idea, idea.language, request),
                "days": links.CONFIRM_MAX_AGE.days,
            },
            stop_url=token_url("idea_forget", links.Purpose.FORGET_IDEA_ADDRESS, idea, idea.language, request),
            request=request,
        )


def _consent_event(idea: Idea, event: str) -> None:
    ConsentRecord.objects.create(
        email=idea.email,
        purpose=Purpose.IDEA,
        event=event,
        subject=idea.title,
        text=f"{IDEA_PUBLISH_CONSENT}\n{IDEA_EMAIL_CONSENT}",
        language=idea.language,
    )


def confirm_email(idea: Idea, request: HttpRequest | None = None) -> None:
    """The submitter confirmed the address; an answer published already is sent at once."""
    if idea.email_confirmed_at is not None or not idea.email:
        return
    with transaction.atomic():
        idea.email_confirmed_at = timezone.now()
        idea.save(update_fields=["email_confirmed_at"])
        _consent_event(idea, ConsentRecord.Event.CONFIRMED)
    if idea.awaits_notification:
        notify_answer(idea, request)


def forget_address(idea: Idea) -> None:
    """Remove name and address from an idea (the submitter's wish); the idea itself stays."""
    if not idea.email and not idea.name:
        return
    with transaction.atomic():
        if idea.email:
            _consent_event(idea, ConsentRecord.Event.WITHDRAWN)
        Idea.objects.filter(pk=idea.pk).update(email="", name="", email_confirmed_at=None)


def idea_url(idea: Idea) -> str | None:
    """The idea's public page in the submitter's language (or the default one)."""
    locale = locale_for(idea.language)
    pages = IdeaIndexPage.objects.live().public()
    page = pages.filter(locale=locale).first() or pages.first()
    return links.absolute_url(f"{page.get_url()}idee/{idea.pk}/") if page else None


def notify_answer(idea: Idea, request: HttpRequest | None = None) -> bool:
    """Tell the submitter that the answer to the idea is public; False when there is nothing to tell."""
    if not idea.awaits_notification:
        return False
    language = idea.language
    locale = locale_for(language)
    entry = None
    adopted = idea.project if idea.project_id and idea.state == Idea.State.ADOPTED else None
    if adopted is not None:
        catalogue = catalogue_page(locale.pk)
        project = adopted.get_translation_or_none(locale) or adopted
        if catalogue is not None and project.live:
            entry = {
                "code": project.code,
                "title": project.title,
                "url": links.absolute_url(entry_url(catalogue.get_url(), project)),
            }
    with translation.override(language):
        mail.send(
            to=idea.email,
            language=language,
            template="idea_answered",
            subject=_("Ihre Idee „%(title)s“ hat eine Antwort") % {"title": idea.title},
            context={
                "idea": idea,
                "state": idea.get_state_display(),
                "idea_url": idea_url(idea),
                "entry": entry,
            },
            stop_url=token_url("idea_forget", links.Purpose.FORGET_IDEA_ADDRESS, idea, language, request),
            request=request,
        )
    Idea.objects.filter(pk=idea.pk).update(notified_at=timezone.now())
    return True
