from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


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
