"""Counts that key-figure blocks take from the data, in the active language (see `cms.blocks`)."""

from django.db.models import Count, Q, Sum

from catalogue.models import Project
from cms import cache
from cms.locales import active_locale

from .options import Lookup

# Closed statuses that stand for work done (abgeschlossen, verstetigt) suggest full progress;
# a closed status suggesting less (entfallen) ends an entry without finishing it.
FINISHED = Q(status__is_closed=True, status__default_progress=100)
# Running: being planned or carried out (the status suggests some progress), neither closed nor
# postponed (which suggests none).
IN_PROGRESS = Q(status__is_closed=False, status__default_progress__gt=0)
# A measure's cost is part of its project's when the project states one: counted once.
OWN_COST = Q(parent__isnull=True) | Q(parent__cost_estimate__isnull=True)


def figure_counts() -> dict[str, int]:
    """Areas, goals, live entries, finished and running ones and their estimated costs, in the active
    language, cached per data version."""
    locale = active_locale()

    def build() -> dict[str, int]:
        lookup = Lookup(locale)
        totals = Project.objects.filter(live=True, locale=locale).aggregate(
            entries=Count("pk"),
            finished=Count("pk", filter=FINISHED),
            in_progress=Count("pk", filter=IN_PROGRESS),
            investment=Sum("cost_estimate", filter=OWN_COST),
        )
        return {
            "areas": len(lookup.options["area"]),
            "goals": len(lookup.options["goal"]),
            "entries": totals["entries"],
            "finished": totals["finished"],
            "in_progress": totals["in_progress"],
            "investment": int(totals["investment"] or 0),
        }

    return cache.versioned("catalogue:figures", locale.language_code, build=build)
