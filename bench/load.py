"""Load on a running stack (`make prod`): throughput per URL against a trivial view and a static file, cache-busting
filters, and a mixed load at 50 clients. Traffic goes to 127.0.0.1 only, bounded in time and in requests.

    .venv/bin/python bench/load.py --base http://127.0.0.1:8080 [--seconds 10] [--mixed-seconds 120]

Phases (each bounded by --seconds or --mixed-seconds, and by --max-requests per phase):
1. throughput: each URL alone at --concurrency clients (default 10): the trivial view (/healthz/, a
   plain Django view through the whole middleware stack), a static file (served by Caddy), then the
   warm list, a filtered list, an entry page, the feed, a text search and a cached CSV export;
   requests per second, as a share of the trivial view's and the static file's in the same run;
2. cache-busting: every request a new random combination of filters (and often a page or a sort),
   so nothing is answered from a cache: median and 95th percentile;
3. mixed: --mixed-clients (default 50) over a mix of lists, filters, text searches, entries, the
   feed and exports; every error counted.
Prints a table per phase; --json writes the figures to a file. On a machine shared with other work
the throughput depends on what else runs; so every phase also reports the CPU time the stack
itself spent per request (gunicorn, Caddy, Redis and the PostgreSQL backends of its database, read
from /proc), which does not.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = "/projektkatalog/"
CHECKBOX = re.compile(r'<input[^>]+type="checkbox"[^>]+name="(\w+)"[^>]+value="([^"]+)"')
ENTRY_LINK = re.compile(r'href="(/projektkatalog/eintrag/[^"]+/)"')
STATIC_LINK = re.compile(r'href="(/static/[^"]+\.css)"')
WORDS = ["Radweg", "Glasfaser", "Schule", "Klima", "Bürgerbus", "Spielplatz", "Wanderweg", "Ärztehaus", "Nahwärme"]
SORTS = ["code", "title", "updated", "start"]


TICKS = os.sysconf("SC_CLK_TCK")


COMPONENTS = ("gunicorn", "caddy", "redis", "postgres")


def stack_cpu_seconds(database: str) -> dict[str, float]:
    """CPU seconds the stack's processes used so far, per component: gunicorn, Caddy, Redis, the database's backends."""
    total = dict.fromkeys(COMPONENTS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            # Only this checkout's stack (other stacks may run on the same machine).
            cwd = (entry / "cwd").resolve()
            own = cwd == ROOT or ROOT in cwd.parents
        except (OSError, IndexError):
            continue
        # Own time, and that of children already ended and reaped: gunicorn replaces its workers
        # after GUNICORN_MAX_REQUESTS, and a replaced worker's time is then its master's.
        seconds = sum(int(value) for value in fields[11:15]) / TICKS
        # gunicorn renames its processes ("gunicorn: worker [name]") where setproctitle is installed.
        if own and ("deploy/gunicorn.conf.py" in command or command.startswith("gunicorn: ")):
            total["gunicorn"] += seconds
        elif own and command.startswith("caddy run"):
            total["caddy"] += seconds
        elif own and command.startswith("redis-server"):
            total["redis"] += seconds
        elif database and command.startswith("postgres:") and f" {database} " in command:
            total["postgres"] += seconds
    return total


@dataclass
class Result:
    """Latencies (ms) and errors of one phase for one URL or stream, and the stack's CPU time."""

    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    cpu_parts: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_parts.values())

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.count if self.count else 0.0

    def cpu_breakdown(self) -> str:
        """The stack's CPU per request by component, e.g. `gunicorn 20.1, caddy 1.2, ...` (ms)."""
        if not self.count:
            return ""
        return ", ".join(f"{name} {seconds * 1000 / self.count:.1f}" for name, seconds in self.cpu_parts.items())

    @property
    def count(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(share * len(ordered))) - 1)]

    def row(self) -> dict:
        return {
            "label": self.label,
            "requests": self.count,
            "rps": round(self.rps, 1),
            "median_ms": round(statistics.median(self.latencies), 1) if self.latencies else None,
            "p95_ms": round(self.percentile(0.95), 1),
            "errors": self.errors,
            "statuses": self.statuses,
            "stack_cpu_ms_per_request": round(self.cpu_ms_per_request, 2),
            "stack_cpu_ms_by_component": {
                name: round(seconds * 1000 / self.count, 2) if self.count else 0.0
                for name, seconds in self.cpu_parts.items()
            },
        }


