"""Catalogue import and the shared spreadsheet format."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Project
from catalogue.spreadsheet import COLUMNS, project_rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def seed(entries, number=1):
    call_command("seed_catalogue", entries=entries, seed=number, stdout=io.StringIO(), stderr=io.StringIO())


def test_export_rows_cost_a_constant_number_of_queries():
    seed(30)
    with CaptureQueriesContext(connection) as small:
        rows = list(project_rows(Project.objects.all()))
    assert len(rows) == 30 and all(len(row) == len(COLUMNS) for row in rows)
    seed(60, 2)
    total = Project.objects.count()
    with CaptureQueriesContext(connection) as large:
        assert len(list(project_rows(Project.objects.all()))) == total > 30
    assert len(large.captured_queries) == len(small.captured_queries)
    text = io.StringIO()
    write_csv(rows[:2], text)
    print(text.getvalue())
    write_xlsx(rows, io.BytesIO())
