"""Following the catalogue by e-mail: what a request stands for, double opt-in, and leaving again.

Nothing counts as subscribed before the link in the confirmation mail is used: a request
stores a pending subscription (deleted after seven days unless confirmed) and a consent record
with the words agreed to; confirming and withdrawing add their own records.
"""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from catalogue.models import Project
from cms.locales import default_locale, locales_by_code

from . import changes, links, mail, selection
from .models import ConsentRecord, Purpose, Subscriber, Subscription, normalise_email


@dataclass(frozen=True)
class Scope:
    """What a subscription follows: one entry (by number) or a selection of the catalogue."""

    kind: str
    entry_code: str = ""
    query: str = ""

    @classmethod
    def of(cls, subscription: Subscription) -> "Scope":
        return cls(subscription.kind, subscription.entry_code, subscription.query)

    @classmethod
    def entry(cls, project: Project) -> "Scope":
        return cls(Subscription.Kind.ENTRY, entry_code=project.code)

    @classmethod
    def selection(cls, query: str) -> "Scope":
        return cls(Subscription.Kind.SELECTION, query=query)

    def label(self, locale: Locale) -> str:
        """The scope in words in `locale`, e.g. „Eintrag 1.1.01 „Gewerbeflächen““ or „Handlungsfeld: …“."""
        if self.kind == Subscription.Kind.ENTRY:
            return selection.entry_label(selection.entry_by_code(self.entry_code), self.entry_code, locale)
        return selection.selection_label(self.query, locale)

    def path(self, locale: Locale) -> str | None:
        """Where the followed entry or selection is shown in `locale`."""
        if self.kind == Subscription.Kind.ENTRY:
            project = selection.entry_by_code(self.entry_code)
            return selection.entry_path(project, locale) if project else None
        return selection.selection_path(self.query, locale)


def locale_for(language: str) -> Locale:
    return locales_by_code().get(language) or default_locale()


def token_url(name: str, purpose: links.Purpose, row, language: str, request: HttpRequest | None = None) -> str:
    """The absolute address of a signed link to `row`, in `language`."""
    with translation.override(language):
        path = reverse(f"participation:{name}", kwargs={"token": links.make_token(purpose, row.pk, row.key)})
    return links.absolute_url(path, request)


def request_subscription(
    *, email: str, scope: Scope, frequency: str, consent_text: str, request: HttpRequest
) -> Subscription:
    """Store a pending subscription (or find the one there is) and mail the link that confirms it.

    An address that follows this already gets a note with its manage link instead, so the answer
    on the page never tells whether an address is subscribed.
    """
    language = translation.get_language() or "de"
    email = normalise_email(email)
    label = scope.label(locale_for(language))
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
        if subscriber.language != language:
            subscriber.language = language
            subscriber.save(update_fields=["language"])
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            kind=scope.kind,
            entry_code=scope.entry_code,
            query=scope.query,
            defaults={"frequency": frequency},
        )
        if not created and not subscription.is_confirmed:
            # Asked again: the seven days until deletion start again, with the frequency chosen now.
            subscription.frequency = frequency
            subscription.created_at = timezone.now()
            subscription.save(update_fields=["frequency", "created_at"])
        ConsentRecord.objects.create(
            email=email,
            purpose=Purpose.SUBSCRIPTION,
            event=ConsentRecord.Event.GIVEN,
            subject=label,
            text=consent_text,
            language=language,
        )
    if subscription.is_confirmed:
        send_manage_link(subscriber, request=request, already=label)
    else:
        send_confirmation(subscription, request=request)
    return subscription


def send_confirmation(subscription: Subscription, request: HttpRequest | None = None) -> None:
    subscriber = subscription.subscriber
    language = subscriber.language
    locale = locale_for(language)
    with translation.override(language):
        label = Scope.of(subscription).label(locale)
        mail.send(
            to=subscriber.email,
            language=language,
            template="confirm_subscription",
            subject=_("Bitte bestätigen Sie Ihr Abonnement"),
            context={
                "label": label,
                "frequency": subscription.get_frequency_display(),
                "confirm_url": token_url(
                    "confirm", links.Purpose.CONFIRM_SUBSCRIPTION, subscription, language, request
                ),
                "days": links.CONFIRM_MAX_AGE.days,
            },
            stop_url=token_url("unsubscribe", links.Purpose.UNSUBSCRIBE, subscription, language, request),
            list_unsubscribe=True,
            request=request,
        )


def send_manage_link(subscriber: Subscriber, request: HttpRequest | None = None, already: str = "") -> None:
    """Mail the address the link to its subscriptions; `already` names what it asked to follow again."""
    language = subscriber.language
    with translation.override(language):
        mail.send(
            to=subscriber.email,
            language=language,
            template="manage_link",
            subject=_("Ihre Abonnements verwalten"),
            context={
                "already": already,
                "manage_url": token_url("manage", links.Purpose.MANAGE, subscriber, language, request),
                "days": links.MANAGE_MAX_AGE.days,
            },
            stop_url=token_url("unsubscribe_all", links.Purpose.UNSUBSCRIBE_ALL, subscriber, language, request),
            list_unsubscribe=True,
            request=request,
        )


def _consent_event(subscription: Subscription, event: str, label: str) -> None:
    given = (
        ConsentRecord.objects.filter(
            email=subscription.subscriber.email, purpose=Purpose.SUBSCRIPTION, event=ConsentRecord.Event.GIVEN
        )
        .order_by("-created_at", "-pk")
        .values_list("text", flat=True)
        .first()
    )
    ConsentRecord.objects.create(
        email=subscription.subscriber.email,
        purpose=Purpose.SUBSCRIPTION,
        event=event,
        subject=label,
        text=given or "",
        language=subscription.subscriber.language,
    )


@transaction.atomic
def confirm(subscription: Subscription) -> None:
    if subscription.is_confirmed:
        return
    # Changes found from now on reach the subscription; what happened before does not.
    changes.record_changes_unless_running()
    subscription.confirm()
    _consent_event(
        subscription,
        ConsentRecord.Event.CONFIRMED,
        Scope.of(subscription).label(locale_for(subscription.subscriber.language)),
    )


@transaction.atomic
def unsubscribe(subscription: Subscription) -> None:
    """End a subscription at once; the address goes with its last subscription."""
    subscriber = subscription.subscriber
    label = Scope.of(subscription).label(locale_for(subscriber.language))
    if subscription.is_confirmed:
        _consent_event(subscription, ConsentRecord.Event.WITHDRAWN, label)
    subscription.delete()
    if not subscriber.subscriptions.exists():
        subscriber.delete()


@transaction.atomic
def unsubscribe_all(subscriber: Subscriber) -> None:
    for subscription in list(subscriber.subscriptions.select_related("subscriber")):
        unsubscribe(subscription)
    Subscriber.objects.filter(pk=subscriber.pk).delete()
