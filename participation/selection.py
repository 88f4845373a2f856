"""What a subscription follows, read with the catalogue's own filters: its entries and its name.

A selection is stored as the query string of the catalogue's filters (without sort and page),
validated and ordered by the same rules the public list applies. Entries are always those of
the default language: translations share their codes, goals and reports with them.
"""

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from wagtail.models import Locale

from catalogue.models import Project
from catalogue.public.facets import ProjectFilterSet
from catalogue.public.goals import catalogue_page
from catalogue.public.options import FACETS, Lookup
from catalogue.public.query import base_queryset, entry_url, parse_query
from cms.locales import default_locale

KEPT_PARAMETERS = {name for name, _label in FACETS} | {"q", "county_wide"}


def normalise_query(raw: str) -> str:
    """The catalogue filters in `raw` as a stable query string: known values only, sorted.

    Raises BadRequest for requests no form of ours produces (as the catalogue list does).
    """
    request = HttpRequest()
    request.GET = QueryDict(raw.lstrip("?"))
    data, _notes = parse_query(request, Lookup(default_locale()))
    clean = QueryDict(mutable=True)
    for name in sorted(data):
        if name in KEPT_PARAMETERS:
            clean.setlist(name, sorted(data.getlist(name)))
    return clean.urlencode()


def selected_ids(query: str) -> set[int]:
    """Ids of the live default-language entries the selection `query` matches."""
    locale = default_locale()
    filterset = ProjectFilterSet(QueryDict(query), base_queryset(locale), lookup=Lookup(locale))
    if not filterset.is_valid():
        return set()
    return set(filterset.qs.values_list("pk", flat=True))


def entry_by_code(code: str) -> Project | None:
    """The live default-language entry with this number."""
    if not code:
        return None
    return base_queryset(default_locale()).filter(code=code).first()


def selection_label(query: str, locale: Locale) -> str:
    """The selection in words, in `locale`: „Handlungsfeld: 2 Wirtschaft; Status: in Umsetzung“."""
    data = QueryDict(query)
    lookup = Lookup(locale)
    parts = []
    for name, label in FACETS:
        values = [lookup.by_key[name][key].label for key in data.getlist(name) if key in lookup.by_key[name]]
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    if data.get("q"):
        parts.append(_("Suchbegriff: „%(query)s“") % {"query": data["q"]})
    if data.get("county_wide"):
        parts.append(_("mit kreisweiten Einträgen"))
    return "; ".join(parts) if parts else _("alle Einträge des Katalogs")


def localized_title(project: Project, locale: Locale) -> str:
    if project.locale_id == locale.pk:
        return project.title
    translated = Project.objects.filter(translation_key=project.translation_key, locale=locale, live=True)
    return translated.values_list("title", flat=True).first() or project.title


def entry_label(project: Project | None, code: str, locale: Locale) -> str:
    if project is None:
        return _("Eintrag %(code)s") % {"code": code}
    return _("Eintrag %(code)s „%(title)s“") % {"code": project.code, "title": localized_title(project, locale)}


def catalogue_base_url(locale: Locale) -> str | None:
    """The path of the public catalogue in `locale` (or the default language), None without one."""
    page = catalogue_page(locale.pk) or catalogue_page(default_locale().pk)
    return page.get_url() if page else None


def entry_path(project: Project, locale: Locale) -> str | None:
    base = catalogue_base_url(locale)
    return entry_url(base, project) if base else None


def selection_path(query: str, locale: Locale) -> str | None:
    base = catalogue_base_url(locale)
    if base is None:
        return None
    return f"{base}?{query}" if query else base
