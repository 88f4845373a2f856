"""Registrations for a Zukunftsdialog by the form on its page: double opt-in, places, cancelling."""

from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from . import links, mail
from .following import token_url
from .forms import REGISTRATION_CONSENT
from .models import ConsentRecord, DialoguePage, DialogueRegistration, Purpose


def places_left(dialogue: DialoguePage) -> int | None:
    """Places not yet taken by confirmed registrations; None when the number is not limited."""
    if dialogue.capacity is None:
        return None
    taken = dialogue.registrations.filter(confirmed_at__isnull=False).aggregate(total=Sum("persons"))["total"] or 0
    return max(dialogue.capacity - taken, 0)


def _subject(dialogue: DialoguePage) -> str:
    return f"{dialogue.title} ({formats.date_format(timezone.localtime(dialogue.start), 'SHORT_DATETIME_FORMAT')})"


def _consent_event(registration: DialogueRegistration, event: str) -> None:
    ConsentRecord.objects.create(
        email=registration.email,
        purpose=Purpose.REGISTRATION,
        event=event,
        subject=_subject(registration.dialogue),
        text=str(REGISTRATION_CONSENT),
        language=registration.language,
    )


def register(
    dialogue: DialoguePage, *, name: str, email: str, persons: int, needs: str, request: HttpRequest
) -> DialogueRegistration:
    language = translation.get_language() or "de"
    with transaction.atomic():
        registration = DialogueRegistration.objects.create(
            dialogue=dialogue, name=name, email=email, persons=persons, needs=needs, language=language
        )
        _consent_event(registration, ConsentRecord.Event.GIVEN)
    with translation.override(language):
        mail.send(
            to=email,
            language=language,
            template="confirm_registration",
            subject=_("Bitte bestätigen Sie Ihre Anmeldung"),
            context={
                "registration": registration,
                "dialogue": dialogue,
                "dialogue_url": dialogue.get_full_url(request),
                "confirm_url": token_url(
                    "registration_confirm", links.Purpose.CONFIRM_REGISTRATION, registration, language, request
                ),
                "days": links.CONFIRM_MAX_AGE.days,
            },
            stop_url=token_url(
                "registration_cancel", links.Purpose.CANCEL_REGISTRATION, registration, language, request
            ),
            request=request,
        )
    return registration


def confirm(registration: DialogueRegistration, request: HttpRequest | None = None) -> bool:
    """Confirm a registration while places last; False when the dialogue is full by now."""
    if registration.confirmed_at is not None:
        return True
    with transaction.atomic():
        # Locked, so that two confirmations at once cannot both take the last places.
        dialogue = DialoguePage.objects.select_for_update().get(pk=registration.dialogue_id)
        left = places_left(dialogue)
        if left is not None and left < registration.persons:
            return False
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at"])
        _consent_event(registration, ConsentRecord.Event.CONFIRMED)
    language = registration.language
    with translation.override(language):
        mail.send(
            to=registration.email,
            language=language,
            template="registration_confirmed",
            subject=_("Ihre Anmeldung: %(title)s") % {"title": dialogue.title},
            context={
                "registration": registration,
                "dialogue": dialogue,
                "dialogue_url": dialogue.get_full_url(request),
                "ics_url": links.absolute_url(f"{dialogue.get_url(request)}termin.ics", request),
            },
            stop_url=token_url(
                "registration_cancel", links.Purpose.CANCEL_REGISTRATION, registration, language, request
            ),
            request=request,
        )
    return True


@transaction.atomic
def cancel(registration: DialogueRegistration) -> None:
    _consent_event(registration, ConsentRecord.Event.WITHDRAWN)
    registration.delete()
