"""The page shell's navigation: menu, breadcrumbs, language switcher, footer links.

Each tag asks the database once at most and shares what it found on the request, so the
shell costs a fixed number of queries whatever the size of the tree; what depends only on pages
and site settings is kept in the shared cache until the site version changes (`cms.cache`).
"""

from django import template
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from cms import cache
from cms.locales import active_locale, locales_by_code
from cms.restrictions import without_own_restrictions

register = template.Library()

LEGAL_LINKS = [
    ("impressum_page", _("Impressum")),
    ("privacy_page", _("Datenschutz")),
    ("accessibility_page", _("Erklärung zur Barrierefreiheit")),
    ("easy_language_page", _("Leichte Sprache")),
]


def _cache(request):
    if request is None:
        return {}
    if not hasattr(request, "_cms_shell"):
        request._cms_shell = {}
    return request._cms_shell


def _memo(request, key, compute):
    cache = _cache(request)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _shared(request, name, parts, compute):
    """As `_memo`, and kept across requests until a page or the site settings change."""
    return _memo(request, name, lambda: cache.site_versioned(f"cms:shell:{name}", *parts, build=compute))


def _locales(request):
    return _memo(request, "locales", locales_by_code)


def _active_locale(request):
    return active_locale(_locales(request))


def _site(request):
    return _memo(
        request,
        "site",
        lambda: Site.find_for_request(request) if request else Site.objects.filter(is_default_site=True).first(),
    )


def _ancestors(request, page):
    """The page's ancestors below the tree root, fetched once per request."""
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    return _shared(request, "ancestors", (page.pk,), lambda: list(page.get_ancestors().filter(depth__gte=2)))


def _site_root(request, page=None):
    """The home page in the active language.

    Our sites have their root at depth 2, so for a page being served the root is the page
    itself or its first ancestor, which breadcrumbs fetch anyway.
    """

    def compute():
        locale = _active_locale(request)
        if isinstance(page, Page) and page.locale_id == locale.pk:
            if page.depth == 2:
                return page
            ancestors = _ancestors(request, page)
            if ancestors:
                return ancestors[0]
        site = _site(request)
        if site is None:
            return None
        root = site.root_page
        if root.locale_id != locale.pk:
            root = root.get_translation_or_none(locale) or root
        return root

    return _memo(request, "root", compute)


@register.simple_tag(takes_context=True)
def site_root(context):
    return _site_root(context.get("request"), context.get("page"))


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    current = context.get("page")
    root = _site_root(request, current)
    current_path = current.path if isinstance(current, Page) else ""
    items = []
    if root is not None:
        # A restriction on the root or above gates the page being viewed already.
        children = _shared(
            request,
            "navigation",
            (root.pk,),
            lambda: list(without_own_restrictions(root.get_children().live().in_menu())),
        )
        for child in children:
            items.append(
                {
                    "page": child,
                    "current": current_path == child.path,
                    "ancestor": current_path.startswith(child.path) and current_path != child.path,
                }
            )
    return {"items": items, "root": root, "request": request, "page": current}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    crumbs = _ancestors(context.get("request"), page)
    return {"crumbs": crumbs, "page": page, "request": context.get("request")}


def _shell_pages(context):
    """Everything the language switcher and the footer need, in one query.

    That is the current page's and the home page's translations into the other languages,
    the legal pages chosen in site settings and their translations into the active language.
    """
    request = context.get("request")

    def compute():
        page = context.get("page")
        site = _site(request)
        active = _active_locale(request)
        others = [locale for code, locale in _locales(request).items() if locale.pk != active.pk]
        keys = [p.translation_key for p in (page if isinstance(page, Page) else None, site and site.root_page) if p]
        legal_ids = [pk for pk in _legal_page_ids(context).values() if pk]
        condition = Q(translation_key__in=keys, locale__in=others) | Q(pk__in=legal_ids)
        if legal_ids:
            legal_keys = Page.objects.filter(pk__in=legal_ids).values("translation_key")
            condition |= Q(translation_key__in=legal_keys, locale=active)
        return list(Page.objects.live().filter(condition))

    page = context.get("page")
    site = _site(request)
    parts = (page.pk if isinstance(page, Page) else None, site.pk if site else None, _active_locale(request).pk)
    return _shared(request, "shell_pages", parts, compute)


def _legal_page_ids(context):
    site_settings = context["settings"]["cms"]["SiteSettings"]
    return {field: getattr(site_settings, f"{field}_id") for field, _ in LEGAL_LINKS}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in each other language, or that language's home page."""
    request = context.get("request")
    page = context.get("page")
    active = _active_locale(request)
    site = _site(request)
    page_key = page.translation_key if isinstance(page, Page) else None
    home_key = site.root_page.translation_key if site else None
    translations, homes = {}, {}
    for candidate in _shell_pages(context):
        if candidate.locale_id == active.pk:
            continue
        if candidate.translation_key == page_key:
            translations[candidate.locale_id] = candidate
        if candidate.translation_key == home_key:
            homes[candidate.locale_id] = candidate
    links = []
    for code, name in settings.LANGUAGES:
        locale = _locales(request).get(code)
        if locale is None or locale.pk == active.pk:
            continue
        target = translations.get(locale.pk) or homes.get(locale.pk)
        if target is not None:
            links.append(
                {
                    "code": code,
                    "name": name,
                    "url": target.get_url(request=request),
                    "is_translation": locale.pk in translations,
                }
            )
    return {"links": links}


@register.inclusion_tag("includes/footer_links.html", takes_context=True)
def footer_links(context):
    """The legal pages chosen in site settings, in the active language where translated."""
    request = context.get("request")
    chosen = _legal_page_ids(context)
    locale = _active_locale(request)
    pages = _shell_pages(context)
    by_id = {p.pk: p for p in pages}
    by_key = {p.translation_key: p for p in pages if p.locale_id == locale.pk}
    links = []
    for field, label in LEGAL_LINKS:
        source = by_id.get(chosen[field])
        if source is None:
            continue
        target = by_key.get(source.translation_key, source)
        # A page shown in the other language (no translation yet) is marked up with its language.
        lang = "" if target.locale_id == locale.pk else _language_of(request, target.locale_id)
        links.append({"label": label, "url": target.get_url(request=request), "lang": lang})
    return {"links": links}


def _language_of(request, locale_id):
    for code, locale in _locales(request).items():
        if locale.pk == locale_id:
            return code
    return ""
