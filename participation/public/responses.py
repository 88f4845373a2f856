"""Answers shared by the public views: pages behind signed links, refused links, too many requests."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from participation.links import LinkError


def private_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A page about one person's data: never cached, never indexed, its address never sent to other sites.

    `same-origin` rather than `no-referrer`: with the latter, browsers send `Origin: null` with the
    page's own forms, which Django's CSRF check rightly refuses.
    """
    response = TemplateResponse(request, template, {"noindex": True, **context}, status=status)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    return response


def link_refused(request: HttpRequest, error: LinkError) -> HttpResponse:
    """A link that is too old (410) or broken (400), explained with what to do instead."""
    if error.expired:
        context = {
            "heading": _("Dieser Link ist abgelaufen"),
            "message": _(
                "Links zum Bestätigen gelten sieben Tage. Bitte fordern Sie einfach einen neuen an: "
                "Melden Sie sich noch einmal an, nichts ist verloren."
            ),
        }
        return private_page(request, "participation/link_refused.html", context, status=410)
    context = {
        "heading": _("Dieser Link ist ungültig"),
        "message": _(
            "Der Link ist unvollständig oder verändert. Bitte öffnen Sie ihn direkt aus der E-Mail oder kopieren "
            "Sie ihn vollständig in die Adresszeile."
        ),
    }
    return private_page(request, "participation/link_refused.html", context, status=400)


def link_gone(request: HttpRequest, message: str) -> HttpResponse:
    """A valid link whose subject no longer exists (unsubscribed, deleted, or never confirmed in time)."""
    context = {"heading": _("Nichts mehr zu tun"), "message": message}
    return private_page(request, "participation/link_refused.html", context, status=404)


def too_many(request: HttpRequest) -> HttpResponse:
    context = {
        "heading": _("Zu viele Anfragen"),
        "message": _(
            "Von dieser Verbindung oder für diese E-Mail-Adresse kamen gerade zu viele Anfragen. "
            "Bitte versuchen Sie es später noch einmal."
        ),
    }
    response = private_page(request, "participation/link_refused.html", context, status=429)
    response["Retry-After"] = "3600"
    return response


def safe_next(request: HttpRequest, value: str | None) -> str:
    """A local address to return to, or '' for anything that leaves the site."""
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return ""
