"""The SQLite schema snapshot: the committed file is what a real `migrate` makes, a new database
starts from it and works (admin login, publishing), and an existing or PostgreSQL database only
migrates."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from cms import schema_snapshot

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")

# Runs in the new database through `manage.py shell`: what a first visitor and editor do there.
FIRST_USE = """
from django.test import Client
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from home.models import HomePage, StandardPage

get_user_model().objects.create_superuser("chefin", "chefin@example.org", "geheim-lindenau")
client = Client()
assert client.login(username="chefin", password="geheim-lindenau")
assert client.get("/admin/").status_code == 200
home = Page.get_first_root_node().add_child(instance=HomePage(title="Landkreis", slug="landkreis", live=False))
home.save_revision().publish()
Site.objects.update(root_page=home)
page = home.add_child(instance=StandardPage(title="Impressum", slug="impressum", live=False))
page.save_revision().publish()
response = Client().get("/impressum/")
assert response.status_code == 200 and b"Impressum" in response.content, response.status_code
print("published")
"""


def _manage(database: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, MANAGE, *args], env=environment, capture_output=True, text=True, check=False
    )


@pytest.mark.sqlite_files
def test_the_committed_snapshot_is_what_migrate_makes():
    committed = schema_snapshot.SNAPSHOT_PATH.read_text(encoding="utf-8")
    assert schema_snapshot.build() == committed, (
        f"cms/schema/sqlite.sql is out of date with the migrations: run `{schema_snapshot.WRITE_COMMAND}`"
    )


@pytest.mark.sqlite_files
def test_a_new_database_starts_from_the_snapshot_and_works(tmp_path):
    database = tmp_path / "db.sqlite3"
    result = _manage(database, "schema_snapshot", "--migrate", "--verbosity", "2")
    assert result.returncode == 0, result.stderr
    assert "Loaded the schema snapshot." in result.stdout
    assert "No migrations to apply." in result.stdout
    connection = sqlite3.connect(database)
    try:
        assert schema_snapshot.dump(connection) == schema_snapshot.SNAPSHOT_PATH.read_text(encoding="utf-8")
    finally:
        connection.close()
    assert _manage(database, "migrate", "--check").returncode == 0
    changes = _manage(database, "makemigrations", "--check", "--dry-run")
    assert changes.returncode == 0, changes.stdout
    used = _manage(database, "shell", "--command", FIRST_USE)
    assert used.returncode == 0, used.stderr
    assert "published" in used.stdout


def test_a_snapshot_naming_a_migration_no_longer_on_disk_is_not_used():
    committed = schema_snapshot.SNAPSHOT_PATH.read_text(encoding="utf-8")
    assert schema_snapshot.names_only_known_migrations(committed)
    renamed = committed.replace("'home', '0001_initial'", "'home', '0001_renamed_since'", 1)
    assert renamed != committed
    assert not schema_snapshot.names_only_known_migrations(renamed)


@pytest.mark.django_db
def test_a_database_with_tables_or_on_postgresql_only_migrates():
    # The test database has every table already (and on PostgreSQL is no SQLite file at all).
    output = io.StringIO()
    call_command("schema_snapshot", "--migrate", "--verbosity", "2", stdout=output)
    assert "Loaded the schema snapshot." not in output.getvalue()
    assert "No migrations to apply." in output.getvalue()
