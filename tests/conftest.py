"""Shared fixtures: demo content, users, and the browser harness (Playwright + Debian's Chromium + axe-core)."""

import contextlib
import itertools
import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.backends.sqlite3.creation import DatabaseCreation

from cms import schema_snapshot
from tests.demo_snapshot import Snapshot

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's chromium-headless-shell: the same Blink and V8 as the browser without its windowing, about a
# third of the full browser's CPU per page here (docs/testing.md). The full browser where it is missing.
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium-headless-shell"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"mobile": {"width": 320, "height": 720}, "desktop": {"width": 1280, "height": 900}}


def _quiet_call(*args):
    with open(os.devnull, "w") as devnull:
        call_command(*args, stdout=devnull, stderr=devnull)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A new SQLite test database starts from the committed schema snapshot (cms/schema/sqlite.sql).

    Django's test database creation then runs `migrate`, which applies only migrations newer than
    the snapshot, as `make run` does (docs/decisions/0008-schema-snapshot.md): a second or two
    instead of replaying every migration. PostgreSQL migrates as before. A snapshot naming a
    migration no longer on disk is not loaded (slower, never wrong).
    """
    create = DatabaseCreation._create_test_db

    def create_from_snapshot(self, verbosity, autoclobber, keepdb=False):
        name = create(self, verbosity, autoclobber, keepdb)
        # The caller points the connection at `name` next; an in-memory database lives only as
        # long as a connection to it, which Django's SQLite backend never closes, so load it now.
        self.connection.close()
        self.connection.settings_dict["NAME"] = name
        schema_snapshot.load_if_new(self.connection.alias)
        return name

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseCreation, "_create_test_db", create_from_snapshot)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Snapshot:
    """Every test database starts with the site shell (locales, admin user, home and legal pages).

    Built once per run and committed; tests roll back to it. It costs seconds through
    wagtail-localize, which would otherwise be paid by nearly every test. Its value is a snapshot
    of that state (tests/demo_snapshot.py), taken before any test can flush the database.
    """
    from demo.builders import home as home_demo
    from tests import demo_snapshot

    with django_db_blocker.unblock():
        home_demo.ensure_admin()
        home_demo.build_home()
        return demo_snapshot.take("shell_snapshot")


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """The whole demo as a snapshot of this worker's test database: `load_demo` runs once per worker.

    The demo is loaded committed over the shell, copied, and the shell put back (committed too).
    """
    from django.db import transaction

    from tests import demo_snapshot

    # Mutation testing (bench/mutation.sh) starts a test session per mutant: the first session's
    # demo is kept in a file (SQLite) that the later ones attach.
    kept = os.environ.get("ZUKUNFTSPROFIL_KEPT_DEMO_SNAPSHOT")
    with django_db_blocker.unblock():
        from django.db import connection

        kept_path = Path(kept) if kept and connection.vendor == "sqlite" else None
        if kept_path is not None and kept_path.exists():
            return demo_snapshot.attach(kept_path, "demo_snapshot")
        with transaction.atomic():
            demo_snapshot.restore(django_db_setup)
        _quiet_call("load_demo")
        demo = demo_snapshot.take("demo_snapshot")
        with transaction.atomic():
            demo_snapshot.restore(django_db_setup)
        if kept_path is not None:
            demo_snapshot.keep(demo, kept_path)
    return demo


@pytest.fixture
def site(db):
    """The German home page of the site shell. Rebuilt only if a transactional test flushed it."""
    return _site_shell()


def module_data(build):
    """Two fixtures for data that all tests of a module start from and that costs a second or more
    to build: `build(home)` runs once per module, inside a transaction rolled back when the module
    ends; each test gets a deep copy of its value and runs in a savepoint inside that transaction
    (as with Django's `setUpTestData`). What a test writes is undone after it, what it changes on
    the objects it got stays with its copy.

    In a test module: `_module_data, world = module_data(build_world)`; the tests ask for `world`.
    """
    import copy

    @pytest.fixture(scope="module")
    def _module_data(django_db_setup, django_db_blocker):
        from tests import demo_snapshot

        with _module_transaction(django_db_blocker):
            demo_snapshot.forget_cached_data()
            yield build(_site_shell())

    # The module-wide fixture is set up before `db` (wider scopes first), so the test's own
    # transaction is a savepoint inside the module's.
    @pytest.fixture
    def per_test(_module_data, db):
        return copy.deepcopy(_module_data)

    return _module_data, per_test


@contextlib.contextmanager
def _module_transaction(django_db_blocker):
    """A transaction around a whole test module, always rolled back; the tests' own transactions
    are savepoints inside it. Afterwards the cached data (cms/cache.py's data versions, Wagtail's
    site roots, the content types) is forgotten, since it may name rows that no longer exist."""
    from django.db import transaction

    from tests import demo_snapshot

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            demo_snapshot.forget_cached_data()


def _site_shell():
    from demo.builders import home as home_demo
    from home.models import HomePage

    home = HomePage.objects.filter(locale__language_code="de").first()
    if home is None:
        # A transactional test's flush removed what migrations had created, the root collection too.
        _restore_what_migrations_made()
        home_demo.ensure_admin()
        home = home_demo.build_home()
        _restore_wagtail_groups()
    return home


@pytest.fixture(scope="module")
def _demo_for_module(_demo_snapshot, django_db_blocker):
    """The whole demo, copied in once per test module inside a transaction rolled back afterwards.

    Each test of the module runs in a savepoint inside it (as Django's setUpTestData does). The
    copy replaces every table's rows, so it also undoes a transactional test's flush.
    """
    from tests import demo_snapshot

    with _module_transaction(django_db_blocker):
        demo_snapshot.restore(_demo_snapshot)
        yield


@pytest.fixture
def demo(_demo_for_module, db):
    """The whole demo county as `make run` shows it (shared by the tests of a module)."""


@pytest.fixture(scope="session")
def _demo_server(_demo_snapshot, django_db_blocker):
    """One live server for all browser tests, over the demo content copied in once and committed.

    pytest-django's `live_server` flushes the database after every test, which would mean
    loading the demo again for each one. Browser tests run last (see
    `pytest_collection_modifyitems`), so the committed demo cannot leak into other tests.
    """
    from django.db import transaction
    from pytest_django.live_server_helper import LiveServer

    from tests import demo_snapshot

    with django_db_blocker.unblock():
        with transaction.atomic():
            demo_snapshot.restore(_demo_snapshot)
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            _close_server_connections()


def _restore_what_migrations_made():
    """The root collection (Wagtail's migrations) and the SDG goals and targets (ours): a transactional
    test's flush removes them, and on a parallel worker later files' tests still expect them."""
    from wagtail.models import Collection

    from catalogue.models import SdgGoal

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not SdgGoal.objects.exists():
        _quiet_call("load_sdgs")


def _restore_wagtail_groups():
    """Wagtail's migrations give Moderators and Editors the root page, images and documents; a flush
    removes them. Rebuilt (after the root page exists again) as wagtailcore's initial data has them."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    if Group.objects.filter(name__in=["Moderators", "Editors"]).exists():
        return
    root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, page_codenames in (
        ("Moderators", ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]),
        ("Editors", ["add_page", "change_page", "lock_page", "unlock_page"]),
    ):
        group = Group.objects.create(name=name)
        group.permissions.add(access_admin)
        for codename in page_codenames:
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission is not None:
                GroupPagePermission.objects.create(group=group, page=root_page, permission=permission)
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "choose"):
                GroupCollectionPermission.objects.create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}"),
                )


