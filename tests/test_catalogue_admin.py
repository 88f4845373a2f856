"""The catalogue through the real admin: create, draft, preview, publish, filter, export."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalogue.imports import COLUMN_KEYS, headers
from catalogue.models import Project
from tests.factories import (
    DepartmentFactory,
    GoalFactory,
    MunicipalityFactory,
    ProjectFactory,
    StatusFactory,
    german,
)

pytestmark = pytest.mark.django_db
URLS = "wagtailsnippets_catalogue_project"


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("redaktion", "redaktion@example.org", "x")
    client.force_login(user)
    return user


def inline(prefix, forms=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(forms):
        data.update({f"{prefix}-{index}-{key}": value for key, value in form.items()})
        data.update({f"{prefix}-{index}-ORDER": str(index + 1), f"{prefix}-{index}-DELETE": ""})
    return data


def entry_form(goal, department, status, **extra):
    data = {
        "kind": "project",
        "code": "4.1.07",
        "title": "Glasfaser für Steinach",
        "slug": "",
        "summary": "Ausbau im Ortsteil.",
        "goals": [str(goal.pk)],
        "lead_department": str(department.pk),
        "planned_start": "2025-01-01",
        "planned_end": "2026-12-31",
        "weight": "1",
        "contact_name": "Anna Keller",
        **inline("links"),
        **inline("documents"),
        **inline(
            "reports",
            [
                {
                    "date": "2025-03-31",
                    "reporting_period": "1. Quartal 2025",
                    "status": str(status.pk),
                    "traffic_light": "at_risk",
                    "progress": "35",
                    "text": "Ausschreibung läuft.",
                    "department": str(department.pk),
                }
            ],
        ),
    }
    data.update(extra)
    return data


def test_editor_creates_previews_and_publishes_an_entry(client, editor):
    german()
    goal, department, status = GoalFactory(code="4.1", title="Schnelles Internet"), DepartmentFactory(), StatusFactory()
    data = entry_form(goal, department, status)

    response = client.post(reverse(f"{URLS}:add") + "?locale=de", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    entry = Project.objects.get(code="4.1.07")
    assert not entry.live and list(entry.goals.all()) == [goal]
    assert entry.reports.get().author == editor
    assert entry.status is None

    preview_url = reverse(f"{URLS}:preview_on_edit", args=[entry.pk])
    assert client.post(preview_url, data).json()["is_valid"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert "catalogue/project_detail.html" in [template.name for template in preview.templates]
    assert "Glasfaser für Steinach" in preview.content.decode()

    edit = {**data, **inline("reports"), "reports-INITIAL_FORMS": "1", "reports-TOTAL_FORMS": "1"}
    report = entry.reports.get()
    edit.update(
        {
            "reports-0-id": str(report.pk),
            "reports-0-date": "2025-03-31",
            "reports-0-status": str(status.pk),
            "reports-0-traffic_light": "at_risk",
            "reports-0-progress": "35",
            "reports-0-ORDER": "1",
            "action-publish": "publish",
        }
    )
    response = client.post(reverse(f"{URLS}:edit", args=[entry.pk]), edit)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    entry.refresh_from_db()
    assert entry.live
    assert (entry.status, entry.traffic_light, entry.progress, entry.last_report_date) == (
        status,
        "at_risk",
        35,
        datetime.date(2025, 3, 31),
    )


def test_invalid_entry_shows_german_errors(client, editor):
    german()
    data = entry_form(GoalFactory(), DepartmentFactory(), StatusFactory(), planned_end="2024-01-01", goals=[])
    response = client.post(reverse(f"{URLS}:add") + "?locale=de", {**data, "action-publish": "publish"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["planned_end"] == ["Das geplante Ende darf nicht vor dem geplanten Beginn liegen."]
    assert errors["goals"] == ["Bitte mindestens ein Ziel auswählen."]
    assert not Project.objects.exists()


def test_goal_field_shows_the_hierarchy(client, editor):
    german()
    top = GoalFactory(code="2.1", title="Gute Bildung")
    GoalFactory(area=top.area, parent=top, code="2.1.3", title="Schulen digital")
    html = client.get(reverse(f"{URLS}:add") + "?locale=de").content.decode()
    assert "2.1 Gute Bildung (Leitziel)" in html
    assert "– 2.1.3 Schulen digital (Teilziel)" in html
    assert html.index("2.1 Gute Bildung") < html.index("2.1.3 Schulen digital")


@pytest.fixture
def listing_world():
    done, running = StatusFactory(slug="fertig"), StatusFactory(slug="laeuft")
    top = GoalFactory(code="5.1")
    sub = GoalFactory(area=top.area, parent=top, code="5.1.1")
    other = GoalFactory(code="6.1")
    lead, partner = DepartmentFactory(), DepartmentFactory()
    town = MunicipalityFactory()
    today = datetime.date.today()
    a = ProjectFactory(
        code="A", goals=[top], status=done, traffic_light="on_track", lead_department=lead, last_report_date=today
    )
    b = ProjectFactory(
        code="B",
        goals=[sub],
        status=running,
        traffic_light="off_track",
        lead_department=partner,
        last_report_date=today - datetime.timedelta(days=400),
    )
    c = ProjectFactory(code="C", goals=[other], status=running, traffic_light="at_risk", lead_department=partner)
    c.partner_departments.set([lead])
    c.municipalities.set([town])
    c.save()
    return {"a": a, "b": b, "c": c, "top": top, "sub": sub, "other": other, "done": done, "lead": lead, "town": town}


def listed_codes(client, **params):
    response = client.get(reverse(f"{URLS}:list_results"), {"locale": "de", **params})
    assert response.status_code == 200
    return sorted(entry.code for entry in response.context["object_list"])


def test_listing_filters(client, editor, listing_world):
    world = listing_world
    assert listed_codes(client) == ["A", "B", "C"]
    assert listed_codes(client, area=world["top"].area_id) == ["A", "B"]
    assert listed_codes(client, goal=world["top"].pk) == ["A", "B"]
    assert listed_codes(client, goal=world["sub"].pk) == ["B"]
    assert listed_codes(client, status=world["done"].pk) == ["A"]
    assert listed_codes(client, traffic_light="off_track") == ["B"]
    assert listed_codes(client, department=world["lead"].pk) == ["A", "C"]
    assert listed_codes(client, municipality=world["town"].pk) == ["C"]
    assert listed_codes(client, overdue="true") == ["B", "C"]
    assert listed_codes(client, overdue="false") == ["A"]
    assert listed_codes(client, q="B") == ["B"]


def test_spreadsheet_export(client, editor, listing_world):
    url = reverse(f"{URLS}:list")
    response = client.get(url, {"locale": "de", "export": "csv", "traffic_light": "off_track"})
    assert response.status_code == 200
    assert "katalog" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    # The import's own columns (catalogue/imports), see tests/test_admin_listing.py for the round trip.
    assert rows[0] == headers()
    assert [row[0] for row in rows[1:]] == ["B"]
    assert rows[1][COLUMN_KEYS.index("traffic_light")] == "kritisch"

    response = client.get(url, {"locale": "de", "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    values = list(workbook.active.values)
    assert values[0][0] == "Nummer"
    assert sorted(row[0] for row in values[1:]) == ["A", "B", "C"]
