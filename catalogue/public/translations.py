"""The catalogue's routes and texts across languages: the language switcher, `hreflang`, `lang`.

Filter keys are the source language's slugs and codes, the same in every language, so a list,
a goal page and the overview exist under the same path after each catalogue page's URL; an
entry exists where it has a live translation, under that translation's number and slug.

A translated entry shows its source's words wherever nobody translated them: its status reports
are synchronised from the source, and a text field left as it was is still the source's. Those
are marked with the source's language.
"""

from dataclasses import dataclass, field

from django.conf import settings

from catalogue.models import Project
from cms import cache
from cms.locales import locales_by_code

from .query import entry_path

TEXT_FIELDS = ("title", "summary", "description", "external_partners")


@dataclass(frozen=True)
class EntryLanguages:
    """Where the entry is in each language, and the language of texts still in the source's words."""

    alternates: dict[str, str]
    # The source's language for the synchronised parts (reports); "" on the source itself.
    source_lang: str = ""
    text_lang: dict[str, str] = field(default_factory=dict)


def everywhere(suffix: str) -> dict[str, str]:
    """The same path after the catalogue page's URL in every language."""
    return {code: suffix for code, _name in settings.LANGUAGES}


def _translation_rows(project: Project) -> list[tuple]:
    def build() -> list[tuple]:
        rows = Project.objects.filter(translation_key=project.translation_key)
        return list(rows.values_list("locale_id", "live", "code", "slug", *TEXT_FIELDS))

    # Every translation's change bumps the versions of all of them (`catalogue.signals.entry_family`).
    return cache.entry_versioned(
        "catalogue:entry-translations", project.pk, project.translation_key, build=build, timeout=cache.HOUR
    )


def entry_languages(project: Project) -> EntryLanguages:
    """The entry's live translations as paths after each catalogue page's URL, and its untranslated texts."""
    languages = {locale.pk: code for code, locale in locales_by_code().items()}
    alternates, source = {}, None
    for locale_id, live, code, slug, *texts in _translation_rows(project):
        values = dict(zip(TEXT_FIELDS, texts, strict=True))
        if live and locale_id in languages:
            alternates[languages[locale_id]] = entry_path("", code, values["title"], slug)
        if languages.get(locale_id) == settings.LANGUAGE_CODE:
            source = values
    if source is None or languages.get(project.locale_id) == settings.LANGUAGE_CODE:
        return EntryLanguages(alternates)
    text_lang = {
        name: settings.LANGUAGE_CODE
        for name in TEXT_FIELDS
        if getattr(project, name) and getattr(project, name) == source[name]
    }
    return EntryLanguages(alternates, settings.LANGUAGE_CODE, text_lang)
