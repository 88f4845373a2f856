from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Strict policy on public pages, a looser one in the Wagtail admin.

    The editor relies on inline styles, inline event wiring of third-party widgets and
    data:/blob: images; the public site does not, so only the admin gets those sources.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(("/admin/", "/django-admin/")):
            return PolicyParts(config=settings.CONTENT_SECURITY_POLICY_ADMIN, nonce=parts.nonce)
        return parts


class OpenDataMiddleware:
    """Any website may read the open data (API and DCAT) with GET; nothing else crosses origins.

    No credentials are allowed and no Authorization header is admitted in a preflight, so
    writing with a token stays a server-to-server matter. HEAD is answered as GET without the
    body (django-ninja routes GET only), so a client can ask for the validators alone.
    """

    PREFIXES = ("/api/v3/", "/dcat/")
    HEADERS = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
        "Access-Control-Expose-Headers": "ETag, Last-Modified, Link",
        "Access-Control-Max-Age": "86400",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
        elif request.method == "HEAD":
            request.method = "GET"
            response = self.get_response(request)
            request.method = "HEAD"
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        else:
            response = self.get_response(request)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            for name, value in self.HEADERS.items():
                response[name] = value
        return response
