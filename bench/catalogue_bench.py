"""Benchmark of the public catalogue at 10,000 entries through the full Django stack.

Prints per URL the time of its first request and the median and 95th percentile of the
repeated ones. Usage (from the repository root):
    .venv/bin/python bench/catalogue_bench.py [--entries 10000] [--runs 30] [--reuse]
The database comes from DATABASE_URL; without it a fresh SQLite file in a temp directory.
`--reuse` migrates but skips the demo and the seeding when the database holds entries already.
Whole anonymous responses are not taken from the response cache (`cms.response_cache`), so the
figures are the views' own work; `--response-cache` measures cached responses instead. The load
on a running stack is measured by `bench/load.py`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = [
    ("list: unfiltered", "/projektkatalog/"),
    ("list: area", "/projektkatalog/?area=wirtschaft"),
    ("list: area + status", "/projektkatalog/?area=infrastruktur&status=in-umsetzung"),
    ("list: goal with sub-goals", "/projektkatalog/?goal=4.1"),
    ("list: municipality without county-wide", "/projektkatalog/?municipality=lindenau&exclude_county_wide=1"),
    ("list: two statuses + light", "/projektkatalog/?status=idee&status=in-planung&traffic_light=at_risk"),
    ("list: year + priority + kind", "/projektkatalog/?year=2024&priority=I&kind=measure"),
    ("list: text search", "/projektkatalog/?q=Radweg"),
    ("list: sorted by update, page 40", "/projektkatalog/?sort=updated&page=40"),
    (
        "list: five facets",
        "/projektkatalog/?area=klima&theme=klimaanpassung&status=in-umsetzung&year=2025&priority=II",
    ),
]


def setup(entries, reuse=False):
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="catalogue-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0, stdout=quiet)
        from catalogue.models import Project

        if reuse and Project.objects.exists():
            return
        call_command("load_demo", stdout=quiet, stderr=quiet)
        call_command("seed_catalogue", entries=entries, seed=1, stdout=quiet, stderr=quiet)


# The note the list shows for a filter value it does not know: a URL with one measures something else.
UNKNOWN_VALUE = "gibt es nicht"


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    response = client.get(url)
    first = (time.perf_counter() - start) * 1000
    if UNKNOWN_VALUE in response.content.decode():
        raise SystemExit(f"{url}: a filter value is unknown, so this URL would not measure what its label says")
    times, queries, status = [], 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured.captured_queries), response.status_code
    times.sort()
    return first, statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)], queries, status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the entries of an already seeded database")
    parser.add_argument("--response-cache", action="store_true", help="measure responses served from the cache")
    args = parser.parse_args()
    setup(args.entries, args.reuse)
    from django.conf import settings

    if not args.response_cache:
        settings.RESPONSE_CACHE_EXCLUDED_PATHS = ("/",)

    from django.db import connection
    from django.test import Client
    from django.urls import path

    from catalogue.models import Project
    from cms import urls

    def trivial(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    urls.urlpatterns.insert(0, path("bench-trivial/", trivial))
    entry = Project.objects.filter(live=True, locale__language_code="de").order_by("code").first()
    client = Client()
    entry_url = client.get(f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/")["Location"]
    rows = [("baseline: trivial view", "/bench-trivial/"), *URLS, ("entry page", entry_url)]
    total = Project.objects.filter(live=True).count()
    print(f"{connection.vendor}, {total} live entries, {args.runs} runs per URL, times in ms (server side)")
    # Taxonomy options and facet sets are built once per data change; "first" is then a
    # selection's first request, before its counts and fragments are cached.
    client.get("/projektkatalog/?kind=project&kind=measure")
    print(f"{'request':<36} {'first':>8} {'median':>8} {'p95':>8} {'queries':>8} {'status':>7}")
    for label, url in rows:
        first, median, p95, queries, status = measure(client, url, args.runs)
        print(f"{label:<36} {first:>8.1f} {median:>8.1f} {p95:>8.1f} {queries:>8} {status:>7}")


if __name__ == "__main__":
    main()
