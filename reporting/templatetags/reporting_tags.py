"""Template tags of the reports, and the entry page's history across reports (a catalogue entry section)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.models import Locale

from cms.locales import locale_of
from reporting import comparison
from reporting.public.figures import Label
from reporting.public.history import cached_history, reports_url

register = template.Library()

BAR_HEIGHT = 16
BAR_GAP = 6
LABEL_WIDTH = 40


@register.simple_tag
def label(value: Label | None) -> SafeString:
    """A name from a report, marked with its language where it is not the page's."""
    if value is None:
        return SafeString()
    if value.lang:
        return format_html('<span lang="{}">{}</span>', value.lang, value.text)
    return format_html("{}", value.text)


def entry_history(context: Any, project: Any) -> SafeString:
    """The entry's status, light and progress in every closed report, newest first (nothing before the first report)."""
    if not getattr(project, "pk", None) or not getattr(project, "live", False):
        return SafeString()
    request = context.get("request")
    locale = locale_of(project) if project.locale_id else Locale.get_default()
    rows = cached_history(project.translation_key, locale.language_code)
    if not rows:
        return SafeString()
    return render_to_string(
        "reporting/includes/entry_history.html",
        {"rows": rows, "reports_url": reports_url(locale, request), "project": project},
        request=request,
    )


@register.simple_tag
def progress_bars(rows: list[Any], width: int = 400) -> dict[str, Any]:
    """Two bars per group (progress before and after) on a chart `width` units wide; for the comparison."""
    scale = (width - LABEL_WIDTH - 10) / 100
    bars = []
    for index, row in enumerate(rows):
        top = index * (2 * BAR_HEIGHT + 2 * BAR_GAP)
        summary = row.summary
        bars.append(
            {
                "code": row.code,
                "label_y": top + BAR_HEIGHT + 4,
                "before_y": top,
                "after_y": top + BAR_HEIGHT + 2,
                "before": round((summary.progress_before or 0) * scale, 1),
                "after": round((summary.progress_after or 0) * scale, 1),
            }
        )
    return {
        "width": width,
        "height": max(len(rows) * (2 * BAR_HEIGHT + 2 * BAR_GAP), 1),
        "left": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


@register.filter
def light_label(value: str) -> str:
    """The label of a traffic light value, in the active language."""
    return comparison.light_label(value)


@register.filter
def report_title(report: Any) -> str:
    """A report's title in the active language (English where one was given)."""
    return report.title_in(translation.get_language() or "de")
