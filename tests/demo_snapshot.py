"""Copies of whole databases states (the site shell, the demo) that a test worker puts back in a second.

`load_demo` costs about 30 CPU-seconds and 45,000 queries; copying its rows back from a snapshot
costs a few hundred queries. A snapshot holds every table's rows: on PostgreSQL a schema of its
own in the test database, on SQLite a database file in the worker's temporary directory attached
to the (in-memory, shared) test connection. Restoring empties every table and copies the
snapshot's rows in, inside the caller's transaction, so that rolling it back brings the previous
state back; the sequences follow, so that rows the tests create get fresh keys as after a real load.
"""

import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection

from cms import cache

# Rows never change after migrating and are not emptied by a flush.
UNTOUCHED = {"django_migrations"}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    schema: str
    tables: tuple[Table, ...]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _sqlite_tables() -> tuple[tuple[Table, ...], set[str]]:
    """Plain tables with their stored columns, and the full-text (FTS5) tables kept by triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table'")
        rows = cursor.fetchall()
        virtual = {name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")}
        # FTS5's shadow tables (<name>_data, _idx, _content, _docsize, _config) belong to their virtual table.
        shadow = {name for name, _sql in rows for parent in virtual if name.startswith(f"{parent}_")}
        tables = []
        for name, _sql in sorted(rows):
            if name in virtual or name in shadow or name in UNTOUCHED or name.startswith("sqlite_"):
                continue
            # hidden 2 and 3 are generated columns: they cannot be written.
            cursor.execute(f"PRAGMA main.table_xinfo({_quote(name)})")
            columns = tuple(column[1] for column in cursor.fetchall() if column[6] not in (2, 3))
            tables.append(Table(name, columns))
    return tuple(tables), virtual


def _postgresql_tables() -> tuple[Table, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position)"
            " FROM information_schema.columns c JOIN information_schema.tables t"
            " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'"
            " GROUP BY c.table_name ORDER BY c.table_name"
        )
        return tuple(Table(name, tuple(columns)) for name, columns in cursor.fetchall() if name not in UNTOUCHED)


def take(schema: str) -> Snapshot:
    """Copy every table's rows into `schema` (outside any transaction: ATTACH and DDL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = _postgresql_tables()
            cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE")
            cursor.execute(f"CREATE SCHEMA {_quote(schema)}")
        else:
            tables, _virtual = _sqlite_tables()
            cursor.execute("PRAGMA database_list")
            if schema in {row[1] for row in cursor.fetchall()}:
                cursor.execute(f"DETACH DATABASE {_quote(schema)}")
            path = Path(tempfile.mkdtemp(prefix="zukunftsprofil-snapshot-")) / f"{schema}.sqlite3"
            cursor.execute("ATTACH DATABASE %s AS " + _quote(schema), [str(path)])
            cursor.execute(f"CREATE TABLE {_quote(schema)}._sequences AS SELECT name, seq FROM main.sqlite_sequence")  # noqa: S608 (names from the catalogue, quoted)
        for table in tables:
            columns = ", ".join(_quote(column) for column in table.columns)
            cursor.execute(
                f"CREATE TABLE {_quote(schema)}.{_quote(table.name)} AS SELECT {columns} FROM {_quote(table.name)}"  # noqa: S608 (names from the catalogue, quoted)
            )
    return Snapshot(schema, tables)


def keep(snapshot: Snapshot, path: Path) -> None:
    """Copy a SQLite snapshot's file to `path` for later test sessions (`attach`)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        snapshot_file = next(file for _seq, name, file in cursor.fetchall() if name == snapshot.schema)
    partial = path.with_suffix(".partial")
    source, target = sqlite3.connect(snapshot_file), sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    partial.replace(path)


def attach(path: Path, schema: str) -> Snapshot:
    """A snapshot an earlier session kept at `path` (`keep`), attached to this session's SQLite database.

    Its tables must be this database's: it is for runs of the same code, such as mutation testing's
    many sessions (bench/mutation.sh), which would otherwise each run `load_demo`.
    """
    tables, _virtual = _sqlite_tables()
    with connection.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS " + _quote(schema), [str(path)])
        cursor.execute(f"SELECT name FROM {_quote(schema)}.sqlite_master WHERE type = 'table'")  # noqa: S608 (names from the catalogue, quoted)
        kept = {name for (name,) in cursor.fetchall()}
    missing = {table.name for table in tables} - kept
    assert not missing, f"the kept demo snapshot {path} lacks tables {sorted(missing)}: remove it"
    return Snapshot(schema, tables)


def restore(snapshot: Snapshot) -> None:
    """Replace every table's rows by the snapshot's, inside the caller's transaction."""
    with connection.cursor() as cursor:
        _copy_in(cursor, snapshot)
    forget_cached_data()


