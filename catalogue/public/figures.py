"""Counts that key-figure blocks take from the data, in the active language (see `cms.blocks`)."""

from catalogue.models import Project
from cms import cache
from cms.locales import active_locale

from .options import Lookup


def figure_counts() -> dict[str, int]:
    """Areas, goals and live entries of the catalogue in the active language, cached per data version."""
    locale = active_locale()

    def build() -> dict[str, int]:
        lookup = Lookup(locale)
        return {
            "areas": len(lookup.options["area"]),
            "goals": len(lookup.options["goal"]),
            "entries": Project.objects.filter(live=True, locale=locale).count(),
        }

    return cache.versioned("catalogue:figures", locale.language_code, build=build)
