"""Spam protection of the public forms: a honeypot field and rate limits per address and per IP.

Counters live in the shared cache (`cms.cache.count`), keyed by a keyed hash of the address or
IP, so the cache never holds either in clear text.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from cms import cache

HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window` seconds."""

    count: int
    window: int


# Per form: submissions from one IP, and mails to one address. Settings may override them
# (`PARTICIPATION_RATE_LIMITS = {"follow": {"ip": (20, 3600), "address": (3, 86400)}, ...}`).
DEFAULT_LIMITS = {
    "follow": {"ip": Limit(20, cache.HOUR), "address": Limit(3, cache.DAY)},
    "manage": {"ip": Limit(10, cache.HOUR), "address": Limit(3, cache.DAY)},
    "idea": {"ip": Limit(5, cache.HOUR), "address": Limit(3, cache.DAY)},
    "registration": {"ip": Limit(10, cache.HOUR), "address": Limit(3, cache.DAY)},
}


class HoneypotMixin(forms.Form):
    """A field people never see or reach; bots that fill every field fill it too."""

    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


def client_ip(request: HttpRequest) -> str:
    """The visitor's IP: the last address a trusted proxy added, or the connection's own.

    `PARTICIPATION_TRUSTED_PROXIES` says how many proxies stand in front of the app (0 by default);
    only that many entries of `X-Forwarded-For` are believed, counted from the right.
    """
    proxies = getattr(settings, "PARTICIPATION_TRUSTED_PROXIES", 0)
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _limit(form: str, scope: str) -> Limit:
    configured = getattr(settings, "PARTICIPATION_RATE_LIMITS", {}).get(form, {}).get(scope)
    return Limit(*configured) if configured else DEFAULT_LIMITS[form][scope]


def _digest(value: str) -> str:
    return salted_hmac("participation.rate-limit", value).hexdigest()[:32]


def allow_ip(request: HttpRequest, form: str) -> bool:
    """Count a submission of `form` from the visitor's IP; False once the IP is over its limit."""
    limit = _limit(form, "ip")
    return (
        cache.count("participation:rate", form, "ip", _digest(client_ip(request)), window=limit.window) <= limit.count
    )


def allow_address(address: str, form: str) -> bool:
    """Count a mail from `form` to `address`; False once the address is over its limit."""
    limit = _limit(form, "address")
    return cache.count("participation:rate", form, "address", _digest(address), window=limit.window) <= limit.count