def _close_server_connections():
    """End the database sessions the live server's request threads still hold.

    A browser keeps its HTTP connection alive, so the daemon thread serving it (and its database
    connection) outlives `server.stop()`; PostgreSQL would then refuse to drop the test database.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def demo_live(_demo_server):
    """Base URL of the live server with the demo content (browser tests)."""
    return _demo_server.url


# Fixtures whose data stays from a module's first test that asks for them to the module's end.
MODULE_WIDE = {"_demo_for_module", "_module_data"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Order that shared data needs; within it, any order (pytest-randomly shuffles before this).

    - In a module, the tests without the module's demo (or `module_data`) run before those with it:
      `demo` stays loaded from its first test to the end of the module, and a test that did not
      ask for the demo must not see it.
    - Files with a transactional test come after the others, and browser tests run last: the live
      demo they share is committed for the rest of the session. With pytest-xdist
      (`--dist loadfile`) files are handed out in this order, so on every worker the browser files
      come after the others, and no file runs on a database another file's test has flushed.
    """
    for item in items:
        # The marker makes pytest-django create the test database even when only browser
        # tests are selected; each browser test then runs in a transaction of its own, while
        # the session-wide demo (set up first, being session-scoped) stays committed.
        if item.get_closest_marker("browser") and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)
    _leave_sqlite_files_to_the_sqlite_run(config, items)
    ordered = []
    for _module, group in itertools.groupby(items, key=lambda item: item.nodeid.split("::")[0]):
        ordered.extend(sorted(group, key=lambda item: bool(MODULE_WIDE & set(item.fixturenames))))
    flushing = {item.nodeid.split("::")[0] for item in items if _flushes(item)}
    ordered.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            item.nodeid.split("::")[0] in flushing,
            -_long_file_seconds(item),
        )
    )
    items[:] = ordered


