"""The page shell's navigation: menu, breadcrumbs, language switcher, footer links.

Each tag asks the database once at most and shares what it found on the request, so the
shell costs a fixed number of queries whatever the size of the tree; what depends only on pages
and site settings is kept in the shared cache until the site version changes (`cms.cache`).
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.db.models import Q
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from cms import cache
from cms.colours import brand_tokens
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


# Parts of the shell whose HTML depends only on the site, the language, the page being shown and
# the site's pages and settings: rendered once per site version and kept as HTML, all read in one
# round trip. Rendering them (logo rendition, menu, footer) was a tenth of an uncached list request.
SHELL_FRAGMENTS = ("brand", "navigation", "breadcrumbs", "footer")


def _shell_fragment_keys(context) -> tuple[dict[str, str], dict[str, str]]:
    """The keys of this request's shell fragments by name, and those found in the cache."""
    request = context.get("request")

    def read():
        page = context.get("page")
        site = _site(request)
        part = (site.pk if site else None, translation.get_language(), page.pk if isinstance(page, Page) else None)
        names = cache.site_versioned_keys("cms:shell-html", [(*part, name) for name in SHELL_FRAGMENTS])
        keys = dict(zip(SHELL_FRAGMENTS, names, strict=True))
        return keys, cache.get_many(list(keys.values()))

    return _memo(request, "fragments", read)


class ShellFragmentNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        request = context.get("request")
        # A preview shows a draft: its shell is rendered afresh and not kept.
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        keys, found = _shell_fragment_keys(context)
        key = keys[self.name]
        if key not in found:
            found[key] = self.nodelist.render(context)
            cache.put(key, found[key])
        return mark_safe(found[key])


@register.tag
def shell_fragment(parser, token) -> ShellFragmentNode:
    """`{% shell_fragment "navigation" %}…{% endshell_fragment %}`: one of SHELL_FRAGMENTS, cached."""
    bits = token.split_contents()
    name = bits[1].strip("\"'") if len(bits) == 2 else ""
    if name not in SHELL_FRAGMENTS:
        raise template.TemplateSyntaxError(f"shell_fragment takes one of {SHELL_FRAGMENTS}")
    nodelist = parser.parse(("endshell_fragment",))
    parser.delete_first_token()
    return ShellFragmentNode(name, nodelist)


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


@dataclass(frozen=True)
class LanguageLink:
    """The current page in another language, or that language's home page where there is none."""

    code: str
    name: str
    url: str
    is_translation: bool
    # Where an untranslated route leads instead: "home", or "page" (the translated page itself).
    fallback: str = ""


def _language_links(context) -> list[LanguageLink]:
    """The same route in each other language, shared by the switcher and the head's alternates.

    A page's translation is found by its translation key. A view that answers sub-routes of a
    page (an entry, a goal, a filtered list) names in `route_alternates` what follows the page's
    URL in each language where that route exists there; views outside the page tree (the
    search) are translated by their URL pattern, query included.
    """
    request = context.get("request")

    def compute():
        page = context.get("page")
        active = _active_locale(request)
        site = _site(request)
        page_key = page.translation_key if isinstance(page, Page) else None
        home_key = site.root_page.translation_key if site else None
        routes = context.get("route_alternates")
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
            translation = translations.get(locale.pk)
            if translation is not None and (routes is None or code in routes):
                url = translation.get_url(request=request) + (routes or {}).get(code, "")
                links.append(LanguageLink(code, name, url, True))
            elif page is None and request is not None and (url := _translated_path(request, code)):
                links.append(LanguageLink(code, name, url, True))
            elif translation is not None:
                links.append(LanguageLink(code, name, translation.get_url(request=request), False, "page"))
            elif home := homes.get(locale.pk):
                links.append(LanguageLink(code, name, home.get_url(request=request), False, "home"))
        return links

    return _memo(request, "language_links", compute)


