"""Server-rendered SVG charts and small helpers for the public catalogue templates."""

import datetime
from dataclasses import asdict
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.models import Locale

from catalogue.models import TrafficLight, progress
from catalogue.public.entry import IndicatorSeries, entry_context
from catalogue.public.options import Lookup

register = template.Library()

# Other apps add sections to the entry page through this hook: a function (context, project)
# returning HTML, or an empty string where it has nothing to show.
ENTRY_SECTIONS_HOOK = "catalogue_entry_sections"


@register.simple_tag(takes_context=True)
def entry_sections(context: template.Context, project: Any) -> SafeString:
    """The sections other apps contribute to an entry page, in the order their hooks were registered."""
    parts = [section(context, project) for section in hooks.get_hooks(ENTRY_SECTIONS_HOOK)]
    return format_html_join("\n", "{}", ((part,) for part in parts if part))


CHART_WIDTH = 600
CHART_HEIGHT = 200
PADDING = 36


@register.simple_tag
def stacked_segments(rows: list[Any], width: int = 100) -> list[dict[str, Any]]:
    """Status rows with a share -> segments with x and width on a bar of `width` units."""
    segments, x = [], 0.0
    for row in rows:
        size = row.share * width
        segments.append({**asdict(row), "x": round(x, 3), "width": round(size, 3)})
        x += size
    return segments


def _year_fraction(day: datetime.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 366


def _year_end(year: int) -> float:
    # Baseline and target name a year, and the assessment reads a value by the year of its date;
    # yearly values are dated 31 December, so baseline and target are drawn where those stand.
    return _year_fraction(datetime.date(year, 12, 31))


@register.simple_tag
def indicator_chart(indicator: IndicatorSeries) -> dict[str, Any] | None:
    """Points of an indicator's values (and its baseline and target) scaled to the chart's box."""
    points = [(_year_fraction(value.date), float(value.value)) for value in indicator.values]
    extra = []
    if indicator.baseline_value is not None and indicator.baseline_year:
        extra.append((_year_end(indicator.baseline_year), float(indicator.baseline_value)))
    if indicator.target_value is not None and indicator.target_year:
        extra.append((_year_end(indicator.target_year), float(indicator.target_value)))
    every = points + extra
    if not every:
        return None
    x_min, x_max = min(x for x, _y in every), max(x for x, _y in every)
    y_min, y_max = min(0.0, *(y for _x, y in every)), max(y for _x, y in every)
    x_span, y_span = (x_max - x_min) or 1, (y_max - y_min) or 1

    def scale(x: float, y: float) -> tuple[float, float]:
        return (
            round(PADDING + (x - x_min) / x_span * (CHART_WIDTH - 2 * PADDING), 1),
            round(CHART_HEIGHT - PADDING - (y - y_min) / y_span * (CHART_HEIGHT - 2 * PADDING), 1),
        )

    scaled = [scale(x, y) for x, y in points]
    # The expected path from baseline to target, which the assessment below the chart measures against.
    path = (
        [
            scale(_year_end(indicator.baseline_year), float(indicator.baseline_value)),
            scale(_year_end(indicator.target_year), float(indicator.target_value)),
        ]
        if indicator.baseline_value is not None
        and indicator.baseline_year
        and indicator.target_value is not None
        and indicator.target_year
        else None
    )
    target = (
        scale(_year_end(indicator.target_year), float(indicator.target_value))
        if indicator.target_value is not None and indicator.target_year
        else None
    )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "polyline": " ".join(f"{x},{y}" for x, y in scaled),
        "dots": scaled,
        "target": target,
        "path": path,
        "baseline_y": CHART_HEIGHT - PADDING,
        "left": PADDING,
        "right": CHART_WIDTH - PADDING,
        "y_max": y_max,
        "y_min": y_min,
        "x_min": int(x_min),
        "x_max": int(x_max),
    }


@register.filter
def percent(share: float) -> int:
    return round(share * 100)


@register.simple_tag(takes_context=True)
def entry_details(context: dict[str, Any]) -> dict[str, Any]:
    """The entry's details: given by the catalogue page, or built from the unsaved entry in a preview."""
    if context.get("entry"):
        return context["entry"]
    project = context["project"]
    locale = project.locale if project.locale_id else Locale.get_default()
    return entry_context(project, Lookup(locale), base_url="", preview=True)


def _path(indicator: IndicatorSeries) -> progress.Path:
    return progress.Path(
        indicator.direction,
        indicator.baseline_value,
        indicator.baseline_year,
        indicator.target_value,
        indicator.target_year,
    )


@register.simple_tag
def indicator_assessment(indicator: IndicatorSeries) -> dict[str, Any]:
    """How the newest value stands on the expected path, with the figures and the tolerance the light came from."""
    newest = indicator.values[-1] if indicator.values else None
    tolerance = progress.current_tolerance()
    assessment = progress.assess(
        _path(indicator), newest.value if newest else None, newest.date if newest else None, tolerance
    )
    return {
        "assessment": assessment,
        "label": dict(TrafficLight.choices)[assessment.light],
        "year": newest.date.year if newest else None,
        "tolerance": tolerance,
        "on_track_share": 100 - tolerance,
    }


@register.simple_tag
def light_explanation(indicators: list[IndicatorSeries]) -> dict[str, Any]:
    """The computed light of an entry: each indicator's light, the points, their mean and the result."""
    items = [{"title": indicator.title, **indicator_assessment(indicator)} for indicator in indicators]
    assessed = [item for item in items if item["assessment"].light in progress.LIGHT_POINTS]
    points = [progress.LIGHT_POINTS[item["assessment"].light] for item in assessed]
    light = progress.combine(item["assessment"].light for item in items)
    return {
        "items": items,
        "mean": sum(points) / len(points) if points else None,
        "light": light,
        "label": dict(TrafficLight.choices)[light],
        "weight": progress.INDICATOR_WEIGHT,
        "points": [(dict(TrafficLight.choices)[value], number) for value, number in progress.LIGHT_POINTS.items()],
        "on_track_from": progress.ON_TRACK_FROM,
        "at_risk_from": progress.AT_RISK_FROM,
    }
