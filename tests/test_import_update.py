"""Changing existing entries in bulk: what publishing each through Wagtail gives, at a fixed number of queries."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Locale, ModelLogEntry, Workflow, WorkflowState, WorkflowTask
from wagtail.search.backends import get_search_backend

from catalogue.imports import COLUMN_KEYS, ImportConflict, apply_import, plan_import, project_rows, write_csv
from catalogue.models import Goal, ImportRun, Municipality, Project, Status, StatusReport
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TITLE, GOALS, PLACES, PARENT = (COLUMN_KEYS.index(key) for key in ("title", "goals", "municipalities", "parent_code"))
STATUS, DATE, TEXT = (COLUMN_KEYS.index(key) for key in ("status", "last_report_date", "last_report_text"))


def seed(entries, number=1):
    call_command("seed_catalogue", entries=entries, seed=number, stdout=io.StringIO(), stderr=io.StringIO())


def rows_of(queryset=None):
    return list(project_rows(queryset if queryset is not None else Project.objects.filter(locale__language_code="de")))


def csv_bytes(rows):
    text = io.StringIO()
    write_csv(rows, text)
    return text.getvalue().encode("utf-8")


def change_titles(rows, count):
    for row in rows[:count]:
        row[TITLE] = f"{row[TITLE]} (überarbeitet)"
    return rows


def test_changed_entries_get_a_published_revision_a_log_entry_and_their_links(site):
    seed(12)
    rows = rows_of()
    entries = {entry.code: entry for entry in Project.objects.all()}
    revisions = {code: entry.revisions.count() for code, entry in entries.items()}
    first, second, third, fourth = rows[0], rows[1], rows[2], rows[3]
    goal = Goal.objects.exclude(code__in=first[GOALS].split("; ")).order_by("code").first()
    place = Municipality.objects.order_by("name").first()
    status = Status.objects.get(slug="abgeschlossen")
    first[TITLE] = "Neuer Titel"
    first[GOALS] = "; ".join([*first[GOALS].split("; "), goal.code])
    first[PLACES] = place.name
    second[PARENT] = first[0]
    third[STATUS], third[DATE], third[TEXT] = status.name, datetime.date(2030, 1, 31), "Fertig."
    if fourth[DATE]:
        fourth[TEXT] = "Nachgetragen."
    plan = plan_import(io.BytesIO(csv_bytes(rows)), "aenderungen.csv")
    assert plan.ok, [str(error) for error in plan.errors]
    changed_codes = {row.code for row in plan.rows if row.action == "change"}
    assert {first[0], second[0], third[0]} <= changed_codes
    reports = StatusReport.objects.count()
    user = get_user_model().objects.get(username="admin")
    run = apply_import(plan, user=user)

    one = Project.objects.get(code=first[0])
    assert one.title == "Neuer Titel"
    assert goal in one.goals.all() and list(one.municipalities.all()) == [place] and not one.county_wide
    assert one.live and not one.has_unpublished_changes
    assert one.latest_revision_id == one.live_revision_id
    content = one.latest_revision.content
    assert content["title"] == "Neuer Titel" and goal.pk in content["goals"] and content["municipalities"] == [place.pk]
    assert one.revisions.count() == revisions[first[0]] + 1
    log = ModelLogEntry.objects.get(action="catalogue.import", object_id=str(one.pk))
    assert log.revision_id == one.latest_revision_id and log.user == user and log.data["import_run"] == run.pk
    assert set(log.data["fields"]) >= {"title", "goals", "municipalities"}

    assert Project.objects.get(code=second[0]).parent_id == one.pk
    finished = Project.objects.get(code=third[0])
    assert (finished.status, finished.last_report_date) == (status, datetime.date(2030, 1, 31))
    assert finished.latest_report().text == "Fertig."
    assert finished.latest_revision.content["reports"][0]["text"] == "Fertig."
    if fourth[DATE]:
        same_day = Project.objects.get(code=fourth[0])
        assert same_day.latest_report().text == "Nachgetragen."
        assert StatusReport.objects.count() == reports + 1
    for code, entry in entries.items():
        if code not in changed_codes:
            assert Project.objects.get(pk=entry.pk).revisions.count() == revisions[code]
    assert ModelLogEntry.objects.filter(action="catalogue.import").count() == len(changed_codes)


def _apply_title_changes(count):
    rows = change_titles(rows_of(), count)
    plan = plan_import(io.BytesIO(csv_bytes(rows)), "titel.csv")
    assert plan.counts["change"] == count
    with CaptureQueriesContext(connection) as queries:
        apply_import(plan)
    # The search index follows after the commit, in the search backend's own way (SQLite's updates
    # its rows one by one); the import's own writes are what must not grow.
    return len([query for query in queries.captured_queries if "wagtailsearch_indexentry" not in query["sql"]])


def test_the_number_of_queries_does_not_grow_with_the_entries_changed(site):
    seed(60)
    # A first import fills what a running site has cached already (content types, locales).
    _apply_title_changes(5)
    small = _apply_title_changes(10)
    large = _apply_title_changes(50)
    assert large == small, (small, large)
    assert small < 60


def test_an_entry_waiting_in_a_workflow_has_the_workflow_cancelled(site):
    seed(3)
    entry = Project.objects.order_by("code").first()
    user = get_user_model().objects.get(username="admin")
    workflow = Workflow.objects.create(name="Berichtsfreigabe")
    task = GroupApprovalTask.objects.create(name="Koordination")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    entry.save_revision(user=user)
    state = workflow.start(entry, user)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    apply_import(plan_import(io.BytesIO(csv_bytes(change_titles(rows_of(), 1))), "titel.csv"))
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED


def test_an_entry_scheduled_to_go_live_later_stays_scheduled(site):
    seed(3)
    entry = Project.objects.order_by("code").first()
    entry.save_revision().publish()
    old_title = entry.title
    Project.objects.filter(pk=entry.pk).update(go_live_at=timezone.now() + datetime.timedelta(days=3))
    apply_import(plan_import(io.BytesIO(csv_bytes(change_titles(rows_of(), 1))), "titel.csv"))
    entry.refresh_from_db()
    assert entry.title == old_title and entry.has_unpublished_changes
    assert entry.latest_revision.approved_go_live_at is not None
    assert entry.latest_revision.content["title"] == f"{old_title} (überarbeitet)"


def test_an_entry_saved_by_someone_else_meanwhile_stops_the_import(site):
    seed(4)
    plan = plan_import(io.BytesIO(csv_bytes(change_titles(rows_of(), 2))), "titel.csv")
    entry = Project.objects.get(code=plan.rows[0].code)
    entry.save_revision()
    titles = dict(Project.objects.values_list("code", "title"))
    with pytest.raises(ImportConflict) as conflict:
        apply_import(plan)
    assert [problem.message for problem in conflict.value.problems] == [
        f"Der Eintrag {entry.code} wurde während des Imports bearbeitet."
    ]
    assert dict(Project.objects.values_list("code", "title")) == titles


CODE, PROGRESS = COLUMN_KEYS.index("code"), COLUMN_KEYS.index("progress")


def new_row(rows, code, title):
    row = list(rows[0])
    row[CODE], row[TITLE], row[PARENT] = code, title, ""
    return row


def test_an_entry_someone_created_meanwhile_stops_the_import(site):
    seed(3)
    rows = rows_of()
    plan = plan_import(io.BytesIO(csv_bytes([*rows, new_row(rows, "9.9.01", "Neu aus der Liste")])), "neu.csv")
    assert plan.ok and [row.code for row in plan.rows if row.action == "create"] == ["9.9.01"]
    # The same code in the other language is another entry: no conflict.
    english = Locale.objects.get(language_code="en")
    ProjectFactory(code="9.9.01", title="New elsewhere", locale=english)
    # In German, someone was quicker.
    ProjectFactory(code="9.9.01", title="Schneller angelegt", goals=[], locale=Locale.objects.get(language_code="de"))
    before = sorted(Project.objects.values_list("code", "title", "locale__language_code"))
    with pytest.raises(ImportConflict) as conflict:
        apply_import(plan)
    assert str(conflict.value) == "Während des Imports wurden Einträge geändert; es wurde nichts gespeichert."
    assert [(problem.row, problem.column, problem.message) for problem in conflict.value.problems] == [
        (None, "", "Den Eintrag 9.9.01 hat inzwischen jemand angelegt.")
    ]
    assert sorted(Project.objects.values_list("code", "title", "locale__language_code")) == before


def test_a_conflict_names_the_row_of_the_entry_saved_meanwhile(site):
    seed(4)
    plan = plan_import(io.BytesIO(csv_bytes(change_titles(rows_of(), 2))), "titel.csv")
    row = next(row for row in plan.rows if row.action == "change")
    Project.objects.get(code=row.code).save_revision()
    with pytest.raises(ImportConflict) as conflict:
        apply_import(plan)
    assert [(problem.row, problem.column) for problem in conflict.value.problems] == [(row.row, "")]
    # Shown to the coordinator as "Zeile 2: …", the row of the file.
    assert str(conflict.value.problems[0]).startswith(f"Zeile {row.row}")


def test_imported_progress_rolls_up_to_the_parents_of_every_tree_without_drafts(site):
    seed(7)
    single, parent_a, child_a1, child_a2, parent_b, child_b, draft_b = Project.objects.order_by("pk")
    for child, parent in ((child_a1, parent_a), (child_a2, parent_a), (child_b, parent_b), (draft_b, parent_b)):
        Project.objects.filter(pk=child.pk).update(parent=parent)
    # A sub-entry never published does not count towards its parent.
    Project.objects.filter(pk=draft_b.pk).update(live=False, progress=100)
    progress = {single.code: 10, child_a1.code: 20, child_a2.code: 60, child_b.code: 30}
    rows = rows_of(Project.objects.filter(live=True))
    for row in rows:
        if row[CODE] in progress:
            row[PROGRESS] = progress[row[CODE]]
    plan = plan_import(io.BytesIO(csv_bytes(rows)), "fortschritt.csv")
    assert plan.ok, [str(error) for error in plan.errors]
    apply_import(plan)
    weights = dict(Project.objects.values_list("pk", "weight"))
    after = dict(Project.objects.values_list("pk", "progress"))
    assert after[single.pk] == 10
    assert (after[child_a1.pk], after[child_a2.pk], after[child_b.pk]) == (20, 60, 30)
    a1, a2 = weights[child_a1.pk], weights[child_a2.pk]
    assert after[parent_a.pk] == round((20 * a1 + 60 * a2) / (a1 + a2))
    assert after[parent_b.pk] == 30
    assert after[draft_b.pk] == 100


def test_new_entries_are_found_by_the_search_after_the_import_and_the_index_step_is_reported(site):
    seed(2)
    rows = rows_of()
    plan = plan_import(
        io.BytesIO(csv_bytes([*rows, new_row(rows, "9.9.02", "Quartiersgaragen Zwiebelturm")])),
        "neu.csv",
        create_missing=True,
        skip_invalid=True,
    )
    steps = []
    run = apply_import(plan, progress=lambda step, done, total: steps.append((step, done, total)))
    # The background import shows these steps to the coordinator, each from its start.
    changing = sum(1 for row in plan.rows if row.action == "change")
    assert steps[:2] == [("prepare", 0, changing), ("write", 0, changing + 1)]
    assert steps[-1] == ("index", 0, len(run.written_ids))
    assert ("write", changing + 1, changing + 1) in steps
    run.refresh_from_db()
    assert run.state == ImportRun.State.APPLIED and run.finished_at is not None
    assert (run.created, run.create_missing, run.skip_invalid) == (1, True, True)
    found = get_search_backend().search("Zwiebelturm", Project)
    assert [entry.code for entry in found] == ["9.9.02"]
