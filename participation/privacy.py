"""Personal data of the participation: deleted when no longer needed, and given out or erased per address.

`purge` (daily, by command or task) deletes what the privacy notice promises to delete:
unconfirmed subscriptions, addresses and registrations after seven days, registrations 30
days after their dialogue, addresses on answered ideas after 90 days, and consent records that
never became effective or outlived their retention. `address_data`, `export` and `erase` serve
the data protection officer, for one address at a time.
"""

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    ConsentRecord,
    DialogueRegistration,
    EntryChange,
    Idea,
    Subscriber,
    Subscription,
    normalise_email,
)
from .models.dialogues import DEFAULT_DURATION

UNCONFIRMED = datetime.timedelta(days=7)
AFTER_DIALOGUE = datetime.timedelta(days=30)
AFTER_ANSWER = datetime.timedelta(days=90)
CHANGES_KEPT = datetime.timedelta(days=60)


def consent_retention() -> datetime.timedelta:
    """How long consent records outlive the data they were given for (proof of consent)."""
    return datetime.timedelta(days=getattr(settings, "PARTICIPATION_CONSENT_RETENTION_DAYS", 3 * 365))


@dataclass(frozen=True)
class PurgeResult:
    subscriptions: int = 0
    subscribers: int = 0
    idea_addresses: int = 0
    registrations: int = 0
    consents: int = 0
    changes: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _deleted(result: tuple[int, dict[str, int]], model) -> int:
    """Rows of `model` that a `delete()` removed, without the rows that went with them."""
    return result[1].get(model._meta.label, 0)


def _addresses_in_use() -> set[str]:
    used = set(Subscriber.objects.values_list("email", flat=True))
    used |= set(Idea.objects.exclude(email="").values_list("email", flat=True))
    used |= set(DialogueRegistration.objects.values_list("email", flat=True))
    return used


@transaction.atomic
def purge(now: datetime.datetime | None = None) -> PurgeResult:
    now = now or timezone.now()
    unconfirmed_before = now - UNCONFIRMED
    subscriptions = _deleted(
        Subscription.objects.pending().filter(created_at__lt=unconfirmed_before).delete(), Subscription
    )
    subscribers = _deleted(Subscriber.objects.filter(subscriptions__isnull=True).delete(), Subscriber)
    final = [Idea.State.ADOPTED, Idea.State.REJECTED]
    idea_addresses = (
        Idea.objects.exclude(email="")
        .filter(
            Q(email_confirmed_at__isnull=True, submitted_at__lt=unconfirmed_before)
            | Q(state__in=final, notified_at__lt=now - AFTER_ANSWER)
        )
        .update(email="", name="", email_confirmed_at=None)
    )
    registrations, _ = DialogueRegistration.objects.filter(
        Q(confirmed_at__isnull=True, created_at__lt=unconfirmed_before)
        | Q(dialogue__end__lt=now - AFTER_DIALOGUE)
        | Q(dialogue__end__isnull=True, dialogue__start__lt=now - AFTER_DIALOGUE - DEFAULT_DURATION)
    ).delete()
    in_use = _addresses_in_use()
    confirmed = set(
        ConsentRecord.objects.filter(event=ConsentRecord.Event.CONFIRMED).values_list("email", flat=True).distinct()
    )
    never_effective = (
        ConsentRecord.objects.filter(created_at__lt=unconfirmed_before)
        .exclude(email__in=confirmed)
        .exclude(email__in=in_use)
    )
    outlived = ConsentRecord.objects.filter(created_at__lt=now - consent_retention()).exclude(email__in=in_use)
    consents = never_effective.delete()[0] + outlived.delete()[0]
    changes = _deleted(EntryChange.objects.filter(detected_at__lt=now - CHANGES_KEPT).delete(), EntryChange)
    return PurgeResult(
        subscriptions=subscriptions,
        subscribers=subscribers,
        idea_addresses=idea_addresses,
        registrations=registrations,
        consents=consents,
        changes=changes,
    )


