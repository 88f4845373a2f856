"""Every cache key of the project: the versions, the cached lookups, whole responses, and their invalidation.

Four kinds of entries live in the cache:

- **Versioned** entries derive from catalogue data (entry rows, rendered fragments, per-selection
  counts). Their keys end in the current *data version*; a change to catalogue data bumps the
  version, and every such entry becomes unreachable at once (they expire on their own).
- **Derived** data costs time in proportion to the catalogue (facet bit sets, taxonomy options,
  aggregates). Where a task worker runs (``DERIVED_DATA_IN_BACKGROUND``), a background task
  (`cms.tasks.rebuild_derived_data`) builds it for the new data version after every change and then
  moves the *derived version* on; until it has, requests use the previous build, so no visitor
  waits for a rebuild once the site is warm. Without a worker the derived version is the data
  version and a request builds what is missing.
- **Responses**: whole anonymous responses (`cms.response_cache`), keyed by URL, language, data
  version, derived version, *site version* (pages, settings, images: anything else a public page
  shows) and the path's purge generation.
- **Named** entries (site settings, the locale list) are dropped by name when their rows change.
- **Counters and claims** (rate limits, a running job) live for a window and then lapse.

No other module builds a cache key: callers name a namespace and the parts that vary, and the
receivers in each app's ``signals.py`` call the invalidation functions here. The versions live in
the cache itself, so with the shared cache (Redis, required in production) every worker and every
app server sees the same version the moment it changes. Entries under a versioned key never change,
so a small in-process copy of them (`_local`) saves the round trip to Redis without going stale.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_tasks import task

T = TypeVar("T")
logger = logging.getLogger(__name__)

DATA_VERSION_KEY = "catalogue:data-version"
DERIVED_VERSION_KEY = "catalogue:derived-version"
SITE_VERSION_KEY = "site:content-version"
REBUILD_REQUESTED_KEY = "catalogue:rebuild-requested"
REBUILD_LOCK_KEY = "catalogue:rebuild-lock"
DATA_CHANGED_KEY = "catalogue:data-changed"
DAY = 60 * 60 * 24
HOUR = 60 * 60
# A rebuild asked for longer ago than this has not been done by a worker: a request does it.
REBUILD_GRACE_SECONDS = 120
REBUILD_LOCK_SECONDS = 300
COLD_WAIT_SECONDS = 30
LOCAL_ENTRIES = 256
_MISSING = object()


def _initial_version() -> int:
    """A version to start from when none is stored: microseconds, so a lost key never repeats an old number."""
    return time.time_ns() // 1000


def in_background() -> bool:
    """Whether a task worker rebuilds derived data (production); otherwise requests build it."""
    return bool(getattr(settings, "DERIVED_DATA_IN_BACKGROUND", False))


# Versions, read once per request ------------------------------------------------------------


@dataclass
class Versions:
    """The versions a request works with, read together at its start."""

    data: int
    site: int
    derived: int | None
    stale_checked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def derived_or_data(self) -> int:
        return self.derived if self.derived is not None and in_background() else self.data


_request_versions: ContextVar[Versions | None] = ContextVar("cms_cache_versions", default=None)


def _read_versions(extra_keys: Iterable[str] = ()) -> Versions:
    extra_keys = list(extra_keys)
    found = cache.get_many([DATA_VERSION_KEY, SITE_VERSION_KEY, DERIVED_VERSION_KEY, *extra_keys])
    for key in (DATA_VERSION_KEY, SITE_VERSION_KEY):
        if key not in found:
            cache.add(key, _initial_version(), None)
            found[key] = cache.get(key)
    return Versions(
        data=int(found[DATA_VERSION_KEY]),
        site=int(found[SITE_VERSION_KEY]),
        derived=int(found[DERIVED_VERSION_KEY]) if DERIVED_VERSION_KEY in found else None,
        extra={key: found.get(key) for key in extra_keys},
    )


def current_versions() -> Versions:
    """The request's versions when inside `request_scope`, otherwise read now."""
    return _request_versions.get() or _read_versions()


@contextmanager
def request_scope(extra_keys: Iterable[str] = ()) -> Iterator[Versions]:
    """Read the versions once (in one round trip) and use them for the rest of the request.

    A version bumped by this request itself updates the scope; a bump by another process is seen
    by the next request.
    """
    versions = _read_versions(extra_keys)
    token = _request_versions.set(versions)
    try:
        yield versions
    finally:
        _request_versions.reset(token)


def data_version() -> int:
    """A number that changes whenever catalogue data or taxonomy changes."""
    return current_versions().data


def site_version() -> int:
    """A number that changes whenever a page, the site settings or media shown on pages change."""
    return current_versions().site


