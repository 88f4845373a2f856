"""A small catalogue for the public catalogue tests: taxonomy, entries varied by their index, the index page."""

import datetime

from catalogue.models import CatalogueIndexPage, Theme
from home.models import HomePage
from tests.factories.catalogue import (
    AreaFactory,
    DepartmentFactory,
    GoalFactory,
    MunicipalityFactory,
    ProjectFactory,
    StatusFactory,
    german,
)

LIGHTS = ["on_track", "at_risk", "off_track", "unknown"]
KINDS = ["project", "measure"]
PRIORITIES = ["I", "II", "III", ""]


def build(count):
    de = german()
    areas = [AreaFactory(slug="wirtschaft", code="1"), AreaFactory(slug="mobilitaet", code="2")]
    top = [GoalFactory(area=areas[0], code="1.1"), GoalFactory(area=areas[1], code="2.1")]
    sub = [
        GoalFactory(area=areas[0], code="1.1.1", parent=top[0]),
        GoalFactory(area=areas[1], code="2.1.1", parent=top[1]),
    ]
    goals = [top[0], sub[0], top[1], sub[1]]
    statuses = [StatusFactory(slug="idee"), StatusFactory(slug="in-umsetzung"), StatusFactory(slug="abgeschlossen")]
    departments = [
        DepartmentFactory(short_name="WiFö"),
        DepartmentFactory(short_name="FB 3"),
        DepartmentFactory(short_name="Bau"),
    ]
    places = [MunicipalityFactory(slug="lindenau"), MunicipalityFactory(slug="birkenfeld")]
    themes = [
        Theme.objects.create(title="Digitalisierung", slug="digitalisierung", locale=de),
        Theme.objects.create(title="Klima", slug="klima", locale=de),
    ]
    entries = []
    for index in range(count):
        entry = ProjectFactory(
            code=f"{goals[index % 4].code}.{index:03d}",
            title=f"{'Zebra' if index % 2 else 'Anker'} Vorhaben {index:03d}",
            lead_department=departments[index % 3],
            status=statuses[index % 3] if index % 7 else None,
            traffic_light=LIGHTS[index % 4],
            kind=KINDS[index % 2],
            priority=PRIORITIES[index % 4],
            county_wide=index % 5 == 0,
            planned_start=datetime.date(2022 + index % 4, 3, 1),
            planned_end=datetime.date(2023 + index % 4, 6, 30),
            last_report_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=index * 3),
            progress=(index * 7) % 101,
            summary="Radweg am Fluss" if index % 6 == 0 else "",
            goals=[goals[index % 4]],
        )
        entry.themes.set([themes[index % 2]] if index % 3 else [])
        entry.municipalities.set([] if index % 5 == 0 else [places[index % 2]])
        entry.partner_departments.set([departments[(index + 1) % 3]] if index % 4 == 1 else [])
        entry.save()
        entries.append(entry)
    return {
        "areas": areas,
        "goals": goals,
        "statuses": statuses,
        "departments": departments,
        "places": places,
        "themes": themes,
        "entries": entries,
    }


def catalogue_page():
    home = HomePage.objects.get(locale=german())
    page = CatalogueIndexPage(title="Projektkatalog", slug="projektkatalog")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
