"""Benchmark of the admin listing of entries at 10,000 entries, for the coordination and a department.

Prints per URL the median and 95th percentile server time and the queries of a request,
with a trivial view as the baseline. Usage (from the repository root):
    .venv/bin/python bench/admin_listing_bench.py [--entries 10000] [--runs 20] [--reuse]
The database comes from DATABASE_URL; without it a fresh SQLite file in a temp directory.
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

LISTING = "/admin/snippets/catalogue/project/"
URLS = [
    ("default (language, own department)", LISTING),
    ("all departments", f"{LISTING}?mine="),
    ("search: word", f"{LISTING}?mine=&q=Radweg"),
    ("search: code", f"{LISTING}?mine=&q=4.1.S0"),
    ("search: no hit", f"{LISTING}?mine=&q=Zeppelinlandeplatz"),
    ("filter: overdue", f"{LISTING}?mine=&overdue=true"),
    ("page 100", f"{LISTING}?mine=&p=100"),
    ("export csv", f"{LISTING}?mine=&export=csv"),
]


def setup(entries: int, reuse: bool) -> None:
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="admin-listing-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django  # Django must be configured before anything of the project is imported

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from catalogue.models import Project

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0, stdout=quiet)
        if reuse and Project.objects.count() > entries:
            return
        call_command("load_demo", stdout=quiet, stderr=quiet)
        call_command("seed_catalogue", entries=entries, seed=1, stdout=quiet, stderr=quiet)


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured.captured_queries), response.status_code
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    setup(args.entries, args.reuse)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from catalogue.models import Project

    print(f"{Project.objects.count()} entries; median / p95 in ms; queries per request")
    print("| user | request | median | p95 | queries | status |\n|---|---|---|---|---|---|")
    row = "| {user} | {label} | {0:.1f} | {1:.1f} | {2} | {3} |"
    print(row.format(*measure(Client(), "/robots.txt", args.runs), user="–", label="baseline: trivial view"))
    for username in ("koordination", "fb-umwelt"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for label, url in URLS:
            runs = max(3, args.runs // 5) if "export" in label else args.runs
            print(row.format(*measure(client, url, runs), user=username, label=label))


if __name__ == "__main__":
    main()
