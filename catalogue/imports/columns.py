"""The catalogue's spreadsheet format: one column set in one order, shared by every import and export.

What the import reads back is what the export wrote: lists are joined with "; ", choices are
written as their German labels, dates as real date cells (XLSX) or `dd.mm.yyyy` (CSV),
amounts as numbers (XLSX) or with a decimal comma (`catalogue.imports.writers`).
"""

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
# The licence's identifier in DCAT-AP.de's vocabulary of licences.
LICENCE_URI = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
# Lines of a file that begin with this are notes (source and licence), not rows.
NOTE_PREFIX = "#"
NOTE_SHEET_TITLE = "Quelle und Lizenz"


class Column(NamedTuple):
    key: str
    header_de: str
    header_en: str
    description: Promise


COLUMNS = [
    Column("code", "Nummer", "Code", _("Nummer des Eintrags im Katalog, z. B. 2.1.03; je Sprache eindeutig. Pflicht.")),
    Column("title", "Titel", "Title", _("Kurzer, verständlicher Titel. Pflicht.")),
    Column("kind", "Art", "Kind", _("„Projekt“ oder „Maßnahme“; leer bedeutet Projekt.")),
    Column("parent_code", "Übergeordnete Nummer", "Parent code", _("Nummer des Projekts, zu dem der Eintrag gehört.")),
    Column("summary", "Kurzbeschreibung", "Summary", _("Zwei bis drei Sätze für Listen und Suchergebnisse.")),
    Column("description", "Beschreibung", "Description", _("Langtext; Absätze oder HTML wie im Redaktionssystem.")),
    Column("goals", "Ziele", "Goals", _("Nummern (oder Titel) der Ziele, getrennt durch Semikolon. Pflicht.")),
    Column("themes", "Querschnittsthemen", "Themes", _("Namen der Querschnittsthemen, getrennt durch Semikolon.")),
    Column(
        "lead_department",
        "Federführung",
        "Lead department",
        _("Name oder Kurzname der federführenden Stelle. Pflicht."),
    ),
    Column(
        "partner_departments",
        "Beteiligte Stellen",
        "Partner departments",
        _("Namen oder Kurznamen weiterer Stellen, getrennt durch Semikolon."),
    ),
    Column(
        "external_partners",
        "Externe Partner",
        "External partners",
        _("Partner außerhalb der Verwaltung, einer je Zeile."),
    ),
    Column(
        "municipalities",
        "Gemeinden",
        "Municipalities",
        _("Namen der Gemeinden, getrennt durch Semikolon, oder „kreisweit“."),
    ),
    Column("planned_start", "Beginn geplant", "Planned start", _("Datum, z. B. 01.06.2019, 06/2019 oder 2019.")),
    Column("planned_end", "Ende geplant", "Planned end", _("Datum; nicht vor dem geplanten Beginn.")),
    Column("actual_start", "Beginn tatsächlich", "Actual start", _("Datum, an dem die Umsetzung begann.")),
    Column("actual_end", "Ende tatsächlich", "Actual end", _("Datum, an dem die Umsetzung endete.")),
    Column(
        "continuous", "Daueraufgabe", "Continuous", _("„ja“, wenn der Eintrag kein geplantes Ende hat; sonst leer.")
    ),
    Column(
        "cost_estimate",
        "Kosten (Euro)",
        "Cost (EUR)",
        _("Betrag in Euro, z. B. 1.250.000,00 €, 1,5 Mio. € oder 250 T€."),
    ),
    Column(
        "funding_programmes",
        "Förderprogramme",
        "Funding programmes",
        _("Namen der Förderprogramme, getrennt durch Semikolon."),
    ),
    Column(
        "funding_amount", "Fördersumme (Euro)", "Funding amount (EUR)", _("Bewilligte oder beantragte Mittel in Euro.")
    ),
    Column("priority", "Priorität", "Priority", _("I, II oder III.")),
    Column("weight", "Gewicht", "Weight", _("Gewicht im Fortschritt des übergeordneten Eintrags; leer bedeutet 1.")),
    Column("status", "Status", "Status", _("Status laut letztem Bericht, z. B. „in Umsetzung“.")),
    Column("traffic_light", "Ampel", "Traffic light", _("„im Plan“, „gefährdet“, „kritisch“ oder „unbekannt“.")),
    Column("progress", "Fortschritt (%)", "Progress (%)", _("Fortschritt in Prozent, 0 bis 100.")),
    Column("contact_name", "Ansprechperson", "Contact", _("Name der Ansprechperson für die Öffentlichkeit.")),
    Column("contact_email", "E-Mail", "Email", _("E-Mail-Adresse für Rückfragen.")),
    Column("contact_phone", "Telefon", "Phone", _("Telefonnummer für Rückfragen.")),
    Column("last_report_date", "Letzter Bericht", "Last report date", _("Stichtag des neuesten Statusberichts.")),
    Column("last_report_text", "Berichtstext", "Last report text", _("Text des neuesten Statusberichts.")),
    Column(
        "sdg_targets",
        "SDG-Unterziele",
        "SDG targets",
        _("Nummern der Unterziele der UN-Nachhaltigkeitsziele, getrennt durch Semikolon, z. B. 7.2; 13.2."),
    ),
]

COLUMN_KEYS = [column.key for column in COLUMNS]
LIST_SEPARATOR = "; "
COUNTY_WIDE = "kreisweit"
YES = "ja"
DATE_FORMAT = "%d.%m.%Y"
XLSX_DATE_FORMAT = "DD.MM.YYYY"
# Spreadsheet programs run a cell that begins with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def headers(language: str = "de") -> list[str]:
    return [column.header_en if language == "en" else column.header_de for column in COLUMNS]
