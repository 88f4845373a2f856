"""iCalendar (RFC 5545) for Zukunftsdialoge: one event per dialogue, and the calendar of them all.

Times are written in Europe/Berlin with its VTIMEZONE, so calendars show the local time of
the event wherever they are; the UID is shared by a dialogue's translations, so subscribing in
two languages does not show an event twice.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from icalendar.enums import STATUS

from .models import DialoguePage

PRODUCT = "Zukunftsprofil"
REFRESH = datetime.timedelta(hours=12)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _location(dialogue: DialoguePage) -> str:
    parts: list[str] = []
    if dialogue.is_in_person:
        parts.extend(part for part in [dialogue.venue, ", ".join(dialogue.address.split("\n"))] if part.strip())
    if dialogue.is_online:
        parts.append(_("online"))
    return ", ".join(part.strip() for part in parts)


def _description(dialogue: DialoguePage, url: str) -> str:
    lines = [dialogue.topic]
    if dialogue.intro:
        lines.append(dialogue.intro)
    features = [
        str(label)
        for flag, label in [
            (dialogue.step_free, _("stufenlos erreichbar")),
            (dialogue.accessible_toilet, _("barrierefreie Toilette")),
            (dialogue.hearing_loop, _("Induktionsschleife")),
            (dialogue.sign_language, _("Gebärdensprachdolmetschung")),
        ]
        if flag
    ]
    if features:
        lines.append(_("Barrierefreiheit: %(features)s") % {"features": ", ".join(features)})
    if dialogue.is_online and dialogue.online_url:
        lines.append(_("Online-Teilnahme: %(url)s") % {"url": dialogue.online_url})
    if dialogue.registration != DialoguePage.Registration.NONE:
        lines.append(_("Anmeldung: %(url)s") % {"url": dialogue.registration_url or url})
    lines.append(url)
    return "\n\n".join(line for line in lines if line)


def event(dialogue: DialoguePage, url: str, host: str, stamp: datetime.datetime) -> Event:
    zone = _zone()
    return Event.new(
        uid=f"zukunftsdialog-{dialogue.translation_key}@{host}",
        stamp=stamp,
        start=dialogue.start.astimezone(zone),
        end=dialogue.ends_at.astimezone(zone),
        summary=dialogue.title,
        description=_description(dialogue, url),
        location=_location(dialogue) or None,
        url=url,
        status=STATUS.CANCELLED if dialogue.cancelled else STATUS.CONFIRMED,
        last_modified=dialogue.last_published_at or stamp,
        categories=[dialogue.topic] if dialogue.topic else (),
    )


def calendar(*, uid: str, name: str, entries: Iterable[tuple[DialoguePage, str]], host: str, language: str) -> bytes:
    """A calendar with one event per (dialogue, its absolute URL), as the bytes of an .ics file."""
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    result = Calendar.new(
        uid=f"{uid}@{host}",
        prodid=f"-//{host}//{PRODUCT}//{language.upper()}",
        name=name,
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=REFRESH,
    )
    result.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    dates = []
    for dialogue, url in entries:
        result.add_component(event(dialogue, url, host, stamp))
        dates.extend([dialogue.start.date(), dialogue.ends_at.date()])
    # The time zone's rules for the years the events span (and one either side), not for decades.
    if dates:
        result.add_missing_timezones(
            first_date=min(dates) - datetime.timedelta(days=366), last_date=max(dates) + datetime.timedelta(days=366)
        )
    return result.to_ical()
