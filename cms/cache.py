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
- **Entry-scoped** entries and responses (an entry's page) depend on the entry itself and on the
  *structure version* only, not on the data version: a status report or a publish that leaves
  an entry's number, title, address, goals and state as they were bumps the data version (lists,
  counts, figures) and the *entry versions* of the entry, its translations and the entries above
  it, not the structure; every other change bumps the structure as well (docs/decisions/0007).
  A request that reads catalogue-wide data (`versioned`, most `derived`) is keyed as before.
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
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
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
STRUCTURE_VERSION_KEY = "catalogue:structure-version"
STRUCTURE_DIGEST_KEY = "catalogue:structure-digest"
ENTRY_VERSION_NAMESPACE = "catalogue:entry-version"
DERIVED_VERSION_KEY = "catalogue:derived-version"
SITE_VERSION_KEY = "site:content-version"
SEARCH_VERSION_KEY = "site:search-version"
REBUILD_REQUESTED_KEY = "catalogue:rebuild-requested"
REBUILD_LOCK_KEY = "catalogue:rebuild-lock"
DATA_CHANGED_KEY = "catalogue:data-changed"
DAY = 60 * 60 * 24
HOUR = 60 * 60
# A rebuild asked for longer ago than this has not been done by a worker: a request does it.
REBUILD_GRACE_SECONDS = 120
REBUILD_LOCK_SECONDS = 300
COLD_WAIT_SECONDS = 30
# Each worker's copy holds the hot entries (the lists' facets and figures of the current version);
# at 50,000 entries 256 of them (mostly one-off filter results and older versions) kept a worker
# 20 MB larger and growing, 64 plateau (bench/README.md, soak).
LOCAL_ENTRIES = 64
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
    structure: int = 0
    search: int = 0
    stale_checked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # What the request read: catalogue-wide data (keyed by the data version), and the entries
    # whose own versions it depends on (`depends_on_entries`).
    wide: bool = False
    entries: set[int] = field(default_factory=set)
    # Named entries this request read already (`named`): a page asks for the locales five times.
    named: dict[str, Any] = field(default_factory=dict)

    @property
    def derived_or_data(self) -> int:
        return self.derived if self.derived is not None and in_background() else self.data


_request_versions: ContextVar[Versions | None] = ContextVar("cms_cache_versions", default=None)


