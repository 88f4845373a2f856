"""Demo data for the catalogue of the fictional Landkreis Lindenau.

Every object is looked up by code or slug before it is created, so running it twice changes
nothing. `build_taxonomy` is shared with `seed_catalogue`, which needs the same vocabulary.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale

from catalogue.models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Indicator,
    IndicatorValue,
    Municipality,
    Project,
    Status,
    StatusReport,
    Theme,
    TrafficLight,
)
from demo.translation import translate

AREAS = [
    (
        "1",
        "wirtschaft",
        "Wirtschaft & Innovation",
        "Economy & Innovation",
        "#1a5f7a",
        "Ein starker Mittelstand, Gründungen und gute Arbeit in allen Teilen des Landkreises.",
    ),
    (
        "2",
        "bildung",
        "Bildung & Fachkräfte",
        "Education & Skilled Workers",
        "#6b3fa0",
        "Gute Schulen, berufliche Bildung und Fachkräfte, die im Landkreis bleiben.",
    ),
    (
        "3",
        "leben",
        "Lebenswerter Landkreis",
        "A Liveable District",
        "#a2451c",
        "Gesundheit, Pflege, Kultur, Ehrenamt und lebendige Ortskerne.",
    ),
    (
        "4",
        "infrastruktur",
        "Infrastruktur & Mobilität",
        "Infrastructure & Mobility",
        "#2f5d2a",
        "Schnelles Internet, verlässlicher Nahverkehr und sichere Wege für alle.",
    ),
    (
        "5",
        "klima",
        "Umwelt- und Klimaschutz",
        "Environment & Climate Protection",
        "#0f6b58",
        "Klimaneutralität bis 2040, Anpassung an den Klimawandel und Schutz der Natur.",
    ),
    (
        "6",
        "verwaltung",
        "Moderne Verwaltung",
        "Modern Administration",
        "#7a4a00",
        "Eine digitale, bürgernahe und effiziente Kreisverwaltung.",
    ),
]

# (code, German title, English title, parent code or None)
GOALS = [
    ("1.1", "Den Mittelstand stärken", "Strengthen small and medium-sized businesses", None),
    ("1.1.1", "Betriebsnachfolgen sichern", "Secure business succession", "1.1"),
    ("1.1.2", "Gewerbeflächen bedarfsgerecht entwickeln", "Develop commercial land as needed", "1.1"),
    ("1.2", "Gründungen und Innovation fördern", "Promote start-ups and innovation", None),
    ("1.3", "Tourismus nachhaltig entwickeln", "Develop tourism sustainably", None),
    ("2.1", "Gute Bildung von Anfang an", "Good education from the start", None),
    ("2.1.1", "Ganztagsangebote an Grundschulen ausbauen", "Expand all-day primary schooling", "2.1"),
    ("2.1.2", "Schulen digital ausstatten", "Equip schools digitally", "2.1"),
    ("2.2", "Fachkräfte gewinnen und halten", "Attract and retain skilled workers", None),
    ("2.3", "Berufliche Bildung stärken", "Strengthen vocational training", None),
    ("3.1", "Gesundheitsversorgung wohnortnah sichern", "Secure local healthcare", None),
    ("3.1.1", "Hausärztliche Versorgung sichern", "Secure general practitioner care", "3.1"),
    ("3.2", "Ortskerne beleben", "Revitalise village centres", None),
    ("3.3", "Ehrenamt und Kultur unterstützen", "Support volunteering and culture", None),
    ("3.4", "Gut älter werden im Landkreis", "Ageing well in the district", None),
    ("4.1", "Flächendeckend schnelles Internet", "Fast internet everywhere", None),
    ("4.2", "Nahverkehr verlässlich anbieten", "Reliable public transport", None),
    ("4.2.1", "Rufbus in allen Gemeinden", "On-demand bus in every municipality", "4.2"),
    ("4.3", "Radverkehr ausbauen", "Expand cycling", None),
    ("5.1", "Klimaneutraler Landkreis bis 2040", "Climate-neutral district by 2040", None),
    ("5.1.1", "Erneuerbare Energien ausbauen", "Expand renewable energy", "5.1"),
    ("5.1.2", "Kreiseigene Gebäude sanieren", "Renovate district-owned buildings", "5.1"),
    ("5.2", "An den Klimawandel anpassen", "Adapt to climate change", None),
    ("5.3", "Natur und Wasser schützen", "Protect nature and water", None),
    ("6.1", "Verwaltungsleistungen digital anbieten", "Offer administrative services online", None),
    ("6.2", "Bürgernah und beteiligend arbeiten", "Work close to citizens and inclusively", None),
    ("6.3", "Attraktiver Arbeitgeber sein", "Be an attractive employer", None),
]

THEMES = [
    ("digitalisierung", "Digitalisierung", "Digitale Werkzeuge und Dienste in allen Handlungsfeldern."),
    ("demografie", "Demografischer Wandel", "Eine älter werdende Bevölkerung und weniger junge Menschen."),
    ("klimaanpassung", "Klimaanpassung", "Hitze, Starkregen und Trockenheit in Planung und Bau bedenken."),
    ("gleichwertige-lebensverhaeltnisse", "Gleichwertige Lebensverhältnisse", "Stadt und Land gleich gut versorgt."),
    ("beteiligung", "Beteiligung", "Bürgerinnen und Bürger an Entscheidungen beteiligen."),
]

# (short name, name, parent short name or None, e-mail)
DEPARTMENTS = [
    ("Dez I", "Dezernat I – Zentrale Dienste und Finanzen", None, "dezernat1@lk-lindenau.example"),
    ("Dez II", "Dezernat II – Bauen, Umwelt und Verkehr", None, "dezernat2@lk-lindenau.example"),
    ("Dez III", "Dezernat III – Bildung, Soziales und Gesundheit", None, "dezernat3@lk-lindenau.example"),
    ("WiFö", "Amt für Wirtschaftsförderung und Kreisentwicklung", "Dez I", "wirtschaft@lk-lindenau.example"),
    ("FB Digital", "Fachbereich Digitalisierung und IT", "Dez I", "digital@lk-lindenau.example"),
    ("FB Schule", "Fachbereich Schulen und Bildung", "Dez III", "schule@lk-lindenau.example"),
    ("FB Gesundheit", "Gesundheitsamt", "Dez III", "gesundheit@lk-lindenau.example"),
    ("FB Soziales", "Fachbereich Soziales und Senioren", "Dez III", "soziales@lk-lindenau.example"),
    ("FB Verkehr", "Fachbereich Mobilität und Straßen", "Dez II", "mobilitaet@lk-lindenau.example"),
    ("FB Umwelt", "Fachbereich Umwelt und Klimaschutz", "Dez II", "umwelt@lk-lindenau.example"),
    ("FB Bauen", "Fachbereich Bauen und Kreisgebäude", "Dez II", "bauen@lk-lindenau.example"),
    ("FB Personal", "Fachbereich Personal und Organisation", "Dez I", "personal@lk-lindenau.example"),
]

MUNICIPALITIES = [
    ("Lindenau", "09999001"),
    ("Birkenfeld am See", "09999002"),
    ("Eichenhain", "09999003"),
    ("Haselbach", "09999004"),
    ("Kirchdorf an der Aue", "09999005"),
    ("Mühlheim", "09999006"),
    ("Neustadt-Ahorn", "09999007"),
    ("Rosenthal", "09999008"),
    ("Steinach", "09999009"),
    ("Tannwald", "09999010"),
    ("Weidenhausen", "09999011"),
    ("Wiesengrund", "09999012"),
]

# (slug, German name, English name, colour, order, closed, default progress)
STATUSES = [
    ("idee", "Idee", "Idea", "#6b7280", 1, False, 0),
    ("in-planung", "in Planung", "being planned", "#1d4ed8", 2, False, 10),
    ("in-umsetzung", "in Umsetzung", "being implemented", "#b45309", 3, False, 50),
    ("abgeschlossen", "abgeschlossen", "completed", "#15803d", 4, True, 100),
    ("verstetigt", "verstetigt", "made permanent", "#0f766e", 5, True, 100),
    ("zurueckgestellt", "zurückgestellt", "postponed", "#7c2d12", 6, False, 0),
    ("entfallen", "entfallen", "dropped", "#374151", 7, True, 0),
]

FUNDING_PROGRAMMES = [
    ("leader", "LEADER", "EU-Förderung für Projekte der ländlichen Entwicklung in LEADER-Regionen."),
    ("kommunalrichtlinie", "Kommunalrichtlinie", "Bundesförderung für Klimaschutz in Kommunen."),
    ("gigabitfoerderung", "Gigabitförderung", "Bund und Land fördern den Glasfaserausbau in unterversorgten Gebieten."),
    ("digitalpakt-schule", "DigitalPakt Schule", "Bund und Land fördern die digitale Ausstattung von Schulen."),
    ("gak", "Gemeinschaftsaufgabe Agrarstruktur und Küstenschutz (GAK)", "Förderung der ländlichen Entwicklung."),
    ("efre", "EFRE", "Europäischer Fonds für regionale Entwicklung."),
]

# Goal code -> entry titles; the area follows from the goal.
ENTRIES = {
    "1.1.1": ["Nachfolgebörse für Handwerksbetriebe", "Beratungstage Betriebsübergabe"],
    "1.1.2": ["Interkommunales Gewerbegebiet Lindenau-Nord", "Gewerbeflächenkataster online"],
    "1.2": [
        "Gründerzentrum im alten Bahnhof Lindenau",
        "Innovationspreis des Landkreises",
        "Coworking-Räume in Dorfgemeinschaftshäusern",
    ],
    "1.3": ["Radwanderweg „Lindenauer Seenrunde“", "Qualitätsoffensive Gastgewerbe", "Regionalmarke „Echt Lindenau“"],
    "2.1.1": ["Ganztagsbetreuung an der Grundschule Haselbach", "Ferienprogramm für Grundschulkinder"],
    "2.1.2": ["WLAN für alle Kreisschulen", "Tablet-Ausstattung der Förderschulen", "Medienpädagogische Fortbildungen"],
    "2.2": ["Willkommensagentur für Fachkräfte", "Rückkehrerprogramm „Heimvorteil“", "Wohnungsbörse für Auszubildende"],
    "2.3": [
        "Berufsorientierungsmesse Lindenau",
        "Ausbildungsverbund Pflege",
        "Modernisierung der Berufsschule Mühlheim",
    ],
    "3.1.1": ["Stipendien für Landärztinnen und Landärzte", "Medizinisches Versorgungszentrum Steinach"],
    "3.1": ["Telemedizin in Pflegeheimen", "Gemeindeschwester plus"],
    "3.2": ["Leerstandsmanagement Ortskerne", "Dorfladen-Netzwerk", "Förderprogramm Fassaden und Höfe"],
    "3.3": ["Ehrenamtskarte Landkreis Lindenau", "Kulturförderfonds", "Digitale Vereinsplattform"],
    "3.4": ["Seniorenbeauftragte in jeder Gemeinde", "Wohnberatung für barrierefreies Wohnen"],
    "4.1": ["Glasfaserausbau in den weißen Flecken", "Glasfaser für Gewerbegebiete", "Mobilfunklücken schließen"],
    "4.2.1": ["Rufbus „LindenFlex“", "Mitfahrbänke in allen Ortsteilen"],
    "4.2": ["Taktverdichtung Buslinie 410", "Barrierefreie Bushaltestellen", "Mobilitätsstationen an Bahnhöfen"],
    "4.3": ["Radschnellweg Lindenau–Mühlheim", "Kreisweites Radverkehrskonzept", "Fahrradabstellanlagen an Schulen"],
    "5.1.1": ["Solaroffensive auf Kreisgebäuden", "Bürgerenergiegenossenschaft unterstützen", "Kommunale Wärmeplanung"],
    "5.1.2": ["Energetische Sanierung Gymnasium Lindenau", "LED-Umrüstung der Kreisstraßenbeleuchtung"],
    "5.2": ["Hitzeaktionsplan", "Starkregenvorsorge in Gemeinden", "Klimaangepasste Schulhöfe"],
    "5.3": ["Renaturierung der Aue", "Streuobstwiesen-Programm", "Blühstreifen an Kreisstraßen"],
    "6.1": ["Online-Kfz-Zulassung", "Digitaler Bauantrag", "E-Akte in der Kreisverwaltung"],
    "6.2": ["Beteiligungsportal Lindenau", "Bürgerbüro mobil", "Jugendkreistag"],
    "6.3": ["Mobiles Arbeiten in der Kreisverwaltung", "Ausbildungskampagne der Kreisverwaltung"],
}

LEADS = {
    "1": "WiFö",
    "2": "FB Schule",
    "3": "FB Soziales",
    "4": "FB Verkehr",
    "5": "FB Umwelt",
    "6": "FB Digital",
}
LEAD_OVERRIDES = {
    "4.1": "FB Digital",
    "3.1": "FB Gesundheit",
    "3.1.1": "FB Gesundheit",
    "5.1.2": "FB Bauen",
    "6.3": "FB Personal",
    "2.1.2": "FB Digital",
}

# Measures that sit under a demo project: (parent title, measure title)
MEASURES = [
    ("Glasfaserausbau in den weißen Flecken", "Los 1: Glasfaser Birkenfeld und Eichenhain"),
    ("Glasfaserausbau in den weißen Flecken", "Los 2: Glasfaser Tannwald und Wiesengrund"),
    ("Glasfaserausbau in den weißen Flecken", "Los 3: Glasfaser Rosenthal"),
    ("Solaroffensive auf Kreisgebäuden", "Photovoltaik auf dem Kreishaus"),
    ("Solaroffensive auf Kreisgebäuden", "Photovoltaik auf den Berufsschulen"),
    ("WLAN für alle Kreisschulen", "WLAN an den Gymnasien"),
    ("WLAN für alle Kreisschulen", "WLAN an den Oberschulen"),
    ("Rufbus „LindenFlex“", "Testbetrieb Rufbus Nord"),
]

ENTRY_TRANSLATIONS = {
    "Gründerzentrum im alten Bahnhof Lindenau": "Start-up centre in the old Lindenau railway station",
    "Glasfaserausbau in den weißen Flecken": "Fibre roll-out in unserved areas",
    "Rufbus „LindenFlex“": "On-demand bus “LindenFlex”",
    "Hitzeaktionsplan": "Heat action plan",
    "Online-Kfz-Zulassung": "Online vehicle registration",
    "Ehrenamtskarte Landkreis Lindenau": "Volunteer card of the district of Lindenau",
}

# (title, unit, direction, baseline, baseline year, target, target year, source, goal codes, values by year)
INDICATORS: list[tuple[Any, ...]] = [
    (
        "Haushalte mit Gigabit-Anschluss",
        "%",
        "higher",
        34,
        2021,
        95,
        2030,
        "Breitbandatlas",
        ["4.1"],
        {2021: 34, 2022: 41, 2023: 52, 2024: 61},
    ),
    (
        "CO₂-Emissionen der Kreisverwaltung",
        "t CO₂",
        "lower",
        5200,
        2020,
        1500,
        2035,
        "Energiebericht",
        ["5.1", "5.1.2"],
        {2020: 5200, 2022: 4800, 2023: 4650, 2024: 4500},
    ),
    (
        "Installierte Photovoltaikleistung",
        "MWp",
        "higher",
        85,
        2020,
        300,
        2030,
        "Marktstammdatenregister",
        ["5.1.1"],
        {2020: 85, 2022: 120, 2023: 160, 2024: 210},
    ),
    (
        "Schulabgänge ohne Abschluss",
        "%",
        "lower",
        7.8,
        2021,
        5.0,
        2030,
        "Statistisches Landesamt",
        ["2.1"],
        {2021: 7.8, 2022: 7.9, 2023: 8.1},
    ),
    (
        "Unbesetzte Ausbildungsstellen",
        "Anzahl",
        "lower",
        420,
        2021,
        200,
        2030,
        "Agentur für Arbeit",
        ["2.2", "2.3"],
        {2021: 420, 2022: 390, 2023: 350, 2024: 310},
    ),
    (
        "Hausärztinnen und Hausärzte je 10.000 Einwohner",
        "Anzahl",
        "higher",
        5.9,
        2021,
        6.8,
        2030,
        "Kassenärztliche Vereinigung",
        ["3.1.1"],
        {2021: 5.9, 2022: 5.8, 2023: 5.7},
    ),
    (
        "Fahrgäste im Busverkehr",
        "Mio. Fahrten",
        "higher",
        3.1,
        2021,
        4.5,
        2030,
        "Verkehrsverbund",
        ["4.2"],
        {2021: 3.1, 2022: 3.4, 2023: 3.8, 2024: 4.0},
    ),
    (
        "Online verfügbare Verwaltungsleistungen",
        "Anzahl",
        "higher",
        40,
        2021,
        250,
        2027,
        "Kreisverwaltung",
        ["6.1"],
        {2021: 40, 2022: 80, 2023: 120, 2024: 150},
    ),
    (
        "Gründungen je 10.000 Einwohner",
        "Anzahl",
        "higher",
        42,
        2021,
        55,
        2030,
        "IHK",
        ["1.2"],
        {2021: 42, 2022: 44, 2023: 47},
    ),
]

TRAFFIC_LIGHTS = [TrafficLight.ON_TRACK, TrafficLight.AT_RISK, TrafficLight.OFF_TRACK, TrafficLight.UNKNOWN]
REPORT_TEXTS = [
    "Die Arbeiten laufen nach Plan; die nächsten Schritte sind mit den Gemeinden abgestimmt.",
    "Der Förderantrag ist gestellt, der Bescheid steht noch aus.",
    "Lieferengpässe verzögern die Umsetzung um einige Monate.",
    "Die Ausschreibung ist abgeschlossen, der Auftrag vergeben.",
    "Der Kreistag hat die Finanzierung für die nächsten zwei Jahre beschlossen.",
    "Personalwechsel im Fachbereich; die Planung wird neu aufgesetzt.",
]


def locales():
    return (
        Locale.objects.get_or_create(language_code="de")[0],
        Locale.objects.get_or_create(language_code="en")[0],
    )


def _get_or_create(model, lookup, defaults):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **defaults)
        instance.full_clean()
        instance.save()
    return instance


def build_taxonomy(locale):
    """Create the strategy's vocabulary in `locale` if missing, and return it by natural key."""
    areas = {}
    for code, slug, title, _english, colour, text in AREAS:
        areas[code] = _get_or_create(
            Area,
            {"code": code, "locale": locale},
            {"slug": slug, "title": title, "colour": colour, "short_description": text, "order": int(code)},
        )
    goals: dict[str | None, Goal] = {}
    for order, (code, title, _english, parent) in enumerate(GOALS):
        goals[code] = _get_or_create(
            Goal,
            {"code": code, "locale": locale},
            {"area": areas[code.split(".")[0]], "parent": goals.get(parent), "title": title, "order": order},
        )
    themes = {
        slug: _get_or_create(Theme, {"slug": slug, "locale": locale}, {"title": title, "description": text})
        for slug, title, text in THEMES
    }
    departments: dict[str | None, Department] = {}
    for short_name, name, parent, email in DEPARTMENTS:
        department = _get_or_create(
            Department,
            {"short_name": short_name, "locale": locale},
            {"name": name, "parent": departments.get(parent), "email": email},
        )
        group, _ = Group.objects.get_or_create(name=f"Fachbereich {short_name}")
        department.groups.add(group)
        departments[short_name] = department
    municipalities = {
        ags: _get_or_create(Municipality, {"ags": ags}, {"name": name, "slug": slugify(name)})
        for name, ags in MUNICIPALITIES
    }
    statuses = {}
    for slug, name, _english, colour, order, closed, progress in STATUSES:
        statuses[slug] = _get_or_create(
            Status,
            {"slug": slug, "locale": locale},
            {"name": name, "colour": colour, "order": order, "is_closed": closed, "default_progress": progress},
        )
    programmes = {
        slug: _get_or_create(
            FundingProgramme, {"slug": slug, "locale": locale}, {"name": name, "short_description": text}
        )
        for slug, name, text in FUNDING_PROGRAMMES
    }
    return {
        "areas": areas,
        "goals": goals,
        "themes": themes,
        "departments": departments,
        "municipalities": municipalities,
        "statuses": statuses,
        "programmes": programmes,
    }


