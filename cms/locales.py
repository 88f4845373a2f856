"""The site's locales without a query: cached, since they change almost never and every page needs them."""

from typing import Any

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from cms import cache


def locales_by_code() -> dict[str, Locale]:
    rows = cache.named(cache.LOCALES, build=lambda: list(Locale.objects.values_list("pk", "language_code")))
    return {code: Locale(pk=pk, language_code=code) for pk, code in rows}


def active_locale(locales: dict[str, Locale] | None = None) -> Locale:
    """The Locale of the active language (`locales` may be a list the caller holds already)."""
    locales = locales if locales is not None else locales_by_code()
    return locales.get(translation.get_language()) or Locale.get_default()


def default_locale() -> Locale:
    """The Locale of the site's default language (the source of all translations), from the cached list."""
    return locales_by_code().get(settings.LANGUAGE_CODE) or Locale.get_default()


def locale_of(instance: Any) -> Locale:
    """The locale of a page or snippet, from the cached list rather than its foreign key."""
    for locale in locales_by_code().values():
        if locale.pk == instance.locale_id:
            return locale
    return instance.locale