def _read_versions(extra_keys: Iterable[str] = ()) -> Versions:
    extra_keys = list(extra_keys)
    found = cache.get_many(
        [
            DATA_VERSION_KEY,
            SITE_VERSION_KEY,
            DERIVED_VERSION_KEY,
            STRUCTURE_VERSION_KEY,
            SEARCH_VERSION_KEY,
            *extra_keys,
        ]
    )
    for key in (DATA_VERSION_KEY, SITE_VERSION_KEY, STRUCTURE_VERSION_KEY):
        if key not in found:
            cache.add(key, _initial_version(), None)
            found[key] = cache.get(key)
    return Versions(
        data=int(found[DATA_VERSION_KEY]),
        site=int(found[SITE_VERSION_KEY]),
        derived=int(found[DERIVED_VERSION_KEY]) if DERIVED_VERSION_KEY in found else None,
        structure=int(found[STRUCTURE_VERSION_KEY]),
        search=int(found.get(SEARCH_VERSION_KEY, 0)),
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
    versions = current_versions()
    versions.wide = True
    return versions.data


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


def _bump_catalogue_version() -> None:
    value = _incr(DATA_VERSION_KEY)
    cache.set(DATA_CHANGED_KEY, int(time.time()), None)
    versions = _request_versions.get()
    if versions is not None:
        versions.data = value


def bump_structure_version() -> None:
    """Make every entry-scoped entry and response unreachable (see `bump_data_version`)."""
    value = _incr(STRUCTURE_VERSION_KEY)
    versions = _request_versions.get()
    if versions is not None:
        versions.structure = value


def bump_data_version() -> None:
    """Make every versioned entry and every cached response unreachable, entry pages included."""
    _bump_catalogue_version()
    bump_structure_version()


def _entry_version_key(pk: int) -> str:
    return _named_key(ENTRY_VERSION_NAMESPACE, pk)


def bump_entry_versions(pks: Iterable[int]) -> None:
    """What changed concerns only these entries' own pages: bump their versions and the data version.

    The data version moves lists, counts and figures on; the structure stays, so the pages of all
    other entries stay cached.
    """
    _bump_catalogue_version()
    for pk in set(pks):
        _incr(_entry_version_key(pk))


def entry_versions(pks: Iterable[int]) -> dict[int, int]:
    """The current versions of these entries (one round trip); an unknown one is started."""
    keys = {pk: _entry_version_key(pk) for pk in set(pks)}
    found = cache.get_many(list(keys.values()))
    versions = {}
    for pk, key in keys.items():
        if key not in found:
            cache.add(key, _initial_version(), None)
            found[key] = cache.get(key)
        versions[pk] = int(found[key])
    return versions


def entry_versions_current(snapshot: dict[int, int]) -> bool:
    """Whether no entry of `snapshot` (pk -> version) has changed since (a lost version counts as a change)."""
    if not snapshot:
        return False
    found = cache.get_many([_entry_version_key(pk) for pk in snapshot])
    return all(found.get(_entry_version_key(pk)) == version for pk, version in snapshot.items())


def depends_on_entries(pks: Iterable[int]) -> None:
    """The current request shows these entries' own data: its response may be entry-scoped."""
    versions = _request_versions.get()
    if versions is not None:
        versions.entries.update(pks)


def _reads_catalogue_wide() -> None:
    versions = _request_versions.get()
    if versions is not None:
        versions.wide = True


def entry_scoped(versions: Versions) -> dict[int, int] | None:
    """The entry versions an entry-scoped response of this request depends on, or None if it is not one."""
    if versions.wide or not versions.entries:
        return None
    return entry_versions(versions.entries)


def bump_site_version() -> None:
    """Make every cached response unreachable (pages, settings, images changed)."""
    value = _incr(SITE_VERSION_KEY)
    versions = _request_versions.get()
    if versions is not None:
        versions.site = value


def bump_search_version() -> None:
    """Make every cached response that may show search results unreachable (the index changed).

    Entry-scoped responses (an entry's page) show none and stay.
    """
    value = _incr(SEARCH_VERSION_KEY)
    versions = _request_versions.get()
    if versions is not None:
        versions.search = value


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


def bump_entries_now_and_after_commit(pks: Iterable[int]) -> None:
    """`bump_entry_versions` at once and again after commit (as `bump_now_and_after_commit`)."""
    pks = set(pks)
    bump_entry_versions(pks)

    def after_commit() -> None:
        bump_entry_versions(pks)
        if in_background():
            request_rebuild()

    transaction.on_commit(after_commit)


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
    versions.wide = True
    return _join(namespace, parts, f"v{versions.data}d{versions.derived_or_data}")


def versioned(namespace: str, *parts: Hashable, build: Callable[[], T], timeout: int = DAY) -> T:
    """The value cached under `namespace` and `parts` for the current data version, built once."""
    return _get_or_build(versioned_key(namespace, *parts), build, timeout)


def versioned_many(
    namespace: str,
    parts: Sequence[tuple[Hashable, ...]],
    build: Callable[[list[int]], list[T]],
    timeout: int = DAY,
) -> list[T]:
    """Several versioned values in one round trip, e.g. the cards of a list page.

    `build` gets the positions (in `parts`) of the values not cached yet and returns them in that
    order. Not kept in the in-process copy: a list page asks for twenty at a time and would push
    the few large, often used entries (bit sets, options) out of it.
    """
    keys = [versioned_key(namespace, *part) for part in parts]
    found = cache.get_many(keys)
    missing = [position for position, key in enumerate(keys) if key not in found]
    if missing:
        built = build(missing)
        new = {keys[position]: value for position, value in zip(missing, built, strict=True)}
        cache.set_many(new, timeout)
        found.update(new)
    return [found[key] for key in keys]


def structure_versioned(namespace: str, *parts: Hashable, build: Callable[[], T], timeout: int = DAY) -> T:
    """A value that changes only with the catalogue's structure (taxonomy, entries' numbers, titles,
    addresses, goals, which are live), kept until the structure version changes; entry pages may use it."""
    return _get_or_build(_join(namespace, parts, f"t{current_versions().structure}"), build, timeout)


def entry_versioned(namespace: str, pk: int, *parts: Hashable, build: Callable[[], T], timeout: int = DAY) -> T:
    """A value of one entry's own data (its reports, links, relations), kept until it or the structure changes."""
    depends_on_entries([pk])
    version = entry_versions([pk])[pk]
    return _get_or_build(_join(namespace, (pk, *parts), f"t{current_versions().structure}e{version}"), build, timeout)


# Derived data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivedSpec:
    """Derived data the rebuild task builds: one entry per element of `parts()`."""

    namespace: str
    parts: Callable[[], Iterable[tuple[Hashable, ...]]]
    build: Callable[..., Any]
    timeout: int
    # Entry pages read it (the taxonomy's labels): a rebuild that changes it moves the structure on.
    structure_bound: bool = False


_derived: dict[str, DerivedSpec] = {}


def register_derived(
    namespace: str,
    *,
    parts: Callable[[], Iterable[tuple[Hashable, ...]]],
    build: Callable[..., Any],
    timeout: int = DAY,
    structure_bound: bool = False,
) -> None:
    """Register derived data: `build(*part)` for every tuple `parts()` gives, rebuilt after each change.

    `structure_bound`: entry pages read it; the rebuild compares it with the previous build's and
    bumps the structure version when it differs.
    """
    _derived[namespace] = DerivedSpec(namespace, parts, build, timeout, structure_bound)


def derived_version() -> int:
    """The data version the derived data in use was built for (the data version without a worker)."""
    versions = current_versions()
    versions.wide = True
    return versions.derived_or_data


def derived(namespace: str, *parts: Hashable) -> Any:
    """The registered derived data for `parts`: the build of the derived version, built here if missing."""
    spec = _derived[namespace]
    versions = current_versions()
    if not spec.structure_bound:
        versions.wide = True
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


def derived_is_current() -> bool:
    """Whether the derived data this request reads was built from the current data version.

    Derived data may trail a change by the task worker's rebuild; a caller that must agree with
    the rows at once (the list's results) falls back to the rows while it does.
    """
    versions = current_versions()
    return versions.derived_or_data == versions.data


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
        structure = hashlib.sha256()
        for spec in _derived.values():
            for parts in spec.parts():
                built = _get_or_build(
                    _join(spec.namespace, parts, f"d{version}"), partial(spec.build, *parts), spec.timeout
                )
                if spec.structure_bound:
                    structure.update(pickle.dumps((spec.namespace, parts, built)))
        current = cache.get(DERIVED_VERSION_KEY)
        if current is None or int(current) < version:
            cache.set(DERIVED_VERSION_KEY, version, None)
            # Entry pages rendered since the change used the previous build's labels under the
            # new structure version: when the labels differ, those pages must go too.
            digest = structure.hexdigest()
            if cache.get(STRUCTURE_DIGEST_KEY) != digest:
                cache.set(STRUCTURE_DIGEST_KEY, digest, None)
                bump_structure_version()
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
            f"q{versions.search}",
            f"g{generation}",
        ]
    )