def _translated_path(request, code: str) -> str:
    """The request's path (and query) under the other language's URL prefix, if the route is ours."""
    path = request.get_full_path()
    translated = translate_url(path, code)
    return translated if translated != path else ""


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict[str, list[LanguageLink]]:
    """Links to the current page in each other language, or that language's home page."""
    return {"links": _language_links(context)}


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context) -> dict[str, list[tuple[str, str]]]:
    """`<link rel="alternate" hreflang>` for this page and each of its translations, as absolute URLs."""
    request = context.get("request")
    if request is None:
        return {"alternates": []}
    links = [link for link in _language_links(context) if link.is_translation]
    if not links:
        return {"alternates": []}
    own = (translation.get_language(), request.build_absolute_uri())
    return {"alternates": [own, *((link.code, request.build_absolute_uri(link.url)) for link in links)]}


# Page fields that carry text an editor translates; compared with the source page's.
SOURCE_TEXT_FIELDS = ("title", "intro", "summary", "subtitle")


@dataclass(frozen=True)
class SourceWords:
    """What a translated page still shows in its source's words: fields and StreamField blocks (by id)."""

    lang: str = ""
    fields: frozenset[str] = frozenset()
    blocks: frozenset[str] = frozenset()


def _compare_with_source(page: Page, source_locale) -> SourceWords:
    source = type(page).objects.filter(translation_key=page.translation_key, locale_id=source_locale.pk).first()
    if source is None:
        return SourceWords()
    fields = frozenset(
        name
        for name in SOURCE_TEXT_FIELDS
        if getattr(page, name, None) and getattr(page, name) == getattr(source, name, None)
    )
    blocks = set()
    for name in page.get_streamfield_names():
        stream = getattr(page, name)
        originals = {item["id"]: item["value"] for item in getattr(source, name).raw_data if item.get("id")}
        for item in stream.raw_data:
            block = stream.stream_block.child_blocks.get(item["type"])
            # Blocks that show live data render in the page's language whatever their settings are.
            if block is None or getattr(block, "shows_data", False):
                continue
            if item.get("id") in originals and originals[item["id"]] == item["value"]:
                blocks.add(item["id"])
    return SourceWords(source_locale.language_code, fields, frozenset(blocks))


@register.simple_tag(takes_context=True)
def source_words(context, page) -> SourceWords:
    """Where a translated page still shows its source's words (wagtail-localize keeps untranslated text).

    Compared once per published state of the page; a preview is compared afresh.
    """
    request = context.get("request")
    source_locale = _locales(request).get(settings.LANGUAGE_CODE)
    if not isinstance(page, Page) or source_locale is None or page.locale_id == source_locale.pk:
        return SourceWords()
    if getattr(request, "is_preview", False):
        return _compare_with_source(page, source_locale)
    return cache.named(
        "cms:source-words",
        page.pk,
        page.last_published_at.isoformat() if page.last_published_at else "",
        build=lambda: _compare_with_source(page, source_locale),
        timeout=cache.DAY,
    )


@register.simple_tag(takes_context=True)
def include_stream(context, value, words: SourceWords) -> str:
    """A StreamField rendered as `{% include_block %}` does, blocks in the source's words marked with `lang`."""
    flat = context.flatten()
    return format_html_join(
        "\n",
        '<div class="w-block-{1} block-{1}"{2}>{0}</div>',
        [
            (child.render(context=flat), child.block_type, lang_attr(words.lang if child.id in words.blocks else ""))
            for child in value
        ],
    )


@register.simple_tag
def brand_properties(colour: str | None) -> str:
    """The colour tokens derived from the county colour, as CSS for the nonce'd style of the page shell."""
    return brand_tokens(colour).css()


@register.filter
def lang_attr(lang: str) -> str:
    """` lang="…"` for text in a language other than the page's, nothing otherwise."""
    return format_html(' lang="{}"', lang) if lang else ""


@register.simple_tag
def settings_lang() -> str:
    """` lang="de"` on pages in another language: site settings are written in the site's first language."""
    source = settings.LANGUAGE_CODE
    return "" if translation.get_language() == source else format_html(' lang="{}"', source)


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
