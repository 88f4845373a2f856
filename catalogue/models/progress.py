"""Progress that explains itself: the traffic light, and how an indicator's newest value stands on its path.

The method, in the spirit of Open SDG's progress measure but with a straight line instead of a
growth rate (it is stated on every page that shows a computed light):

- The *expected value* in a year lies on the straight line from the baseline (year, value) to the
  target (year, value); before the baseline year it is the baseline, after the target year the target.
- The *achieved share* sets the change since the baseline against the change expected by the year
  of the newest value: (value − baseline) / (expected − baseline). 1 means exactly on the path.
- **On track** when the achieved share is at least 1 − tolerance (the tolerance is a site setting,
  `CatalogueSettings.indicator_tolerance`, in percent); **at risk** when it is above 0 but below
  that; **off track** at 0 or below (no movement towards the target, or movement away from it).
- When no change is expected yet (a value from the baseline year, or a target equal to the
  baseline), a value at least as good as the expected one (by the indicator's direction) is on
  track and a worse one off track.
- Without a value, or without a complete baseline and target, the light is *unknown*.

An entry whose light comes from its indicators (`Project.traffic_light_source`) combines the
lights of its assessable indicators with equal weights: on track counts 2 points, at risk 1,
off track 0; a mean of at least 1.5 is on track, at least 0.5 at risk, below that off track.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms import cache

from .settings import CatalogueSettings

DEFAULT_TOLERANCE = Decimal(10)
LIGHT_POINTS = {"on_track": 2, "at_risk": 1, "off_track": 0}
ON_TRACK_FROM = Decimal("1.5")
AT_RISK_FROM = Decimal("0.5")
INDICATOR_WEIGHT = 1


class TrafficLight(models.TextChoices):
    ON_TRACK = "on_track", _("im Plan")
    AT_RISK = "at_risk", _("gefährdet")
    OFF_TRACK = "off_track", _("kritisch")
    UNKNOWN = "unknown", _("unbekannt")


class LightSource(models.TextChoices):
    REPORT = "report", _("aus dem Statusbericht")
    INDICATORS = "indicators", _("aus den Indikatoren berechnet")


# Lights from best to worst, for saying whether a change is an improvement.
LIGHT_RANK = {TrafficLight.ON_TRACK: 2, TrafficLight.AT_RISK: 1, TrafficLight.OFF_TRACK: 0}


@dataclass(frozen=True)
class Path:
    """An indicator's baseline, target and direction: what its expected path is drawn from."""

    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower"

    def expected(self, year: int) -> Decimal | None:
        """The value on the straight line from baseline to target in `year`, held at both ends."""
        base, start, target, end = self.baseline_value, self.baseline_year, self.target_value, self.target_year
        if base is None or start is None or target is None or end is None:
            return None
        if end <= start:
            return target
        share = Decimal(min(max(year - start, 0), end - start)) / Decimal(end - start)
        return base + (target - base) * share

    def improved(self, before: Decimal, after: Decimal) -> bool | None:
        """Whether moving from `before` to `after` is an improvement; None when nothing moved."""
        if after == before:
            return None
        return (after < before) if self.lower_is_better else (after > before)


@dataclass(frozen=True)
class Assessment:
    """How an indicator's newest value stands: its light and the figures the light came from."""

    light: str
    value: Decimal | None = None
    date: datetime.date | None = None
    expected: Decimal | None = None
    achieved_share: Decimal | None = None

    @property
    def achieved_percent(self) -> int | None:
        return None if self.achieved_share is None else round(self.achieved_share * 100)


def assess(path: Path, value: Decimal | None, date: datetime.date | None, tolerance: Decimal) -> Assessment:
    """Classify `value`, measured on `date`, against the path; `tolerance` in percent (e.g. 10)."""
    if value is None or date is None:
        return Assessment(TrafficLight.UNKNOWN)
    expected = path.expected(date.year)
    if expected is None or path.baseline_value is None:
        return Assessment(TrafficLight.UNKNOWN, value, date)
    expected_change = expected - path.baseline_value
    if expected_change == 0:
        as_good = value <= expected if path.lower_is_better else value >= expected
        light = TrafficLight.ON_TRACK if as_good else TrafficLight.OFF_TRACK
        return Assessment(light, value, date, expected)
    share = (value - path.baseline_value) / expected_change
    if share >= 1 - tolerance / 100:
        light = TrafficLight.ON_TRACK
    elif share > 0:
        light = TrafficLight.AT_RISK
    else:
        light = TrafficLight.OFF_TRACK
    return Assessment(light, value, date, expected, share)


