"""The browser harness: on SQLite a browser test and the live server share one database connection.

Playwright's sync API keeps an event loop running in the test thread, and Django's connection
handler then hands out other connections than before (tests/conftest.py, `browser`). On SQLite
(in memory, the server borrows the test's connection) the test's rows, written in its own
transaction, must reach the server, and the server's own writes (image renditions on the home
page) must not fail on the test's locks. On PostgreSQL the server has connections of its own and
sees committed rows only; its renditions must still be written while the test's transaction is open.
"""

import pytest
from django.db import connections
from wagtail.models import Page

from tests import demo_snapshot

pytestmark = pytest.mark.browser


def test_the_live_server_sees_what_the_test_wrote_and_writes_itself(page, _demo_server):
    shared = connections["default"].vendor == "sqlite"
    home = Page.objects.get(depth=2, locale__language_code="de")
    Page.objects.filter(pk=home.pk).update(seo_title="Geschrieben im Test")
    demo_snapshot.forget_cached_data()

    response = page.goto("/")

    assert response.status == 200
    assert page.title().startswith("Geschrieben im Test") == shared
    assert page.locator("img[src*='/images/']").count() > 0
    if shared:
        assert _demo_server.thread.connections_override["default"] is connections["default"]
