"""One format in and out: a file exported anywhere imports again unchanged, over every column.

Sources: the public export (CSV and XLSX, by HTTP), the admin listing's export, and the empty
import template; each in German and in English headers.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from wagtail.models import Revision

from catalogue.imports import COLUMN_KEYS, COLUMNS, apply_import, headers, plan_import, project_rows
from catalogue.models import FundingProgramme, Project, SdgTarget, StatusReport
from tests.catalogue_public_data import catalogue_page
from tests.factories.catalogue import AreaFactory, ProjectFactory, german
from tests.import_data import build_county

pytestmark = pytest.mark.django_db

PUBLIC = "/projektkatalog/export/"


@pytest.fixture
def full(site):
    """Three entries that between them fill every column of the format."""
    county = build_county()
    catalogue_page()
    programme = FundingProgramme.objects.create(name="LEADER", slug="leader", locale=german())
    lead, partner = county["departments"]["wifoe"], county["departments"]["mobility"]
    status = county["statuses"]["in-umsetzung"]
    parent = ProjectFactory(
        code="1.1.01",
        title="Gründerzentrum Lindenau",
        summary="Räume und Beratung für Gründerinnen und Gründer.",
        description="<p>Ausgangslage</p><ul><li>Beratung</li><li>Räume</li></ul>",
        lead_department=lead,
        external_partners="IHK Lindenau\nSparkasse Lindenau",
        planned_start=datetime.date(2022, 3, 1),
        planned_end=datetime.date(2025, 12, 31),
        actual_start=datetime.date(2022, 5, 2),
        actual_end=datetime.date(2025, 11, 30),
        cost_estimate=Decimal("48500.00"),
        funding_amount=Decimal("20000.50"),
        priority="I",
        contact_name="Anna Keller",
        contact_email="anna.keller@lindenau.example",
        contact_phone="09999 123-456",
        goals=[county["goals"]["1.1"], county["goals"]["1.2"]],
    )
    parent.themes.set([county["theme"]])
    parent.partner_departments.set([partner])
    parent.municipalities.set([county["places"]["Lindenau"], county["places"]["Birkenfeld"]])
    parent.funding_programmes.set([programme])
    parent.sdg_targets.set(SdgTarget.objects.filter(code__in=["8.3", "9.c"]))
    parent.save()
    child = ProjectFactory(
        code="1.1.01.1",
        title="Beratungstage",
        kind="measure",
        parent=parent,
        weight=2,
        priority="II",
        lead_department=lead,
        goals=[county["goals"]["1.1"]],
    )
    wide = ProjectFactory(
        code="4.1.01",
        title="Bürgerbus für den ganzen Kreis",
        lead_department=partner,
        county_wide=True,
        continuous=True,
        priority="III",
        goals=[county["goals"]["4.1"]],
    )
    wide.municipalities.set([county["places"]["Eichenhain"]])
    wide.save()
    for entry, light, progress, text in ((parent, "at_risk", 40, "Bauantrag gestellt."), (child, "on_track", 70, "")):
        StatusReport.objects.create(
            project=entry,
            date=datetime.date(2024, 3, 1),
            status=status,
            traffic_light=light,
            progress=progress,
            text=text,
        )
    for entry in (parent, child, wide):
        entry.save_revision().publish()
    return county


def german_rows():
    return list(project_rows(Project.objects.filter(locale=german())))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def english_csv(data):
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == headers("de")
    rows[0] = headers("en")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def english_xlsx(data):
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == headers("de")
    for cell, header in zip(sheet[1], headers("en"), strict=True):
        cell.value = header
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_unchanged(data, name, every_column=True):
    plan = plan_import(io.BytesIO(data), name)
    assert plan.ok, [str(error) for error in plan.errors]
    assert plan.counts == {"create": 0, "change": 0, "unchanged": plan.total_rows, "skipped": 0}
    if every_column:
        assert not [warning for warning in plan.warnings if "nicht übernommen" in warning.message]
    return plan


def test_the_rows_fill_every_column(full):
    rows = german_rows()
    for key, *values in zip(COLUMN_KEYS, *rows, strict=True):
        assert any(value not in (None, "") for value in values), f"no entry fills {key}"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_public_export_imports_again_unchanged_and_rebuilds_an_empty_catalogue(client, full, kind, language):
    data = body(client.get(f"{PUBLIC}{kind}/"))
    if language == "en":
        data = english_csv(data) if kind == "csv" else english_xlsx(data)
    plan = assert_unchanged(data, f"katalog.{kind}")
    assert {choice.field for choice in plan.mapping.columns} == set(COLUMN_KEYS)

    before = german_rows()
    Project.objects.filter(parent__isnull=False).delete()
    Project.objects.all().delete()
    revisions = Revision.objects.count()
    plan = plan_import(io.BytesIO(data), f"katalog.{kind}")
    assert plan.ok and plan.counts["create"] == 3
    apply_import(plan)
    assert german_rows() == before
    assert Revision.objects.count() == revisions + 3


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_admin_listing_export_imports_again_unchanged(client, full, kind):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get("/admin/snippets/catalogue/project/", {"export": kind})
    assert response.status_code == 200
    data = body(response)
    # The listing may carry columns of its own (such as "Veröffentlicht"): those are left out, with a hint.
    plan = assert_unchanged(data, f"liste.{kind}", every_column=False)
    mapped = {choice.header: choice.field for choice in plan.mapping.columns}
    # Every column the listing exports that names a field of the format is read back as that field.
    assert all(field for header, field in mapped.items() if header in {c.header_de for c in COLUMNS})
    assert plan.total_rows == 3


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_import_template_imports_and_then_again_unchanged(client, full, language):
    client.force_login(get_user_model().objects.get(username="admin"))
    StatusReport.objects.all().delete()
    Project.objects.filter(parent__isnull=False).delete()
    Project.objects.all().delete()
    AreaFactory(code="2", title="Bildung & Fachkräfte", slug="bildung")
    data = body(client.get("/admin/catalogue/import/template.xlsx"))
    if language == "en":
        data = english_xlsx(data)
    plan = plan_import(io.BytesIO(data), "vorlage.xlsx", create_missing=True)
    assert plan.ok, [str(error) for error in plan.errors]
    assert {choice.field for choice in plan.mapping.columns} == set(COLUMN_KEYS)
    apply_import(plan)
    entry = Project.objects.get(code="2.1.03")
    assert entry.cost_estimate == Decimal("1250000.00") and entry.county_wide and entry.status.name == "in Planung"
    assert_unchanged(data, "vorlage.xlsx")
