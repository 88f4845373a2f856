"""The words an import understands: taxonomy terms by name or code, choices in German and English."""

import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from catalogue.models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Municipality,
    Project,
    SdgTarget,
    Status,
    Theme,
    TrafficLight,
)

from .cells import CellError, choice_labels
from .columns import COUNTY_WIDE

TRUE_WORDS = {"ja", "j", "x", "yes", "y", "true", "wahr", "1"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0", ""}
COUNTY_WIDE_WORDS = {COUNTY_WIDE, "landkreisweit", "ganzerlandkreis", "gesamterlandkreis", "countywide"}
KIND_WORDS = {
    "projekt": Project.Kind.PROJECT,
    "project": Project.Kind.PROJECT,
    "": Project.Kind.PROJECT,
    "maßnahme": Project.Kind.MEASURE,
    "massnahme": Project.Kind.MEASURE,
    "measure": Project.Kind.MEASURE,
}
PRIORITY_WORDS = {
    "i": "I",
    "1": "I",
    "hoch": "I",
    "high": "I",
    "ii": "II",
    "2": "II",
    "mittel": "II",
    "medium": "II",
    "iii": "III",
    "3": "III",
    "niedrig": "III",
    "low": "III",
    "": "",
}
LIGHT_WORDS = {
    "": TrafficLight.UNKNOWN,
    "grün": TrafficLight.ON_TRACK,
    "green": TrafficLight.ON_TRACK,
    "ontrack": TrafficLight.ON_TRACK,
    "gelb": TrafficLight.AT_RISK,
    "yellow": TrafficLight.AT_RISK,
    "atrisk": TrafficLight.AT_RISK,
    "rot": TrafficLight.OFF_TRACK,
    "red": TrafficLight.OFF_TRACK,
    "offtrack": TrafficLight.OFF_TRACK,
    "grau": TrafficLight.UNKNOWN,
    "grey": TrafficLight.UNKNOWN,
    "gray": TrafficLight.UNKNOWN,
}


@dataclass
class Pending:
    """A taxonomy term that does not exist yet and will be created on apply (--create-missing)."""

    kind: str
    name: str
    extra: dict[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.kind, self.name.casefold()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pending) and (self.kind, self.name.casefold()) == (other.kind, other.name.casefold())


def term_key(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


class Vocabulary:
    """Every taxonomy term by its names and codes, loaded once per import."""

    def __init__(self, create_missing: bool) -> None:
        taxonomy_locale = Locale.get_default()
        self.create_missing = create_missing
        self.pending: dict[tuple[str, str], Pending] = {}
        self.goals: dict[str, Goal] = {}
        self.goal_titles: dict[str, Goal] = {}
        for goal in Goal.objects.filter(locale=taxonomy_locale).only("id", "code", "title", "area_id"):
            self.goals[goal.code] = goal
            self.goal_titles.setdefault(term_key(goal.title), goal)
        self.areas = {area.code: area for area in Area.objects.filter(locale=taxonomy_locale)}
        self.lookups: dict[str, dict[str, models.Model]] = {}
        terms: tuple[tuple[str, type[models.Model], tuple[str, ...]], ...] = (
            ("themes", Theme, ("title", "slug")),
            ("departments", Department, ("name", "short_name")),
            ("municipalities", Municipality, ("name", "ags", "slug")),
            ("funding_programmes", FundingProgramme, ("name", "slug")),
            ("statuses", Status, ("name", "slug")),
        )
        for kind, model, attributes in terms:
            queryset = model._default_manager.all()
            if kind != "municipalities":
                queryset = queryset.filter(locale=taxonomy_locale)
            objects = list(queryset)
            table: dict[str, models.Model] = {}
            for attribute in attributes:
                for instance in objects:
                    table.setdefault(term_key(getattr(instance, attribute)), instance)
            self.lookups[kind] = table
        self.sdg_targets = {target.code: target for target in SdgTarget.objects.only("id", "code")}
        self.locale = taxonomy_locale

    def find(self, kind: str, name: str) -> models.Model | Pending:
        found = self.lookups[kind].get(term_key(name))
        if found is not None:
            return found
        pending = self.pending.get((kind, term_key(name)))
        if pending is not None:
            return pending
        if not self.create_missing:
            raise CellError(_UNKNOWN[kind] % {"name": name})
        if kind == "municipalities":
            match = re.fullmatch(r"(.+?)\s*\((\d{8})\)", name)
            if not match:
                raise CellError(
                    _(
                        "Die Gemeinde „%(name)s“ ist unbekannt. Zum Anlegen den Gemeindeschlüssel in Klammern "
                        "angeben, z. B. „%(name)s (09123456)“."
                    )
                    % {"name": name}
                )
            found = self.lookups[kind].get(term_key(match.group(1))) or self.lookups[kind].get(match.group(2))
            if found is not None:
                return found
            pending = Pending(kind, match.group(1), {"ags": match.group(2)})
        else:
            pending = Pending(kind, name)
        self.pending[(kind, term_key(name))] = pending
        return pending

    def find_goal(self, token: str) -> Goal | Pending:
        goal = self.goals.get(token) or self.goal_titles.get(term_key(token))
        if goal is not None:
            return goal
        pending = self.pending.get(("goals", token))
        if pending is not None:
            return pending
        if not re.fullmatch(r"\d+(\.\d+)+", token):
            raise CellError(_UNKNOWN["goals"] % {"name": token})
        if not self.create_missing:
            raise CellError(_UNKNOWN["goals"] % {"name": token})
        if token.split(".")[0] not in self.areas:
            raise CellError(
                _("Das Ziel %(code)s kann nicht angelegt werden: Es gibt kein Handlungsfeld %(area)s.")
                % {"code": token, "area": token.split(".")[0]}
            )
        pending = Pending("goals", token)
        self.pending[("goals", token)] = pending
        return pending

    def find_sdg_target(self, token: str) -> SdgTarget:
        """A target by its number as people write it: „7.2“, „SDG 7.2“, „7.A“; never created."""
        code = re.sub(r"^(sdg|ziel|target)\s*", "", token.strip().casefold()).strip()
        target = self.sdg_targets.get(code)
        if target is None:
            raise CellError(
                _("Das SDG-Unterziel „%(name)s“ gibt es nicht. Bitte die Nummer angeben, z. B. 7.2 oder 13.a.")
                % {"name": token}
            )
        return target

    def create_pending(self) -> dict[Pending, models.Model]:
        """Create the missing terms, parents first, and return {Pending: instance}."""
        created: dict[Pending, models.Model] = {}
        for (kind, _name), pending in sorted(self.pending.items(), key=lambda item: (item[0][0], len(item[0][1]))):
            if kind == "goals":
                code = pending.name
                parent_code = code.rsplit(".", 1)[0]
                # Pending parents sort before their children and join `self.goals` once created.
                parent = self.goals.get(parent_code)
                instance = Goal(
                    code=code, title=code, area=self.areas[code.split(".")[0]], parent=parent, locale=self.locale
                )
                instance.save()
                self.goals[code] = instance
            elif kind == "departments":
                instance = Department.objects.create(
                    name=pending.name, short_name=pending.name[:40], locale=self.locale
                )
            elif kind == "municipalities":
                instance = Municipality.objects.create(name=pending.name, ags=pending.extra["ags"])
            elif kind == "themes":
                instance = Theme.objects.create(
                    title=pending.name, slug=self._slug(Theme, pending.name), locale=self.locale
                )
            elif kind == "funding_programmes":
                instance = FundingProgramme.objects.create(
                    name=pending.name, slug=self._slug(FundingProgramme, pending.name), locale=self.locale
                )
            else:
                instance = Status.objects.create(
                    name=pending.name, slug=self._slug(Status, pending.name), locale=self.locale
                )
            created[pending] = instance
        return created

    def _slug(self, model: type[Theme | FundingProgramme | Status], name: str) -> str:
        base = slugify(name)[:70] or "eintrag"
        slug, number = base, 2
        while model.objects.filter(slug=slug, locale=self.locale).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug


_UNKNOWN = {
    "goals": gettext_lazy(
        "Das Ziel „%(name)s“ gibt es nicht. Bitte Nummer oder Titel eines vorhandenen Ziels angeben."
    ),
    "themes": gettext_lazy("Das Querschnittsthema „%(name)s“ gibt es nicht."),
    "departments": gettext_lazy(
        "Die Stelle „%(name)s“ gibt es nicht. Bitte Namen oder Kurznamen einer vorhandenen Stelle angeben."
    ),
    "municipalities": gettext_lazy("Die Gemeinde „%(name)s“ gibt es nicht."),
    "funding_programmes": gettext_lazy("Das Förderprogramm „%(name)s“ gibt es nicht."),
    "statuses": gettext_lazy("Den Status „%(name)s“ gibt es nicht."),
}


KIND_LABELS = choice_labels(Project.Kind)
PRIORITY_LABELS = choice_labels(Project.Priority)
LIGHT_LABELS = choice_labels(TrafficLight)
LIGHT_LABELS.update(
    {"ontrack": TrafficLight.ON_TRACK, "atrisk": TrafficLight.AT_RISK, "offtrack": TrafficLight.OFF_TRACK}
)
