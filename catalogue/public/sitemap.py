"""The catalogue's own URLs for the sitemap: the list, the overview, every goal page and live entry.

Each comes with its equivalents in the other languages (`hreflang` alternates): the same route
under each translation of the catalogue page, an entry under its live translation.
"""

from typing import Any

from django.http import HttpRequest

from catalogue.models import CatalogueIndexPage, Project
from cms.hosts import full_url
from cms.locales import locales_by_code

from .options import Lookup
from .query import entry_path, page_locale


def sitemap_urls(page: CatalogueIndexPage, request: HttpRequest | None) -> list[dict[str, Any]]:
    languages = {locale.pk: code for code, locale in locales_by_code().items()}
    catalogues = {
        languages[translation.locale_id]: full_url(translation, request)
        for translation in page.get_translations(inclusive=True).live().public()
        if translation.locale_id in languages
    }
    own_code = languages.get(page.locale_id, "")
    own = catalogues.get(own_code, full_url(page, request))
    lastmod = page.last_published_at

    def with_alternates(suffix: str, when: Any = None, where: dict[str, str] | None = None) -> dict[str, Any]:
        alternates = where if where is not None else {code: url + suffix for code, url in catalogues.items()}
        info: dict[str, Any] = {"location": own + suffix, "lastmod": when or lastmod}
        if len(alternates) > 1:
            info["alternates"] = [{"lang_code": code, "location": url} for code, url in sorted(alternates.items())]
        return info

    urls = [with_alternates(""), with_alternates("umsetzungsstand/")]
    lookup = Lookup(page_locale(page))
    urls += [with_alternates(f"ziel/{option.token}/") for option in lookup.options["goal"]]
    entries = list(
        Project.objects.filter(live=True, locale_id=page.locale_id)
        .order_by("code")
        .values_list("translation_key", "code", "title", "slug", "last_published_at")
    )
    translated: dict[Any, dict[str, str]] = {}
    others = (
        Project.objects.filter(live=True, translation_key__in=[row[0] for row in entries])
        .exclude(locale_id=page.locale_id)
        .values_list("translation_key", "locale_id", "code", "title", "slug")
    )
    for key, locale_id, code, title, slug in others:
        language = languages.get(locale_id)
        if language in catalogues:
            translated.setdefault(key, {})[language] = catalogues[language] + entry_path("", code, title, slug)
    for key, code, title, slug, published in entries:
        path = entry_path("", code, title, slug)
        where = {own_code: own + path, **translated.get(key, {})}
        urls.append(with_alternates(path, published, where))
    return urls
