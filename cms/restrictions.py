"""Page view restrictions in one query each.

Wagtail asks for a page's ancestors and then, separately, for their restrictions; `.public()`
loads every restriction of the site first. A page's ancestors' paths are prefixes of its own
path, so one query finds them all. An alias is governed by its source page's restrictions,
which the `aliases` conditions find.
"""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def own_and_ancestor_paths(page):
    return [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]


def restrictions_above(page):
    """A condition matching restrictions on `page`, its ancestors, and what they alias."""
    paths = own_and_ancestor_paths(page)
    return Q(page__path__in=paths) | Q(page__aliases__path__in=paths)


def view_restrictions(page):
    """What `Page.get_view_restrictions` returns, in one query (none when routing found none)."""
    if getattr(page, "has_view_restrictions", None) is False:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(restrictions_above(page)).distinct()


def child_restrictions_exist(parent):
    """An EXISTS expression, per child row, for restrictions on the parent's path or the child."""
    return Exists(
        PageViewRestriction.objects.filter(
            restrictions_above(parent) | Q(page=OuterRef("pk")) | Q(page__aliases=OuterRef("pk"))
        )
    )


def without_own_restrictions(pages):
    """Children of a page the visitor may see: their ancestors' restrictions are the parent's."""
    return pages.filter(~Exists(PageViewRestriction.objects.filter(page=OuterRef("pk"))))


def without_restrictions(pages):
    """Pages no restriction applies to, on themselves or an ancestor: `.public()` in the same query.

    A restriction's page governs every page whose path begins with its path. Wagtail's `.public()`
    loads every restriction of the site first, a second query.
    """
    above = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return pages.filter(~Exists(above))
