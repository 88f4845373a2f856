"""The terms an import understands: taxonomy by name, code or key, and the words a coordinator mapped.

Nothing is created silently. An unknown word is a row error and is remembered (`unknown`), so
that the preview can offer to map it to an existing term or, explicitly, to create it. With
"create missing" (`--create-missing`), unknown departments, municipalities, themes, goals and
funding programmes become `Pending` terms that are created when the import is applied; a
status is only ever created when the coordinator asked for that word.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from catalogue.models import Area, Department, FundingProgramme, Goal, Municipality, SdgTarget, Status, Theme

from .cells import CellError
from .problems import Problem

CREATE = "+"
# The kinds a coordinator may map words of, and the attributes a mapped word may name.
KINDS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "statuses": (Status, ("name", "slug")),
    "departments": (Department, ("name", "short_name")),
    "municipalities": (Municipality, ("name", "ags", "slug")),
    "themes": (Theme, ("title", "slug")),
    "funding_programmes": (FundingProgramme, ("name", "slug")),
    "goals": (Goal, ("code", "title")),
}
GOAL_CODE = re.compile(r"^(\d+(?:\.\d+)+)(?:\s+(.*))?$")
PLACE_WITH_KEY = re.compile(r"^(.+?)\s*\((\d{8})\)$")


def term_key(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


@dataclass
class Pending:
    """A term that does not exist yet and will be created when the import is applied."""

    kind: str
    name: str
    extra: dict[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.kind, self.name.casefold()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pending) and (self.kind, self.name.casefold()) == (other.kind, other.name.casefold())

    def __str__(self) -> str:
        return self.name


def word_maps_from_json(data: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    """{kind: {word: target}} from a saved mapping; a target {"create": true} means create the word."""
    maps: dict[str, dict[str, str]] = {}
    for kind, words in (data or {}).items():
        if not isinstance(words, dict):
            continue
        maps[kind] = {
            term_key(word): CREATE if isinstance(target, dict) and target.get("create") else str(target)
            for word, target in words.items()
            if target not in (None, "")
        }
    return maps


def word_maps_to_json(maps: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    return {
        kind: {word: {"create": True} if target == CREATE else target for word, target in words.items()}
        for kind, words in maps.items()
        if words
    }


class Vocabulary:
    """Every taxonomy term by its names and codes, loaded once per import."""

    def __init__(self, create_missing: bool, word_maps: dict[str, dict[str, str]] | None = None) -> None:
        self.locale = Locale.get_default()
        self.create_missing = create_missing
        self.word_maps = word_maps or {}
        self.pending: dict[tuple[str, str], Pending] = {}
        self.unknown: dict[str, dict[str, list[int]]] = defaultdict(dict)
        self.warnings: list[Problem] = []
        self.areas = list(Area.objects.filter(locale=self.locale))
        self.lookups: dict[str, dict[str, Any]] = {}
        for kind, (model, attributes) in KINDS.items():
            queryset = model._default_manager.all()
            if kind != "municipalities":
                queryset = queryset.filter(locale=self.locale)
            objects = list(queryset)
            table: dict[str, Any] = {}
            for attribute in attributes:
                for instance in objects:
                    value = getattr(instance, attribute)
                    if value:
                        table.setdefault(term_key(value), instance)
            self.lookups[kind] = table
        goals = [goal for goal in self.lookups["goals"].values() if isinstance(goal, Goal)]
        self.goal_titles: dict[tuple[int | None, str], list[Goal]] = defaultdict(list)
        for goal in {goal.pk: goal for goal in goals}.values():
            self.goal_titles[(goal.area_id, term_key(goal.title))].append(goal)
            self.goal_titles[(None, term_key(goal.title))].append(goal)
        self.next_goal_number: defaultdict[int | None, int] = defaultdict(int)
        for goal in goals:
            top = goal.code.split(".")
            if len(top) == 2 and top[1].isdigit():
                self.next_goal_number[goal.area_id] = max(self.next_goal_number[goal.area_id], int(top[1]))
        self.sdg_targets = {target.code: target for target in SdgTarget.objects.only("id", "code")}
        synonyms = getattr(settings, "CATALOGUE_IMPORT_STATUS_SYNONYMS", {})
        self.status_synonyms = {term_key(word): slug for word, slug in synonyms.items()}

    # Lookups -------------------------------------------------------------------------------

    def find(self, kind: str, name: str, where: tuple[int, str]) -> Any:
        """The term `name` of `kind`, a `Pending` one, or CellError (the word is then remembered)."""
        key = term_key(name)
        found = self.lookups[kind].get(key)
        if found is None and kind == "municipalities" and (match := PLACE_WITH_KEY.match(name.strip())):
            found = self.lookups[kind].get(match.group(2)) or self.lookups[kind].get(term_key(match.group(1)))
        if found is None and kind == "statuses" and key in self.status_synonyms:
            found = next(
                (status for status in self.lookups[kind].values() if status.slug == self.status_synonyms[key]), None
            )
        if found is not None:
            return found
        mapped = self.word_maps.get(kind, {}).get(key)
        if mapped is not None and mapped != CREATE:
            target = self.lookups[kind].get(term_key(mapped))
            if target is None:
                raise CellError(
                    _("„%(word)s“ ist „%(target)s“ zugeordnet, aber „%(target)s“ gibt es nicht.")
                    % {"word": name, "target": mapped}
                )
            return target
        if (kind, key) in self.pending:
            return self.pending[(kind, key)]
        if mapped == CREATE or (self.create_missing and kind != "statuses"):
            return self._pending(kind, name, where)
        self.unknown[kind].setdefault(name.strip(), []).append(where[0])
        raise CellError(_UNKNOWN[kind] % {"name": name})

    def _pending(self, kind: str, name: str, where: tuple[int, str]) -> Pending:
        extra: dict[str, Any] = {}
        if kind == "municipalities":
            match = PLACE_WITH_KEY.match(name.strip())
            if match:
                name, extra["ags"] = match.group(1), match.group(2)
            else:
                self.warnings.append(
                    Problem(
                        where[0],
                        where[1],
                        _("Die Gemeinde „%(name)s“ wird ohne Gemeindeschlüssel angelegt; bitte später ergänzen.")
                        % {"name": name},
                    )
                )
        pending = Pending(kind, name.strip(), extra)
        self.pending[(kind, term_key(name))] = pending
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

    def knows_goal(self, text: str) -> bool:
        """Whether `text` is a goal's code or title as it stands (a title may contain commas)."""
        key = term_key(text)
        return key in self.lookups["goals"] or bool(self.goal_titles.get((None, key)))

    def find_area(self, text: str) -> Area:
        key = term_key(text)
        words = re.sub(r"^(handlungsfeld|hf)\s*", "", key)
        for area in self.areas:
            if key in (term_key(area.title), area.slug, area.code.casefold()) or words == area.code.casefold():
                return area
            if key.startswith(area.code.casefold() + " ") and key[len(area.code) + 1 :] == term_key(area.title):
                return area
        raise CellError(_("Das Handlungsfeld „%(name)s“ gibt es nicht.") % {"name": text})

    def find_goal(self, token: str, area: Area | None, where: tuple[int, str]) -> Goal | Pending:
        """A goal by code, by "code title", or by title (within `area` when the file names one)."""
        token = token.strip()
        match = GOAL_CODE.match(token)
        if match and match.group(1).casefold() in self.lookups["goals"]:
            return self.lookups["goals"][match.group(1).casefold()]
        if match is None:
            candidates = self.goal_titles.get((area.pk if area else None, term_key(token)), [])
            if len(candidates) == 1:
                return candidates[0]
            if len(candidates) > 1:
                raise CellError(
                    _(
                        "Ein Ziel „%(name)s“ gibt es in mehreren Handlungsfeldern. Bitte die Nummer angeben oder "
                        "die Spalte mit dem Handlungsfeld zuordnen."
                    )
                    % {"name": token}
                )
        key = term_key(match.group(1) if match else token)
        mapped = self.word_maps.get("goals", {}).get(term_key(token))
        if mapped not in (None, CREATE):
            return self.find("goals", token, where)
        if ("goals", key) in self.pending:
            return self.pending[("goals", key)]
        if not (self.create_missing or mapped == CREATE):
            self.unknown["goals"].setdefault(token, []).append(where[0])
            raise CellError(_UNKNOWN["goals"] % {"name": token})
        if match:
            return self._pending_goal_by_code(match.group(1), key)
        if area is None:
            raise CellError(
                _(
                    "Das Ziel „%(name)s“ gibt es nicht. Zum Anlegen wird das Handlungsfeld gebraucht: bitte eine "
                    "Spalte „Handlungsfeld“ zuordnen oder die Nummer des Ziels angeben."
                )
                % {"name": token}
            )
        self.next_goal_number[area.pk] += 1
        code = f"{area.code}.{self.next_goal_number[area.pk]}"
        pending = Pending("goals", token, {"code": code, "area": area, "title": token})
        self.pending[("goals", key)] = pending
        self.warnings.append(
            Problem(
                where[0],
                where[1],
                _("Das Ziel „%(name)s“ wird im Handlungsfeld „%(area)s“ mit der Nummer %(code)s angelegt.")
                % {"name": token, "area": area.title, "code": code},
            )
        )
        return pending

    def _pending_goal_by_code(self, code: str, key: str) -> Pending:
        area = next((area for area in self.areas if area.code == code.split(".")[0]), None)
        if area is None:
            raise CellError(
                _("Das Ziel %(code)s kann nicht angelegt werden: Es gibt kein Handlungsfeld %(area)s.")
                % {"code": code, "area": code.split(".")[0]}
            )
        pending = Pending("goals", code, {"code": code, "area": area, "title": code})
        self.pending[("goals", key)] = pending
        return pending

    # Creating ------------------------------------------------------------------------------

    def create_pending(self, wanted: set[Pending] | None = None) -> dict[Pending, Any]:
        """Create the missing terms that kept rows use (all when `wanted` is None), parents first."""
        created: dict[Pending, Any] = {}
        pendings = [pending for pending in self.pending.values() if wanted is None or pending in wanted]
        for pending in sorted(pendings, key=lambda item: (item.kind, item.extra.get("code", "").count("."))):
            created[pending] = self._create(pending, created)
        return created

    def _create(self, pending: Pending, created: dict[Pending, Any]) -> Any:
        name, locale = pending.name, self.locale
        if pending.kind == "goals":
            code = pending.extra["code"]
            parent_code = code.rsplit(".", 1)[0]
            parent = self.lookups["goals"].get(parent_code) or next(
                (goal for item, goal in created.items() if item.kind == "goals" and goal.code == parent_code), None
            )
            goal = Goal(
                code=code, title=pending.extra["title"], area=pending.extra["area"], parent=parent, locale=locale
            )
            goal.save()
            self.lookups["goals"][code] = goal
            return goal
        if pending.kind == "departments":
            return Department.objects.create(name=name, short_name=name[:40], locale=locale)
        if pending.kind == "municipalities":
            return Municipality.objects.create(
                name=name, ags=pending.extra.get("ags"), slug=_unique_slug(Municipality, name, {})
            )
        if pending.kind == "themes":
            return Theme.objects.create(title=name, slug=_unique_slug(Theme, name, {"locale": locale}), locale=locale)
        if pending.kind == "funding_programmes":
            slug = _unique_slug(FundingProgramme, name, {"locale": locale})
            return FundingProgramme.objects.create(name=name, slug=slug, locale=locale)
        order = (Status.objects.filter(locale=locale).aggregate(models.Max("order"))["order__max"] or 0) + 1
        return Status.objects.create(
            name=name, slug=_unique_slug(Status, name, {"locale": locale}), locale=locale, order=order
        )


def _unique_slug(model: type[models.Model], name: str, scope: dict[str, Any]) -> str:
    base = slugify(name)[:70] or "eintrag"
    slug, number = base, 2
    while model._default_manager.filter(slug=slug, **scope).exists():
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
    "municipalities": gettext_lazy("Die Gemeinde „%(name)s“ gibt es nicht (weder als Name noch als Schlüssel)."),
    "funding_programmes": gettext_lazy("Das Förderprogramm „%(name)s“ gibt es nicht."),
    "statuses": gettext_lazy(
        "Den Status „%(name)s“ gibt es nicht. Bitte in der Zuordnung einem vorhandenen Status zuordnen oder "
        "ausdrücklich neu anlegen lassen."
    ),
}