ENTRY_RESPONSE_NAMESPACE = "response-entry"


def entry_response_key(versions: Versions, path: str, url: str, language: str) -> str:
    """The key of an entry-scoped response: as `response_key`, with the structure version for the
    data and derived versions; the entry versions it depends on are stored with it and compared."""
    generation = versions.extra.get(_purge_key(path)) or 0
    return ":".join(
        [
            ENTRY_RESPONSE_NAMESPACE,
            language,
            _digest(url),
            f"t{versions.structure}",
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


def site_versioned_keys(namespace: str, parts: Sequence[tuple[Hashable, ...]]) -> list[str]:
    """The keys `site_versioned` would use for each of `parts`, for reading several in one round trip."""
    version = f"s{site_version()}"
    return [_join(namespace, part, version) for part in parts]


def get_many(keys: Sequence[str]) -> dict[str, Any]:
    """The shared cache's entries of `keys` that exist (one round trip)."""
    return cache.get_many(keys)


def put(key: str, value: Any, timeout: int = HOUR) -> None:
    """Store under a key made by one of the builders above (e.g. `site_versioned_keys`)."""
    cache.set(key, value, timeout)


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
    """A value kept until `forget` drops it (no timeout by default); read once per request."""
    key = _named_key(namespace, *parts)
    versions = _request_versions.get()
    if versions is not None and key in versions.named:
        return versions.named[key]
    found: Any = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, timeout)
    if versions is not None:
        versions.named[key] = found
    return found


def _forget_in_request(keys: Iterable[str]) -> None:
    versions = _request_versions.get()
    if versions is not None:
        for key in keys:
            versions.named.pop(key, None)


def swap(namespace: str, *parts: Hashable, value: Any) -> Any:
    """Keep `value` by name (no timeout) and return what was kept before (None if nothing)."""
    key = _named_key(namespace, *parts)
    previous = cache.get(key)
    cache.set(key, value, None)
    _forget_in_request([key])
    return previous


def forget(namespace: str, *parts: Hashable) -> None:
    key = _named_key(namespace, *parts)
    cache.delete(key)
    _forget_in_request([key])


def forget_many(namespace: str, parts: list[tuple[Hashable, ...]]) -> None:
    keys = [_named_key(namespace, *item) for item in parts]
    cache.delete_many(keys)
    _forget_in_request(keys)


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
