"""The participation's data: consent log, subscriptions and what their digests sent, ideas, dialogues."""

from .consent import ConsentRecord, Purpose, normalise_email
from .dialogues import DialogueIndexPage, DialoguePage, DialogueRegistration
from .ideas import Idea, IdeaIndexPage
from .subscriptions import DigestItem, EntryChange, EntrySnapshot, Frequency, Subscriber, Subscription

__all__ = [
    "ConsentRecord",
    "DialogueIndexPage",
    "DialoguePage",
    "DialogueRegistration",
    "DigestItem",
    "EntryChange",
    "EntrySnapshot",
    "Frequency",
    "Idea",
    "IdeaIndexPage",
    "Purpose",
    "Subscriber",
    "Subscription",
    "normalise_email",
]
