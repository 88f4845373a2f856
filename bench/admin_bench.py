"""The admin and the exports at scale, through the full Django stack against an existing database.

    DATABASE_URL=postgres://... .venv/bin/python bench/admin_bench.py [--runs 10]

Uses the database as it is (for example the one `make prod` filled, with `seed_catalogue --entries
10000`), logs in as the first superuser, and prints for the entries' admin listing (first and 50th
page, a filter, a search), the editor of an entry with reports, and the dashboard: queries and
median/95th percentile server time (wall and CPU); then the time of a full CSV, JSON and XLSX export with the cache
emptied before each run (the uncached case), and a trivial view for comparison. Templates are cached
as in production (DEBUG off).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def timed(client, url, runs, clear=False):
    """Median and 95th percentile of wall and CPU time (ms), queries and size of `runs` requests.

    CPU time is this process's own: on a machine busy with other work, wall time also counts the
    waiting for a core, CPU time only the work (the database's share excluded).
    """
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms import cache

    body(client.get(url))
    walls, cpus, queries, size = [], [], 0, 0
    for _ in range(runs):
        if clear:
            for alias in caches:
                caches[alias].clear()
            cache.clear_local()
        with CaptureQueriesContext(connection) as captured:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            content = body(response)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries, size = len(captured.captured_queries), len(content)
        assert response.status_code == 200, (url, response.status_code)
    walls.sort()
    cpus.sort()

    def p95(values):
        return values[max(0, int(round(0.95 * len(values))) - 1)]

    return statistics.median(walls), p95(walls), statistics.median(cpus), p95(cpus), queries, size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from catalogue.models import Project

    settings.ALLOWED_HOSTS = ["*"]
    # The views' own work, not whole responses from the cache.
    settings.RESPONSE_CACHE_EXCLUDED_PATHS = ("/",)
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    client = Client()
    client.force_login(user)
    entries = Project.objects.filter(locale__language_code="de")
    entry = entries.exclude(reports=None).order_by("code").first()
    listing = "/admin/snippets/catalogue/project/"
    rows = [
        ("admin listing, page 1", listing, False),
        ("admin listing, page 50", f"{listing}?p=50", False),
        ("admin listing, status filter", f"{listing}?status={entry.status_id}", False),
        ("admin listing, search", f"{listing}?q=Radweg", False),
        ("admin editor of an entry", f"{listing}edit/{entry.pk}/", False),
        ("admin dashboard", "/admin/", False),
        ("trivial view (/healthz/)", "/healthz/", False),
        ("export CSV, all, uncached", "/projektkatalog/export/csv/", True),
        ("export JSON, all, uncached", "/projektkatalog/export/json/", True),
        ("export XLSX, all, uncached", "/projektkatalog/export/xlsx/", True),
        ("export CSV, all, cached", "/projektkatalog/export/csv/", False),
    ]
    load = os.getloadavg()[0]
    print(f"{connection.vendor}, {entries.count()} entries, {args.runs} runs, load average {load:.1f}, times in ms")
    print(f"{'request':<32} {'wall med':>9} {'wall p95':>9} {'cpu med':>8} {'cpu p95':>8} {'queries':>8} {'bytes':>10}")
    for label, url, clear in rows:
        runs = max(3, args.runs // 3) if clear else args.runs
        wall, wall95, cpu, cpu95, queries, size = timed(client, url, runs, clear)
        print(f"{label:<32} {wall:>9.1f} {wall95:>9.1f} {cpu:>8.1f} {cpu95:>8.1f} {queries:>8} {size:>10}")


if __name__ == "__main__":
    main()
