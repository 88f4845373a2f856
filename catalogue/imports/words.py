"""The fixed words an import understands for choices: kinds, priorities, traffic lights, yes and no.

Compared after `choice_key` (case, spaces, dashes and dots do not matter). Traffic lights are
written as colours in most county files ("grün", "gelb", "rot", "grau"), as often as in words
("im Plan", "gefährdet", "kritisch").
"""

import re

from django.db import models

from catalogue.models import Project, TrafficLight

from .columns import COUNTY_WIDE


def choice_key(text: str) -> str:
    return re.sub(r"[\s_\-–.]+", "", str(text).casefold())


def choice_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Keys and German labels of a TextChoices, as `choice_key`s."""
    labels: dict[str, str] = {}
    for key, label in choices.choices:
        for text in (key, str(label)):
            labels[choice_key(text)] = key
    return labels


TRUE_WORDS = {"ja", "j", "x", "yes", "y", "true", "wahr", "1", "✓", "✔"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0", ""}
COUNTY_WIDE_WORDS = {
    choice_key(word)
    for word in (COUNTY_WIDE, "landkreisweit", "ganzer Landkreis", "gesamter Landkreis", "county-wide", "alle")
}
KIND_WORDS = {
    **choice_labels(Project.Kind),
    "": Project.Kind.PROJECT,
    "massnahme": Project.Kind.MEASURE,
    "measure": Project.Kind.MEASURE,
    "teilprojekt": Project.Kind.MEASURE,
}
PRIORITY_WORDS = {
    **choice_labels(Project.Priority),
    "": "",
    "1": "I",
    "hoch": "I",
    "high": "I",
    "a": "I",
    "2": "II",
    "mittel": "II",
    "medium": "II",
    "b": "II",
    "3": "III",
    "niedrig": "III",
    "gering": "III",
    "low": "III",
    "c": "III",
}
LIGHT_WORDS = {
    **choice_labels(TrafficLight),
    "": TrafficLight.UNKNOWN,
    "grün": TrafficLight.ON_TRACK,
    "gruen": TrafficLight.ON_TRACK,
    "green": TrafficLight.ON_TRACK,
    "implan": TrafficLight.ON_TRACK,
    "imzeitplan": TrafficLight.ON_TRACK,
    "gelb": TrafficLight.AT_RISK,
    "orange": TrafficLight.AT_RISK,
    "yellow": TrafficLight.AT_RISK,
    "amber": TrafficLight.AT_RISK,
    "rot": TrafficLight.OFF_TRACK,
    "red": TrafficLight.OFF_TRACK,
    "grau": TrafficLight.UNKNOWN,
    "grey": TrafficLight.UNKNOWN,
    "gray": TrafficLight.UNKNOWN,
    "keineangabe": TrafficLight.UNKNOWN,
    "ka": TrafficLight.UNKNOWN,
}
LIGHT_CHOICES = [(key, str(label)) for key, label in TrafficLight.choices]
