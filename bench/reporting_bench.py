"""Closing a reporting period with 10,000 entries in scope, and the report and comparison pages then.

Usage (from the repository root):
    .venv/bin/python bench/reporting_bench.py [--entries 10000] [--runs 10] [--reuse]
The database comes from DATABASE_URL; without it a fresh SQLite file in a temp directory.
Migrates, loads the demo (with its three closed reports), seeds N entries with `seed_catalogue`,
then times `reporting.closing.close_period` (what the background task runs) for a new period
over every entry, and requests the new report's page, an area page and the comparison of the
new report with the demo's last one and with today, with a trivial view as the baseline.
Budget (issue 17): closing ≤ 60 s; each page ≤ 15 queries.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DATE = datetime.date(2026, 6, 30)


def setup(entries: int, reuse: bool) -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="reporting-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    # Django must be configured before its modules are imported.
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    # The demo submits reports for approval; their notification mails stay out of the figures.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Needs the configured app registry.
    from catalogue.models import Project

    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0, stdout=quiet)
        if reuse and Project.objects.count() > entries:
            return
        started = time.perf_counter()
        call_command("load_demo", stdout=quiet, stderr=quiet)
        call_command("seed_catalogue", entries=entries, seed=1, stdout=quiet, stderr=quiet)
        print(f"setup (migrate, demo, seed): {time.perf_counter() - started:.1f} s", flush=True)


def measure(client, url: str, runs: int) -> tuple[float, float, float, int, int]:
    # Needs the configured app registry.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    client.get(url)
    first = (time.perf_counter() - start) * 1000
    times, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured.captured_queries), response.status_code
    times.sort()
    return first, statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)], queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    setup(args.entries, args.reuse)
    # Needs the configured app registry.
    from django.http import HttpRequest, HttpResponse
    from django.test import Client
    from django.urls import path

    from cms import urls
    from reporting.closing import close_period
    from reporting.models import ProgressReport, ReportingPeriod

    def trivial(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    urls.urlpatterns.insert(0, path("bench-trivial/", trivial))
    ProgressReport.objects.filter(period__reporting_date=BENCH_DATE).delete()
    ReportingPeriod.objects.filter(reporting_date=BENCH_DATE).delete()
    period = ReportingPeriod.objects.create(
        title="Bench-Bericht", reporting_date=BENCH_DATE, deadline=BENCH_DATE + datetime.timedelta(days=30)
    )
    in_scope = period.entries_in_scope().count()
    started = time.perf_counter()
    report = close_period(period.pk)
    seconds = time.perf_counter() - started
    print(
        f"close period: {in_scope} entries in scope, {report.entry_count} entries and "
        f"{report.indicator_count} indicators frozen in {seconds:.1f} s (budget 60 s)",
        flush=True,
    )

    earlier = ProgressReport.objects.exclude(pk=report.pk).order_by("-reporting_date").first()
    slug = report.reporting_date.isoformat()
    urls = [
        ("baseline: trivial view", "/bench-trivial/"),
        ("report list", "/berichte/"),
        ("report page", f"/berichte/bericht/{slug}/"),
        ("report area page", f"/berichte/bericht/{slug}/handlungsfeld/4/"),
        ("comparison with today", f"/berichte/vergleich/?from={slug}&to=heute"),
    ]
    if earlier is not None:
        urls.append(
            ("comparison of two reports", f"/berichte/vergleich/?from={earlier.reporting_date.isoformat()}&to={slug}")
        )
    client = Client()
    print(f"{'request':32} {'first':>9} {'median':>9} {'p95':>9} {'queries':>8}")
    for name, url in urls:
        first, median, p95, queries, status = measure(client, url, args.runs)
        note = "" if status == 200 else f"  (HTTP {status})"
        print(f"{name:32} {first:9.1f} {median:9.1f} {p95:9.1f} {queries:8d}{note}", flush=True)


if __name__ == "__main__":
    main()
