"""The pattern library: every component of the design system in each of its states, on one page.

A development tool: served where `settings.DEBUG` or `settings.PATTERN_LIBRARY` is on (dev and
test settings), a 404 elsewhere. The samples are made up here rather than read from the
catalogue, so the page shows every state whatever the database holds.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SampleStatus:
    """Shaped as the catalogue's status options and chart rows (label, colour, count, share)."""

    label: str
    colour: str
    count: int = 0
    share: float = 0.0
    lang: str = ""


@dataclass(frozen=True)
class SampleLight:
    value: str
    label: str


def enabled() -> bool:
    return bool(settings.DEBUG or getattr(settings, "PATTERN_LIBRARY", False))


def _statuses() -> list[SampleStatus]:
    counts = [(_("Idee"), "#6c4f9c", 4), (_("in Planung"), "#1f5f99", 9), (_("in Umsetzung"), "#b35900", 14)]
    counts += [(_("abgeschlossen"), "#1d6b32", 6), (_("verstetigt"), "#2f6f6f", 3)]
    counts += [(_("zurückgestellt"), "#6b6b6b", 2), (_("entfallen"), "#8c1c13", 1)]
    total = sum(count for _label, _colour, count in counts)
    return [SampleStatus(label, colour, count, count / total) for label, colour, count in counts]


def _lights() -> list[SampleLight]:
    names = [("on_track", _("im Plan")), ("at_risk", _("gefährdet")), ("off_track", _("kritisch"))]
    return [SampleLight(value, label) for value, label in [*names, ("unknown", _("unbekannt"))]]


def pattern_library(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    paginator = Paginator(range(100), 20)
    statuses = _statuses()
    return render(
        request,
        "components/library.html",
        {
            "statuses": statuses,
            "sample_status": statuses[2],
            "lights": _lights(),
            "progress_values": [0, 50, 100],
            "pages": [
                (_("Erste Seite"), paginator.page(1)),
                (_("Mittlere Seite"), paginator.page(3)),
                (_("Letzte Seite"), paginator.page(5)),
            ],
        },
    )