def _report_plan(index):
    """Status path and final traffic light for the demo entry number `index`, cycling all values."""
    final = STATUSES[index % len(STATUSES)][0]
    path = {
        "idee": ["idee"],
        "in-planung": ["idee", "in-planung"],
        "in-umsetzung": ["in-planung", "in-umsetzung", "in-umsetzung"],
        "abgeschlossen": ["in-planung", "in-umsetzung", "in-umsetzung", "abgeschlossen"],
        "verstetigt": ["in-umsetzung", "abgeschlossen", "verstetigt"],
        "zurueckgestellt": ["in-planung", "zurueckgestellt"],
        "entfallen": ["idee", "entfallen"],
    }[final]
    return path, TRAFFIC_LIGHTS[(index // len(STATUSES)) % len(TRAFFIC_LIGHTS)]


def create_entry(taxonomy, *, code, title, goal_codes, index, locale, parent=None, kind=Project.Kind.PROJECT):
    """Create and publish one entry with its report history, unless its code exists already."""
    existing = Project.objects.filter(code=code, locale=locale).first()
    if existing is not None:
        return existing
    goal = taxonomy["goals"][goal_codes[0]]
    lead = LEAD_OVERRIDES.get(goal.code) or LEADS[goal.area.code]
    municipalities = list(taxonomy["municipalities"].values())
    start = datetime.date(2022 + index % 3, 1 + index % 12, 1)
    path, light = _report_plan(index)
    entry = Project(
        code=code,
        title=title,
        kind=kind,
        parent=parent,
        locale=locale,
        summary=f"{title}: ein Vorhaben des Landkreises Lindenau im Handlungsfeld „{goal.area.title}“.",
        description=(
            f"<p>Mit „{title}“ setzt der Landkreis das Ziel „{goal.title}“ um. "
            "Die Umsetzung erfolgt gemeinsam mit den Gemeinden und weiteren Partnern.</p>"
        ),
        lead_department=taxonomy["departments"][lead],
        county_wide=index % 3 == 0,
        planned_start=start,
        planned_end=None if index % 11 == 0 else start.replace(year=start.year + 1 + index % 4),
        continuous=index % 11 == 0,
        actual_start=start if path[-1] not in ("idee", "in-planung") else None,
        cost_estimate=Decimal(25_000 * (1 + index % 40)),
        funding_amount=Decimal(12_500 * (1 + index % 40)) if index % 2 else None,
        priority=["I", "II", "III"][index % 3],
        contact_name=["Anna Keller", "Jonas Brandt", "Leyla Aydın", "Peter Wolf"][index % 4],
        contact_email=taxonomy["departments"][lead].email,
        contact_phone=f"09999 123-{100 + index}",
        weight=1 + index % 3,
        live=False,
    )
    first_report = start - datetime.timedelta(days=60)
    for step, slug in enumerate(path):
        status = taxonomy["statuses"][slug]
        last = step == len(path) - 1
        entry.reports.add(
            StatusReport(
                date=first_report + datetime.timedelta(days=182 * step),
                reporting_period=f"{'1.' if step % 2 == 0 else '2.'} Halbjahr {(first_report.year + step // 2)}",
                status=status,
                traffic_light=light if last else TrafficLight.ON_TRACK,
                progress=min(100, status.default_progress + (step * 5 if not status.is_closed else 0)),
                text=REPORT_TEXTS[(index + step) % len(REPORT_TEXTS)],
                department=taxonomy["departments"][lead],
            )
        )
    entry.full_clean()
    entry.save()
    entry.goals.set([taxonomy["goals"][goal_code] for goal_code in goal_codes])
    themes = list(taxonomy["themes"].values())
    entry.themes.set([themes[index % len(themes)], themes[(index + 2) % len(themes)]])
    if entry.county_wide:
        entry.municipalities.set([])
    else:
        entry.municipalities.set([municipalities[index % len(municipalities)]])
    programmes = list(taxonomy["programmes"].values())
    if index % 2:
        entry.funding_programmes.set([programmes[index % len(programmes)]])
    entry.save()
    entry.save_revision().publish()
    entry.refresh_from_db()
    return entry


def build_entries(taxonomy, locale):
    entries = {}
    index = 0
    for goal_code, titles in ENTRIES.items():
        for number, title in enumerate(titles, start=1):
            code = f"{goal_code}.{number:02d}"
            goals = [goal_code]
            if index % 5 == 0:
                # Some entries serve a second goal elsewhere in the strategy.
                goals.append(GOALS[(index * 7) % len(GOALS)][0])
            entries[title] = create_entry(
                taxonomy, code=code, title=title, goal_codes=goals, index=index, locale=locale
            )
            index += 1
    for number, (parent_title, title) in enumerate(MEASURES, start=1):
        parent = entries[parent_title]
        entries[title] = create_entry(
            taxonomy,
            code=f"{parent.code}-{number}",
            title=title,
            goal_codes=[goal.code for goal in parent.goals.all()],
            index=index,
            locale=locale,
            parent=parent,
            kind=Project.Kind.MEASURE,
        )
        index += 1
    return entries


def build_indicators(taxonomy, entries, locale):
    for title, unit, direction, base, base_year, target, target_year, source, goal_codes, values in INDICATORS:
        indicator = Indicator.objects.filter(title=title, locale=locale).first()
        if indicator is not None:
            continue
        indicator = Indicator(
            title=title,
            unit=unit,
            direction=direction,
            baseline_value=Decimal(str(base)),
            baseline_year=base_year,
            target_value=Decimal(str(target)),
            target_year=target_year,
            source=source,
            locale=locale,
        )
        for year, value in values.items():
            indicator.values.add(IndicatorValue(date=datetime.date(year, 12, 31), value=Decimal(str(value))))
        indicator.full_clean()
        indicator.save()
        indicator.goals.set([taxonomy["goals"][code] for code in goal_codes])
        indicator.projects.set(
            [entry for entry in entries.values() if any(goal.code in goal_codes for goal in entry.goals.all())][:5]
        )


def _translate_if_missing(instance, english, strings):
    if instance.has_translation(english):
        return instance.get_translation(english)
    return translate(instance, english, strings)


def build_translations(taxonomy, entries, english):
    for code, _slug, _title, title_en, _colour, _text in AREAS:
        area = taxonomy["areas"][code]
        _translate_if_missing(area, english, {area.title: title_en})
    for code, title, title_en, _parent in GOALS:
        _translate_if_missing(taxonomy["goals"][code], english, {title: title_en})
    for slug, name, name_en, *_rest in STATUSES:
        _translate_if_missing(taxonomy["statuses"][slug], english, {name: name_en})
    for title, title_en in ENTRY_TRANSLATIONS.items():
        entry = entries[title]
        _translate_if_missing(entry, english, {title: title_en})


@transaction.atomic
def build_catalogue(stdout=None):
    german, english = locales()
    taxonomy = build_taxonomy(german)
    entries = build_entries(taxonomy, german)
    build_indicators(taxonomy, entries, german)
    build_translations(taxonomy, entries, english)
    if stdout is not None:
        stdout.write(
            f"Catalogue: {len(taxonomy['goals'])} goals, {len(entries)} entries, {len(INDICATORS)} indicators."
        )
    return taxonomy
