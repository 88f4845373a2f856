"""The demo copied in from the worker's snapshot is the demo `load_demo` makes (tests/demo_snapshot.py)."""

import re
import sqlite3
import uuid

import psycopg
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.models import Collection

from home.models import HomePage
from tests import demo_snapshot
from tests.conftest import _quiet_call
from tests.journeys import JourneyServer

PAGES = [
    "/",
    "/en/",
    "/projektkatalog/",
    "/projektkatalog/ziel/1-1/",
    "/zukunftsprofil/",
    "/zukunftsdialoge/",
    "/ideen/",
    "/beteiligung/",
    "/leichte-sprache/",
]
# Full-text search: on SQLite the FTS5 index is filled by triggers while the rows are copied in.
SEARCHES = ["Klima", "Radweg", "Schule"]


def _what_visitors_see(client) -> dict[str, tuple[int, str]]:
    """Status and visible text of the main content of each page, with the hits of the searches."""
    seen = {}
    for path, query in [*((path, None) for path in PAGES), *(("/suche/", {"q": q}) for q in SEARCHES)]:
        response = client.get(path, query)
        main = BeautifulSoup(response.content, "html.parser").find("main")
        text = re.sub(r"\s+", " ", main.get_text(" ")) if main else ""
        seen[f"{path}?{query}"] = (response.status_code, text)
    demo_snapshot.forget_cached_data()
    return seen


@pytest.mark.django_db
def test_the_restored_demo_equals_a_freshly_loaded_one(client, django_db_setup, _demo_snapshot):
    demo_snapshot.restore(_demo_snapshot)
    restored_counts, restored_pages = demo_snapshot.row_counts(), _what_visitors_see(client)

    demo_snapshot.restore(django_db_setup)
    shell_counts = demo_snapshot.row_counts()
    _quiet_call("load_demo")
    demo_snapshot.forget_cached_data()
    loaded_counts, loaded_pages = demo_snapshot.row_counts(), _what_visitors_see(client)

    assert restored_counts == loaded_counts
    assert restored_counts != shell_counts
    assert sum(loaded_counts.values()) > 1000
    for page, (status, text) in loaded_pages.items():
        assert status == 200 or page.startswith("/beteiligung/"), page
        assert restored_pages[page] == (status, text), page
    assert any("Klima" in text for page, (_status, text) in restored_pages.items() if page.startswith("/suche/"))


@pytest.mark.django_db
def test_the_shell_snapshot_is_the_shell(client, django_db_setup, _demo_snapshot):
    """After the demo was loaded and taken on this worker, the shell is back."""
    demo_snapshot.restore(django_db_setup)  # a transactional test may have flushed it
    assert HomePage.objects.filter(locale__language_code="de").count() == 1
    assert Collection.objects.count() == 1
    assert demo_snapshot.row_counts() == _counts_in(django_db_setup)
    assert client.get("/").status_code == 200


def _counts_in(snapshot: demo_snapshot.Snapshot) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in snapshot.tables:
            cursor.execute(f"SELECT COUNT(*) FROM {snapshot.schema}.{connection.ops.quote_name(table.name)}")  # noqa: S608 (names from the catalogue, quoted)
            counts[table.name] = cursor.fetchone()[0]
    return counts


@pytest.fixture(scope="module")
def server_database_counts(_demo_snapshot, django_db_blocker, tmp_path_factory) -> dict[str, int]:
    """Rows per table of a database made for a server in another process (tests/journeys.py)."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = f"copy_{uuid.uuid4().hex[:8]}"
            admin = JourneyServer(tmp_path_factory.mktemp("copy"), _demo_snapshot)._admin_sql
            demo_snapshot.new_postgresql_database(_demo_snapshot, name, admin)
            settings = connection.settings_dict
            try:
                with psycopg.connect(
                    dbname=name,
                    user=settings["USER"],
                    password=settings["PASSWORD"],
                    host=settings["HOST"] or "127.0.0.1",
                    port=settings["PORT"] or 5432,
                ) as copy:
                    return _counts(copy.cursor(), _demo_snapshot)
            finally:
                admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        path = tmp_path_factory.mktemp("copy") / "copy.sqlite3"
        demo_snapshot.new_sqlite_database(_demo_snapshot, path)
        copy = sqlite3.connect(path)
        try:
            counts = _counts(copy.cursor(), _demo_snapshot)
            # The full-text index is filled by Wagtail's triggers as the rows go in.
            counts["wagtailsearch_indexentry_fts"] = copy.execute(
                "SELECT COUNT(*) FROM wagtailsearch_indexentry_fts"
            ).fetchone()[0]
            return counts
        finally:
            copy.close()


@pytest.mark.django_db
def test_a_server_database_holds_the_demo_snapshot(server_database_counts, _demo_snapshot):
    expected = _counts_in(_demo_snapshot)
    assert sum(expected.values()) > 1000
    fts = server_database_counts.pop("wagtailsearch_indexentry_fts", None)
    assert server_database_counts == expected
    if fts is not None:
        assert fts == expected["wagtailsearch_indexentry"] > 0


def _counts(cursor, snapshot: demo_snapshot.Snapshot) -> dict[str, int]:
    counts = {}
    for table in snapshot.tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table.name}"')  # noqa: S608 (names from the catalogue, quoted)
        counts[table.name] = cursor.fetchone()[0]
    return counts
