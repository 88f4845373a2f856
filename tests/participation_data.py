"""A small strategy with a catalogue, dialogues and an ideas page, for the participation tests."""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone
from wagtail.models import Locale

from catalogue.models import CatalogueIndexPage, Goal, Project, Status, StatusReport, Theme
from home.models import HomePage
from participation.models import DialogueIndexPage, DialoguePage, IdeaIndexPage
from tests.factories.catalogue import AreaFactory, DepartmentFactory, GoalFactory, ProjectFactory, german

LINK = re.compile(r"https?://[^\s<>\"]+")


@dataclass
class Strategy:
    home: HomePage
    catalogue: CatalogueIndexPage
    goals: list[Goal]
    statuses: list[Status]
    themes: list[Theme]
    entries: list[Project]
    pages: dict[str, object] = field(default_factory=dict)


def english() -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


def build_strategy(entries: int = 3) -> Strategy:
    """Two areas with a goal each, statuses, and live entries with one published report each."""
    de = german()
    home = HomePage.objects.get(locale=de)
    areas = [AreaFactory(slug="mobilitaet", code="4"), AreaFactory(slug="klima", code="5")]
    goals = [
        GoalFactory(area=areas[0], code="4.2", title="Nahverkehr verlässlich anbieten"),
        GoalFactory(area=areas[1], code="5.2", title="An den Klimawandel anpassen"),
    ]
    statuses = [
        Status.objects.create(name="in Planung", slug="in-planung", order=1, locale=de),
        Status.objects.create(name="in Umsetzung", slug="in-umsetzung", order=2, locale=de),
    ]
    themes = [Theme.objects.create(title="Klimaanpassung", slug="klimaanpassung", locale=de)]
    department = DepartmentFactory(short_name="FB Verkehr")
    rows = []
    for index in range(entries):
        entry = ProjectFactory(
            code=f"{goals[index % 2].code}.{index + 1:02d}",
            title=f"{'Rufbus' if index % 2 == 0 else 'Hitzeplan'} {index + 1}",
            lead_department=department,
            goals=[goals[index % 2]],
        )
        entry.reports.add(
            StatusReport(date=datetime.date(2025, 1, 10), status=statuses[0], traffic_light="on_track", progress=10)
        )
        entry.save()
        entry.save_revision().publish()
        entry.refresh_from_db()
        rows.append(entry)
    catalogue = CatalogueIndexPage(title="Projektkatalog", slug="projektkatalog")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    return Strategy(home, catalogue, goals, statuses, themes, rows)


def publish_report(entry: Project, status: Status, light: str = "on_track", text: str = "", progress: int = 30):
    """What an approved status report does: the entry is published with one more report."""
    entry = Project.objects.get(pk=entry.pk)
    entry.reports.add(
        StatusReport(date=timezone.localdate(), status=status, traffic_light=light, progress=progress, text=text)
    )
    entry.save()
    entry.save_revision().publish()
    entry.refresh_from_db()
    return entry


def idea_page(home: HomePage) -> IdeaIndexPage:
    page = IdeaIndexPage(title="Ideen und Anregungen", slug="ideen")
    home.add_child(instance=page)
    page.save_revision().publish()
    return IdeaIndexPage.objects.get(pk=page.pk)


def dialogue_index(home: HomePage) -> DialogueIndexPage:
    page = DialogueIndexPage(title="Zukunftsdialoge", slug="zukunftsdialoge")
    home.add_child(instance=page)
    page.save_revision().publish()
    return DialogueIndexPage.objects.get(pk=page.pk)


def dialogue(index: DialogueIndexPage, slug: str, days: int, **fields) -> DialoguePage:
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=days), datetime.time(18, 0))
    )
    values = {
        "title": f"Zukunftsdialog {slug}",
        "slug": slug,
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "topic": "Mobilität auf dem Land",
        "venue": "Bürgerhaus Kirchdorf",
        "address": "Auenstraße 12\n99999 Kirchdorf",
        **fields,
    }
    goals = values.pop("goals", [])
    page = DialoguePage(**values)
    page.goals = goals
    index.add_child(instance=page)
    page.save_revision().publish()
    return DialoguePage.objects.get(pk=page.pk)


def last_mail(to: str | None = None):
    found = [message for message in mail.outbox if to is None or to in message.to]
    assert found, f"no mail to {to}"
    return found[-1]


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def link_to(message, fragment: str) -> str:
    """The path of the first link in the mail's text whose address contains `fragment`."""
    for url in links_in(message):
        if fragment in url:
            parts = urlsplit(url)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link with {fragment!r} in:\n{message.body}")
