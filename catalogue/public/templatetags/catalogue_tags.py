"""Server-rendered SVG charts and small helpers for the public catalogue templates."""

import re
from dataclasses import asdict
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.models import Locale

from catalogue.models import TrafficLight, progress
from catalogue.public import charts
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


@register.simple_tag
def facet_options(facet: Any) -> SafeString:
    """A facet's checkboxes, one per option with its count.

    Built here rather than in a template loop: a list page shows over a hundred options, and a
    selection nobody asked for before renders them all anew; this takes a tenth of the template's
    time (bench/README.md, cache-busting filters). The markup is the template's as it was.
    """
    name = escape(facet.name)
    parts = []
    for option in facet.options:
        key = escape(option.key)
        element_id = f"f-{name}-{dom_id(option.key)}"
        state = " checked" if option.checked else (" disabled" if not option.count else "")
        parts.append(
            f'        <div class="facet__option facet__option--depth-{int(option.depth)}">\n'
            f'            <input type="checkbox" id="{element_id}" name="{name}" value="{key}"{state}>\n'
            f'            <label for="{element_id}">{label_html(option)} <span class="facet__count">'
            f"({localize(option.count)})</span></label>\n"
            "        </div>\n"
        )
    return SafeString("".join(parts))


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
