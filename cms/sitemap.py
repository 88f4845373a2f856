"""The sitemap: the live public pages of every language, each with its translations as alternates.

Wagtail's own sitemap lists the tree under the site's root page only, which leaves out the
translated home page and everything below it. Pages may add URLs of their own routes
(`get_sitemap_urls`, e.g. the catalogue's entries and goal pages, with their alternates).
"""

from typing import Any

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms.hosts import full_url


class TranslatedSitemap(Sitemap):
    def items(self) -> Any:
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).live()
        within = Q()
        for translated_root in roots:
            within |= Q(path__startswith=translated_root.path)
        return (
            Page.objects.live().public().filter(within).order_by("path").defer_streamfields().specific()
            if roots
            else Page.objects.none()
        )

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict[str, Any]]:
        pages = list(self.paginator.page(page).object_list)
        keys = {item.translation_key for item in pages}
        languages: dict[str, list[Page]] = {}
        for translation in Page.objects.live().public().filter(translation_key__in=keys).select_related("locale"):
            languages.setdefault(translation.translation_key, []).append(translation)
        urls = []
        last_mods = set()
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                if "alternates" not in url_info and url_info["location"] == item.get_full_url(self.request):
                    translations = languages.get(item.translation_key, [])
                    if len(translations) > 1:
                        url_info["alternates"] = [
                            {"lang_code": other.locale.language_code, "location": full_url(other, self.request)}
                            for other in translations
                        ]
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
