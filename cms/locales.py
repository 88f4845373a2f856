"""The site's locales, cached: they change almost never and every page needs them."""

from wagtail.models import Locale

from cms import cache


def locales_by_code() -> dict[str, Locale]:
    rows = cache.named(cache.LOCALES, build=lambda: list(Locale.objects.values_list("pk", "language_code")))
    return {code: Locale(pk=pk, language_code=code) for pk, code in rows}