def _copy_in(cursor, snapshot: Snapshot) -> None:
    """Empty every table and copy the snapshot's rows in, through `cursor` (Django's or a raw DB-API one).

    The statements have no parameters, so they read the same to Django's cursor, sqlite3 and psycopg.
    """
    schema = _quote(snapshot.schema)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in the transaction:
        # run them now, then defer them again for the copy (Django makes them DEFERRABLE).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # One statement for all tables.
        cursor.execute("TRUNCATE " + ", ".join(_quote(table.name) for table in snapshot.tables))
    else:
        cursor.execute("PRAGMA defer_foreign_keys = ON")
        _tables, virtual = _sqlite_tables()
        # Wagtail's triggers keep the full-text index in step with wagtailsearch_indexentry.
        for name in virtual:
            cursor.execute(f"DELETE FROM {_quote(name)}")  # noqa: S608 (names from the catalogue, quoted)
        for table in snapshot.tables:
            cursor.execute(f"DELETE FROM {_quote(table.name)}")  # noqa: S608 (names from the catalogue, quoted)
    for table in snapshot.tables:
        columns = ", ".join(_quote(column) for column in table.columns)
        cursor.execute(
            f"INSERT INTO {_quote(table.name)} ({columns}) SELECT {columns} FROM {schema}.{_quote(table.name)}"  # noqa: S608 (names from the catalogue, quoted)
        )
    if connection.vendor == "postgresql":
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    else:
        cursor.execute("DELETE FROM main.sqlite_sequence")
        cursor.execute(f"INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM {schema}._sequences")  # noqa: S608 (names from the catalogue, quoted)


def new_sqlite_database(snapshot: Snapshot, path: Path) -> None:
    """A SQLite database file at `path` holding the snapshot's state, for a server in another process.

    The schema (and `django_migrations`) come from the worker's test database through SQLite's
    backup API, the rows from the snapshot's attached file: no `migrate`, no `load_demo`.
    """
    # SQLite's backup of a shared-cache database waits, without end, for a write transaction on it to finish.
    assert not connection.in_atomic_block, "Make the server's database outside a transaction (a module fixture)."
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        snapshot_file = next(file for _seq, name, file in cursor.fetchall() if name == snapshot.schema)
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target, name="main")
        target.execute("ATTACH DATABASE ? AS " + _quote(snapshot.schema), [snapshot_file])
        with target:
            _copy_in(target.cursor(), snapshot)
        target.execute(f"DETACH DATABASE {_quote(snapshot.schema)}")
    finally:
        target.close()


def new_postgresql_database(snapshot: Snapshot, name: str, admin: Callable[[str], None]) -> None:
    """A PostgreSQL database `name` holding the snapshot's state, for a server in another process.

    `CREATE DATABASE ... TEMPLATE` copies the worker's test database, its snapshot schemas with it,
    and the rows are then copied in there: no `migrate`, no `load_demo`. PostgreSQL copies a
    template only while nobody is connected to it: this process's connection is closed first (Django
    opens it again when next used) and any left by the live server's finished requests are ended.
    `admin` runs a statement with autocommit on the server's maintenance database.
    """
    assert not connection.in_atomic_block, "Make the server's database outside a transaction (a module fixture)."
    template = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
    admin(f"CREATE DATABASE {_quote(name)} TEMPLATE {_quote(template)}")
    settings = connection.settings_dict
    with (
        psycopg.connect(
            dbname=name,
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
        ) as target,
        target.cursor() as cursor,
    ):
        _copy_in(cursor, snapshot)


def forget_cached_data() -> None:
    """The data versions of `cms/cache.py`, Wagtail's site roots and the content types live in caches."""
    for alias in caches:
        caches[alias].clear()
    cache.clear_local()
    ContentType.objects.clear_cache()


def row_counts() -> dict[str, int]:
    """Rows per table of the current state (equivalence checks)."""
    tables = _postgresql_tables() if connection.vendor == "postgresql" else _sqlite_tables()[0]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table.name)}")  # noqa: S608 (names from the catalogue, quoted)
            counts[table.name] = cursor.fetchone()[0]
    return counts
