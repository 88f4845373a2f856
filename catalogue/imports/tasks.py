"""Checking and applying an import in the background, through Django's task framework.

The tasks go to the "background" backend (the database queue, `settings.TASKS`), run by
`manage.py db_worker`; the request that starts one returns at once, and the admin follows
the run's progress. A task that breaks off unexpectedly leaves a failed run that says so,
never a run that seems to work forever.
"""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from catalogue.models import ImportRun

from . import applying, runs

# The database queue for long jobs where the settings name one ("background", beside an immediate
# "default" in development); in production the default backend is that queue.
BACKEND = "background" if "background" in settings.TASKS else "default"


def _run(run_id: int, states: tuple[str, ...]) -> ImportRun | None:
    return (
        ImportRun.objects.filter(pk=run_id, state__in=states).select_related("locale", "user", "saved_mapping").first()
    )


@task(backend=BACKEND)
def check_import(run_id: int) -> str:
    run = _run(run_id, (ImportRun.State.CHECKING,))
    if run is None:
        return "gone"
    try:
        runs.check_run(run)
    except Exception:
        runs.fail_unexpectedly(run)
        raise
    return run.state


@task(backend=BACKEND)
def apply_import(run_id: int) -> str:
    run = _run(run_id, (ImportRun.State.APPLYING,))
    if run is None:
        return "gone"
    try:
        written = runs.apply_run(run)
    except Exception:
        runs.fail_unexpectedly(run)
        raise
    if written:
        # The run is done once its transaction commits; the site search catches up in a task of its own.
        index_entries.enqueue(written)
    return run.state


@task(backend=BACKEND)
def index_entries(ids: list[int]) -> int:
    applying.index_entries(ids)
    return len(ids)


def _start(run: ImportRun, state: str, job: Task[[int], Any]) -> None:
    run.state = state
    run.progress_step, run.progress_done, run.progress_total = "queued", 0, 0
    run.finished_at = None
    run.save(update_fields=["state", "progress_step", "progress_done", "progress_total", "finished_at"])
    result = job.enqueue(run.pk)
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.task_id = str(result.id)


def start_check(run: ImportRun) -> None:
    """Queue the check of `run`'s file with its mapping and options."""
    _start(run, ImportRun.State.CHECKING, check_import)


def start_apply(run: ImportRun) -> None:
    """Queue writing `run`'s file (checked again against the catalogue as it is then)."""
    run.started_at = run.started_at or timezone.now()
    _start(run, ImportRun.State.APPLYING, apply_import)


def task_state(run: ImportRun) -> str | None:
    """The state of the run's task in the queue ("READY", "RUNNING", …), None when unknown."""
    if not run.task_id:
        return None
    try:
        return str(task_backends[BACKEND].get_result(run.task_id).status)
    except (TaskResultDoesNotExist, NotImplementedError):
        return None


def notice_broken(run: ImportRun) -> bool:
    """Mark a run failed whose task ended without finishing it (e.g. the worker was stopped)."""
    if not run.is_running:
        return False
    if task_state(run) in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        run.refresh_from_db()
        if run.is_running:
            runs.fail_unexpectedly(run)
            return True
    return False
