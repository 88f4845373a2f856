"""The UN Sustainable Development Goals and their targets: a fixed taxonomy shipped as data.

The 17 goals and 169 targets come from `catalogue/data/sdg.yaml` (German and English) and are
loaded by the migration that creates the tables and again by `manage.py load_sdgs`. They are
not edited in the admin; their texts live per language in one JSON column, so the taxonomy
needs no locale rows and is complete in every language the data file carries.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "sdg.yaml"
FALLBACK_LANGUAGE = "de"


def _in_language(texts: dict[str, str]) -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()), "")


class SdgGoal(models.Model):
    """One of the 17 goals, e.g. 7 „Bezahlbare und saubere Energie“."""

    number = models.PositiveSmallIntegerField(_("Nummer"), unique=True, help_text=_("Nummer des Ziels, 1 bis 17."))
    colour = models.CharField(_("Farbe"), max_length=7, help_text=_("Erkennungsfarbe des Ziels als #rrggbb."))
    names = models.JSONField(_("Namen"), default=dict, help_text=_("Kurzname je Sprache."))
    titles = models.JSONField(_("Titel"), default=dict, help_text=_("Voller Wortlaut des Ziels je Sprache."))

    class Meta:
        verbose_name = _("Nachhaltigkeitsziel (SDG)")
        verbose_name_plural = _("Nachhaltigkeitsziele (SDG)")
        ordering = ["number"]

    def __str__(self):
        return f"SDG {self.number} {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.names)

    @property
    def title(self) -> str:
        return _in_language(self.titles)

    @property
    def icon(self) -> str:
        """Path of the goal's icon below the static root."""
        return f"img/sdg/sdg-{self.number:02d}.svg"


class SdgTarget(models.Model):
    """One target of a goal, e.g. 7.2 (more renewable energy) or 7.a (a means of implementation)."""

    goal = models.ForeignKey(
        SdgGoal, verbose_name=_("Ziel"), on_delete=models.CASCADE, related_name="targets", help_text=_("Das Ziel.")
    )
    code = models.CharField(_("Nummer"), max_length=8, unique=True, help_text=_("Nummer des Unterziels, z. B. 7.2."))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0, help_text=_("Reihenfolge im Ziel."))
    texts = models.JSONField(_("Wortlaut"), default=dict, help_text=_("Wortlaut des Unterziels je Sprache."))

    class Meta:
        verbose_name = _("SDG-Unterziel")
        verbose_name_plural = _("SDG-Unterziele")
        ordering = ["goal__number", "order"]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return _in_language(self.texts)


@dataclass(frozen=True)
class SdgData:
    goals: list[dict[str, Any]]


@cache
def sdg_data() -> SdgData:
    """The shipped data file, read once per process."""
    with DATA_FILE.open(encoding="utf-8") as stream:
        return SdgData(goals=yaml.safe_load(stream)["goals"])


def load_sdgs(goal_model: type[models.Model] = SdgGoal, target_model: type[models.Model] = SdgTarget) -> int:
    """Create or update every goal and target from the data file; returns the number of targets.

    Takes the model classes so that the data migration can pass its historical models.
    """
    count = 0
    for goal_data in sdg_data().goals:
        goal, _created = goal_model._default_manager.update_or_create(
            number=goal_data["number"],
            defaults={"colour": goal_data["colour"], "names": goal_data["name"], "titles": goal_data["title"]},
        )
        for order, target_data in enumerate(goal_data["targets"]):
            target_model._default_manager.update_or_create(
                code=str(target_data["code"]),
                defaults={"goal": goal, "order": order, "texts": target_data["text"]},
            )
            count += 1
    return count
