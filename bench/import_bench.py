"""Times importing 10,000 catalogue rows (create, then update) and reads the site while an import runs.

Usage (from the repository root):
    .venv/bin/python bench/import_bench.py [--entries 10000] [--format csv|xlsx] [--readers 8] [--reuse]

The database comes from DATABASE_URL (an empty database the script may fill; PostgreSQL for the
budget) or a fresh SQLite file in a temporary directory. Steps:

1. migrate, the demo county, `seed_catalogue --entries N`; export every German entry in the format;
2. **create**: empty the catalogue, check and write the export (check, load, write transaction,
   search index timed apart);
3. **update**: change every row (title, status, date and text of the newest report) and import it;
4. **concurrent reads**: a server process (`manage.py runserver`, threaded) on the same database,
   reader threads requesting a trivial view, the catalogue list, an entry page and the home page
   without pause, and a watcher counting in the database how many entries carry the new titles,
   while another full update runs exactly as the admin runs it: an `ImportRun` queued with
   django-tasks and written by `manage.py db_worker`. Reported: requests, errors (any answer
   other than 200, or none), median and 95th percentile per URL, and whether any reader ever
   saw part of the import (the watcher must only ever count 0 or N).
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
THROUGH = ["goals", "themes", "partner_departments", "municipalities", "funding_programmes"]


class Steps:
    """Progress callback that records when each step of the import began (wall clock and CPU of this process)."""

    LABELS = {
        "check": "check (read, parse, validate)",
        "prepare": "load changed entries' relations",
        "write": "write transaction",
        "index": "search index (after commit)",
    }

    def __init__(self):
        self.started = {}

    def __call__(self, step, done, total):
        if step != "check":
            self.started.setdefault(step, (time.perf_counter(), time.process_time()))

    def durations(self, begin, end):
        marks = sorted(self.started.items(), key=lambda item: item[1][0])
        names = ["check"] + [name for name, _at in marks]
        times = [begin] + [at for _name, at in marks] + [end]
        return [
            (self.LABELS.get(name, name), times[index + 1][0] - times[index][0], times[index + 1][1] - times[index][1])
            for index, name in enumerate(names)
        ]


def setup(entries, reuse):
    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(workdir / "private"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    from catalogue.models import Project

    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0, stdout=quiet)
        if reuse and Project.objects.count() >= entries:
            return
        call_command("load_demo", stdout=quiet, stderr=quiet)
        call_command("seed_catalogue", entries=entries, seed=1, stdout=quiet, stderr=quiet)


def export(kind):
    from catalogue.imports import project_rows, write_csv, write_xlsx
    from catalogue.models import Project

    rows = list(project_rows(Project.objects.filter(locale__language_code="de")))
    buffer = io.BytesIO()
    if kind == "csv":
        text = io.StringIO()
        write_csv(rows, text)
        buffer.write(text.getvalue().encode("utf-8"))
    else:
        write_xlsx(rows, buffer)
    return rows, buffer.getvalue()


def encode(rows, kind):
    from catalogue.imports import write_csv, write_xlsx

    buffer = io.BytesIO()
    if kind == "csv":
        text = io.StringIO()
        write_csv(rows, text)
        return text.getvalue().encode("utf-8")
    write_xlsx(rows, buffer)
    return buffer.getvalue()


def empty_catalogue():
    from django.db import connection

    from catalogue.models import Indicator, Project, ProjectDocument, ProjectLink, ReminderLog, StatusReport

    # Raw deletes: the entries' delete signals would cost minutes and are not what is measured.
    tables = [
        Indicator.projects.through,
        ReminderLog,
        StatusReport,
        ProjectLink,
        ProjectDocument,
        *(getattr(Project, name).through for name in THROUGH),
    ]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - table names from models
        cursor.execute(f"UPDATE {Project._meta.db_table} SET parent_id = NULL")  # noqa: S608
        cursor.execute(f"DELETE FROM {Project._meta.db_table}")  # noqa: S608


def timed_import(data, name, label):
    from catalogue.imports import apply_import, plan_import

    steps = Steps()
    begin = (time.perf_counter(), time.process_time())
    plan = plan_import(io.BytesIO(data), name)
    assert plan.ok, [str(error) for error in plan.errors[:5]]
    steps("prepare", 0, 0)
    run = apply_import(plan, progress=steps)
    end = (time.perf_counter(), time.process_time())
    print(f"\n{label}: {run.created} created, {run.changed} changed, {run.unchanged} unchanged")
    print(f"  {'step':<34} {'wall':>8} {'CPU here':>9}")
    for step, seconds, cpu in steps.durations(begin, end):
        print(f"  {step:<34} {seconds:>6.1f} s {cpu:>7.1f} s")
    committed = steps.started.get("index", end)[0] - begin[0]
    print(f"  {'total until committed':<34} {committed:>6.1f} s   (budget 60 s)")
    print(f"  {'total with search index':<34} {end[0] - begin[0]:>6.1f} s {end[1] - begin[1]:>7.1f} s")
    return run


def changed_rows(rows, marker, step):
    """Every row with a new title and a newer report (later than any in the catalogue), `step` days on."""
    import datetime

    from django.db.models import Max

    from catalogue.imports import COLUMN_KEYS
    from catalogue.models import Project, Status

    title, status, date, text = (
        COLUMN_KEYS.index(key) for key in ("title", "status", "last_report_date", "last_report_text")
    )
    newest = Project.objects.aggregate(newest=Max("last_report_date"))["newest"] or datetime.date.today()
    day = max(newest, datetime.date.today()) + datetime.timedelta(days=step)
    names = list(Status.objects.filter(locale__language_code="de").order_by("order").values_list("name", flat=True))
    result = []
    for number, row in enumerate(rows):
        row = list(row)
        row[title] = f"{row[title]}{marker}"[:255]
        row[status] = names[(number + step) % len(names)]
        row[date] = day
        row[text] = f"Stand der Umsetzung{marker}"
        result.append(row)
    return result


class Readers:
    """Threads requesting pages without pause; and one watching the database for a half-done import."""

    def __init__(self, base, urls, count, marker, total):
        self.base, self.urls, self.count = base, urls, count
        self.marker, self.total = marker, total
        self.stop = threading.Event()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.seen = set()
        self.threads = []

    def read(self, offset):
        index = offset
        while not self.stop.is_set():
            label, url = self.urls[index % len(self.urls)]
            index += 1
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base + url, timeout=60) as response:  # noqa: S310 - our own server
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = type(error).__name__
            self.times[label].append((time.perf_counter() - start) * 1000)
            if status != 200:
                self.errors[label].append(status)

    def watch(self):
        from django.db import connections

        from catalogue.models import Project

        while not self.stop.is_set():
            self.seen.add(Project.objects.filter(title__endswith=self.marker).count())
            time.sleep(0.05)
        connections.close_all()

    def __enter__(self):
        self.threads = [threading.Thread(target=self.read, args=(number,)) for number in range(self.count)]
        self.threads.append(threading.Thread(target=self.watch))
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def report(self, seconds):
        requests = sum(len(times) for times in self.times.values())
        errors = sum(len(errors) for errors in self.errors.values())
        print(f"  {requests} requests in {seconds:.1f} s by {self.count} readers, {errors} errors")
        print(f"  {'request':<28} {'count':>6} {'median':>8} {'p95':>8} {'errors':>7}")
        for label, _url in self.urls:
            times = sorted(self.times[label])
            if times:
                p95 = times[max(0, round(0.95 * len(times)) - 1)]
                median, failed = statistics.median(times), len(self.errors[label])
                print(f"  {label:<28} {len(times):>6} {median:>8.1f} {p95:>8.1f} {failed:>7}")
        for label, statuses in self.errors.items():
            if statuses:
                print(f"  errors on {label}: {sorted(set(map(str, statuses)))}")
        partial = sorted(count for count in self.seen if count not in (0, self.total))
        print(f"  entries with the new titles, as the watcher counted them: {sorted(self.seen)}")
        print(f"  never part of the import (only 0 or {self.total}): {'yes' if not partial else 'NO'}")


def serve(port):
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}", "DJANGO_SETTINGS_MODULE": "import_server"}
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench-trivial/", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def concurrent(rows, kind, readers, port):
    from django.core.files.base import ContentFile
    from wagtail.models import Locale

    from catalogue.imports.tasks import start_apply
    from catalogue.models import ImportRun, Project

    marker = " (v3)"
    data = encode(changed_rows(rows, marker, 2), kind)
    entry = Project.objects.filter(live=True, locale__language_code="de").order_by("code").first()
    entry_url = f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/"
    urls = [
        ("baseline: trivial view", "/bench-trivial/"),
        ("catalogue list", "/projektkatalog/"),
        ("catalogue list, filtered", "/projektkatalog/?area=mobilitaet&status=in-umsetzung"),
        ("entry page", entry_url),
        ("home page", "/"),
    ]
    server = serve(port)
    try:
        run = ImportRun.objects.create(file_name=f"bench.{kind}", locale=Locale.get_default())
        run.file.save(f"bench.{kind}", ContentFile(data))
        total = Project.objects.filter(locale__language_code="de").count()
        with Readers(f"http://127.0.0.1:{port}", urls, readers, marker, total) as watching:
            time.sleep(3)
            begin = time.perf_counter()
            start_apply(run)
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-reload",
                    "--no-startup-delay",
                    "--backend",
                    "background",
                    "--verbosity",
                    "0",
                ],
                cwd=ROOT,
            )
            while ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.APPLYING).exists():
                time.sleep(0.2)
            applied = time.perf_counter() - begin
            worker.wait()
            seconds = time.perf_counter() - begin
            time.sleep(3)
        run.refresh_from_db()
        state = f"ImportRun {run.pk}: {run.get_state_display()}, {run.changed} changed"
        print(f"\nconcurrent reads during a background update ({state})")
        print(f"  import as the admin runs it (queued, db_worker) until applied: {applied:.1f} s")
        print(f"  the worker's run including the search index task: {seconds:.1f} s")
        watching.report(seconds + 6)
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    args = parser.parse_args()

    started = time.perf_counter()
    setup(args.entries, args.reuse)
    from django.db import connection

    print(f"setup (migrate, demo, seed): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    rows, data = export(args.format)
    print(f"database: {connection.vendor}, rows: {len(rows)}, format: {args.format}, {len(data) / 1e6:.1f} MB")
    print(f"export: {time.perf_counter() - started:.1f} s")

    empty_catalogue()
    timed_import(data, f"bench.{args.format}", "create")
    timed_import(encode(changed_rows(rows, " (v2)", 1), args.format), f"bench.{args.format}", "update")
    concurrent(rows, args.format, args.readers, args.port)


if __name__ == "__main__":
    main()
