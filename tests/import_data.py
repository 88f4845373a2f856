"""A small county for the import tests: areas and goals with titles, departments, places with keys, statuses."""

from pathlib import Path

from catalogue.models import Theme
from tests.factories.catalogue import (
    AreaFactory,
    DepartmentFactory,
    GoalFactory,
    MunicipalityFactory,
    StatusFactory,
    german,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
COUNTY_CSV = FIXTURES / "landkreis-massnahmen.csv"
COUNTY_MAPPING = FIXTURES / "landkreis-zuordnung.json"


def build_county() -> dict:
    economy = AreaFactory(code="1", title="Wirtschaft & Innovation", slug="wirtschaft")
    mobility = AreaFactory(code="4", title="Infrastruktur & Mobilität", slug="mobilitaet")
    goals = {
        "1.1": GoalFactory(area=economy, code="1.1", title="Gründungen und Unternehmensnachfolge fördern"),
        "1.2": GoalFactory(area=economy, code="1.2", title="Digitale Infrastruktur ausbauen"),
        "4.1": GoalFactory(area=mobility, code="4.1", title="Öffentlichen Nahverkehr stärken"),
        "4.2": GoalFactory(area=mobility, code="4.2", title="Radverkehr ausbauen"),
    }
    departments = {
        "wifoe": DepartmentFactory(name="Amt für Wirtschaftsförderung", short_name="WiFö"),
        "mobility": DepartmentFactory(name="Amt für Kreisentwicklung und Mobilität", short_name="Mobilität"),
        "building": DepartmentFactory(name="Bauamt", short_name="Bau"),
    }
    places = {
        name: MunicipalityFactory(name=name, ags=ags, slug=name.casefold())
        for name, ags in (("Lindenau", "09777001"), ("Birkenfeld", "09777002"), ("Eichenhain", "09777003"))
    }
    statuses = {
        slug: StatusFactory(name=name, slug=slug, default_progress=progress)
        for slug, name, progress in (
            ("idee", "Idee", 0),
            ("in-planung", "in Planung", 10),
            ("in-umsetzung", "in Umsetzung", 50),
            ("abgeschlossen", "abgeschlossen", 100),
        )
    }
    theme = Theme.objects.create(title="Digitalisierung", slug="digitalisierung", locale=german())
    return {
        "areas": {"1": economy, "4": mobility},
        "goals": goals,
        "departments": departments,
        "places": places,
        "statuses": statuses,
        "theme": theme,
    }
