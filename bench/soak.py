"""Soak a running stack (`make prod`): steady mixed load for a long while, with a change published now and then.

    .venv/bin/python bench/soak.py --base http://127.0.0.1:8080 --minutes 10 [--clients 20] [--change-every 60]

Every --change-every seconds an entry gets a new title through the ORM in a separate process (as an
editor's publish would), and the entry page and the list are read at once: the new title must be
there. Every --sample-every seconds the resident memory of each gunicorn worker and of the task
worker is read from /proc. Reports errors, latency per minute, memory at start and end per process,
and whether every change was visible immediately. Traffic goes to 127.0.0.1 only; bounded by time.
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import CATALOGUE, WORDS, Client, discover, random_filters

ROOT = Path(__file__).resolve().parent.parent
CHANGE = """
from catalogue.models import Project
entry = Project.objects.filter(live=True, locale__language_code="de").order_by("code").first()
entry.title = {title!r}
entry.save_revision().publish()
print(entry.code)
"""


def processes() -> dict[int, str]:
    """pid -> role of the stack's gunicorn processes (a worker's parent is its master) and the task worker."""
    stack: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            parent = int((entry / "stat").read_text().split(")")[1].split()[1])
            # Only this checkout's stack: other stacks may run on the same machine.
            cwd = (entry / "cwd").resolve()
            if cwd != ROOT and ROOT not in cwd.parents:
                continue
        except (OSError, IndexError, ValueError):
            continue
        # gunicorn renames its processes ("gunicorn: worker [name]") where setproctitle is installed.
        if "deploy/gunicorn.conf.py" in command or command.startswith("gunicorn: "):
            stack[int(entry.name)] = ("gunicorn", parent)
        elif "db_worker" in command:
            stack[int(entry.name)] = ("task worker", parent)
    roles = {}
    for pid, (kind, parent) in stack.items():
        if kind == "gunicorn":
            roles[pid] = "gunicorn worker" if parent in stack else "gunicorn master"
        else:
            roles[pid] = kind
    return roles


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def publish_change(title: str) -> str:
    env = {**os.environ}
    for line in (ROOT / ".prod" / "prod.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = value.strip("'\"")
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", CHANGE.format(title=title)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--change-every", type=float, default=60)
    parser.add_argument("--sample-every", type=float, default=30)
    args = parser.parse_args()
    parts = urlsplit(args.base)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("This load goes to this machine only (127.0.0.1).")
    found = discover(args.base)
    options, entries = found["options"], found["entries"]
    rng = random.Random(11)
    lock = threading.Lock()
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    minutes: dict[int, list[float]] = {}
    errors: dict[int, int] = {}
    mix = [
        (35, lambda: CATALOGUE),
        (20, lambda: random_filters(options, rng)),
        (10, lambda: f"{CATALOGUE}?{urlencode({'q': rng.choice(WORDS[:6])})}"),
        (30, lambda: rng.choice(entries)),
        (5, lambda: f"{CATALOGUE}feed/"),
    ]

    def worker():
        client = Client(parts.hostname, parts.port or 80)
        while time.monotonic() < deadline:
            with lock:
                path = rng.choices(mix, [weight for weight, _ in mix])[0][1]()
            begin = time.perf_counter()
            try:
                status, _body = client.get(path)
            except (OSError, http.client.HTTPException):
                status = 0
            minute = int((time.monotonic() - started) // 60)
            with lock:
                if status == 200:
                    minutes.setdefault(minute, []).append((time.perf_counter() - begin) * 1000)
                else:
                    errors[status] = errors.get(status, 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    memory: dict[int, list[float]] = {}
    roles: dict[int, str] = {}
    changes: list[tuple[str, bool, bool]] = []
    next_change = time.monotonic() + args.change_every
    next_sample = time.monotonic()
    probe = Client(parts.hostname, parts.port or 80)
    while time.monotonic() < deadline:
        if time.monotonic() >= next_sample:
            for pid, role in processes().items():
                roles[pid] = role
                value = rss_mb(pid)
                if value is not None:
                    memory.setdefault(pid, []).append(value)
            next_sample += args.sample_every
        if time.monotonic() >= next_change:
            title = f"Dauertest {len(changes) + 1} {rng.randint(1000, 9999)}"
            code = publish_change(title)
            entry_path = next((path for path in entries if f"/{code.replace('.', '-')}/" in path), None)
            status, body = probe.get(entry_path, "identity") if entry_path else (0, b"")
            on_entry = status == 200 and title in body.decode(errors="replace")
            _status, body = probe.get(CATALOGUE, "identity")
            on_list = title in body.decode(errors="replace")
            changes.append((title, on_entry, on_list))
            next_change += args.change_every
        time.sleep(0.5)
    for thread in threads:
        thread.join()

    print(f"Soak of {args.base}: {args.minutes:.0f} min, {args.clients} clients")
    print(f"{'minute':>6} {'requests':>9} {'median ms':>10} {'p95 ms':>8}")
    for minute, values in sorted(minutes.items()):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
        print(f"{minute:>6} {len(values):>9} {statistics.median(values):>10.1f} {p95:>8.1f}")
    print(f"errors: {sum(errors.values())} {errors}")
    print("memory (RSS, MB) at the first and the last sample:")
    for pid, values in sorted(memory.items(), key=lambda item: roles[item[0]]):
        print(f"  {roles[pid]:<16} pid {pid:<8} {values[0]:>7.1f} -> {values[-1]:>7.1f}  (max {max(values):.1f})")
    print(f"memory (RSS, MB) of each process over time, one sample every {args.sample_every:.0f} s:")
    for pid, values in sorted(memory.items(), key=lambda item: roles[item[0]]):
        print(f"  {roles[pid]:<16} pid {pid:<8} " + " ".join(f"{value:.0f}" for value in values))
    seen = sum(1 for _title, on_entry, on_list in changes if on_entry and on_list)
    print(f"changes visible at once on entry page and list: {seen} of {len(changes)}")
    for title, on_entry, on_list in changes:
        if not (on_entry and on_list):
            print(f"  not at once: {title} (entry page {on_entry}, list {on_list})")


if __name__ == "__main__":
    main()
