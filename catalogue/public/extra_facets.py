"""Facets contributed by other apps: the registration point that keeps the catalogue from importing them.

An app registers an `ExtraFacet` when it is ready (`AppConfig.ready`): its options in a language
and the link table behind them, as rows of (entry id, value). From then on the facet is offered,
counted, filtered, shown as a chip and validated in URLs like the catalogue's own facets
(`options.py`, `bitsets.py`, `facets.py`, `query.py` read `options.FACETS`, which lists it).
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.functional import Promise
from wagtail.models import Locale


@dataclass(frozen=True)
class ExtraOption:
    """One choice: its key in URLs, its label, and the link values it matches (e.g. a product and those below it)."""

    key: str
    label: str
    ids: tuple[Hashable, ...]
    depth: int = 1


@dataclass(frozen=True)
class ExtraFacet:
    """A facet of another app.

    `links(locale)` is a queryset with the keys `entry` (the id of an entry of that language)
    and `value` (what the options' `ids` hold); filtering narrows it by `value`, counting reads
    it whole. Both are cached per data version, so a change to the link table must bump it.
    """

    name: str
    label: str | Promise
    options: Callable[[Locale], list[ExtraOption]]
    links: Callable[[Locale], QuerySet[Any, Any]]


_registered: dict[str, ExtraFacet] = {}
_listeners: list[Callable[[ExtraFacet], None]] = []


def register(facet: ExtraFacet) -> None:
    if facet.name in _registered:
        raise ImproperlyConfigured(f"A catalogue facet named {facet.name!r} is registered already.")
    _registered[facet.name] = facet
    for listener in _listeners:
        listener(facet)


def registered() -> list[ExtraFacet]:
    return list(_registered.values())


def get(name: str) -> ExtraFacet | None:
    return _registered.get(name)


def on_register(listener: Callable[[ExtraFacet], None]) -> None:
    """Call `listener` for every facet registered so far and for each one registered later."""
    _listeners.append(listener)
    for facet in registered():
        listener(facet)
