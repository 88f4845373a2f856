"""What the home page's overview blocks show: area cards, newest reports, next Zukunftsdialoge, places.

Each payload is built in one language and cached per data version (`cms.cache.versioned`); where it
names pages (area chapters, dialogues, links into the catalogue) the key carries the site version and
the host as well, so a published page or another host never sees a stale link. Only live and public
data is read: entries in the catalogue's live state, reports of live entries, live pages without a
view restriction.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Locale

from catalogue.models import Area, AreaPage, StatusReport
from catalogue.public.goals import StatusRow, catalogue_page, overview_aggregates, status_rows
from catalogue.public.options import Lookup, Option
from catalogue.public.query import entry_path
from cms import cache
from cms.locales import default_locale
from cms.restrictions import without_restrictions
from participation.models import DialoguePage
from participation.models.dialogues import DEFAULT_DURATION

# Report texts are cut to this many characters on the home page; the entry's page has them whole.
REPORT_TEXT_LENGTH = 240
# Upcoming dialogues are chosen as of the start of a window of this many minutes (cached per window).
DIALOGUE_WINDOW_MINUTES = 10


@dataclass(frozen=True)
class AreaCard:
    """One area of action as a card: its figures in the page's language and where it is described."""

    code: str
    title: str
    lang: str
    colour: str
    goal_count: int
    entry_count: int
    status_rows: list[StatusRow]
    progress: int | None
    url: str


@dataclass(frozen=True)
class ReportLine:
    """A published status report with the entry it is about."""

    date: datetime.date
    period: str
    entry_code: str
    entry_title: str
    entry_url: str
    status: Option | None
    progress: int
    text: str


@dataclass(frozen=True)
class DialogueLine:
    title: str
    topic: str
    start: datetime.datetime
    end: datetime.datetime
    venue: str
    format_label: str
    cancelled: bool
    url: str


def _request_parts(request: HttpRequest | None) -> tuple[int, str]:
    """Key parts for payloads holding links: pages change them, and links name no other host."""
    return cache.site_version(), request.get_host() if request is not None else ""


def catalogue_url(request: HttpRequest | None, locale: Locale) -> str | None:
    """The live, public catalogue page in this language, or None (then nothing links into it)."""
    page = catalogue_page(locale.pk)
    return page.get_url(request=request) if page is not None else None


def _area_page_urls(request: HttpRequest | None, locale: Locale) -> dict[str, str]:
    """Area translation key -> URL of the live, public area chapter in this language."""
    pages = without_restrictions(AreaPage.objects.live().filter(locale=locale)).select_related("area").order_by("path")
    found: dict[str, str] = {}
    for page in pages.defer_streamfields():
        found.setdefault(page.area.translation_key, page.get_url(request=request))
    return found


def area_cards(request: HttpRequest | None, locale: Locale) -> list[AreaCard]:
    """Every area in the vocabulary's order with its goals, entries, status distribution and progress."""

    def build() -> list[AreaCard]:
        lookup = Lookup(locale)
        aggregates = overview_aggregates()
        areas = {
            area.pk: area for area in Area.objects.filter(locale=default_locale()).only("pk", "code", "translation_key")
        }
        pages = _area_page_urls(request, locale)
        base = catalogue_url(request, locale)
        cards = []
        for option in lookup.options["area"]:
            area = areas.get(option.first_id)
            aggregate = aggregates.get(option.first_id)
            if area is None or aggregate is None:
                continue
            url = pages.get(area.translation_key) or (f"{base}?area={option.key}" if base else "")
            cards.append(
                AreaCard(
                    code=area.code,
                    # The option is labelled with the area's number and its title in this language.
                    title=option.label.removeprefix(f"{area.code} "),
                    lang=option.lang,
                    colour=option.colour,
                    goal_count=sum(1 for goal in lookup.options["goal"] if goal.area_id == option.first_id),
                    entry_count=aggregate.entry_count,
                    status_rows=status_rows(aggregate, lookup),
                    progress=aggregate.progress,
                    url=url,
                )
            )
        return cards

    return cache.versioned("home:area-cards", locale.language_code, *_request_parts(request), build=build)


def latest_reports(request: HttpRequest | None, locale: Locale, count: int) -> list[ReportLine]:
    """The newest reports on live entries in this language; none while the catalogue is not public."""

    def build() -> list[ReportLine]:
        base = catalogue_url(request, locale)
        if base is None:
            return []
        lookup = Lookup(locale)
        rows = (
            StatusReport.objects.filter(project__live=True, project__locale=locale)
            .order_by("-date", "-pk")
            .values_list(
                "date",
                "reporting_period",
                "status_id",
                "progress",
                "text",
                "project__code",
                "project__title",
                "project__slug",
            )[:count]
        )
        return [
            ReportLine(
                date=date,
                period=period,
                entry_code=code,
                entry_title=title,
                entry_url=entry_path(base, code, title, slug),
                status=lookup.by_id["status"].get(status_id),
                progress=progress,
                text=text if len(text) <= REPORT_TEXT_LENGTH else text[: REPORT_TEXT_LENGTH - 1].rstrip() + "…",
            )
            for date, period, status_id, progress, text, code, title, slug in rows
        ]

    return cache.versioned("home:reports", locale.language_code, count, *_request_parts(request), build=build)


def upcoming_dialogues(request: HttpRequest | None, locale: Locale, count: int) -> list[DialogueLine]:
    """The next Zukunftsdialoge in this language that have not ended, soonest first."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0) - datetime.timedelta(minutes=now.minute % DIALOGUE_WINDOW_MINUTES)

    def build() -> list[DialogueLine]:
        running = Q(end__gte=window) | Q(end__isnull=True, start__gte=window - DEFAULT_DURATION)
        pages = (
            without_restrictions(DialoguePage.objects.live())
            .filter(running, locale=locale)
            .defer_streamfields()
            .order_by("start", "pk")[:count]
        )
        return [
            DialogueLine(
                title=page.title,
                topic=page.topic,
                start=page.start,
                end=page.ends_at,
                venue=page.venue,
                format_label=str(page.get_format_display()),
                cancelled=page.cancelled,
                url=page.get_url(request=request),
            )
            for page in pages
        ]

    return cache.versioned(
        "home:dialogues", locale.language_code, count, window.isoformat(), *_request_parts(request), build=build
    )


def municipalities(locale: Locale) -> list[Option]:
    """The catalogue's municipality options (every one, as its filter offers them)."""
    return Lookup(locale).options["municipality"]
