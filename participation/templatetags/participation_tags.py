"""Tags the catalogue's templates use through the includes in templates/participation/includes/.

The catalogue does not import the participation; its templates include these parts, which
load this library.
"""

from typing import Any

from django import template
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils.http import urlencode

from catalogue.models import Project
from cms import cache
from cms.locales import active_locale, locale_of
from participation.following import Scope
from participation.models import Idea, Subscription
from participation.pages import ENTRY_IDEAS, idea_page
from participation.selection import normalise_query

register = template.Library()


@register.inclusion_tag("participation/tags/follow_form.html", takes_context=True)
def follow_form(context, kind: str, value: str, level: int = 2) -> dict[str, Any]:
    """The „Per E-Mail folgen“ form: for an entry (`value` its number), a goal (its number), an area (its
    slug) or a selection of the catalogue (`value` its query string). No form without a value, but for
    a selection, where none means the whole catalogue. `level` is the heading level that fits the place.
    """
    request = context.get("request")
    value = (value or "").lstrip("?")
    if kind == "entry":
        scope = Scope(kind=Subscription.Kind.ENTRY, entry_code=value) if value else None
    elif kind in ("goal", "area", "selection") and (value or kind == "selection"):
        raw = value if kind == "selection" else urlencode({kind: value})
        try:
            scope = Scope.selection(normalise_query(raw))
        except BadRequest:
            scope = None
    else:
        scope = None
    if scope is None:
        return {"form": None}
    # The GET step carries only the two hidden fields to the form's own page (`follow.html`).
    return {
        "form": True,
        "entry": scope.entry_code,
        "query": scope.query,
        # An entry's page names the entry already; a selection is named by its filters.
        "label": "" if kind == "entry" else scope.label(active_locale()),
        "level": level,
        "action": reverse("participation:follow"),
        "next": request.get_full_path() if request else "",
        "manage_url": reverse("participation:manage_request"),
        "is_entry": kind == "entry",
    }


@register.inclusion_tag("participation/tags/entry_ideas.html", takes_context=True)
def entry_ideas(context, project: Project) -> dict[str, Any]:
    """„Entstanden aus Bürgeridee“: the published ideas taken up by this entry, with links to them."""
    request = context.get("request")
    rows = cache.named(
        ENTRY_IDEAS,
        project.translation_key,
        build=lambda: list(
            Idea.objects.public()
            .filter(state=Idea.State.ADOPTED, project__translation_key=project.translation_key)
            .order_by("submitted_at", "pk")
            .values_list("pk", "title")
        ),
    )
    page = idea_page(locale_of(project)) if rows else None
    base = page.get_url(request) if page else None
    return {"ideas": [(title, f"{base}idee/{pk}/" if base else None) for pk, title in rows]}


@register.inclusion_tag("participation/tags/goal_ideas.html", takes_context=True)
def goal_ideas(context, goal_code: str) -> dict[str, Any]:
    """Links from a goal's page to the ideas for it and to the form that files an idea under it."""
    request = context.get("request")
    page = idea_page(active_locale())
    base = page.get_url(request) if page else None
    return {
        "list_url": f"{base}?goal={goal_code}" if base else None,
        "submit_url": f"{base}einreichen/?goal={goal_code}" if base else None,
    }
