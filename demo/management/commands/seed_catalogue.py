"""Bulk test data: N deterministic, realistic catalogue entries for load and filter tests."""

import datetime
import random
import uuid
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.models import Project, StatusReport, TrafficLight
from demo.builders.catalogue import build_taxonomy, locales

TOPICS = [
    "Glasfaserausbau",
    "Radweg",
    "Dorfgemeinschaftshaus",
    "Photovoltaikanlage",
    "Schulhofumgestaltung",
    "Bürgerbus",
    "Hochwasserschutz",
    "Streuobstwiese",
    "Ladeinfrastruktur",
    "Jugendtreff",
    "Ärztehaus",
    "Nahwärmenetz",
    "Coworking-Space",
    "Spielplatz",
    "Wanderweg",
    "Sanierung Turnhalle",
]
PLACES = [
    "Lindenau",
    "Birkenfeld",
    "Eichenhain",
    "Haselbach",
    "Kirchdorf",
    "Mühlheim",
    "Neustadt-Ahorn",
    "Rosenthal",
    "Steinach",
    "Tannwald",
    "Weidenhausen",
    "Wiesengrund",
]
SUFFIXES = ["", " – Planung", " – 1. Bauabschnitt", " – 2. Bauabschnitt", " (Pilotphase)", " – Erweiterung"]
BATCH = 1000
THROUGH_COLUMNS = {
    "goals": "goal_id",
    "themes": "theme_id",
    "municipalities": "municipality_id",
    "funding_programmes": "fundingprogramme_id",
}


class Progress:
    def __init__(self, total, stream):
        self.total, self.stream, self.done = total, stream, 0

    def advance(self, count):
        self.done += count
        width = 30
        filled = width * self.done // max(self.total, 1)
        ending = "\n" if self.done >= self.total else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}", ending=ending)
        self.stream.flush()


class Command(BaseCommand):
    help = "Creates N deterministic catalogue entries with status reports; the same seed gives the same data."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=1000, help="Number of entries to create.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator.")

    @transaction.atomic
    def handle(self, *args, entries, seed, **options):
        german, _english = locales()
        taxonomy = build_taxonomy(german)
        rng = random.Random(seed)
        goals = sorted(taxonomy["goals"].values(), key=lambda goal: goal.code)
        themes = sorted(taxonomy["themes"].values(), key=lambda theme: theme.slug)
        departments = sorted(taxonomy["departments"].values(), key=lambda department: department.short_name)
        municipalities = sorted(taxonomy["municipalities"].values(), key=lambda place: place.ags)
        statuses = sorted(taxonomy["statuses"].values(), key=lambda status: status.order)
        programmes = sorted(taxonomy["programmes"].values(), key=lambda programme: programme.slug)
        lights = list(TrafficLight.values)
        existing = set(Project.objects.filter(locale=german).values_list("code", flat=True))
        progress = Progress(entries, self.stderr)

        for start in range(0, entries, BATCH):
            rows, reports = [], []
            # Relation name -> (entry, the terms it links to)
            links: dict[str, list[tuple[Project, list[Any]]]] = {
                "goals": [],
                "themes": [],
                "municipalities": [],
                "funding_programmes": [],
            }
            for number in range(start, min(start + BATCH, entries)):
                goal = rng.choice(goals)
                code = f"{goal.area.code}.S{number + 1:05d}"
                status = rng.choice(statuses)
                light = rng.choice(lights)
                planned_start = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2200))
                report_dates = sorted(
                    planned_start + datetime.timedelta(days=rng.randrange(-90, 900)) for _ in range(rng.randint(1, 3))
                )
                level = min(100, status.default_progress + rng.randrange(0, 30)) if not status.is_closed else 100
                title = f"{rng.choice(TOPICS)} {rng.choice(PLACES)}{rng.choice(SUFFIXES)}"
                entry = Project(
                    code=code,
                    title=title,
                    slug=f"{code.replace('.', '-').lower()}",
                    kind=Project.Kind.MEASURE if rng.random() < 0.3 else Project.Kind.PROJECT,
                    summary=f"{title}: Vorhaben zum Ziel „{goal.title}“.",
                    locale=german,
                    translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    lead_department=rng.choice(departments),
                    county_wide=rng.random() < 0.2,
                    planned_start=planned_start,
                    planned_end=planned_start + datetime.timedelta(days=rng.randrange(180, 1800)),
                    cost_estimate=rng.randrange(10, 5000) * 1000,
                    priority=rng.choice(Project.Priority.values),
                    weight=rng.randint(1, 3),
                    status=status,
                    traffic_light=light,
                    progress=level,
                    last_report_date=report_dates[-1],
                    live=True,
                    has_unpublished_changes=False,
                )
                if code in existing:
                    continue
                rows.append(entry)
                for position, date in enumerate(report_dates):
                    newest = position == len(report_dates) - 1
                    reports.append(
                        StatusReport(
                            project=entry,
                            date=date,
                            status=status if newest else statuses[min(1, len(statuses) - 1)],
                            traffic_light=light if newest else TrafficLight.ON_TRACK,
                            progress=level if newest else min(level, 10 * position),
                            text="Fortschritt laut Sachstandsbericht des Fachbereichs.",
                        )
                    )
                links["goals"].append((entry, [goal]))
                links["themes"].append((entry, rng.sample(themes, rng.randint(0, 2))))
                links["municipalities"].append(
                    (entry, [] if entry.county_wide else rng.sample(municipalities, rng.randint(1, 2)))
                )
                links["funding_programmes"].append((entry, rng.sample(programmes, rng.randint(0, 1))))
            # Entries are seeded as live rows without revisions: the first edit in the admin
            # creates the first revision, as Wagtail does for imported snippets.
            Project.objects.bulk_create(rows)
            StatusReport.objects.bulk_create(reports)
            for name, pairs in links.items():
                through = getattr(Project, name).through
                through.objects.bulk_create(
                    through(project_id=entry.pk, **{THROUGH_COLUMNS[name]: related.pk})
                    for entry, related_list in pairs
                    for related in related_list
                )
            progress.advance(min(start + BATCH, entries) - start)
        self.stdout.write(self.style.SUCCESS(f"{entries} entries seeded with seed {seed}."))
