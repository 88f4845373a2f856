"""Server-rendered SVG charts and small helpers for the public catalogue templates."""

import re
from dataclasses import asdict
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from wagtail.models import Locale

from catalogue.public.entry import IndicatorSeries, entry_context
from catalogue.public.options import Lookup

register = template.Library()

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


@register.simple_tag
def indicator_chart(indicator: IndicatorSeries) -> dict[str, Any] | None:
    """Points of an indicator's values (and its baseline and target) scaled to the chart's box."""
    points = [
        (value.date.year + (value.date.timetuple().tm_yday - 1) / 366, float(value.value)) for value in indicator.values
    ]
    extra = []
    if indicator.baseline_value is not None and indicator.baseline_year:
        extra.append((indicator.baseline_year, float(indicator.baseline_value)))
    if indicator.target_value is not None and indicator.target_year:
        extra.append((indicator.target_year, float(indicator.target_value)))
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
    target = (
        scale(indicator.target_year, float(indicator.target_value))
        if indicator.target_value is not None and indicator.target_year
        else None
    )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "polyline": " ".join(f"{x},{y}" for x, y in scaled),
        "dots": scaled,
        "target": target,
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


@register.filter
def dom_id(key: str) -> str:
    """An option key as part of an element id that stays the same whatever else the list shows."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(key))


@register.filter
def label_html(item: Any) -> str:
    """An option's (or row's) label, in a `lang` span where it is not in the page's language."""
    if item is None:
        return ""
    lang = getattr(item, "lang", "")
    if lang:
        return format_html('<span lang="{}">{}</span>', lang, item.label)
    return conditional_escape(item.label)


@register.simple_tag(takes_context=True)
def entry_details(context: dict[str, Any]) -> dict[str, Any]:
    """The entry's details: given by the catalogue page, or built from the unsaved entry in a preview."""
    if context.get("entry"):
        return context["entry"]
    project = context["project"]
    locale = project.locale if project.locale_id else Locale.get_default()
    return entry_context(project, Lookup(locale), base_url="", preview=True)