def combine(lights: Iterable[str]) -> str:
    """One light from several indicators' lights, each weighted equally; unknown ones do not count."""
    points = [LIGHT_POINTS[light] for light in lights if light in LIGHT_POINTS]
    if not points:
        return TrafficLight.UNKNOWN
    mean = Decimal(sum(points)) / len(points)
    if mean >= ON_TRACK_FROM:
        return TrafficLight.ON_TRACK
    if mean >= AT_RISK_FROM:
        return TrafficLight.AT_RISK
    return TrafficLight.OFF_TRACK


def current_tolerance() -> Decimal:
    """The tolerance (percent) set for the default site, cached per data version (saving it bumps the version)."""

    def build() -> Decimal:
        # Read, not `for_site`: that would create the settings row (and send its signals) on first use.
        stored = (
            CatalogueSettings.objects.filter(site__is_default_site=True)
            .values_list("indicator_tolerance", flat=True)
            .first()
        )
        return DEFAULT_TOLERANCE if stored is None else Decimal(stored)

    # The catalogue's settings bump the structure version too; entry pages show the tolerance.
    return cache.structure_versioned("catalogue:indicator-tolerance", build=build)


def assess_indicators(
    indicator_ids: Collection[int], tolerance: Decimal, as_of: datetime.date | None = None
) -> dict[int, Assessment]:
    """Each indicator's assessment from its newest value (on or before `as_of`), in two queries."""
    # By name from the registry: the entry model imports this module for its light vocabulary.
    Indicator = apps.get_model("catalogue", "Indicator")
    IndicatorValue = apps.get_model("catalogue", "IndicatorValue")
    values = IndicatorValue.objects.filter(indicator_id__in=indicator_ids)
    if as_of is not None:
        values = values.filter(date__lte=as_of)
    newest: dict[int, tuple[datetime.date | None, Decimal | None]] = {}
    for indicator_id, date, value in values.order_by("date", "pk").values_list("indicator_id", "date", "value"):
        newest[indicator_id] = (date, value)
    found = {}
    for row in Indicator.objects.filter(pk__in=indicator_ids).values(
        "pk", "direction", "baseline_value", "baseline_year", "target_value", "target_year"
    ):
        pk = row.pop("pk")
        measured_on, measured = newest.get(pk, (None, None))
        found[pk] = assess(Path(**row), measured, measured_on, tolerance)
    return found


def indicators_by_entry(
    translation_keys: Collection[uuid.UUID] | models.QuerySet[Any] | None = None,
) -> dict[uuid.UUID, set[int]]:
    """Ids of the indicators linked to each entry, by the entry's translation key (all languages share them).

    `translation_keys` may be a list or a query giving them (for thousands of entries).
    """
    Indicator = apps.get_model("catalogue", "Indicator")
    links = Indicator.projects.through.objects.all()
    if translation_keys is not None:
        links = links.filter(project__translation_key__in=translation_keys)
    found: defaultdict[uuid.UUID, set[int]] = defaultdict(set)
    for key, indicator_id in links.values_list("project__translation_key", "indicator_id"):
        found[key].add(indicator_id)
    return found


def entry_lights(
    indicators: Mapping[uuid.UUID, Collection[int]], assessments: Mapping[int, Assessment]
) -> dict[uuid.UUID, str]:
    """The combined light of each entry from the assessments of its indicators."""
    return {key: combine(assessments[pk].light for pk in ids if pk in assessments) for key, ids in indicators.items()}


def indicator_light(translation_key: uuid.UUID) -> str:
    """The light computed from an entry's indicators, now."""
    linked = indicators_by_entry([translation_key])
    ids = linked.get(translation_key, set())
    if not ids:
        return TrafficLight.UNKNOWN
    return entry_lights(linked, assess_indicators(ids, current_tolerance()))[translation_key]


def refresh_indicator_lights() -> int:
    """Write the computed light onto every live entry that takes it from its indicators; returns how many changed.

    A fixed number of queries plus one update per light value that changes, however many entries.
    """
    Project = apps.get_model("catalogue", "Project")
    entries = list(
        Project.objects.filter(live=True, traffic_light_source=LightSource.INDICATORS).values_list(
            "pk", "translation_key", "traffic_light"
        )
    )
    if not entries:
        return 0
    linked = indicators_by_entry({key for _pk, key, _light in entries})
    assessments = assess_indicators(set().union(*linked.values()) if linked else set(), current_tolerance())
    lights = entry_lights(linked, assessments)
    changes: defaultdict[str, list[int]] = defaultdict(list)
    for pk, key, light in entries:
        wanted = lights.get(key, TrafficLight.UNKNOWN)
        if wanted != light:
            changes[wanted].append(pk)
    for light, pks in changes.items():
        Project.objects.filter(pk__in=pks).update(traffic_light=light)
    return sum(len(pks) for pks in changes.values())
