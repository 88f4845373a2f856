"""The import in the admin: upload, preview, confirm, result; only coordinators may use it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Locale, ModelLogEntry

from catalogue.imports import headers
from catalogue.models import ImportRun, Project
from tests.factories.catalogue import AreaFactory, DepartmentFactory, GoalFactory, ProjectFactory

pytestmark = pytest.mark.django_db

FILE = (
    "Nummer;Titel;Ziele;Federführung\r\n"
    "2.1.01;Neuer Titel;2.1;WiFö\r\n"
    "2.1.02;Unverändert;2.1;WiFö\r\n"
    "2.1.03;Ganz neu;2.1;WiFö\r\n"
).encode("cp1252")


@pytest.fixture
def catalogue(site):
    goal = GoalFactory(area=AreaFactory(code="2", slug="feld-2"), code="2.1")
    lead = DepartmentFactory(name="Amt für Wirtschaftsförderung", short_name="WiFö")
    first = ProjectFactory(code="2.1.01", title="Alter Titel", lead_department=lead, goals=[goal])
    ProjectFactory(code="2.1.02", title="Unverändert", lead_department=lead, goals=[goal])
    first.save_revision().publish()
    return first


def user_with(codenames, name):
    user = get_user_model().objects.create_user(username=name, password="x")
    group = Group.objects.create(name=f"Gruppe {name}")
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    return user


@pytest.fixture
def coordinator(db):
    return user_with(["access_admin", "import_projects"], "koordination")


def upload(client, data=FILE, name="katalog.csv", **extra):
    return client.post(
        reverse("catalogue_import"),
        {"file": SimpleUploadedFile(name, data), "locale": Locale.get_default().pk, **extra},
    )


def test_upload_preview_confirm_result(client, catalogue, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("catalogue_import"))
    assert page.status_code == 200
    assert reverse("catalogue_import_template") in page.content.decode()

    preview = upload(client)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "1 neu, 1 geändert, 1 unverändert" in html
    assert "Alter Titel" in html and "Neuer Titel" in html and "Ganz neu" in html
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.PREVIEWED and run.file.name.startswith("imports/")
    assert Project.objects.get(code="2.1.01").title == "Alter Titel"
    assert not Project.objects.filter(code="2.1.03").exists()

    result = client.post(reverse("catalogue_import_confirm", args=[run.pk]))
    assert result.status_code == 200
    assert "1 neu, 1 geändert, 1 unverändert" in result.content.decode()
    assert Project.objects.get(code="2.1.01").title == "Neuer Titel"
    assert Project.objects.get(code="2.1.03").live
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and run.user == coordinator and not run.file
    assert ModelLogEntry.objects.filter(action="catalogue.import", data__import_run=run.pk).count() == 2
    # A second confirm of the same upload does nothing.
    assert client.post(reverse("catalogue_import_confirm", args=[run.pk])).status_code == 404


def test_error_file_shows_rows_and_offers_no_confirm(client, catalogue, coordinator):
    client.force_login(coordinator)
    data = "Nummer;Titel;Ziele;Federführung\r\n2.1.05;X;7.7;WiFö\r\n".encode()
    html = upload(client, data).content.decode()
    assert "Zeile 2" not in html or "7.7" in html
    assert "7.7" in html and "Ziele" in html
    assert reverse("catalogue_import_confirm", args=[ImportRun.objects.get().pk]) not in html
    assert ImportRun.objects.get().state == ImportRun.State.FAILED
    assert not Project.objects.filter(code="2.1.05").exists()


def test_confirm_uses_the_stored_file_not_the_request(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client)
    run = ImportRun.objects.get()
    client.post(
        reverse("catalogue_import_confirm", args=[run.pk]),
        {"file": SimpleUploadedFile("boese.csv", b"Nummer;Titel\r\n9.9;Fremd\r\n")},
    )
    assert not Project.objects.filter(code="9.9").exists()
    assert Project.objects.filter(code="2.1.03").exists()


def test_xlsm_upload_is_refused(client, catalogue, coordinator):
    client.force_login(coordinator)
    response = upload(client, b"PK\x03\x04", name="makro.xlsm")
    assert response.status_code == 200 and ".xlsm" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_template_download_has_the_columns_and_one_example(client, coordinator, site):
    client.force_login(coordinator)
    response = client.get(reverse("catalogue_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers() and len(rows) == 2


def test_others_get_403(client, catalogue):
    editor = user_with(["access_admin", "change_project", "add_project"], "fachbereich")
    client.force_login(editor)
    assert client.get(reverse("catalogue_import")).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(reverse("catalogue_import_template")).status_code == 403
    assert Project.objects.get(code="2.1.01").title == "Alter Titel"


def test_csrf_is_required(catalogue, coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert upload(client).status_code == 403
    assert not ImportRun.objects.exists()


def test_superuser_sees_the_menu_item(client, catalogue):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert reverse("catalogue_import") in client.get(reverse("wagtailadmin_home")).content.decode()
