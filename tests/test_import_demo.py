"""The demo shows the import: a saved column mapping and a finished import run with its history."""

import pytest
from wagtail.models import ModelLogEntry

from catalogue.models import ImportMapping, ImportRun
from demo.builders.imports import build_imports

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_saved_mapping_and_a_finished_import(demo):
    mapping = ImportMapping.objects.get(name="Kreisliste Lindenau (Excel)")
    assert mapping.columns == {
        "nr": "code",
        "massnahme": "title",
        "ansprechperson": "contact_name",
        "telefon": "contact_phone",
        "bemerkung": "",
    }
    run = ImportRun.objects.get(file_name="kreisliste-lindenau-2024-03.csv")
    assert run.state == ImportRun.State.APPLIED and run.saved_mapping == mapping and not run.file
    assert run.changed == 3 and run.created == 0 and run.user.username == "koordination"
    assert run.report["counts"]["change"] == 3
    logs = ModelLogEntry.objects.filter(action="catalogue.import", data__import_run=run.pk)
    assert logs.count() == 3 and all(log.data["fields"] == ["contact_phone"] for log in logs)
    # Loading the demo again imports nothing twice.
    assert build_imports() == run
    assert ImportRun.objects.count() == 1 and ImportMapping.objects.count() == 1
