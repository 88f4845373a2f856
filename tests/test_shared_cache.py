"""Two app servers on one database and one Redis: a change made through one is seen through the other at once.

Starts a redis-server, two gunicorn app servers and the task worker (`db_worker`) as separate
processes on the test database (on SQLite, a file copy of it), publishes and unpublishes an entry
through the first server's admin as an editor would, and reads the public pages through the second.
"""

import html.parser
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests.catalogue_public_data import build, catalogue_page

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
URL = "/projektkatalog/"
PASSWORD = "zwei-server-test"
COUNT = re.compile(r"data-catalogue-count>(\d+) Einträge<")
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s")
        time.sleep(0.2)


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: install Debian's redis-server (make test does when run as root)")
    port = free_port()
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603

    def answers():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    wait_for(answers, 15, "redis-server did not answer")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def database_url(tmp_path) -> str:
    """The test database for other processes: itself on PostgreSQL, a file copy of the in-memory one on SQLite."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    copy = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


class Stack:
    """Two gunicorn app servers and a task worker, with logs for the failure message."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.tmp_path = tmp_path
        self.env = env
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.ports: list[int] = []

    def start(self, name: str, command: list[str]) -> None:
        output = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        self.processes.append((name, process))

    def app_server(self, name: str) -> str:
        port = free_port()
        self.start(
            name,
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1"],
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: fetch(base + "/healthz/")[0] == 200, STARTUP_SECONDS, f"{name} did not start ({self.logs()})")
        return base

    def logs(self) -> str:
        files = [(name, self.tmp_path / f"{name}.log") for name, _ in self.processes]
        return " | ".join(f"{name}: {path.read_text(errors='replace')[-600:]}" for name, path in files)

    def stop(self) -> None:
        for _name, process in self.processes:
            process.terminate()
        for _name, process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def fetch(url: str, opener=None, data: dict | list | None = None) -> tuple[int, str, dict]:
    """Status, body and headers of a request (redirects are not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = opener or urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), dict(error.headers)
    except OSError:
        return 0, "", {}


class FormFields(html.parser.HTMLParser):
    """The values a browser would submit from the page's main form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type", "text") not in ("submit", "button", "file", "image"):
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append((self.select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).lstrip("\n")))
            self.textarea = None


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(page)
    return parser.fields


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def log_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _status, page, _headers = fetch(base + "/admin/login/", opener)
    status, _page, _headers = fetch(
        base + "/admin/login/",
        opener,
        {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": PASSWORD, "next": "/admin/"},
    )
    assert status == 200 and any(cookie.name == "sessionid" for cookie in jar), "the editor could not log in"
    return opener


def total(page: str) -> int:
    return int(COUNT.search(page).group(1))


def test_a_change_through_one_app_server_is_seen_through_the_other_at_once(site, tmp_path, redis_url):
    data = build(8)
    catalogue_page()
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.save()
    entry = data["entries"][3]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": redis_url,
        "TEST_TASK_WORKER": "database",
    }
    stack = Stack(tmp_path, env)
    try:
        first = stack.app_server("app-a")
        second = stack.app_server("app-b")
        stack.start("worker", [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"])

        # Both servers warm, the second answers from the shared cache.
        entry_page = fetch(second + URL + f"eintrag/{entry.code.replace('.', '-')}/")[2]["Location"]
        entry_page = entry_page if entry_page.startswith("http") else second + entry_page
        for base in (first, second):
            fetch(base + URL)
        status, page, headers = fetch(second + URL)
        assert status == 200 and headers["X-Cache"] == "hit" and entry.title in page
        assert total(page) == 8
        assert fetch(entry_page)[0] == 200 and fetch(entry_page)[2]["X-Cache"] == "hit"

        # Publish a new title through the first server's admin, as the editor's browser would.
        editor = log_in(first, "admin")
        edit_url = f"{first}/admin/snippets/catalogue/project/edit/{entry.pk}/"
        _status, form, _headers = fetch(edit_url, editor)
        fields = [(name, value) for name, value in form_fields(form) if name != "title"]
        fields += [("title", "Neuer Titel über Server A"), ("action-publish", "action-publish")]
        status, page, _headers = fetch(edit_url, editor, fields)
        assert status in (200, 302), page[:500]
        assert "Neuer Titel über Server A" in fetch(edit_url, editor)[1], stack.logs()

        status, page, headers = fetch(entry_page)
        assert status == 200 and "Neuer Titel über Server A" in page and headers["X-Cache"] == "miss"
        assert "Neuer Titel über Server A" in fetch(second + URL)[1]

        # Unpublish through the first server: gone from the second at once; the count follows
        # once the worker has rebuilt the facet data (the list meanwhile uses the previous build).
        unpublish_url = f"{first}/admin/snippets/catalogue/project/unpublish/{entry.pk}/"
        _status, confirm, _headers = fetch(unpublish_url, editor)
        status, _page, _headers = fetch(unpublish_url, editor, {"csrfmiddlewaretoken": csrf_token(confirm)})
        assert status in (200, 302)
        assert fetch(entry_page)[0] == 404
        assert "Neuer Titel über Server A" not in fetch(second + URL)[1]
        wait_for(lambda: total(fetch(second + URL)[1]) == 7, 30, f"the worker did not rebuild ({stack.logs()})")
        assert total(fetch(first + URL)[1]) == 7
    finally:
        stack.stop()
