"""Every cache key of the project: the data version, the cached lookups, and their invalidation.

Two kinds of entries live in the cache:

- **Versioned** entries derive from catalogue data (facet options, facet bit sets, entry rows,
  aggregates, rendered fragments). Their keys end in the current *data version*; a change to
  catalogue data bumps the version, and every such entry becomes unreachable at once (they
  expire on their own). No receiver needs to know which entries a change touches.
- **Named** entries (site settings, the locale list) are dropped by name when their rows change.
- **Counters and claims** (rate limits, a running job) live for a window and then lapse.

No other module builds a cache key: callers name a namespace and the parts that vary, and the
receivers in each app's ``signals.py`` call the invalidation functions here. The version lives
in the cache itself, so with a shared cache (Redis in production) every worker and every app
server sees the same version.
"""

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

DATA_VERSION_KEY = "catalogue:data-version"
DATA_CHANGED_KEY = "catalogue:data-changed"
DAY = 60 * 60 * 24
HOUR = 60 * 60
_MISSING = object()


def data_version() -> int:
    """A number that changes whenever catalogue data or taxonomy changes."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(DATA_VERSION_KEY, version, None)
    return int(version)


def bump_data_version() -> None:
    """Make every versioned entry unreachable."""
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:
        cache.set(DATA_VERSION_KEY, 2, None)
    cache.set(DATA_CHANGED_KEY, int(time.time()), None)


def data_changed_at() -> int:
    """When catalogue data last changed, as a Unix time in whole seconds (for Last-Modified).

    Unknown after the cache was emptied: then it is now, which only makes clients fetch once more.
    """
    changed = cache.get(DATA_CHANGED_KEY)
    if changed is None:
        changed = int(time.time())
        cache.add(DATA_CHANGED_KEY, changed, None)
        changed = cache.get(DATA_CHANGED_KEY, changed)
    return int(changed)


def bump_now_and_after_commit() -> None:
    """Bump at once, so the rest of this transaction sees fresh figures, and again after commit.

    A request served while the transaction is open may cache the old rows under the version of
    the first bump; the second bump makes those unreachable too.
    """
    bump_data_version()
    transaction.on_commit(bump_data_version)


def bump_after_commit() -> None:
    """Bump once the transaction commits (for bulk writers that send no per-row signals)."""
    transaction.on_commit(bump_data_version)


def versioned_key(namespace: str, *parts: Hashable) -> str:
    """The key of a versioned entry; also the key of rendered fragments (``{% cache %}``)."""
    return ":".join([namespace, *(str(part) for part in parts), f"v{data_version()}"])


def versioned(namespace: str, *parts: Hashable, build: Callable[[], T], timeout: int = DAY) -> T:
    """The value cached under `namespace` and `parts` for the current data version, built once."""
    key = versioned_key(namespace, *parts)
    found: Any = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, timeout)
    return found


def _named_key(namespace: str, *parts: Hashable) -> str:
    return ":".join(["named", namespace, *(str(part) for part in parts)])


def named(namespace: str, *parts: Hashable, build: Callable[[], T], timeout: int | None = None) -> T:
    """A value kept until `forget` drops it (no timeout by default)."""
    key = _named_key(namespace, *parts)
    found: Any = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, timeout)
    return found


def forget(namespace: str, *parts: Hashable) -> None:
    cache.delete(_named_key(namespace, *parts))


def forget_many(namespace: str, parts: list[tuple[Hashable, ...]]) -> None:
    cache.delete_many([_named_key(namespace, *item) for item in parts])


def count(namespace: str, *parts: Hashable, window: int) -> int:
    """Count one more event in a window of `window` seconds opened by the first; return the count so far.

    Rate limits use it; with a shared cache every worker counts into the same window.
    """
    key = _named_key(namespace, *parts)
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:
        # The window closed between `add` and `incr`: this event opens the next one.
        cache.set(key, 1, window)
        return 1


def claim(namespace: str, *parts: Hashable, timeout: int) -> bool:
    """True for the one caller that claims `namespace` and `parts` first, until `forget` or `timeout`."""
    return bool(cache.add(_named_key(namespace, *parts), True, timeout))


# Named entries of the shell --------------------------------------------------------------

LOCALES = "cms:locales"
SITE_SETTINGS = "cms:site-settings"


def forget_locales() -> None:
    forget(LOCALES)


def forget_site_settings(site_ids: list[int]) -> None:
    forget_many(SITE_SETTINGS, [(site_id,) for site_id in site_ids])


# Rate limits ------------------------------------------------------------------------------


def count_in_window(namespace: str, *parts: Hashable, window: int) -> int:
    """Count one more event for `parts` in the current window of `window` seconds; returns the count.

    Fixed windows in the shared cache, so every worker counts against the same number.
    """
    slot = int(time.time() // window)
    key = ":".join(["rate", namespace, *(str(part) for part in parts), str(slot)])
    if cache.add(key, 1, window + 1):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, window + 1)
        return 1
