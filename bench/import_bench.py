"""Times the import of a 10,000-row catalogue file into an empty catalogue.

Usage: .venv/bin/python bench/import_bench.py [--entries 10000] [--format csv|xlsx]

Runs against a fresh SQLite database in a temporary directory (or DATABASE_URL if set):
migrates, seeds N entries with `seed_catalogue`, exports them with the shared spreadsheet
format, deletes the entries, then times checking (plan) and writing (apply) separately.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

THROUGH = ["goals", "themes", "partner_departments", "municipalities", "funding_programmes"]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from catalogue.imports import apply_import, plan_import, project_rows, write_csv, write_xlsx
    from catalogue.models import Project, StatusReport

    quiet = io.StringIO()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("seed_catalogue", entries=args.entries, stdout=quiet, stderr=quiet)
    print(f"setup (migrate + seed): {time.perf_counter() - started:.1f} s", flush=True)

    started = time.perf_counter()
    rows = list(project_rows(Project.objects.all()))
    buffer = io.BytesIO()
    if args.format == "csv":
        text = io.StringIO()
        write_csv(rows, text)
        buffer.write(text.getvalue().encode("utf-8"))
    else:
        write_xlsx(rows, buffer)
    export_seconds = time.perf_counter() - started
    data = buffer.getvalue()

    # Raw deletes: the entries' delete signals would cost minutes and are not what is measured.
    with connection.cursor() as cursor:
        for model in (StatusReport, *(getattr(Project, name).through for name in THROUGH), Project):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - table names from models

    started = time.perf_counter()
    plan = plan_import(io.BytesIO(data), f"bench.{args.format}")
    plan_seconds = time.perf_counter() - started
    assert plan.ok, plan.errors[:5]
    started = time.perf_counter()
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        run = profile.runcall(apply_import, plan)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    else:
        run = apply_import(plan)
    apply_seconds = time.perf_counter() - started

    assert Project.objects.count() == args.entries == run.created
    size = len(data) / 1e6
    print(f"database: {django.db.connection.vendor}, rows: {args.entries}, format: {args.format}, {size:.1f} MB")
    print(f"export: {export_seconds:.1f} s")
    print(f"check (parse + validate): {plan_seconds:.1f} s")
    print(f"write (one transaction): {apply_seconds:.1f} s")
    print(f"import total: {plan_seconds + apply_seconds:.1f} s (budget 60 s)")


if __name__ == "__main__":
    main()
