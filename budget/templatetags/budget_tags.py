"""The budget's part of the catalogue's pages: `{% load budget_tags %}{% budget_section goal %}`.

The catalogue's templates load this library; the catalogue's code never imports the budget.
"""

from decimal import Decimal
from typing import Any

from django import template

from catalogue.models import Area, CatalogueIndexPage, Goal
from catalogue.public.goals import catalogue_page
from catalogue.public.options import Option
from catalogue.public.query import entry_path
from cms.locales import active_locale

from ..chart import bar_chart, euros
from ..sections import BudgetSection, area_section, goal_section

register = template.Library()


def _catalogue_url(context: template.Context, locale_id: int) -> str:
    """Where entry and goal links point: the catalogue page being served, or the language's catalogue."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, CatalogueIndexPage):
        return page.get_url(request)
    if context.get("catalogue_url"):
        return str(context["catalogue_url"])
    catalogue = catalogue_page(locale_id)
    return catalogue.get_url(request) if catalogue else ""


@register.inclusion_tag("budget/includes/section.html", takes_context=True)
def budget_section(
    context: template.Context, goal: Goal | None = None, area: Area | Option | None = None
) -> dict[str, Any]:
    """„Im Haushalt“ for a goal page (`goal`) or an area chapter (`area`: the area or its catalogue option)."""
    locale = active_locale()
    if goal is not None:
        section, subject = goal_section(goal, locale), "goal"
    elif area is not None:
        section, subject = area_section(area, locale), "area"
    else:
        section, subject = BudgetSection(), ""
    return {
        "section": section,
        "subject": subject,
        "chart": bar_chart(section.attributed),
        "catalogue_url": _catalogue_url(context, locale.pk) if not section.empty else "",
    }


@register.filter
def euro(value: Decimal | None) -> str:
    return euros(value)


@register.simple_tag
def measure_url(catalogue_url: str, measure: Any) -> str:
    """The public page of an entry in the section's list of measures."""
    return entry_path(catalogue_url, measure.code, measure.title, measure.slug) if catalogue_url else ""
