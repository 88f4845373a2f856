"""Digests: find what changed in the catalogue, and mail each subscriber what is new for them.

`record_changes` compares every live entry of the default language with the state the last
comparison stored (`EntrySnapshot`) and stores what it finds as `EntryChange`s: new entries,
new published status reports, status or traffic-light changes. It reads the catalogue's rows,
so changes made in the editor, through the approval workflow or by the import are found alike.

`send_digests` takes each subscription that is due (daily or weekly) and mails the changes it
has not seen (`last_change_id`), those of one address in one mail. The changes sent are stored
as `DigestItem`s in the transaction that sends the mail; their unique constraint keeps a second
run, on this server or another, from sending the same change to the same subscription again.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import groupby

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from catalogue.models import Project, TrafficLight, code_sort_key
from catalogue.public.options import Lookup
from cms import cache

from . import links, mail, selection
from .changes import RUN, RUN_TIMEOUT, record_changes
from .following import Scope, locale_for, token_url
from .models import DigestItem, EntryChange, Subscriber, Subscription

logger = logging.getLogger(__name__)

ENTRIES_PER_SECTION = 30
REPORT_EXCERPT = 400
KIND_ORDER: dict[str, int] = {EntryChange.Kind.NEW_ENTRY: 0, EntryChange.Kind.STATE: 1, EntryChange.Kind.REPORT: 2}


@dataclass(frozen=True)
class EntryNews:
    """One entry in a digest: its number and title, where it is shown, and what happened to it."""

    code: str
    title: str
    url: str | None
    lines: list[str]


@dataclass
class Section:
    """The news for one subscription of the address."""

    label: str
    url: str | None
    unsubscribe_url: str
    entries: list[EntryNews] = field(default_factory=list)
    more: int = 0


@dataclass(frozen=True)
class DigestRun:
    """What a run did: changes found, mails sent, subscriptions looked at; skipped while another runs."""

    changes: int = 0
    mails: int = 0
    subscriptions: int = 0
    skipped: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


class RunData:
    """What a run looks up once for all subscribers: the entries each scope covers, titles per language."""

    def __init__(self, changes: list[EntryChange]):
        self.changes = changes
        self.by_project: dict[int, list[EntryChange]] = defaultdict(list)
        for change in changes:
            self.by_project[change.project_id].append(change)
        self._selections: dict[str, set[int]] = {}
        self._entries: dict[str, set[int]] = {}
        self._titles: dict[int, dict[int, str]] = {}
        self._lookups: dict[int, Lookup] = {}

    def entry_ids(self, subscription: Subscription) -> set[int]:
        if subscription.kind == Subscription.Kind.ENTRY:
            code = subscription.entry_code
            if code not in self._entries:
                project = selection.entry_by_code(code)
                self._entries[code] = {project.pk} if project else set()
            return self._entries[code]
        if subscription.query not in self._selections:
            self._selections[subscription.query] = selection.selected_ids(subscription.query)
        return self._selections[subscription.query]

    def title(self, project: Project, locale: Locale) -> str:
        if locale.pk not in self._titles:
            projects = {change.project for change in self.changes}
            translated = dict(
                Project.objects.filter(
                    translation_key__in=[project.translation_key for project in projects], locale=locale, live=True
                ).values_list("translation_key", "title")
            )
            self._titles[locale.pk] = {
                project.pk: translated.get(project.translation_key, project.title) for project in projects
            }
        return self._titles[locale.pk].get(project.pk, project.title)

    def lookup(self, locale: Locale) -> Lookup:
        if locale.pk not in self._lookups:
            self._lookups[locale.pk] = Lookup(locale)
        return self._lookups[locale.pk]


def _status(lookup: Lookup, status_id: int | None) -> str:
    option = lookup.by_id["status"].get(status_id)
    return option.label if option else _("noch kein Bericht")


def _light(value: str) -> str:
    return str(TrafficLight(value).label) if value in TrafficLight.values else value


def change_lines(changes: list[EntryChange], lookup: Lookup) -> list[str]:
    """What happened to one entry, one line per change, in the active language."""
    lines = []
    for change in sorted(changes, key=lambda change: (KIND_ORDER[change.kind], change.pk)):
        if change.kind == EntryChange.Kind.NEW_ENTRY:
            lines.append(_("Neu im Katalog."))
        elif change.kind == EntryChange.Kind.STATE:
            if change.old_status_id != change.new_status_id:
                lines.append(
                    _("Status: %(old)s → %(new)s")
                    % {"old": _status(lookup, change.old_status_id), "new": _status(lookup, change.new_status_id)}
                )
            if change.old_light != change.new_light:
                lines.append(
                    _("Ampel: %(old)s → %(new)s") % {"old": _light(change.old_light), "new": _light(change.new_light)}
                )
        elif change.report is not None:
            report = change.report
            line = _("Neuer Statusbericht vom %(date)s: %(status)s, Ampel %(light)s, Fortschritt %(progress)s %%.") % {
                "date": formats.date_format(report.date, "SHORT_DATE_FORMAT"),
                "status": _status(lookup, report.status_id),
                "light": _light(report.traffic_light),
                "progress": report.progress,
            }
            if report.text.strip():
                line = f"{line} {Truncator(report.text.strip()).chars(REPORT_EXCERPT)}"
            lines.append(line)
    return lines


def build_section(subscription: Subscription, changes: list[EntryChange], data: RunData, locale: Locale) -> Section:
    scope = Scope.of(subscription)
    path = scope.path(locale)
    section = Section(
        label=scope.label(locale),
        url=links.absolute_url(path) if path else None,
        unsubscribe_url=token_url(
            "unsubscribe", links.Purpose.UNSUBSCRIBE, subscription, subscription.subscriber.language
        ),
    )
    by_project: dict[int, list[EntryChange]] = defaultdict(list)
    for change in changes:
        by_project[change.project_id].append(change)
    projects = sorted({change.project for change in changes}, key=lambda project: code_sort_key(project.code))
    lookup = data.lookup(locale)
    for project in projects:
        lines = change_lines(by_project[project.pk], lookup)
        if not lines:
            continue
        if len(section.entries) == ENTRIES_PER_SECTION:
            section.more += 1
            continue
        entry_path = selection.entry_path(project, locale)
        section.entries.append(
            EntryNews(
                code=project.code,
                title=data.title(project, locale),
                url=links.absolute_url(entry_path) if entry_path else None,
                lines=lines,
            )
        )
    return section


def _send_to(
    subscriber: Subscriber,
    subscriptions: list[Subscription],
    data: RunData,
    already: set[tuple[int, int]],
    newest: int,
    now: datetime.datetime,
) -> bool:
    """Mail one address the news of its due subscriptions; True when a mail went out."""
    language = subscriber.language
    locale = locale_for(language)
    items: list[DigestItem] = []
    sections: list[Section] = []
    shown: set[int] = set()
    with translation.override(language):
        for subscription in subscriptions:
            covered = data.entry_ids(subscription)
            # Only the changed entries the subscription covers, not every change of the run.
            relevant = sorted(
                (
                    change
                    for project_id in covered & data.by_project.keys()
                    for change in data.by_project[project_id]
                    if change.pk > subscription.last_change_id and (subscription.pk, change.pk) not in already
                ),
                key=lambda change: change.pk,
            )
            items.extend(DigestItem(subscription=subscription, change=change, sent_at=now) for change in relevant)
            # A change that two subscriptions cover is told once, under the first.
            fresh = [change for change in relevant if change.pk not in shown]
            shown.update(change.pk for change in fresh)
            if fresh:
                section = build_section(subscription, fresh, data, locale)
                if section.entries:
                    sections.append(section)
        count = sum(len(section.entries) + section.more for section in sections)
        subject = ngettext(
            "Neues aus dem Projektkatalog: %(count)s Eintrag hat sich geändert",
            "Neues aus dem Projektkatalog: %(count)s Einträge haben sich geändert",
            count,
        ) % {"count": count}
    with transaction.atomic():
        DigestItem.objects.bulk_create(items)
        Subscription.objects.filter(pk__in=[subscription.pk for subscription in subscriptions]).update(
            last_change_id=newest, last_digest_at=now
        )
        if not sections:
            return False
        mail.send(
            to=subscriber.email,
            language=language,
            template="digest",
            subject=subject,
            context={
                "sections": sections,
                "manage_url": token_url("manage", links.Purpose.MANAGE, subscriber, language),
            },
            stop_url=token_url("unsubscribe_all", links.Purpose.UNSUBSCRIBE_ALL, subscriber, language),
            list_unsubscribe=True,
        )
    return True


def send_digests(*, frequency: str | None = None, now: datetime.datetime | None = None) -> DigestRun:
    """Record what changed, then mail every due subscription what it has not seen yet.

    One run at a time (a claim in the shared cache); a run started meanwhile does nothing.
    """
    now = now or timezone.now()
    if not cache.claim(RUN, timeout=RUN_TIMEOUT):
        return DigestRun(skipped=True)
    try:
        found = record_changes(now)
        due = list(
            Subscription.objects.due(now, frequency).select_related("subscriber").order_by("subscriber_id", "pk")
        )
        if not due:
            return DigestRun(changes=found)
        newest = EntryChange.objects.aggregate(newest=Max("pk"))["newest"] or 0
        oldest = min(subscription.last_change_id for subscription in due)
        changes = list(
            EntryChange.objects.filter(pk__gt=oldest, pk__lte=newest).select_related("project", "report").order_by("pk")
        )
        already = set(
            DigestItem.objects.filter(
                subscription__in=[subscription.pk for subscription in due], change_id__gt=oldest
            ).values_list("subscription_id", "change_id")
        )
        data = RunData(changes)
        mails = 0
        for _subscriber_id, group in groupby(due, key=lambda subscription: subscription.subscriber_id):
            subscriptions = list(group)
            try:
                mails += _send_to(subscriptions[0].subscriber, subscriptions, data, already, newest, now)
            except IntegrityError:
                # Another run sent these changes meanwhile.
                continue
            except Exception:
                # One address the mail server refuses must not stop the others; it is tried again next run.
                logger.exception("Digest for subscriber %s failed", subscriptions[0].subscriber_id)
        return DigestRun(changes=found, mails=mails, subscriptions=len(due))
    finally:
        cache.forget(RUN)