class Client:
    """One keep-alive connection to the stack; a new one after an error."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, encoding: str = "gzip") -> tuple[int, bytes]:
        """Status and body; the body stays compressed as sent (browsers ask for gzip too)."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            self.connection.request("GET", path, headers={"Accept-Encoding": encoding})
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise


DATABASE = ""


def run_phase(base: str, label: str, paths, clients: int, seconds: float, max_requests: int) -> Result:
    """`clients` threads requesting `paths()` (a callable giving the next path) until time or count is up."""
    parts = urlsplit(base)
    result = Result(label)
    cpu_before = stack_cpu_seconds(DATABASE)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def worker():
        client = Client(parts.hostname, parts.port or 80)
        while time.monotonic() < deadline:
            with lock:
                if result.count >= max_requests:
                    return
            path = paths()
            begin = time.perf_counter()
            try:
                status, _body = client.get(path)
            except (OSError, http.client.HTTPException):
                status = 0
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    cpu_after = stack_cpu_seconds(DATABASE)
    result.cpu_parts = {name: cpu_after[name] - cpu_before[name] for name in COMPONENTS}
    return result


def discover(base: str) -> dict:
    """Filter values, entry pages and a static file, read from the list pages as a visitor would."""
    parts = urlsplit(base)
    client = Client(parts.hostname, parts.port or 80)
    status, body = client.get(CATALOGUE, "identity")
    if status != 200:
        raise SystemExit(f"{base}{CATALOGUE} answered {status}")
    page = body.decode(errors="replace")
    options: dict[str, list[str]] = {}
    for name, value in CHECKBOX.findall(page):
        if name != "county_wide":
            options.setdefault(name, []).append(value)
    entries = set(ENTRY_LINK.findall(page))
    for number in range(2, 12):
        status, body = client.get(f"{CATALOGUE}?page={number * 7}", "identity")
        entries.update(ENTRY_LINK.findall(body.decode(errors="replace")))
    static = STATIC_LINK.findall(page)
    if not options or not entries or not static:
        raise SystemExit("The list page shows no filters, entries or stylesheet: is the catalogue filled?")
    return {"options": options, "entries": sorted(entries), "static": static[0]}


