"""The strategy's compact version as a PDF, rendered by WeasyPrint from the one-page view's parts."""

import mimetypes
import posixpath
from typing import IO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cms.models import SiteSettings


class LocalFileFetcher(URLFetcher):
    """Serves /media/ and /static/ from storage and refuses everything else.

    The PDF is rendered inside a request: fetching over HTTP would call back into this
    server (or the internet) and could hang or leak; every resource it needs is local.
    """

    def __init__(self, base_url):
        super().__init__(allowed_protocols=["http", "https"])
        self.origin = urlsplit(base_url).netloc

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.netloc != self.origin:
            raise ValueError(f"Refusing to fetch {url} for the PDF: not a local file.")
        path = posixpath.normpath(unquote(parts.path))
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        body: IO[bytes]
        if path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
            body = default_storage.open(name, "rb")
        elif path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if not found:
                raise ValueError(f"Static file {path} not found.")
            body = open(found, "rb")  # noqa: SIM115 - WeasyPrint closes the response
        else:
            raise ValueError(f"Refusing to fetch {url} for the PDF: not under media or static.")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_strategy_pdf(strategy, request):
    site_settings = SiteSettings.for_request(request)
    html = render_to_string(
        "home/strategy_pdf.html",
        {
            "page": strategy,
            "chapters": list(strategy.full_chapters()),
            "heading_base": 3,
            "county_name": site_settings.county_name,
            "logo": site_settings.logo,
            "full_url": strategy.get_full_url(request),
        },
        request=request,
    )
    base_url = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFileFetcher(base_url)).write_pdf()