def _incr(key: str) -> int:
    try:
        return int(cache.incr(key))
    except ValueError:
        value = _initial_version()
        cache.set(key, value, None)
        return value


def bump_data_version() -> None:
    """Make every versioned entry and every cached response unreachable."""
    value = _incr(DATA_VERSION_KEY)
    cache.set(DATA_CHANGED_KEY, int(time.time()), None)
    versions = _request_versions.get()
    if versions is not None:
        versions.data = value


def bump_site_version() -> None:
    """Make every cached response unreachable (pages, settings, images changed)."""
    value = _incr(SITE_VERSION_KEY)
    versions = _request_versions.get()
    if versions is not None:
        versions.site = value


def _bump_and_rebuild() -> None:
    bump_data_version()
    if in_background():
        request_rebuild()


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
    the first bump; the second bump makes those unreachable too, and asks for the rebuild of the
    derived data once the change is visible to the worker.
    """
    bump_data_version()
    transaction.on_commit(_bump_and_rebuild)


def bump_after_commit() -> None:
    """Bump once the transaction commits (for bulk writers that send no per-row signals)."""
    transaction.on_commit(_bump_and_rebuild)


def bump_site_after_commit() -> None:
    """Bump the site version now and once more after commit (same reasoning as for the data version)."""
    bump_site_version()
    transaction.on_commit(bump_site_version)


# The in-process copy of immutable entries -----------------------------------------------------

_local: "OrderedDict[str, Any]" = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> Any:
    with _local_lock:
        found = _local.get(key, _MISSING)
        if found is not _MISSING:
            _local.move_to_end(key)
        return found


def _local_set(key: str, value: Any) -> None:
    with _local_lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear_local() -> None:
    """Forget the in-process copies (tests clear the shared cache between tests)."""
    with _local_lock:
        _local.clear()


def _get_or_build(key: str, build: Callable[[], T], timeout: int) -> T:
    found: Any = _local_get(key)
    if found is _MISSING:
        found = cache.get(key, _MISSING)
        if found is _MISSING:
            found = build()
            cache.set(key, found, timeout)
        _local_set(key, found)
    return found


# Versioned entries --------------------------------------------------------------------------


def _join(namespace: str, parts: tuple[Hashable, ...], suffix: str) -> str:
    return ":".join([namespace, *(str(part) for part in parts), suffix])


def versioned_key(namespace: str, *parts: Hashable) -> str:
    """The key of a versioned entry; also the key of rendered fragments (``{% cache %}``).

    It names the derived version as well: what is computed from derived data (counts, fragments
    showing options) is correct for the pair, and moves on with the rebuild.
    """
    versions = current_versions()
    return _join(namespace, parts, f"v{versions.data}d{versions.derived_or_data}")


def versioned(namespace: str, *parts: Hashable, build: Callable[[], T], timeout: int = DAY) -> T:
    """The value cached under `namespace` and `parts` for the current data version, built once."""
    return _get_or_build(versioned_key(namespace, *parts), build, timeout)


# Derived data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivedSpec:
    """Derived data the rebuild task builds: one entry per element of `parts()`."""

    namespace: str
    parts: Callable[[], Iterable[tuple[Hashable, ...]]]
    build: Callable[..., Any]
    timeout: int


_derived: dict[str, DerivedSpec] = {}


def register_derived(
    namespace: str,
    *,
    parts: Callable[[], Iterable[tuple[Hashable, ...]]],
    build: Callable[..., Any],
    timeout: int = DAY,
) -> None:
    """Register derived data: `build(*part)` for every tuple `parts()` gives, rebuilt after each change."""
    _derived[namespace] = DerivedSpec(namespace, parts, build, timeout)


def derived_version() -> int:
    """The data version the derived data in use was built for (the data version without a worker)."""
    return current_versions().derived_or_data


def derived(namespace: str, *parts: Hashable) -> Any:
    """The registered derived data for `parts`: the build of the derived version, built here if missing."""
    spec = _derived[namespace]
    versions = current_versions()
    if not in_background():
        return _get_or_build(_join(namespace, parts, f"v{versions.data}"), lambda: spec.build(*parts), spec.timeout)
    if versions.derived is None:
        # Nothing built yet (a new installation, an emptied cache): build everything once, here,
        # or wait for the process that is doing so.
        rebuild_derived_data(wait_seconds=COLD_WAIT_SECONDS)
        found = cache.get(DERIVED_VERSION_KEY)
        if found is None:
            return spec.build(*parts)
        versions.derived = int(found)
    elif versions.derived < versions.data and not versions.stale_checked:
        versions.stale_checked = True
        _ensure_rebuild(versions)
    return _get_or_build(_join(namespace, parts, f"d{versions.derived}"), lambda: spec.build(*parts), spec.timeout)


def request_rebuild() -> None:
    """Ask the task worker to rebuild the derived data, unless a rebuild is already waiting."""
    if cache.add(REBUILD_REQUESTED_KEY, time.time(), REBUILD_LOCK_SECONDS):
        rebuild_derived_data_task.enqueue()


def _ensure_rebuild(versions: Versions) -> None:
    asked = cache.get(REBUILD_REQUESTED_KEY)
    if asked is None:
        request_rebuild()
    elif time.time() - float(asked) > REBUILD_GRACE_SECONDS:
        logger.warning("Derived data waited %d s for the task worker: rebuilding in a request.", REBUILD_GRACE_SECONDS)
        rebuild_derived_data(wait_seconds=0)
        found = cache.get(DERIVED_VERSION_KEY)
        if found is not None:
            versions.derived = int(found)


def rebuild_derived_data(wait_seconds: float = REBUILD_LOCK_SECONDS) -> int | None:
    """Build every registered derived entry for the current data version, then make it the derived version.

    Returns the version built, or None when another process held the rebuild for `wait_seconds`.
    """
    deadline = time.monotonic() + wait_seconds
    while not cache.add(REBUILD_LOCK_KEY, 1, REBUILD_LOCK_SECONDS):
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)
    # Cleared first: a change during the build asks for the next rebuild.
    cache.delete(REBUILD_REQUESTED_KEY)
    versions = _read_versions()
    version = versions.data
    # Derived data built from other derived data (bit sets from options) reads the new build.
    versions.derived = version
    token = _request_versions.set(versions)
    try:
        for spec in _derived.values():
            for parts in spec.parts():
                _get_or_build(_join(spec.namespace, parts, f"d{version}"), partial(spec.build, *parts), spec.timeout)
        current = cache.get(DERIVED_VERSION_KEY)
        if current is None or int(current) < version:
            cache.set(DERIVED_VERSION_KEY, version, None)
        return version
    finally:
        _request_versions.reset(token)
        cache.delete(REBUILD_LOCK_KEY)


@task()
def rebuild_derived_data_task() -> int | None:
    """The background task `request_rebuild` enqueues; run by `manage.py db_worker`."""
    return rebuild_derived_data()


# Whole responses ----------------------------------------------------------------------------

RESPONSE_NAMESPACE = "response"
PURGE_NAMESPACE = "response-path"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _purge_key(path: str) -> str:
    return _named_key(PURGE_NAMESPACE, _digest(path))


@contextmanager
def response_scope(path: str) -> Iterator[Versions]:
    """`request_scope` that also reads the purge generation of `path`, all in one round trip."""
    with request_scope([_purge_key(path)]) as versions:
        yield versions


def response_key(versions: Versions, path: str, url: str, language: str) -> str:
    """The key of a whole response: URL and language under every version that can change it."""
    generation = versions.extra.get(_purge_key(path)) or 0
    return ":".join(
        [
            RESPONSE_NAMESPACE,
            language,
            _digest(url),
            f"v{versions.data}",
            f"d{versions.derived_or_data}",
            f"s{versions.site}",
            f"g{generation}",
        ]
    )


def site_versioned(namespace: str, *parts: Hashable, build: Callable[[], T], timeout: int = HOUR) -> T:
    """A value derived from pages and site settings (menus, routes), kept until the site version changes.

    Read from the shared cache each time (no in-process copy): the values are model instances a
    request may annotate.
    """
    key = _join(namespace, parts, f"s{site_version()}")
    found: Any = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, timeout)
    return found


def route_key(host: str, path: str) -> str:
    """The key of a path's routed page (`cms.routing`): valid until a page, site or locale changes."""
    return ":".join(["route", _digest(f"{host}{path}"), f"s{site_version()}"])


def purge_path(path: str) -> None:
    """Make the cached responses of `path` (every query string, every host) unreachable."""
    _incr(_purge_key(path))


# Named entries ------------------------------------------------------------------------------


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


def hits(namespace: str, *parts: Hashable, window: int) -> int:
    """Count one more event (a form sent from one address, say) and return how many fell in `window` seconds."""
    return count(f"rate:{namespace}", *parts, window=window)


def claim(namespace: str, *parts: Hashable, timeout: int) -> bool:
    """True for the one caller that claims `namespace` and `parts` first, until `forget` or `timeout`."""
    return bool(cache.add(_named_key(namespace, *parts), True, timeout))


# Slots: a cap on concurrent work across every worker and server ------------------------------


def take_slot(namespace: str, slots: int, timeout: int) -> str | None:
    """Take one of `slots` places (each expires after `timeout` s); None when all are taken."""
    for number in range(slots):
        key = _named_key("slot", namespace, number)
        if cache.add(key, 1, timeout):
            return key
    return None


def release_slot(key: str) -> None:
    cache.delete(key)


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
