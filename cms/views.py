from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

# Documents are served by Wagtail's document view, which checks collection privacy; their files
# under MEDIA_ROOT must never be reachable directly.
MEDIA_NOT_SERVED = ("documents/",)


@require_GET
@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico where a document names no icon (feeds, PDFs): the site's icon, not a 404."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the proxy and the process supervisor: the app answers, without a query or a cache.

    Also the trivial view the load benchmark measures everything else against.
    """
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded images from MEDIA_ROOT, where no web server in front serves them (`SERVE_MEDIA`).

    The development server always does; in production the reverse proxy serves `/media/`
    (docs/media.md), and a single server without one sets `SERVE_MEDIA=1`.
    """
    if not settings.SERVE_MEDIA or path.startswith(MEDIA_NOT_SERVED):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors that could fail again; the template is static.
    return render(request, "500.html", status=500)
