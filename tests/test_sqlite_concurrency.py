"""SQLite under an import: readers never wait for the writer, a second writer queues instead of failing.

Before: on SQLite, 8 of 646 concurrent requests got "database is locked" during a 49 s import.
The settings (`SQLITE_OPTIONS`) switch on WAL, a busy timeout and BEGIN IMMEDIATE; this test opens
real connections with them to a SQLite file (on either test database).
"""

import threading
import time

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def connect(path, name):
    wrapper = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": dict(settings.SQLITE_OPTIONS),
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias=name,
    )
    wrapper.ensure_connection()
    return wrapper


def test_the_default_sqlite_database_uses_the_options():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"].items() >= settings.SQLITE_OPTIONS.items()
    assert settings.SQLITE_OPTIONS["timeout"] >= 20


def test_readers_see_the_last_commit_while_a_writer_works_and_writers_queue(tmp_path, django_db_blocker):
    # A database file of the test's own, not the test database: pytest-django only has to let it be opened.
    with django_db_blocker.unblock():
        check_concurrency(tmp_path / "site.sqlite3")


def check_concurrency(path):
    setup = connect(path, "setup")
    with setup.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 30_000
        cursor.execute("CREATE TABLE entry (title TEXT)")
        cursor.execute("INSERT INTO entry VALUES ('alt')")
    setup.close()

    importer, reader = connect(path, "importer"), connect(path, "reader")
    # What Django does at the start of a transaction with transaction_mode IMMEDIATE.
    assert importer.transaction_mode == "IMMEDIATE"
    with importer.cursor() as cursor:
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("UPDATE entry SET title = 'neu'")
        cursor.execute("INSERT INTO entry VALUES ('halb')")
    # The import's transaction is open: a reader gets the last committed state, at once.
    started = time.monotonic()
    with reader.cursor() as cursor:
        cursor.execute("SELECT title FROM entry ORDER BY title")
        assert [row[0] for row in cursor.fetchall()] == ["alt"]
    assert time.monotonic() - started < 1

    # Another writer (an editor saving) waits for the import's commit instead of failing.
    done, failed = [], []

    def save():
        editor = connect(path, "editor")
        try:
            with editor.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("INSERT INTO entry VALUES ('redaktion')")
                cursor.execute("COMMIT")
            done.append(time.monotonic())
        except Exception as error:  # reported below
            failed.append(error)
        finally:
            editor.close()

    thread = threading.Thread(target=save)
    thread.start()
    time.sleep(0.5)
    committed = time.monotonic()
    with importer.cursor() as cursor:
        cursor.execute("COMMIT")
    thread.join(timeout=30)
    assert not failed and done and done[0] >= committed
    with reader.cursor() as cursor:
        cursor.execute("SELECT title FROM entry ORDER BY title")
        assert [row[0] for row in cursor.fetchall()] == ["halb", "neu", "redaktion"]
    importer.close()
    reader.close()
