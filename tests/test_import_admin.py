"""The import in the admin: upload, map the columns, check and apply in the background, result.

Background tasks go through django-tasks' database queue and run by the worker's own code
(`tests.task_worker`), exactly as `manage.py db_worker` runs them.
"""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from wagtail.models import Locale, ModelLogEntry
from wagtail.search.backends import get_search_backend

from catalogue.imports import headers
from catalogue.models import ImportMapping, ImportRun, Project, Status
from tests.factories.catalogue import AreaFactory, DepartmentFactory, GoalFactory, ProjectFactory, StatusFactory
from tests.task_worker import run_queued_tasks

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
    StatusFactory(name="in Umsetzung", slug="in-umsetzung")
    StatusFactory(name="in Planung", slug="in-planung")
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


def mapping_fields(run):
    """The mapping form as the page offers it (its guesses), ready to post back."""
    return {f"column_{position}": key for position, key in run.mapping.get("columns", {}).items()}


def check(client, run, fields=None, **extra):
    """Post the mapping page as shown (or with `fields`), then let the worker check the file."""
    page = client.get(reverse("catalogue_import_mapping", args=[run.pk]))
    form = page.context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data.update(fields or {})
    data.update(extra)
    response = client.post(reverse("catalogue_import_mapping", args=[run.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKING
    assert run_queued_tasks() == 1
    run.refresh_from_db()
    return run


def act(client, run, action, **data):
    return client.post(reverse("catalogue_import_run", args=[run.pk]), {"action": action, **data})


def test_upload_map_check_apply_result(client, catalogue, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("catalogue_import"))
    assert page.status_code == 200
    assert reverse("catalogue_import_template") in page.content.decode()

    response = upload(client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("catalogue_import_mapping", args=[run.pk])
    mapping_page = client.get(response["Location"]).content.decode()
    assert "Nummer" in mapping_page and "2.1.01" in mapping_page and "erkannt an der Überschrift" in mapping_page

    response = client.post(
        reverse("catalogue_import_mapping", args=[run.pk]),
        {"column_0": "code", "column_1": "title", "column_2": "goals", "column_3": "lead_department"},
    )
    assert response.status_code == 302
    # The request returns at once; the check waits in the queue until the worker takes it.
    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKING and run.task_id
    assert DBTaskResult.objects.get(id=run.task_id).status == "READY"
    progress = client.get(reverse("catalogue_import_run", args=[run.pk])).content.decode()
    assert 'id="import-progress-bar"' in progress and "import-progress.js" in progress
    status = client.get(reverse("catalogue_import_status", args=[run.pk])).json()
    assert status["running"] and status["step"] == "Wartet auf den Hintergrunddienst"

    assert run_queued_tasks() == 1
    preview = client.get(reverse("catalogue_import_run", args=[run.pk])).content.decode()
    assert "3 Zeilen: 1 neu, 1 geändert, 1 unverändert." in preview
    assert "Alter Titel" in preview and "Neuer Titel" in preview and "Ganz neu" in preview
    assert Project.objects.get(code="2.1.01").title == "Alter Titel"
    assert not Project.objects.filter(code="2.1.03").exists()

    assert act(client, run, "apply").status_code == 302
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLYING
    assert not Project.objects.filter(code="2.1.03").exists()
    # The import, then the search index of what it wrote, as a task of its own.
    assert run_queued_tasks() == 2
    assert [entry.code for entry in get_search_backend().search("Ganz neu", Project.objects.all())] == ["2.1.03"]
    result = client.get(reverse("catalogue_import_run", args=[run.pk])).content.decode()
    assert "1 neu, 1 geändert, 1 unverändert." in result
    assert Project.objects.get(code="2.1.01").title == "Neuer Titel"
    assert Project.objects.get(code="2.1.03").live
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and run.user == coordinator and not run.file
    assert ModelLogEntry.objects.filter(action="catalogue.import", data__import_run=run.pk).count() == 2
    assert client.get(reverse("catalogue_import_status", args=[run.pk])).json()["running"] is False
    # Applying the same run again does nothing.
    act(client, run, "apply")
    assert run_queued_tasks() == 0


def test_errors_are_shown_by_row_and_fixed_in_the_preview(client, catalogue, coordinator):
    client.force_login(coordinator)
    data = (
        "Nr.;Maßnahme;Ziel;Zuständigkeit;Status;Stand\r\n"
        "2.1.05;Bürgerbus;2.1;WiFö;Pilotphase;01.03.2024\r\n"
        "2.1.06;Radweg;2.1;WiFö;in Planung;01.03.2024\r\n"
    ).encode("cp1252")
    upload(client, data)
    run = check(client, ImportRun.objects.get())
    preview = client.get(reverse("catalogue_import_run", args=[run.pk])).content.decode()
    assert "Den Status „Pilotphase“ gibt es nicht" in preview
    assert "<td>2</td><td>Status</td>" in preview
    assert 'value="apply"' not in preview
    assert run.report["unknown"]["statuses"][0]["word"] == "Pilotphase"

    # Mapping the word to an existing status and checking again clears the error.
    form = client.get(reverse("catalogue_import_run", args=[run.pk])).context["form"]
    [name] = [name for name in form.fields if name.startswith("word_statuses")]
    assert act(client, run, "check", **{name: "in Umsetzung"}).status_code == 302
    assert run_queued_tasks() == 1
    run.refresh_from_db()
    assert run.report["ok"] and run.report["counts"]["create"] == 2
    act(client, run, "apply", **{name: "in Umsetzung"})
    run_queued_tasks()
    entry = Project.objects.get(code="2.1.05")
    assert entry.status.name == "in Umsetzung" and entry.last_report_date.isoformat() == "2024-03-01"
    assert not Status.objects.filter(name="Pilotphase").exists()


def test_an_unknown_status_is_created_only_when_asked_for(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client, "Nr.;Titel;Ziele;Federführung;Status\r\n2.1.07;Test;2.1;WiFö;Pilotphase\r\n".encode())
    run = check(client, ImportRun.objects.get())
    form = client.get(reverse("catalogue_import_run", args=[run.pk])).context["form"]
    [name] = [name for name in form.fields if name.startswith("word_statuses")]
    # "create missing" alone creates no status.
    act(client, run, "check", create_missing="on")
    run_queued_tasks()
    run.refresh_from_db()
    assert not run.report["ok"]
    act(client, run, "check", create_missing="on", **{name: "+"})
    run_queued_tasks()
    run.refresh_from_db()
    assert run.report["ok"]
    assert any("Kein Datum für den Stand" in str(group) for group in run.report["warnings"])
    act(client, run, "apply", create_missing="on", **{name: "+"})
    run_queued_tasks()
    assert Project.objects.get(code="2.1.07").status.name == "Pilotphase"


def test_good_rows_only_names_each_skipped_row(client, catalogue, coordinator):
    client.force_login(coordinator)
    data = (
        "Nummer;Titel;Ziele;Federführung;Beginn geplant\r\n"
        "2.1.10;Gut;2.1;WiFö;2024\r\n"
        "2.1.11;Schlechtes Datum;2.1;WiFö;31.02.2024\r\n"
        "2.1.12;Unbekanntes Amt;2.1;Amt für Zaubertränke;2024\r\n"
    ).encode()
    upload(client, data)
    run = check(client, ImportRun.objects.get())
    assert not run.report["ok"] and run.report["error_count"] == 2
    act(client, run, "check", skip_invalid="on")
    run_queued_tasks()
    run.refresh_from_db()
    assert run.report["ok"] and run.report["counts"] == {"create": 1, "change": 0, "unchanged": 0, "skipped": 2}
    act(client, run, "apply", skip_invalid="on")
    run_queued_tasks()
    result = client.get(reverse("catalogue_import_run", args=[run.pk])).content.decode()
    assert "2 Zeilen mit Fehlern wurden übersprungen." in result
    assert "<td>3</td><td>2.1.11</td>" in result and "<td>4</td><td>2.1.12</td>" in result
    assert list(Project.objects.filter(code__startswith="2.1.1").values_list("code", flat=True)) == ["2.1.10"]
    errors = client.get(reverse("catalogue_import_errors", args=[run.pk])).content.decode("utf-8-sig")
    assert "3;Beginn geplant;" in errors and "Amt für Zaubertränke" in errors


def test_duplicate_and_missing_mappings_are_explained_on_the_mapping_page(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client)
    run = ImportRun.objects.get()
    response = client.post(
        reverse("catalogue_import_mapping", args=[run.pk]),
        {"column_0": "title", "column_1": "title", "column_2": "goals", "column_3": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Spalten „Nummer“, „Titel“ sind alle „Titel“ zugeordnet" in html
    assert "Eine Spalte muss die Nummer der Einträge sein" in html
    run.refresh_from_db()
    assert run.state == ImportRun.State.UPLOADED


def test_a_mapping_saved_by_name_is_offered_for_the_next_file(client, catalogue, coordinator):
    client.force_login(coordinator)
    data = "Kennung;Vorhaben;Ziel;Amt;Bemerkung\r\n2.1.20;Neu;2.1;WiFö;intern\r\n".encode()
    upload(client, data)
    run = ImportRun.objects.get()
    check(client, run, {"column_4": ""}, save_as="Kreisliste")
    saved = ImportMapping.objects.get(name="Kreisliste")
    assert saved.columns == {
        "kennung": "code",
        "vorhaben": "title",
        "ziel": "goals",
        "amt": "lead_department",
        "bemerkung": "",
    }
    abandon = act(client, run, "abandon")
    assert abandon.status_code == 302

    upload(client, data, saved_mapping=saved.pk)
    second = ImportRun.objects.exclude(pk=run.pk).get()
    page = client.get(reverse("catalogue_import_mapping", args=[second.pk])).content.decode()
    assert "aus der gespeicherten Zuordnung „Kreisliste“" in page
    assert client.post(reverse("catalogue_import_mapping_delete", args=[saved.pk])).status_code == 302
    assert not ImportMapping.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (bytes(range(256)) * 40, "katalog.csv", "weder eine Excel-Arbeitsmappe (.xlsx) noch eine CSV-Textdatei"),
        (b"PK\x03\x04" + b"\x00" * 100, "katalog.xlsx", "beschädigt"),
        (b"%PDF-1.7\n" + b"x" * 100, "katalog.csv", "ein PDF-Dokument"),
    ],
)
def test_unreadable_files_get_one_clear_message_and_are_deleted(client, catalogue, coordinator, data, name, message):
    client.force_login(coordinator)
    before = set(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*"))
    response = upload(client, data, name=name)
    assert response.status_code == 200 and message in response.content.decode()
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.ABANDONED and not run.file
    assert {path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()} <= before


def test_xlsm_upload_is_refused(client, catalogue, coordinator):
    client.force_login(coordinator)
    response = upload(client, b"PK\x03\x04", name="makro.xlsm")
    assert response.status_code == 200 and ".xlsm" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_uploads_are_private_and_deleted_when_abandoned(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client)
    run = ImportRun.objects.get()
    stored = Path(run.file.path)
    assert stored.is_file() and Path(settings.PRIVATE_MEDIA_ROOT) in stored.parents
    # The uploader's file name (often telling) is not the stored one.
    assert Path(run.file_name).stem not in stored.name and stored.suffix == Path(run.file_name).suffix
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    with pytest.raises(ValueError):
        run.file.url  # noqa: B018 - a private file has no URL
    assert Client().get(f"/media/{run.file.name}").status_code == 404
    act(client, run, "abandon")
    run.refresh_from_db()
    assert run.state == ImportRun.State.ABANDONED and not run.file and not stored.exists()


def test_a_task_that_broke_off_leaves_a_failed_run(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client)
    run = ImportRun.objects.get()
    client.post(reverse("catalogue_import_mapping", args=[run.pk]), {"column_0": "code", "column_1": "title"})
    run.refresh_from_db()
    # The worker was stopped in the middle: the queue says the task ended, the run never heard.
    DBTaskResult.objects.filter(id=run.task_id).update(status="FAILED")
    status = client.get(reverse("catalogue_import_status", args=[run.pk])).json()
    assert status == {**status, "state": "failed", "running": False}
    page = client.get(reverse("catalogue_import_run", args=[run.pk])).content.decode()
    assert "unerwarteter Fehler" in page


def test_template_download_has_the_columns_and_one_example(client, coordinator, site):
    client.force_login(coordinator)
    response = client.get(reverse("catalogue_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers() and len(rows) == 2


def test_others_get_403_and_other_coordinators_cannot_continue_a_run(client, catalogue, coordinator):
    editor = user_with(["access_admin", "change_project", "add_project"], "fachbereich")
    client.force_login(editor)
    assert client.get(reverse("catalogue_import")).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(reverse("catalogue_import_template")).status_code == 403
    client.force_login(coordinator)
    upload(client)
    run = ImportRun.objects.get()
    other = user_with(["access_admin", "import_projects"], "koordination-2")
    client.force_login(other)
    for name in (
        "catalogue_import_run",
        "catalogue_import_mapping",
        "catalogue_import_status",
        "catalogue_import_errors",
    ):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert act(client, run, "abandon").status_code == 404
    assert Project.objects.get(code="2.1.01").title == "Alter Titel"


def test_csrf_is_required(catalogue, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert upload(client).status_code == 403
    assert not ImportRun.objects.exists()


def test_superuser_sees_the_menu_item(client, catalogue):
    client.force_login(get_user_model().objects.get(username="admin"))
    assert reverse("catalogue_import") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_status_answers_json_for_every_state(client, catalogue, coordinator):
    client.force_login(coordinator)
    upload(client)
    run = check(client, ImportRun.objects.get())
    body = client.get(reverse("catalogue_import_status", args=[run.pk])).content
    assert json.loads(body)["state"] == "previewed"
