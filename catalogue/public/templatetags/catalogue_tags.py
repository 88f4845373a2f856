"""Server-rendered SVG charts and small helpers for the public catalogue templates."""

import re
from dataclasses import asdict
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from wagtail.models import Locale

from catalogue.public import charts
from catalogue.public.entry import IndicatorSeries, entry_context
from catalogue.public.options import Lookup

register = template.Library()


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
def indicator_chart(indicator: IndicatorSeries) -> charts.IndicatorChart | None:
    """The indicator's chart geometry (axes, ticks, points, baseline and target)."""
    return charts.chart(indicator)


@register.simple_tag
def indicator_reading(indicator: IndicatorSeries) -> charts.Reading:
    """Trend and target outlook of the indicator as one sentence."""
    return charts.reading(indicator)


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
