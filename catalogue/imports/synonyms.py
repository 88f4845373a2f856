"""Column headers as counties write them: each field's German and English names and their synonyms.

Headers are compared after `normalise_header`: case, spaces, punctuation, umlaut spellings
(ä/ae, ß/ss) and unit decorations ("(Euro)", "in €", "%") do not matter, and "Nr.", "Nr",
"Nummer", "No." are one word. Some names are ambiguous ("Stand" is mostly the date a row was
last updated, sometimes its status): `AMBIGUOUS` lists their candidates, and the content of
the column decides (`catalogue.imports.mapping`).
"""

import re

from .columns import COLUMNS

# A field that the format does not export but a county file often has: the area of action,
# used to find goals by title within it and to create a missing goal under it.
AREA = "area"
IGNORE = ""

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NUMBER_WORDS = re.compile(r"(nummer|nr|no|number|#)$")
_UNITS = re.compile(r"(ineuro|ineur|in€|euro|eur|€|inprozent|prozent|percent|in%|%)$")


def normalise_header(text: object) -> str:
    """A header reduced to lowercase letters and digits, with umlauts spelled out."""
    value = str(text or "").casefold().translate(_UMLAUTS)
    return re.sub(r"[^a-z0-9€%#]+", "", value)


def _stem(text: str) -> str:
    """The header without a trailing unit, so that "Kosten (Euro)" and "Kosten in €" meet "Kosten"."""
    return _UNITS.sub("", text) or text


# Further spellings seen in county spreadsheets, written naturally and normalised on load.
SYNONYMS: dict[str, list[str]] = {
    "code": [
        "Nr.",
        "Nummer",
        "lfd. Nr.",
        "laufende Nummer",
        "Projektnummer",
        "Projekt-Nr.",
        "Maßnahmennummer",
        "Maßnahmen-Nr.",
        "Maßnahme Nr.",
        "Eintrag Nr.",
        "Kennung",
        "Kennziffer",
        "ID",
        "No.",
        "Number",
        "Code",
    ],
    "title": [
        "Titel",
        "Bezeichnung",
        "Projekttitel",
        "Projektname",
        "Projekt",
        "Maßnahme",
        "Maßnahmentitel",
        "Titel der Maßnahme",
        "Vorhaben",
        "Name",
        "Title",
    ],
    "kind": ["Art", "Typ", "Type", "Eintragsart", "Projekt/Maßnahme"],
    "parent_code": ["Übergeordnete Nummer", "Übergeordnetes Projekt", "übergeordnet", "gehört zu", "Parent"],
    "summary": ["Kurzbeschreibung", "Kurztext", "Zusammenfassung", "Kurzfassung"],
    "description": ["Beschreibung", "Langtext", "Erläuterung", "Inhalt", "Projektbeschreibung"],
    "goals": [
        "Ziele",
        "Ziel",
        "Zielnummer",
        "Zielnummern",
        "Ziel-Nr.",
        "Strategisches Ziel",
        "Strategische Ziele",
        "Leitziel",
        "Teilziel",
        "Goal",
        "Goal codes",
    ],
    AREA: ["Handlungsfeld", "Handlungsfelder", "Handlungsfeld-Nr.", "HF", "Themenfeld", "Area", "Area of action"],
    "themes": ["Querschnittsthemen", "Querschnittsthema", "Themen", "Thema", "Themes"],
    "lead_department": [
        "Federführung",
        "federführend",
        "Federführende Stelle",
        "Zuständigkeit",
        "zuständig",
        "Zuständige Stelle",
        "verantwortlich",
        "Amt",
        "Fachbereich",
        "Lead department",
    ],
    "partner_departments": ["Beteiligte Stellen", "Beteiligte", "Partnerämter", "weitere Stellen", "Mitwirkende"],
    "external_partners": ["Externe Partner", "Partner", "Externe", "Kooperationspartner"],
    "municipalities": ["Gemeinden", "Gemeinde", "Kommunen", "Kommune", "Ort", "Orte", "Standort", "Municipality"],
    "planned_start": ["Beginn geplant", "geplanter Beginn", "Beginn", "Start", "Projektbeginn", "Laufzeit von"],
    "planned_end": ["Ende geplant", "geplantes Ende", "Ende", "Projektende", "Laufzeit bis"],
    "actual_start": ["Beginn tatsächlich", "tatsächlicher Beginn", "Ist-Beginn"],
    "actual_end": ["Ende tatsächlich", "tatsächliches Ende", "Ist-Ende", "abgeschlossen am"],
    "continuous": ["Daueraufgabe", "dauerhaft", "Dauermaßnahme"],
    "cost_estimate": ["Kosten", "geschätzte Kosten", "Gesamtkosten", "Kostenschätzung", "Investition", "Cost"],
    "funding_programmes": ["Förderprogramme", "Förderprogramm", "Förderung", "Fördermittelgeber"],
    "funding_amount": ["Fördersumme", "Fördermittel", "Förderbetrag", "Zuschuss", "Funding amount"],
    "priority": ["Priorität", "Prio", "Priorisierung"],
    "weight": ["Gewicht", "Gewichtung"],
    "status": ["Status", "Umsetzungsstatus", "Projektstatus", "Stand der Umsetzung", "Bearbeitungsstand"],
    "traffic_light": ["Ampel", "Ampelstatus", "Ampelbewertung", "Bewertung", "Traffic light"],
    "progress": ["Fortschritt", "Fortschritt in Prozent", "Umsetzungsgrad", "Erfüllungsgrad", "Progress"],
    "contact_name": ["Ansprechperson", "Ansprechpartner", "Ansprechpartnerin", "Kontakt", "Contact", "Contact name"],
    "contact_email": ["E-Mail", "E-Mail-Adresse", "Mail", "Email", "Contact email"],
    "contact_phone": ["Telefon", "Tel.", "Telefonnummer", "Phone", "Contact phone"],
    "last_report_date": [
        "Letzter Bericht",
        "Berichtsdatum",
        "Stichtag",
        "Datum letzter Bericht",
        "Stand vom",
        "Aktualisiert",
        "letzte Aktualisierung",
        "Last report",
    ],
    "last_report_text": ["Berichtstext", "Sachstand", "Bericht", "Letzter Berichtstext", "Anmerkungen zum Stand"],
    "sdg_targets": [
        "SDG-Unterziele",
        "SDG",
        "SDGs",
        "SDG-Ziele",
        "Nachhaltigkeitsziele",
        "SDG targets",
        "SDG-Unterziel",
    ],
}

