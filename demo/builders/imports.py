"""The demo's import: a saved column mapping and one finished import run, from demo/data/imports.yaml.

The run is a real import through `catalogue.imports` (the county-style file is written from the
data file and the entries' current numbers), so the entries' history shows it as "Import aus
Tabelle" and the admin lists it under "Letzte Importe". Entries waiting for an approval are
passed over: an import publishes, which would end their workflow. Running it twice changes nothing.
"""

import csv
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from wagtail.models import Locale, WorkflowState

from catalogue.imports import ImportPlan, apply_import, guess_mapping, known_status_words, plan_table, read_table
from catalogue.imports.reports import plan_report
from catalogue.imports.synonyms import normalise_header
from catalogue.models import ImportMapping, ImportRun, Project
from demo.data import parse_yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "imports.yaml"


def build_imports(stdout=None) -> ImportRun | None:
    data = parse_yaml(DATA.read_text(encoding="utf-8"))
    mapping = _saved_mapping(data["mapping"])
    spec = data["run"]
    done = ImportRun.objects.filter(file_name=spec["file_name"], state=ImportRun.State.APPLIED).first()
    if done is not None:
        return done
    content = _county_file(data["mapping"]["columns"], spec["rows"])
    if content is None:
        return None
    table = read_table(io.BytesIO(content), spec["file_name"])
    columns = guess_mapping(table, known_status_words(), mapping.columns, mapping.name, mapping.values)
    plan = ImportPlan(file_name=spec["file_name"], locale=Locale.get_default(), create_missing=False)
    plan = plan_table(plan, table, columns)
    if not plan.ok:
        raise ValueError(f"The demo import does not fit the demo catalogue: {[str(e) for e in plan.errors]}")
    user = get_user_model().objects.filter(username=spec["user"]).first()
    run = ImportRun.objects.create(
        file_name=spec["file_name"],
        user=user,
        locale=plan.locale,
        saved_mapping=mapping,
        mapping=columns.to_run(),
        report=plan_report(plan),
    )
    apply_import(plan, user=user, run=run)
    if stdout is not None:
        stdout.write(f"Import: mapping „{mapping.name}“, run {run.pk} ({run.changed} entries changed).")
    return run


def _saved_mapping(spec: dict) -> ImportMapping:
    columns = {normalise_header(header): field or "" for header, field in spec["columns"].items()}
    mapping, _created = ImportMapping.objects.get_or_create(name=spec["name"], defaults={"columns": columns})
    return mapping


def _county_file(columns: dict, rows: list[dict]) -> bytes | None:
    """The county's list with semicolons, as Excel saves "CSV UTF-8" in Germany (names need more than Windows-1252)."""
    busy = set(
        WorkflowState.objects.active().filter(base_content_type__model="project").values_list("object_id", flat=True)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(columns))
    written = 0
    for row in rows:
        entry = (
            Project.objects.filter(title=row["title"], locale=Locale.get_default(), live=True)
            .exclude(has_unpublished_changes=True)
            .first()
        )
        if entry is None or str(entry.pk) in busy:
            continue
        values = {
            "code": entry.code,
            "title": entry.title,
            "contact_name": entry.contact_name,
            "contact_phone": row["phone"],
        }
        writer.writerow([values[field] if field else row["note"] for field in columns.values()])
        written += 1
    return buffer.getvalue().encode("utf-8-sig") if written else None
