"""What every report view counts: status, light and indicator distributions and weighted progress.

Reports, the comparison and "today" all hand their entries over as `EntryState`-like rows (the
frozen snapshots, or the live state) and read their labels from a report's legend, so a frozen
report keeps the names and colours it was closed with.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

from catalogue.models import TrafficLight, code_sort_key, tree
from catalogue.public.goals import NO_REPORT_COLOUR, StatusRow

LIGHT_COLOURS: dict[str, str] = {
    TrafficLight.ON_TRACK: "#1d6b32",
    TrafficLight.AT_RISK: "#8a5300",
    TrafficLight.OFF_TRACK: "#a4161a",
    TrafficLight.UNKNOWN: "#555b61",
}


class EntryLike(Protocol):
    code: str
    goal_codes: list[str]
    area_codes: list[str]
    status: str
    traffic_light: str
    progress: int
    weight: int
    reported_in_period: bool


class IndicatorLike(Protocol):
    light: str
    goal_codes: list[str]


@dataclass(frozen=True)
class Label:
    """A name from the legend in the page's language, or in German (then `lang` says so) where it has none."""

    text: str
    lang: str = ""


class Legend:
    """A report's vocabulary (statuses, areas, goals) in one language."""

    def __init__(self, legend: Mapping[str, Any], language: str, fallback: str = "de"):
        self.language, self.fallback = language, fallback
        self.statuses = {status["slug"]: status for status in legend.get("statuses", [])}
        self.areas = list(legend.get("areas", []))
        self.goals = list(legend.get("goals", []))
        self.goal_by_code = {goal["code"]: goal for goal in self.goals}
        self.area_by_code = {area["code"]: area for area in self.areas}
        self.contributors = list(legend.get("contributors", []))
        self.descendants = tree.subtrees((goal["code"], goal["parent"] or None) for goal in self.goals)

    def label(self, labels: Mapping[str, str]) -> Label:
        if labels.get(self.language):
            return Label(labels[self.language])
        text = labels.get(self.fallback) or next(iter(labels.values()), "")
        return Label(text, self.fallback if self.language != self.fallback else "")

    def column_label(self, column: Mapping[str, Any]) -> Label:
        """The header of a column another app contributed (German and English headers only)."""
        if self.language == "en" and column.get("header_en"):
            return Label(column["header_en"])
        return Label(column["header_de"], self.fallback if self.language != self.fallback else "")

    def status_label(self, slug: str) -> Label:
        if slug in self.statuses:
            return self.label(self.statuses[slug]["labels"])
        return Label(_("noch kein Bericht"))

    def status_colour(self, slug: str) -> str:
        return self.statuses[slug]["colour"] if slug in self.statuses else NO_REPORT_COLOUR

    def area_goals(self, area_code: str) -> list[dict[str, Any]]:
        """The goals of an area in tree order (each parent before its children), with a `depth`."""
        goals = [goal for goal in self.goals if goal["area"] == area_code]
        codes = {goal["code"] for goal in goals}
        children: dict[str, list[dict[str, Any]]] = {}
        for goal in goals:
            children.setdefault(goal["parent"] if goal["parent"] in codes else "", []).append(goal)
        ordered: list[dict[str, Any]] = []

        def walk(parent: str, depth: int) -> None:
            for goal in sorted(children.get(parent, []), key=lambda item: code_sort_key(item["code"])):
                if goal["code"] not in {item["code"] for item in ordered}:
                    ordered.append({**goal, "depth": depth})
                    walk(goal["code"], depth + 1)

        walk("", 1)
        return ordered


@dataclass(frozen=True)
class Figures:
    entry_count: int
    reported: int
    progress: int | None
    weight_total: int
    status_rows: list[StatusRow]
    light_rows: list[StatusRow]
    indicator_rows: list[StatusRow]
    indicator_count: int
    computed_lights: int
    lights: dict[str, int]
    indicator_lights: dict[str, int]

    @property
    def light_counts(self) -> list[tuple[str, int]]:
        """Entries per light, in the lights' order, for tables with a column per light."""
        return [(value, self.lights.get(value, 0)) for value in TrafficLight.values]


def _rows(counts: Counter[str], order: Sequence[tuple[str, str, str]]) -> list[StatusRow]:
    total = sum(counts.values())
    return [
        StatusRow(label, colour, counts[key], counts[key] / total) for key, label, colour in order if counts.get(key)
    ]


def light_order() -> list[tuple[str, str, str]]:
    return [(value, str(label), LIGHT_COLOURS[value]) for value, label in TrafficLight.choices]


def figures(entries: Sequence[Any], indicators: Iterable[IndicatorLike], legend: Legend) -> Figures:
    """The counts and the weighted progress of a group of entries and indicators."""
    statuses = Counter(entry.status for entry in entries)
    status_order = [(slug, legend.status_label(slug).text, legend.status_colour(slug)) for slug in legend.statuses]
    status_order.append(("", _("noch kein Bericht"), NO_REPORT_COLOUR))
    indicator_lights = Counter(indicator.light for indicator in indicators)
    lights = Counter(entry.traffic_light for entry in entries)
    return Figures(
        entry_count=len(entries),
        reported=sum(1 for entry in entries if entry.reported_in_period),
        progress=tree.weighted_progress((entry.progress, entry.weight) for entry in entries),
        weight_total=sum(entry.weight for entry in entries),
        status_rows=_rows(statuses, status_order),
        light_rows=_rows(lights, light_order()),
        indicator_rows=_rows(indicator_lights, light_order()),
        indicator_count=sum(indicator_lights.values()),
        computed_lights=sum(1 for entry in entries if getattr(entry, "light_source", "") == "indicators"),
        lights={value: lights.get(value, 0) for value in TrafficLight.values},
        indicator_lights={value: indicator_lights.get(value, 0) for value in TrafficLight.values},
    )


def in_goals(items: Iterable[Any], goal_codes: set[str]) -> list[Any]:
    """Items (entries or indicators) linked to any of `goal_codes`, each once."""
    return [item for item in items if goal_codes.intersection(item.goal_codes)]
