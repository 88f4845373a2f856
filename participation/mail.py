"""Mails of the participation: plain text and HTML, in the recipient's language, with the county's name.

Every mail carries a link to stop it; those sent to a subscriber also carry `List-Unsubscribe`
with RFC 8058 one-click, so mail programs can offer their own button.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Site

from cms.models import SiteSettings


def county_name(request: HttpRequest | None = None) -> str:
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).county_name if site else ""


def send(
    *,
    to: str,
    language: str,
    template: str,
    subject: str,
    context: dict[str, Any],
    stop_url: str,
    list_unsubscribe: bool = False,
    request: HttpRequest | None = None,
) -> None:
    """Render `participation/email/<template>.txt` and `.html` in `language` and send them to `to`.

    `subject` must be in `language` already (callers build it inside `translation.override`).
    `stop_url` is the link that ends these mails: unsubscribe, delete the address, cancel.
    """
    with translation.override(language):
        context = {
            **context,
            "county_name": county_name(request),
            "stop_url": stop_url,
            "language": language,
            "subject": subject,
        }
        text = render_to_string(f"participation/email/{template}.txt", context)
        html = render_to_string(f"participation/email/{template}.html", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if list_unsubscribe:
        headers["List-Unsubscribe"] = f"<{stop_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    message.send()
