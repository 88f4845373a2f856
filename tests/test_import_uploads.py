"""Uploaded import files never lie where the web server serves media, and do not outlive their import."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from catalogue.models import ImportRun
from tests.factories.catalogue import AreaFactory, DepartmentFactory, GoalFactory, ProjectFactory
from tests.test_import_admin import upload, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(site):
    goal = GoalFactory(area=AreaFactory(code="2", slug="feld-2"), code="2.1")
    lead = DepartmentFactory(name="Amt für Wirtschaftsförderung", short_name="WiFö")
    return ProjectFactory(code="2.1.01", title="Alter Titel", lead_department=lead, goals=[goal])


@pytest.fixture
def coordinator(db):
    return user_with(["access_admin", "import_projects"], "koordination")


def marked_file():
    marker = f"Geheim-{uuid.uuid4().hex}"
    data = f"Nummer;Titel;Ziele;Federführung\r\n2.1.01;{marker};2.1;WiFö\r\n".encode("cp1252")
    return marker, data


def public_files_containing(marker):
    roots = [Path(settings.MEDIA_ROOT)]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [
        path
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file() and marker.encode("cp1252") in path.read_bytes()
    ]


def stored_path(run):
    return Path(run.file.path)


def test_a_previewed_upload_is_kept_outside_public_media_under_a_random_name(client, catalogue, coordinator):
    client.force_login(coordinator)
    marker, data = marked_file()
    assert upload(client, data=data, name="Haushalt vertraulich.csv").status_code == 200
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.PREVIEWED
    path = stored_path(run)
    assert path.exists() and marker.encode("cp1252") in path.read_bytes()
    assert not public_files_containing(marker)
    assert Path(settings.MEDIA_ROOT).resolve() not in path.resolve().parents
    assert "Haushalt" not in path.name and run.file_name == "Haushalt vertraulich.csv"
    # The storage has no address: nothing can link to the file.
    with pytest.raises(NotImplementedError):
        run.file.url  # noqa: B018
    # Whatever the media URL is mapped to, the upload is not there.
    assert client.get(f"{settings.MEDIA_URL}{run.file.name}").status_code == 404

    client.post(reverse("catalogue_import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and not run.file and not path.exists()


def test_a_failed_upload_is_deleted_at_once(client, catalogue, coordinator):
    client.force_login(coordinator)
    marker = f"Kaputt-{uuid.uuid4().hex}"
    response = upload(client, data=f"Nummer;Titel\r\n;{marker}\r\n".encode(), name="kaputt.csv")
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED and not run.file
    assert not public_files_containing(marker)


def test_an_abandoned_preview_is_deleted_by_discarding_or_by_the_next_upload(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client, data=marked_file()[1])
    first = ImportRun.objects.get()
    first_path = stored_path(first)
    html = upload(client, data=marked_file()[1]).content.decode()
    first.refresh_from_db()
    assert first.state == ImportRun.State.ABANDONED and not first.file and not first_path.exists()

    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert reverse("catalogue_import_discard", args=[second.pk]) in html
    second_path = stored_path(second)
    response = client.post(reverse("catalogue_import_discard", args=[second.pk]))
    assert response.status_code == 302 and response.url == reverse("catalogue_import")
    second.refresh_from_db()
    assert second.state == ImportRun.State.ABANDONED and not second.file and not second_path.exists()
    # An abandoned import cannot be applied any more.
    assert client.post(reverse("catalogue_import_confirm", args=[second.pk])).status_code == 404
