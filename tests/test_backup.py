"""Backup and restore: a backup restored into a fresh database gives the same entries and the same export."""

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from catalogue.imports import csv_lines, project_rows
from catalogue.models import Project
from cms.backups import Database
from tests.catalogue_public_data import build, catalogue_page

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
# What the comparison reads from a database: entry count and the checksum of the full CSV export.
FINGERPRINT = (
    "from catalogue.imports import csv_lines, project_rows;"
    "from catalogue.models import Project;"
    "import hashlib;"
    "print(Project.objects.count(), hashlib.sha256(''.join(csv_lines(project_rows(Project.objects.all())))"
    ".encode()).hexdigest())"
)


def fingerprint_here() -> str:
    export = "".join(csv_lines(project_rows(Project.objects.all())))
    return f"{Project.objects.count()} {hashlib.sha256(export.encode()).hexdigest()}"


def fingerprint_of(database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", FINGERPRINT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def restored_database_url(tmp_path):
    """A database that does not exist yet: a new PostgreSQL database (dropped afterwards) or SQLite file."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    current = Database.from_settings(connection.settings_dict)
    name = f"{current.name}_restored"
    url = f"postgres://{current.user}:{current.password}@{current.host or '127.0.0.1'}:{current.port or 5432}/{name}"
    yield url
    with current.connect("postgres") as maintenance:
        maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_backup_restored_into_a_fresh_database_has_the_same_entries_export_and_media(
    site, tmp_path, restored_database_url
):
    data = build(15)
    catalogue_page()
    data["entries"][0].unpublish()
    media = Path(settings.MEDIA_ROOT) / "backup-test"
    media.mkdir(parents=True, exist_ok=True)
    (media / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    before = fingerprint_here()

    call_command("backup_site", output=str(tmp_path / "backups"), stdout=io.StringIO())
    (backup,) = (tmp_path / "backups").iterdir()
    assert (backup / "manifest.json").exists() and (backup / "media.tar.gz").exists()

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore_site",
        str(backup),
        database_url=restored_database_url,
        media_root=str(restored_media),
        create=True,
        stdout=io.StringIO(),
    )
    assert fingerprint_of(restored_database_url) == before
    assert int(before.split()[0]) == 15
    assert (restored_media / "backup-test" / "logo.svg").read_text() == "<svg xmlns='http://www.w3.org/2000/svg'/>"

    # A database that holds a site already is not overwritten by accident.
    with pytest.raises(CommandError, match="restore into a fresh"):
        call_command("restore_site", str(backup), database_url=restored_database_url, media_root=str(restored_media))
    shutil.rmtree(media)
