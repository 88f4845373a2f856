"""Wagtail's page routing from the cache: the site and the page a path leads to, per site version.

Wagtail reads the site, its root page, the root's translation and each page on the path anew for
every request: six queries before the catalogue's own one. They change only when pages, sites or
locales change, and every such change bumps the site version (`cms.signals`); so the site and the
routed page are kept per host, path and site version, and only the rest of the route (a routable
page's sub-path, such as an entry of the catalogue) is worked out on each request. Everything
after routing (view restrictions, the page's own checks and view) runs as in Wagtail's `serve`.
"""

from dataclasses import dataclass

from django.core.cache import cache as default_cache
from django.http import Http404, HttpRequest, HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from cms import cache


@dataclass(frozen=True)
class Routed:
    """A path's site and page, and how many of the path's segments lead to the page."""

    site: Site
    page: Page
    segments: int


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _route(request: HttpRequest, path: str) -> None:
    """Give Wagtail the route of this request (`request._wagtail_route_for_request`), from the cache when known."""
    # The full path: the page path alone is the same for every language (/en/ is stripped from it).
    key = cache.route_key(request.get_host(), request.path)
    routed = default_cache.get(key)
    if not isinstance(routed, Routed):
        result = Page.route_for_request(request, path)
        site = getattr(request, "_wagtail_site", None)
        if result is not None and site is not None:
            segments = result.page.depth - site.root_page.depth
            default_cache.set(key, Routed(site, result.page, segments), cache.HOUR)
        return
    request._wagtail_site = routed.site  # type: ignore[attr-defined]
    try:
        route = routed.page.route(request, _segments(path)[routed.segments :])
    except Http404:
        route = None
    request._wagtail_route_for_request = route  # type: ignore[attr-defined]


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's `serve`, with the route of GET and HEAD requests from the cache."""
    if request.method in ("GET", "HEAD"):
        _route(request, path)
    return wagtail_views.serve(request, path)