def random_filters(options: dict[str, list[str]], rng: random.Random, seen: set[str] | None = None) -> str:
    """A random selection of one to three facets with one or two values each, sometimes a word, sort or page.

    With `seen`, each combination is new (so a cache cannot have answered it before).
    """
    for _attempt in range(100):
        query: list[tuple[str, str]] = []
        for facet in rng.sample(sorted(options), rng.randint(1, 3)):
            for value in rng.sample(options[facet], min(len(options[facet]), rng.randint(1, 2))):
                query.append((facet, value))
        if rng.random() < 0.3:
            query.append(("q", rng.choice(WORDS)))
        if rng.random() < 0.4:
            query.append(("sort", rng.choice(SORTS)))
        if rng.random() < 0.4:
            query.append(("page", str(rng.randint(2, 5))))
        path = CATALOGUE + "?" + urlencode(query)
        if seen is None or path not in seen:
            if seen is not None:
                seen.add(path)
            return path
    raise SystemExit("No new filter combination found in 100 attempts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each throughput phase")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--busting-seconds", type=float, default=30.0)
    parser.add_argument("--mixed-seconds", type=float, default=120.0)
    parser.add_argument("--mixed-clients", type=int, default=50)
    parser.add_argument("--max-requests", type=int, default=200_000, help="upper bound of requests per phase")
    parser.add_argument("--skip", default="", help="phases to leave out, comma separated: throughput,busting,mixed")
    parser.add_argument("--json", default="", help="write the figures to this file")
    parser.add_argument("--database", default="", help="the stack's database name, for its backends' CPU time")
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed of the filter combinations (default: new each run, printed; a repeated seed"
        " repeats the combinations, which the response cache then answers)",
    )
    args = parser.parse_args()
    global DATABASE
    DATABASE = args.database
    if urlsplit(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("This load goes to this machine only (127.0.0.1).")
    skip = set(filter(None, args.skip.split(",")))
    found = discover(args.base)
    seed = args.seed if args.seed is not None else time.time_ns() % 1_000_000
    print(f"Random seed {seed}")
    rng = random.Random(seed)
    entries, options = found["entries"], found["options"]
    warm_entry = entries[0]
    first_area = options.get("area", [""])[0]
    fixed = [
        ("trivial view (/healthz/)", "/healthz/"),
        ("static file (Caddy)", found["static"]),
        ("list, warm", CATALOGUE),
        ("list, one filter", f"{CATALOGUE}?area={first_area}"),
        ("entry page, warm", warm_entry),
        ("feed", f"{CATALOGUE}feed/"),
        ("text search", f"{CATALOGUE}?q=Radweg"),
        ("export CSV, cached", f"{CATALOGUE}export/csv/"),
    ]
    report: dict[str, list[dict]] = {}
    print(
        f"{args.base}: {len(entries)} entry pages, facets {', '.join(sorted(options))}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    if "throughput" not in skip:
        rows = []
        for label, path in fixed:
            run_phase(args.base, label, lambda path=path: path, 2, 1.0, 50)  # warm caches and connections
            rows.append(
                run_phase(args.base, label, lambda path=path: path, args.concurrency, args.seconds, args.max_requests)
            )
        trivial, static = rows[0].rps or 1, rows[1].rps or 1
        print(f"\nThroughput at concurrency {args.concurrency}, {args.seconds:.0f} s each")
        print(
            f"{'URL':<28} {'req/s':>8} {'median':>8} {'p95':>8} {'errors':>7} {'÷trivial':>9} {'÷static':>8}"
            f" {'cpu ms/req':>10}"
        )
        for row in rows:
            print(
                f"{row.label:<28} {row.rps:>8.1f} {row.row()['median_ms'] or 0:>8.1f} {row.percentile(0.95):>8.1f}"
                f" {row.errors:>7} {row.rps / trivial:>9.0%} {row.rps / static:>8.0%} {row.cpu_ms_per_request:>10.2f}"
            )
        report["throughput"] = [
            {**row.row(), "share_of_trivial": row.rps / trivial, "share_of_static": row.rps / static} for row in rows
        ]

    if "busting" not in skip:
        lock = threading.Lock()
        seen: set[str] = set()

        def busting():
            with lock:
                return random_filters(options, rng, seen)

        result = run_phase(
            args.base, "random filter combinations", busting, args.concurrency, args.busting_seconds, args.max_requests
        )
        print(f"\nCache-busting: distinct random filter combinations at concurrency {args.concurrency}")
        print(
            f"{result.count} requests, {result.rps:.1f}/s, median {result.row()['median_ms']} ms, "
            f"p95 {result.percentile(0.95):.1f} ms, errors {result.errors} {result.statuses}, "
            f"stack CPU {result.cpu_ms_per_request:.1f} ms per request ({result.cpu_breakdown()})"
        )
        report["busting"] = [result.row()]

    if "mixed" not in skip:
        lock = threading.Lock()
        mix = [
            (30, lambda: CATALOGUE),
            (20, lambda: random_filters(options, rng)),
            (10, lambda: f"{CATALOGUE}?{urlencode({'q': rng.choice(WORDS)})}"),
            (25, lambda: rng.choice(entries)),
            (5, lambda: f"{CATALOGUE}feed/?area={rng.choice(options.get('area', ['']))}"),
            (5, lambda: f"{CATALOGUE}export/csv/?area={rng.choice(options.get('area', ['']))}"),
            (3, lambda: f"{CATALOGUE}export/json/?status={rng.choice(options.get('status', ['']))}"),
            (2, lambda: f"{CATALOGUE}export/xlsx/?kind={rng.choice(options.get('kind', ['']))}"),
        ]
        weights = [weight for weight, _ in mix]

        def mixed():
            with lock:
                return rng.choices(mix, weights)[0][1]()

        result = run_phase(args.base, "mixed load", mixed, args.mixed_clients, args.mixed_seconds, args.max_requests)
        print(f"\nMixed load: {args.mixed_clients} clients, {args.mixed_seconds:.0f} s")
        print(
            f"{result.count} requests, {result.rps:.1f}/s, median {result.row()['median_ms']} ms, "
            f"p95 {result.percentile(0.95):.1f} ms, errors {result.errors} {result.statuses}, "
            f"stack CPU {result.cpu_ms_per_request:.1f} ms per request ({result.cpu_breakdown()})"
        )
        report["mixed"] = [result.row()]

    if args.json:
        with open(args.json, "w") as output:
            json.dump(report, output, indent=2)


if __name__ == "__main__":
    main()