@dataclass
class AddressData:
    """Everything stored about one e-mail address."""

    email: str
    subscriber: Subscriber | None
    subscriptions: list[Subscription]
    consents: list[ConsentRecord]
    ideas: list[Idea]
    registrations: list[DialogueRegistration]

    @property
    def is_empty(self) -> bool:
        return not (self.subscriber or self.consents or self.ideas or self.registrations)


def address_data(email: str) -> AddressData:
    email = normalise_email(email)
    subscriber = Subscriber.objects.filter(email=email).first()
    return AddressData(
        email=email,
        subscriber=subscriber,
        subscriptions=list(subscriber.subscriptions.all()) if subscriber else [],
        consents=list(ConsentRecord.objects.filter(email=email).order_by("created_at", "pk")),
        ideas=list(Idea.objects.filter(email=email).order_by("submitted_at", "pk")),
        registrations=list(
            DialogueRegistration.objects.filter(email=email).select_related("dialogue").order_by("created_at", "pk")
        ),
    )


def _time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(data: AddressData) -> dict[str, Any]:
    """The address's data as plain values, for a JSON download (Art. 15 GDPR)."""
    return {
        "email": data.email,
        "exported_at": timezone.now().isoformat(),
        "subscriber": {
            "language": data.subscriber.language,
            "created_at": _time(data.subscriber.created_at),
        }
        if data.subscriber
        else None,
        "subscriptions": [
            {
                "kind": subscription.kind,
                "entry": subscription.entry_code,
                "filters": subscription.query,
                "frequency": subscription.frequency,
                "requested_at": _time(subscription.created_at),
                "confirmed_at": _time(subscription.confirmed_at),
                "last_digest_at": _time(subscription.last_digest_at),
            }
            for subscription in data.subscriptions
        ],
        "consents": [
            {
                "purpose": record.purpose,
                "event": record.event,
                "subject": record.subject,
                "text": record.text,
                "language": record.language,
                "at": _time(record.created_at),
            }
            for record in data.consents
        ],
        "ideas": [
            {
                "title": idea.title,
                "text": idea.text,
                "name": idea.name,
                "submitted_at": _time(idea.submitted_at),
                "email_confirmed_at": _time(idea.email_confirmed_at),
                "state": idea.state,
                "moderation": idea.moderation,
                "answer": idea.answer,
                "notified_at": _time(idea.notified_at),
            }
            for idea in data.ideas
        ],
        "registrations": [
            {
                "dialogue": registration.dialogue.title,
                "start": _time(registration.dialogue.start),
                "name": registration.name,
                "persons": registration.persons,
                "needs": registration.needs,
                "registered_at": _time(registration.created_at),
                "confirmed_at": _time(registration.confirmed_at),
            }
            for registration in data.registrations
        ],
    }


@dataclass(frozen=True)
class Erased:
    subscriptions: int
    consents: int
    ideas_deleted: int
    ideas_anonymised: int
    registrations: int


@transaction.atomic
def erase(email: str, *, delete_ideas: bool) -> Erased:
    """Delete everything stored about `email` (Art. 17 GDPR).

    Ideas lose name and address and stay public with their answer, unless `delete_ideas` asks
    for them to go as well.
    """
    email = normalise_email(email)
    subscriptions = Subscription.objects.filter(subscriber__email=email).count()
    Subscriber.objects.filter(email=email).delete()
    consents, _ = ConsentRecord.objects.filter(email=email).delete()
    ideas = Idea.objects.filter(email=email)
    if delete_ideas:
        deleted, anonymised = ideas.delete()[0], 0
    else:
        deleted, anonymised = 0, ideas.update(email="", name="", email_confirmed_at=None)
    registrations, _ = DialogueRegistration.objects.filter(email=email).delete()
    return Erased(subscriptions, consents, deleted, anonymised, registrations)
