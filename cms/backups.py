"""Backups of the whole site: the database (pg_dump's custom format, or SQLite's own copy) and the media files.

A backup is a directory holding ``database.dump`` (PostgreSQL) or ``database.sqlite3``, ``media.tar.gz``
and ``manifest.json``. `restore` puts it into a database (a fresh one, or the same one with `clean`)
and a media directory. Used by ``manage.py backup_site`` / ``restore_site`` and ``make backup`` /
``make restore``.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql

DATABASE_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in words."""


@dataclass(frozen=True)
class Database:
    """Where a database is, in the terms of pg_dump and sqlite3."""

    vendor: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> "Database":
        engine = values["ENGINE"]
        vendor = "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else engine
        return cls(
            vendor,
            str(values["NAME"]),
            values.get("USER") or "",
            values.get("PASSWORD") or "",
            values.get("HOST") or "",
            str(values.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls.from_settings(dj_database_url.parse(url))

    def client_arguments(self) -> list[str]:
        arguments = ["--dbname", self.name]
        if self.host:
            arguments += ["--host", self.host]
        if self.port:
            arguments += ["--port", self.port]
        if self.user:
            arguments += ["--username", self.user]
        return arguments

    def client_env(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)

    def connect(self, name: str) -> psycopg.Connection:
        return psycopg.connect(
            dbname=name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
            autocommit=True,
        )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is missing: install PostgreSQL's client programs (Debian: postgresql-client).")
    return found


def backup(output: Path) -> Path:
    """Write a backup of the default database and MEDIA_ROOT into a new directory below `output`."""
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
    target = output / stamp
    number = 1
    while target.exists():
        number += 1
        target = output / f"{stamp}-{number}"
    target.mkdir(parents=True)
    database = Database.from_settings(connection.settings_dict)
    if database.vendor == "postgresql":
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target / DATABASE_DUMP)]
        subprocess.run([*command, *database.client_arguments()], env=database.client_env(), check=True)  # noqa: S603
    elif database.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / SQLITE_COPY) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"No backup for the database engine {database.vendor}.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA_ARCHIVE, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname=".")
    manifest = {"created": stamp, "database": database.vendor, "media_root": str(media)}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def _create_postgres_database(database: Database) -> None:
    with database.connect("postgres") as maintenance:
        found = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone()
        if found is None:
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))


def _postgres_is_empty(database: Database) -> bool:
    with database.connect(database.name) as target:
        tables = target.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    return not tables or tables[0] == 0


def restore(source: Path, database_url: str, media_root: Path, clean: bool = False, create: bool = False) -> None:
    """Put the backup in `source` into the database at `database_url` and the directory `media_root`.

    Refuses a database that holds tables already unless `clean` is given (then they are replaced).
    """
    database = Database.from_url(database_url)
    if database.vendor == "postgresql":
        dump = source / DATABASE_DUMP
        if not dump.exists():
            raise BackupError(f"{source} holds no PostgreSQL dump ({DATABASE_DUMP}).")
        if create:
            _create_postgres_database(database)
        options = ["--no-owner", "--no-privileges", "--exit-on-error"]
        if not _postgres_is_empty(database):
            if not clean:
                raise BackupError(f"The database {database.name} is not empty: restore into a fresh one, or clean it.")
            options += ["--clean", "--if-exists"]
        command = [_tool("pg_restore"), *options, *database.client_arguments(), str(dump)]
        subprocess.run(command, env=database.client_env(), check=True)  # noqa: S603
    elif database.vendor == "sqlite":
        copy = source / SQLITE_COPY
        if not copy.exists():
            raise BackupError(f"{source} holds no SQLite copy ({SQLITE_COPY}).")
        target = Path(database.name)
        if target.exists() and target.stat().st_size and not clean:
            raise BackupError(f"The database {target} exists: restore into a fresh file, or clean it.")
        shutil.copyfile(copy, target)
    else:
        raise BackupError(f"No restore for the database engine {database.vendor}.")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