# Headers that mean different fields in different files; the column's content decides.
AMBIGUOUS: dict[str, list[str]] = {
    normalise_header(name): keys
    for name, keys in {
        "Stand": ["last_report_date", "status"],
        "Datum": ["last_report_date", "planned_start"],
        "Status": ["status", "traffic_light"],
        "Bewertung": ["traffic_light", "status"],
        "Zeitraum": ["planned_start", "planned_end"],
    }.items()
}

_NUMBER_PREFIXES = {
    "": "code",
    "lfd": "code",
    "laufende": "code",
    "projekt": "code",
    "massnahme": "code",
    "massnahmen": "code",
    "eintrag": "code",
    "katalog": "code",
    "ziel": "goals",
    "ziele": "goals",
    "handlungsfeld": AREA,
    "hf": AREA,
    "uebergeordnete": "parent_code",
    "uebergeordnetes": "parent_code",
}

HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.header_de, _column.header_en):
        HEADER_LOOKUP.setdefault(normalise_header(_name), _column.key)
for _key, _names in SYNONYMS.items():
    for _name in _names:
        HEADER_LOOKUP.setdefault(normalise_header(_name), _key)
for _name in AMBIGUOUS:
    HEADER_LOOKUP.pop(_name, None)


def field_for_header(text: object) -> str | None:
    """The field a header names without doubt, or None (unknown or ambiguous)."""
    name = normalise_header(text)
    if not name or name in AMBIGUOUS:
        return None
    for candidate in (name, _stem(name)):
        if candidate in HEADER_LOOKUP:
            return HEADER_LOOKUP[candidate]
    match = _NUMBER_WORDS.search(name)
    if match:
        return _NUMBER_PREFIXES.get(name[: match.start()])
    return None


def candidates_for_header(text: object) -> list[str]:
    """The fields an ambiguous header may mean, best first; empty when it is not ambiguous."""
    return list(AMBIGUOUS.get(normalise_header(text), []))


def is_known_header(text: object) -> bool:
    return field_for_header(text) is not None or bool(candidates_for_header(text))
