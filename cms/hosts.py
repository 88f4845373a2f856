"""Absolute URLs on the host the visitor used, or on the Site's configured hostname.

Wagtail builds a page's full URL from its `Site` record (hostname and port), which is what
an installation set up once ("localhost", port 80) and rarely what the visitor typed: canonical
links, the sitemap, feeds and exports then pointed to `http://localhost`. With a request the
site's own host and scheme are taken from it (Django has checked the host against
ALLOWED_HOSTS, and behind the TLS proxy `SECURE_PROXY_SSL_HEADER` makes the scheme https).
Without one (mails, commands) the Site's hostname is used, with https where the installation
redirects to https (`SECURE_SSL_REDIRECT`, on in production).
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page, Site


def site_root_url(request: Any, site_id: int, configured: str) -> str:
    """The scheme and host for a page of site `site_id`: the request's where it is that site's."""
    if isinstance(request, HttpRequest):
        site = Site.find_for_request(request)
        if site is not None and site.pk == site_id:
            return f"{request.scheme}://{request.get_host()}"
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and configured.startswith("http://"):
        return "https://" + configured.removeprefix("http://")
    return configured


def full_url(page: Page, request: Any = None) -> str:
    """The full URL of any page object, a plain `Page` row included, by `site_root_url`."""
    parts = page.get_url_parts(request)
    if not parts or parts[1] is None:
        return ""
    site_id, root_url, page_path = parts
    if not isinstance(page, PublicUrlMixin):
        root_url = site_root_url(request, site_id, root_url)
    return root_url + page_path


class PublicUrlMixin:
    """Page types whose full URLs use `site_root_url` (canonical links, sitemap, feeds, exports, the PDF)."""

    def get_url_parts(self, request: Any = None) -> Any:
        parts = super().get_url_parts(request)  # type: ignore[misc]
        if not parts or parts[1] is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, site_root_url(request, site_id, root_url), page_path
