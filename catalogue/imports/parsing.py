"""One row's cells as field values, and the entry's current values to compare them with."""

import datetime
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _
from wagtail.models import Locale

from catalogue.models import (
    Project,
    TrafficLight,
)

from .cells import CellError, cell_text, parse_choice, parse_date, parse_money, parse_whole_number, split_list
from .rows import project_queryset
from .vocabulary import (
    COUNTY_WIDE_WORDS,
    FALSE_WORDS,
    KIND_LABELS,
    KIND_WORDS,
    LIGHT_LABELS,
    LIGHT_WORDS,
    PRIORITY_LABELS,
    PRIORITY_WORDS,
    TRUE_WORDS,
    Pending,
    Vocabulary,
)

REQUIRED_FOR_NEW = ["title", "goals", "lead_department"]
REPORT_KEYS = ["status", "traffic_light", "progress", "last_report_date", "last_report_text"]
SCALAR_FIELDS = [
    "title",
    "kind",
    "summary",
    "description",
    "external_partners",
    "county_wide",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "continuous",
    "cost_estimate",
    "funding_amount",
    "priority",
    "weight",
    "contact_name",
    "contact_email",
    "contact_phone",
]
FOREIGN_KEYS = {"lead_department": "lead_department_id"}
MANY_TO_MANY = ["goals", "themes", "partner_departments", "municipalities", "funding_programmes", "sdg_targets"]
MAX_LENGTHS = {"code": 20, "title": 255, "contact_name": 160, "contact_phone": 40}
END_DATES = {"planned_end", "actual_end"}
DATES = {"planned_start", "planned_end", "actual_start", "actual_end", "last_report_date"}
MONEY = {"cost_estimate", "funding_amount"}
LISTS = {"themes": "themes", "partner_departments": "departments", "funding_programmes": "funding_programmes"}


def parse_row(
    cells: Sequence[object], mapping: Mapping[int, str], vocabulary: Vocabulary
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Return (values by column key, [(column key, message)]) for one row's cells."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for position, key in mapping.items():
        raw = cells[position] if position < len(cells) else None
        try:
            _parse_cell(key, raw, values, vocabulary)
        except CellError as error:
            problems.append((key, str(error)))
    return values, problems


def _parse_cell(key: str, raw: object, values: dict[str, Any], vocabulary: Vocabulary) -> None:
    if key in DATES:
        values[key] = parse_date(raw, end=key in END_DATES)
    elif key in MONEY:
        values[key] = parse_money(raw)
    elif key == "progress":
        values[key] = parse_whole_number(raw, percent=True)
    elif key == "weight":
        number = parse_whole_number(raw)
        values[key] = 1 if number is None else number
    elif key == "continuous":
        text = cell_text(raw).casefold()
        if text not in TRUE_WORDS | FALSE_WORDS:
            raise CellError(
                _("„%(value)s“ verstehe ich nicht; bitte „ja“ oder leer lassen.") % {"value": cell_text(raw)}
            )
        values[key] = text in TRUE_WORDS
    elif key == "kind":
        values[key] = parse_choice(
            raw, KIND_WORDS, KIND_LABELS, _("„%(value)s“ ist keine Art; erlaubt: Projekt, Maßnahme.")
        )
    elif key == "priority":
        values[key] = parse_choice(
            raw, PRIORITY_WORDS, PRIORITY_LABELS, _("„%(value)s“ ist keine Priorität; erlaubt: I, II, III.")
        )
    elif key == "traffic_light":
        values[key] = parse_choice(
            raw,
            LIGHT_WORDS,
            LIGHT_LABELS,
            _("„%(value)s“ ist keine Ampel; erlaubt: im Plan, gefährdet, kritisch, unbekannt."),
        )
    elif key == "goals":
        goals = []
        for part in split_list(raw):
            tokens = [part]
            if part.casefold() not in vocabulary.goal_titles and part not in vocabulary.goals and "," in part:
                tokens = [token.strip() for token in part.split(",") if token.strip()]
            for token in tokens:
                goal = vocabulary.find_goal(token)
                if goal not in goals:
                    goals.append(goal)
        values[key] = goals
    elif key == "sdg_targets":
        targets = []
        for token in split_list(raw, commas=True):
            target = vocabulary.find_sdg_target(token)
            if target not in targets:
                targets.append(target)
        values[key] = targets
    elif key in LISTS:
        found = []
        for name in split_list(raw):
            item = vocabulary.find(LISTS[key], name)
            if item not in found:
                found.append(item)
        values[key] = found
    elif key == "municipalities":
        places, county_wide = [], False
        for name in split_list(raw):
            if re.sub(r"[\s\-]+", "", name.casefold()) in COUNTY_WIDE_WORDS:
                county_wide = True
                continue
            place = vocabulary.find("municipalities", name)
            if place not in places:
                places.append(place)
        values["municipalities"], values["county_wide"] = places, county_wide
    elif key == "lead_department":
        text = cell_text(raw)
        values[key] = vocabulary.find("departments", text) if text else None
    elif key == "status":
        text = cell_text(raw)
        values[key] = vocabulary.find("statuses", text) if text else None
    else:
        text = cell_text(raw)
        if key in MAX_LENGTHS and len(text) > MAX_LENGTHS[key]:
            raise CellError(_("Der Text ist länger als %(max)s Zeichen.") % {"max": MAX_LENGTHS[key]})
        if key == "contact_email" and text:
            try:
                validate_email(text)
            except ValidationError as error:
                raise CellError(_("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": text}) from error
        values[key] = text


def comparable(key: str, value: object) -> object:
    if isinstance(value, list):
        return frozenset(item if isinstance(item, Pending) else item.pk for item in value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def display(key: str, value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "; ".join(item.name if isinstance(item, Pending) else _term_name(key, item) for item in value)
    if isinstance(value, Pending):
        return value.name
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f} €".replace(",", " ").replace(".", ",").replace(" ", ".")
    if key == "kind":
        return str(Project.Kind(value).label)
    if key == "traffic_light":
        return str(TrafficLight(value).label)
    return str(value)


def _term_name(key: str, item: Any) -> str:
    return item.code if key in ("goals", "sdg_targets") else str(item)


def current_values(project: Project) -> dict[str, Any]:
    """An existing entry in the shape `parse_row` gives, for comparison."""
    values: dict[str, Any] = {
        "code": project.code,
        "parent_code": project.parent.code if project.parent else "",
        "lead_department": project.lead_department,
        "goals": list(project.goals.all()),
        "themes": list(project.themes.all()),
        "partner_departments": list(project.partner_departments.all()),
        "municipalities": list(project.municipalities.all()),
        "funding_programmes": list(project.funding_programmes.all()),
        "sdg_targets": list(project.sdg_targets.all()),
        "status": project.status,
        "traffic_light": project.traffic_light,
        "progress": project.progress,
        "last_report_date": project.last_report_date,
        "last_report_text": getattr(project, "newest_report_text", None) or "",
    }
    for name in SCALAR_FIELDS:
        values[name] = getattr(project, name)
    return values


def existing_projects(locale: Locale) -> dict[str, Project]:
    return {project.code: project for project in project_queryset(Project.objects.filter(locale=locale))}
