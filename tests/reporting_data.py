"""A small county for the reporting tests: two areas, six entries, two indicators, two periods, with known changes.

Report A (Stichtag 30.06.2024, deadline 31.07.2024) is closed on the entries as first published;
then the departments report, one entry is taken in and one dropped, and report B (Stichtag
31.12.2024, deadline 31.01.2025) is closed. `CHANGES` says, per entry, what happens in between,
so the tests can work out the expected comparison by hand.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from wagtail.models import Locale

from catalogue.models import IndicatorValue, Project, StatusReport
from demo.translation import translate
from reporting.closing import close_period
from reporting.models import ReportIndexPage, ReportingPeriod
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    GoalFactory,
    IndicatorFactory,
    ProjectFactory,
    StatusFactory,
    german,
)

D = datetime.date


def report(entry, date, status, light, progress, text=""):
    """A new published report on the entry, as the quick report and its approval would leave it."""
    entry = Project.objects.get(pk=entry.pk)
    entry.reports.add(StatusReport(date=date, status=status, traffic_light=light, progress=progress, text=text))
    entry.save()
    entry.save_revision().publish()
    entry.refresh_from_db()
    return entry


def entry(code, goals, department, *reports, weight=1, title=None):
    created = ProjectFactory(
        code=code,
        title=title or f"Vorhaben {code}",
        live=False,
        goals=goals,
        lead_department=department,
        weight=weight,
    )
    created.save_revision().publish()
    for values in reports:
        created = report(created, *values)
    return Project.objects.get(pk=created.pk)


def build_world():
    german()
    world = SimpleNamespace()
    world.idea = StatusFactory(name="Idee", slug="idee", order=1)
    world.running = StatusFactory(name="in Umsetzung", slug="in-umsetzung", order=2)
    world.done = StatusFactory(name="abgeschlossen", slug="abgeschlossen", order=3, is_closed=True)
    world.dep_a = DepartmentFactory(name="Fachbereich Umwelt", short_name="Umwelt", email="umwelt@example.org")
    world.dep_b = DepartmentFactory(name="Fachbereich Verkehr", short_name="Verkehr", email="verkehr@example.org")
    world.area_1 = AreaFactory(code="1", slug="wirtschaft", title="Wirtschaft")
    world.area_2 = AreaFactory(code="2", slug="mobilitaet", title="Mobilität")
    world.goal_11 = GoalFactory(area=world.area_1, code="1.1", title="Mittelstand stärken")
    world.goal_111 = GoalFactory(area=world.area_1, code="1.1.1", parent=world.goal_11, title="Nachfolge sichern")
    world.goal_21 = GoalFactory(area=world.area_2, code="2.1", title="Nahverkehr verbessern")
    march = D(2024, 3, 1)
    world.e1 = entry("1.1.01", [world.goal_11], world.dep_a, (march, world.idea, "on_track", 0, "Idee steht."))
    world.e2 = entry(
        "1.1.1.01", [world.goal_111], world.dep_a, (march, world.running, "at_risk", 40, "Verzug beim Bau.")
    )
    world.e3 = entry("2.1.01", [world.goal_21], world.dep_b, (march, world.running, "on_track", 50), weight=2)
    world.e4 = entry("2.1.02", [world.goal_21], world.dep_b)
    world.e6 = entry("1.1.02", [world.goal_11], world.dep_a, (march, world.running, "on_track", 10))

    world.rising = IndicatorFactory(
        title="Radwege",
        unit="km",
        direction="higher",
        baseline_value=10,
        baseline_year=2020,
        target_value=30,
        target_year=2030,
    )
    world.rising.values.add(IndicatorValue(date=D(2023, 12, 31), value=Decimal("16")))
    world.rising.save()
    world.rising.goals.add(world.goal_111)
    world.rising.projects.add(world.e2)
    world.falling = IndicatorFactory(
        title="Staus",
        unit="Anzahl",
        direction="lower",
        baseline_value=100,
        baseline_year=2020,
        target_value=50,
        target_year=2030,
    )
    world.falling.values.add(IndicatorValue(date=D(2023, 12, 31), value=Decimal("95")))
    world.falling.save()
    world.falling.goals.add(world.goal_21)

    world.period_a = ReportingPeriod.objects.create(
        title="Bericht Sommer 2024",
        title_en="Summer 2024 report",
        reporting_date=D(2024, 6, 30),
        deadline=D(2024, 7, 31),
    )
    world.period_b = ReportingPeriod.objects.create(
        title="Bericht Winter 2024",
        title_en="Winter 2024 report",
        reporting_date=D(2024, 12, 31),
        deadline=D(2025, 1, 31),
    )
    return world


def close_a(world):
    world.report_a = close_period(world.period_a.pk)
    return world.report_a


def change_between(world):
    """What happens between the two reports (see the module's docstring)."""
    autumn = D(2024, 10, 1)
    world.e1 = report(world.e1, autumn, world.running, "on_track", 20, "Begonnen.")
    world.e2 = report(world.e2, autumn, world.done, "on_track", 100, "Fertig.")
    world.e3 = report(world.e3, autumn, world.running, "off_track", 50, "Fahrermangel.")
    world.e4 = report(world.e4, autumn, world.idea, "unknown", 0)
    world.e5 = entry("2.1.03", [world.goal_21], world.dep_b, (autumn, world.idea, "on_track", 5))
    Project.objects.get(pk=world.e6.pk).unpublish()
    IndicatorValue.objects.create(indicator=world.rising, date=D(2024, 12, 31), value=Decimal("19"))
    IndicatorValue.objects.create(indicator=world.falling, date=D(2024, 12, 31), value=Decimal("97"))


def close_b(world):
    world.report_b = close_period(world.period_b.pk)
    return world.report_b


def report_page(home):
    page = ReportIndexPage(title="Fortschrittsberichte", slug="berichte")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def translate_page(page):
    """The English report page (under /en/), as the editors' translation would make it."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    return translate(page, english, {"Fortschrittsberichte": "Progress reports"})
