"""Running queued background tasks in the test process, through django-tasks-db's own worker code.

`manage.py db_worker` closes "old" connections between tasks, which inside a test's
transaction would poison it; so these helpers claim each queued task and hand it to the
worker's `run_task`, the same code that runs it in production, without that housekeeping.
"""

import threading

from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

BACKEND = "background"


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_queued_tasks() -> int:
    """Run every ready task of the background queue, oldest first; returns how many ran."""
    worker = _worker("tests")
    count = 0
    while (result := DBTaskResult.objects.ready().filter(backend_name=BACKEND).first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        count += 1
    return count


class WorkerThread(threading.Thread):
    """A worker beside a live server: runs queued tasks as they come, until stopped.

    On an in-memory SQLite database it shares the test's connection, as the live server does;
    on PostgreSQL it has a connection of its own, so what it writes is committed and the live
    server sees it.
    """

    def __init__(self, shared: dict) -> None:
        super().__init__(daemon=True)
        self.shared = shared
        self.stopping = threading.Event()
        self.paused = threading.Event()
        self.errors: list[BaseException] = []

    def run(self) -> None:
        for alias, connection in self.shared.items():
            connections[alias] = connection
        try:
            while not self.stopping.is_set():
                if not self.paused.is_set() and run_queued_tasks():
                    continue
                self.stopping.wait(0.2)
        except BaseException as error:  # reported by the test that started the thread
            self.errors.append(error)
        finally:
            if not self.shared:
                connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


def shared_connections() -> dict:
    """The connections a thread must share with the test (in-memory SQLite only)."""
    return {
        connection.alias: connection
        for connection in connections.all()
        if connection.vendor == "sqlite" and connection.is_in_memory_db()
    }
