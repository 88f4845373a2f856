"""An indicator's chart (axes, ticks, points, target) and its one-sentence reading.

The chart is drawn in a box about as wide as a phone (320 units), so its labels keep their
size on a 320 px screen; wider screens scale it up to a limit. The sentence beside it
("Trend steigend, Ziel 2030 voraussichtlich verfehlt.") is computed from the baseline, the
measured values and the target: the trend is the slope of a least-squares line through the
baseline and the values; the target is judged by where that line is in the target year.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from catalogue.models import Indicator

from .entry import IndicatorSeries

WIDTH = 320
HEIGHT = 220
LEFT = 58
RIGHT = 24
TOP = 26
BOTTOM = 30
# A change smaller than this share of the values' scale over the measured span counts as "gleichbleibend".
FLAT_SHARE = 0.02


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: float
    value: float


@dataclass
class IndicatorChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    baseline: Point | None = None
    target: Point | None = None
    unit: str = ""


@dataclass(frozen=True)
class Reading:
    """The trend of the values and how the target is likely to fare, as one sentence."""

    trend: str  # "rising", "falling", "flat", or "" with fewer than two points
    target: str  # "reached", "likely", "unlikely", "missed", or "" without a target
    sentence: str


def _series(indicator: IndicatorSeries) -> list[tuple[float, float]]:
    points = []
    if indicator.baseline_value is not None and indicator.baseline_year:
        points.append((float(indicator.baseline_year), float(indicator.baseline_value)))
    for value in indicator.values:
        points.append((value.date.year + (value.date.timetuple().tm_yday - 1) / 366, float(value.value)))
    return sorted(points)


def _fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Slope and intercept of the least-squares line."""
    count = len(points)
    mean_x = sum(x for x, _y in points) / count
    mean_y = sum(y for _x, y in points) / count
    spread = sum((x - mean_x) ** 2 for x, _y in points)
    if not spread:
        return 0.0, mean_y
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return slope, mean_y - slope * mean_x


def reading(indicator: IndicatorSeries) -> Reading:
    points = _series(indicator)
    trend = ""
    slope, intercept = 0.0, 0.0
    if len(points) >= 2:
        slope, intercept = _fit(points)
        span = points[-1][0] - points[0][0]
        scale = max(abs(y) for _x, y in points) or 1.0
        rising_or_falling = "rising" if slope > 0 else "falling"
        trend = "flat" if abs(slope * span) < FLAT_SHARE * scale else rising_or_falling
    target = ""
    target_year = indicator.target_year
    if indicator.target_value is not None and target_year and points:
        goal = float(indicator.target_value)
        higher = indicator.direction != Indicator.Direction.LOWER
        latest_year, latest = points[-1]

        def meets(value: float) -> bool:
            return value >= goal if higher else value <= goal

        if indicator.values and meets(latest):
            target = "reached"
        elif latest_year >= target_year + 1:
            target = "missed"
        elif trend:
            target = "likely" if meets(intercept + slope * target_year) else "unlikely"
    return Reading(trend, target, _sentence(trend, target, indicator.target_year))


def _sentence(trend: str, target: str, year: int | None) -> str:
    trends = {
        "rising": _("Trend steigend"),
        "falling": _("Trend fallend"),
        "flat": _("Trend gleichbleibend"),
        "": _("Noch zu wenige Werte für einen Trend"),
    }
    targets = {
        "reached": _("Ziel %(year)s bereits erreicht"),
        "likely": _("Ziel %(year)s voraussichtlich erreicht"),
        "unlikely": _("Ziel %(year)s voraussichtlich verfehlt"),
        "missed": _("Ziel %(year)s verfehlt"),
    }
    parts = [str(trends[trend])]
    if target:
        parts.append(str(targets[target]) % {"year": year})
    return _("%(parts)s.") % {"parts": ", ".join(parts)}


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    """A tick label in the active language's format: whole numbers without decimals."""
    rounded = round(value, 6)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    return number_format(Decimal(str(rounded)).normalize(), force_grouping=True)


def chart(indicator: IndicatorSeries) -> IndicatorChart | None:
    """The chart's geometry in a 320 x 220 box, or None without any value to draw."""
    points = _series(indicator)
    if not indicator.values:
        return None
    every = list(points)
    if indicator.target_value is not None and indicator.target_year:
        every.append((float(indicator.target_year), float(indicator.target_value)))
    years = [x for x, _y in every]
    first_year, last_year = math.floor(min(years)), math.ceil(max(years))
    if last_year == first_year:
        last_year += 1
    low = min(0.0, *(y for _x, y in every))
    high = max(y for _x, y in every)
    step = _nice_step((high - low) or abs(high) or 1.0, 4)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high == low:
        high = low + step
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def place(x: float, y: float) -> Point:
        return Point(
            round(LEFT + (x - first_year) / (last_year - first_year) * plot_width, 1),
            round(TOP + (high - y) / (high - low) * plot_height, 1),
            x,
            y,
        )

    line = [place(x, y) for x, y in points]
    measured = [
        place(value.date.year + (value.date.timetuple().tm_yday - 1) / 366, float(value.value))
        for value in indicator.values
    ]
    year_step = max(1, math.ceil((last_year - first_year) / 4))
    x_ticks = [Tick(place(year, low).x, str(year)) for year in range(first_year, last_year + 1, year_step)]
    if x_ticks[-1].label != str(last_year):
        x_ticks.append(Tick(place(last_year, low).x, str(last_year)))
    y_ticks = []
    value = low
    while value <= high + step / 2:
        y_ticks.append(Tick(place(first_year, value).y, _number(value)))
        value += step
    baseline = (
        place(float(indicator.baseline_year), float(indicator.baseline_value))
        if indicator.baseline_value is not None and indicator.baseline_year
        else None
    )
    target = (
        place(float(indicator.target_year), float(indicator.target_value))
        if indicator.target_value is not None and indicator.target_year
        else None
    )
    return IndicatorChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        points=measured,
        polyline=" ".join(f"{point.x},{point.y}" for point in line),
        baseline=baseline,
        target=target,
        unit=indicator.unit,
    )
