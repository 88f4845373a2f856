"""A demo server of its own for browser journeys that change data, and axe checks for admin screens.

The shared `demo_live` server must stay as the demo left it; the staff journeys submit,
approve and publish. So they get their own database (a SQLite file, or a PostgreSQL database
beside the test database when the suite runs on PostgreSQL) holding the worker's demo snapshot
(tests/demo_snapshot.py: made in a second, where `migrate` and `load_demo` in subprocesses took
minutes on a busy machine), and `manage.py runserver` in a subprocess. The demo's media files are
the worker's (the server inherits its upload directory through the environment). Assertions go
through the browser; `server_shell` reads the server's database where a screen cannot show the answer.

axe on admin screens: Wagtail's own markup has violations we cannot fix from this project
(listed in docs/decisions/0006-staff-journeys.md). Every screen's full result is written to
`test-results/axe-admin.json`; a screen fails when a violation touches our own markup (the
selectors in `OUR_MARKUP`) or is one this project promised to fix (the rich-text editor's name).
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.conf import settings

from tests import demo_snapshot
from tests.conftest import VIEWPORTS, WCAG_TAGS, _axe_source

ROOT = Path(settings.BASE_DIR)
RESULTS = ROOT / "test-results"
# Our templates inside the admin: dashboard panels, quick report, editor panels, read-only view, bulk confirmation.
OUR_MARKUP = ", ".join(
    [
        "section[aria-labelledby^='catalogue-']",
        "#quick-report-form",
        "[data-pending-report]",
        "[data-held-values]",
        "[data-inspect-entry]",
        "[data-bulk-items]",
    ]
)
# Violations of Wagtail's markup this project fixes itself, so they fail wherever they appear.
FIXED_BY_US = {"aria-input-field-name"}


# The journeys' `server.shell`: one Python process with the server's settings reads the code blocks it
# is sent (a length line, then the code) and answers each with what it printed (a line with its
# length and `ok` or `error`, then the text). Django starts once per server, not once per question.
SHELL_LOOP = r"""
import contextlib, io, sys, traceback
import django
django.setup()
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
while True:
    length = sys.stdin.readline()
    if not length:
        break
    code = sys.stdin.read(int(length))
    # What this process cached may be stale: the server has written since.
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()
    printed, status = io.StringIO(), "ok"
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "<server.shell>", "exec"), {})
    except Exception:
        printed.write(traceback.format_exc())
        status = "error"
    finally:
        connections.close_all()
    answer = printed.getvalue()
    sys.stdout.write(f"{len(answer)} {status}\n{answer}")
    sys.stdout.flush()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JourneyServer:
    """`manage.py runserver` over a database of its own with the demo (the worker's snapshot) in it."""

    def __init__(self, workdir: Path, demo: demo_snapshot.Snapshot):
        self.workdir = workdir
        self.demo = demo
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = settings.DATABASES["default"]
        self.name = f"journeys_{uuid.uuid4().hex[:8]}"
        self.process = None
        self.shell_process = None

    @property
    def is_postgres(self) -> bool:
        return "postgresql" in self.database["ENGINE"]

    @property
    def database_url(self) -> str:
        if not self.is_postgres:
            return f"sqlite:///{self.workdir / 'journeys.sqlite3'}"
        db = self.database
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{self.name}"

    def _admin_sql(self, statement: str) -> None:
        db = self.database
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            autocommit=True,
        ) as connection:
            connection.execute(statement)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "WAGTAILADMIN_BASE_URL": self.url,
        }

    def manage(self, *args: str, timeout: int = 600) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start(self) -> "JourneyServer":
        if self.is_postgres:
            demo_snapshot.new_postgresql_database(self.demo, self.name, self._admin_sql)
        else:
            demo_snapshot.new_sqlite_database(self.demo, self.workdir / "journeys.sqlite3")
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--insecure"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "server.log", "w"),  # noqa: SIM115 - closed with the process
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.3)
        raise AssertionError(f"journey server did not start: {(self.workdir / 'server.log').read_text()}")

    def stop(self) -> None:
        if self.shell_process is not None:
            # Its end of input ends its loop; one that died already has nothing to read it.
            with contextlib.suppress(BrokenPipeError):
                self.shell_process.stdin.close()
            self.shell_process.wait(timeout=30)
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.is_postgres:
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.workdir, ignore_errors=True)

    def shell(self, code: str) -> str:
        """Run Python in the server's Django (for reading state a screen does not show); what it printed.

        One process (`SHELL_LOOP`) with the server's settings and database answers every call."""
        if self.shell_process is None:
            self.shell_process = subprocess.Popen(  # noqa: S603 - our own interpreter with a fixed script
                [sys.executable, "-c", SHELL_LOOP],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        process = self.shell_process
        process.stdin.write(f"{len(code)}\n{code}")
        process.stdin.flush()
        header = process.stdout.readline()
        assert header, f"server.shell ended without an answer (exit code {process.poll()})"
        length, status = header.split()
        answer = process.stdout.read(int(length))
        assert status == "ok", f"server.shell failed:\n{code}\n{answer}"
        return answer.strip()


def new_tab(browser, server: JourneyServer, viewport: str = "desktop"):
    context = browser.new_context(base_url=server.url, viewport=VIEWPORTS[viewport], locale="de-DE", bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    return tab


def log_in(browser, server: JourneyServer, username: str, password: str, viewport: str = "desktop"):
    tab = new_tab(browser, server, viewport)
    tab.goto("/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    tab.press("#id_password", "Enter")
    tab.wait_for_url("**/admin/")
    return tab


def _record(screen: str, url: str, violations: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "axe-admin.json"
    recorded = json.loads(path.read_text()) if path.exists() else {}
    recorded[screen] = {
        "url": urlsplit(url).path,
        "violations": [
            {"id": v["id"], "impact": v["impact"], "nodes": [node["target"] for node in v["nodes"]][:5]}
            for v in violations
        ],
    }
    path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False))


def axe_run(tab) -> list[dict]:
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.evaluate(_axe_source())
    return tab.evaluate(
        "options => window.axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )["violations"]


def assert_admin_screen_accessible(tab, screen: str) -> None:
    """Record axe on a Wagtail admin screen; fail on violations in our markup or ones we fixed."""
    violations = axe_run(tab)
    _record(screen, tab.url, violations)
    ours = []
    for violation in violations:
        for node in violation["nodes"]:
            inside = tab.evaluate(
                "([target, ours]) => { const el = document.querySelector(target[target.length - 1]);"
                " return !!(el && el.closest(ours)); }",
                [node["target"], OUR_MARKUP],
            )
            if inside or violation["id"] in FIXED_BY_US:
                ours.append({"id": violation["id"], "target": node["target"], "html": node["html"][:200]})
    assert not ours, f"axe violations in our markup on {screen} ({tab.url}):\n{json.dumps(ours, indent=2)}"


def assert_public_page_accessible(tab) -> None:
    """Our public templates: no axe violation at all, and no sideways scrolling."""
    violations = axe_run(tab)
    summary = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations]
    assert not violations, f"axe found violations on {tab.url}:\n{json.dumps(summary, indent=2)}"
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{tab.url} scrolls sideways by {overflow}px"
