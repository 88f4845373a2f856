from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page, Site

register = template.Library()


def _site_root(context):
    """The home page in the active language, cached on the request."""
    request = context.get("request")
    cache = getattr(request, "_cms_site_root", None) if request else None
    if cache is not None:
        return cache
    site = Site.find_for_request(request) if request else Site.objects.filter(is_default_site=True).first()
    root = None
    if site:
        root = site.root_page
        if root.locale_id != Locale.get_active().pk:
            root = root.get_translation_or_none(Locale.get_active()) or root
    if request is not None:
        request._cms_site_root = root
    return root


@register.simple_tag(takes_context=True)
def site_root(context):
    return _site_root(context)


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    root = _site_root(context)
    current = context.get("page")
    items = []
    if root is not None:
        current_path = current.path if isinstance(current, Page) else ""
        for child in root.get_children().live().public().in_menu():
            items.append(
                {
                    "page": child,
                    "current": current_path == child.path,
                    "ancestor": current_path.startswith(child.path) and current_path != child.path,
                }
            )
    return {"items": items, "root": root, "request": context.get("request"), "page": current}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    crumbs = []
    if isinstance(page, Page) and page.depth > 2:
        crumbs = list(page.get_ancestors().filter(depth__gte=2))
    return {"crumbs": crumbs, "page": page, "request": context.get("request")}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in each other language, or that language's home page."""
    request = context.get("request")
    page = context.get("page")
    active = translation.get_language()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    translations = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=False).live().public():
            translations[translated.locale_id] = translated
    site = Site.find_for_request(request) if request else None
    home_pages = {}
    if site and not all(locale.pk in translations for locale in locales.values()):
        for home in site.root_page.get_translations(inclusive=True).live():
            home_pages[home.locale_id] = home
    links = []
    for code, name in settings.LANGUAGES:
        if code == active or code not in locales:
            continue
        locale = locales[code]
        target = translations.get(locale.pk)
        is_translation = target is not None
        if target is None:
            target = home_pages.get(locale.pk)
        if target is None:
            continue
        links.append(
            {
                "code": code,
                "name": name,
                "url": target.get_url(request=request),
                "is_translation": is_translation,
            }
        )
    return {"links": links}


@register.simple_tag(takes_context=True)
def localized_url(context, page):
    """URL of the translation of `page` in the active language, falling back to the page."""
    if page is None:
        return ""
    return page.localized.get_url(request=context.get("request"))
