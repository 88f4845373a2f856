"""Subscriptions to the catalogue by e-mail, and the record of what changed and what was sent.

An address becomes a `Subscriber` with one `Subscription` per thing it follows: an entry (by its
number) or a selection of the catalogue (the query string of its filters; a goal or an area is a
selection with one filter). A subscription is pending until its link is confirmed; nothing is
sent to it before. `EntrySnapshot` keeps each entry's state as last compared, `EntryChange`
what the comparison found, and `DigestItem` which change went to which subscription.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import TrafficLight

from .consent import new_key


class Frequency(models.TextChoices):
    DAILY = "daily", _("täglich")
    WEEKLY = "weekly", _("wöchentlich")


FREQUENCY_DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7}
# A digest run that starts a little earlier than the last one still finds it due.
DUE_SLACK = datetime.timedelta(hours=4)


class Subscriber(models.Model):
    """An e-mail address that follows parts of the catalogue; removed with its last subscription."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(
        _("Sprache"), max_length=10, choices=settings.LANGUAGES, help_text=_("Sprache der E-Mails.")
    )
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")
        ordering = ["email"]

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> "SubscriptionQuerySet":
        return self.filter(confirmed_at__isnull=False)

    def pending(self) -> "SubscriptionQuerySet":
        return self.filter(confirmed_at__isnull=True)

    def due(self, now: datetime.datetime, frequency: str | None = None) -> "SubscriptionQuerySet":
        """Confirmed subscriptions whose last digest lies a day (daily) or a week (weekly) back."""
        condition = models.Q()
        for choice, days in FREQUENCY_DAYS.items():
            if frequency and frequency != choice:
                continue
            since = now - datetime.timedelta(days=days) + DUE_SLACK
            condition |= models.Q(frequency=choice) & (
                models.Q(last_digest_at__isnull=True) | models.Q(last_digest_at__lte=since)
            )
        return self.confirmed().filter(condition)


class Subscription(models.Model):
    class Kind(models.TextChoices):
        ENTRY = "entry", _("Eintrag")
        SELECTION = "selection", _("Auswahl im Katalog")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("Abonnent"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    entry_code = models.CharField(_("Nummer des Eintrags"), max_length=20, blank=True)
    query = models.CharField(
        _("Filter"),
        max_length=2000,
        blank=True,
        help_text=_("Die Filter der Katalogauswahl, wie in der Adresse der Katalogseite."),
    )
    frequency = models.CharField(_("Häufigkeit"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("Angefordert"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("Bestätigt"), null=True, blank=True, db_index=True)
    last_digest_at = models.DateTimeField(_("Letzte Zusammenfassung"), null=True, blank=True)
    last_change_id = models.PositiveBigIntegerField(
        default=0, editable=False, help_text=_("Die letzte Änderung, die eine Zusammenfassung berücksichtigt hat.")
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "entry_code", "query"], name="participation_subscription_unique"
            )
        ]

    def __str__(self):
        return f"{self.subscriber_id}: {self.entry_code or self.query or '*'}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def confirm(self) -> None:
        """Activate the subscription; only changes found from now on reach it."""
        if self.confirmed_at is not None:
            return
        self.confirmed_at = timezone.now()
        self.last_change_id = EntryChange.objects.aggregate(last=models.Max("pk"))["last"] or 0
        self.save(update_fields=["confirmed_at", "last_change_id"])


class EntrySnapshot(models.Model):
    """An entry's state when the digests last compared it: what the next comparison starts from."""

    project = models.OneToOneField("catalogue.Project", primary_key=True, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey("catalogue.Status", null=True, on_delete=models.SET_NULL, related_name="+")
    traffic_light = models.CharField(max_length=10, choices=TrafficLight.choices, default=TrafficLight.UNKNOWN)
    last_report_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Stand eines Eintrags")
        verbose_name_plural = _("Stände der Einträge")

    def __str__(self):
        return f"{self.project_id}: {self.status_id} {self.traffic_light}"


class EntryChange(models.Model):
    """A change of a live entry that digests report: new in the catalogue, a new report, a new state."""

    class Kind(models.TextChoices):
        NEW_ENTRY = "new_entry", _("neu im Katalog")
        REPORT = "report", _("neuer Statusbericht")
        STATE = "state", _("Status oder Ampel geändert")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    project = models.ForeignKey("catalogue.Project", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        "catalogue.StatusReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_status = models.ForeignKey(
        "catalogue.Status", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_status = models.ForeignKey(
        "catalogue.Status", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_light = models.CharField(max_length=10, blank=True, choices=TrafficLight.choices)
    new_light = models.CharField(max_length=10, blank=True, choices=TrafficLight.choices)
    detected_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Änderung")
        verbose_name_plural = _("Änderungen")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.project_id})"


class DigestItem(models.Model):
    """A change sent to a subscription: the same change never goes to it twice."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent_items")
    change = models.ForeignKey(EntryChange, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Versandte Änderung")
        verbose_name_plural = _("Versandte Änderungen")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "change"], name="participation_digest_item_unique")
        ]

    def __str__(self):
        return f"{self.subscription_id}: {self.change_id}"