def _long_file_seconds(item) -> float:
    """How long the item's file takes (marker `long_file`), 0 when it is not marked.

    xdist hands a file to the first worker with at most two tests left to run. A long file handed
    out last keeps one worker busy while the other has nothing left (the staff journeys alone
    took 75 s on a quiet machine): within their group, long files go first, longest first."""
    marker = item.get_closest_marker("long_file")
    return float(marker.kwargs.get("seconds", marker.args[0] if marker.args else 0)) if marker else 0.0


def _leave_sqlite_files_to_the_sqlite_run(config, items):
    """Tests marked `sqlite_files` make and check SQLite files of their own (the schema snapshot's
    real `migrate`, about 30 s) whatever database the run has: on PostgreSQL they would repeat the
    SQLite run's work exactly (`make test` runs both). Deselected there, and counted as such."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    left = [item for item in items if item.get_closest_marker("sqlite_files")]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_files")]


def _flushes(item) -> bool:
    """Whether the test is transactional: pytest-django empties the database after it.

    xdist hands out whole files, so a file with such a test comes after every file without one:
    no other file's tests on that worker find the database flushed (browser files, after them,
    load their demo anew)."""
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transactional) or "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


def pytest_sessionfinish(session, exitstatus):
    """Remove this process's uploads (the test settings give each xdist worker a directory of its own)."""
    from django.conf import settings

    uploads = Path(settings.MEDIA_ROOT).parent
    if uploads.name.startswith("zukunftsprofil-test-"):
        shutil.rmtree(uploads, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium-headless-shell (make test does).")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps a thread's database connections in an asgiref Local, which switches to storage
    # of its own while an event loop runs in the thread, as Playwright's sync API keeps one running
    # in the test thread. Without this, tests and fixtures would open a second connection from
    # then on: on SQLite's shared-cache in-memory database its transaction's table locks made the
    # live server's writes fail at once ("database table is locked"), on PostgreSQL the server
    # would not see the test's rows. The same connections, then, with or without the loop.
    wrappers = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def page(browser, demo_live):
    context = browser.new_context(base_url=demo_live, viewport=VIEWPORTS["desktop"], locale="de-DE")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _axe_source():
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(tab):
    """Run axe-core (WCAG 2.1 A and AA rules) in the page and return its violations."""
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        # evaluate() is not subject to the page's CSP, unlike an injected <script> tag.
        tab.evaluate(_axe_source())
    result = tab.evaluate(
        "options => window.axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def assert_no_axe_violations(tab):
    violations = axe_violations(tab)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations
    ]
    assert not violations, f"axe found violations on {tab.url}:\n{json.dumps(summary, indent=2)}"


@pytest.fixture(autouse=True)
def _clear_caches():
    """Caches and the active language outlive a test; start every test without them."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.utils import translation

    from cms import cache

    for alias in caches:
        caches[alias].clear()
    cache.clear_local()
    # After a transactional test's flush, post_migrate makes the content types again under new ids,
    # while `site` (and a module's demo) put the snapshot's back only inside their transaction.
    ContentType.objects.clear_cache()
    # A request leaves its language active (LocaleMiddleware); every test starts in German.
    translation.activate(settings.LANGUAGE_CODE)
    yield
