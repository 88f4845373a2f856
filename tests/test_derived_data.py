"""Derived catalogue data (options, facet bit sets, aggregates) is rebuilt by the task worker, not in requests.

Production runs `manage.py db_worker`; these tests run its task in-process (the test settings use
the immediate task backend) and hold the request side: between a change and the rebuild a visitor
gets fresh entries with the previous build's counts, and never pays for a rebuild once warm.
The same path with real processes is in tests/test_shared_cache.py.
"""

import re
import time

import pytest
from django.core.cache import cache as default_cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from cms import cache
from tests.catalogue_public_data import build, catalogue_page
from tests.factories import ProjectFactory

URL = "/projektkatalog/"
COUNT = re.compile(r"data-catalogue-count>(\d+) Einträge<")
# The statements that build options (year range) and bit sets read these columns; a list request does not.
BUILD_MARK = "COALESCE"


@pytest.fixture
def data(site):
    result = build(10)
    result["page"] = catalogue_page()
    return result


def visit(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL + query)
    assert response.status_code == 200
    html = response.content.decode()
    built = any(BUILD_MARK in item["sql"] for item in captured.captured_queries)
    return int(COUNT.search(html).group(1)), html, built


def change_while_the_worker_is_busy(data, title):
    """Publish a new entry after the worker has been asked for a rebuild that has not run yet."""
    default_cache.set(cache.REBUILD_REQUESTED_KEY, time.time(), cache.REBUILD_LOCK_SECONDS)
    entry = ProjectFactory(code="1.1.900", title=title, goals=[data["goals"][0]])
    entry.save_revision().publish()
    cache.bump_data_version()  # what the commit's receiver does once the transaction ends
    return entry


@override_settings(DERIVED_DATA_IN_BACKGROUND=True)
def test_visitors_use_the_previous_build_until_the_worker_has_built_the_new_one(client, data):
    count, _html, built = visit(client)
    assert count == 10 and built, "the very first request of an empty cache builds (cold start)"
    assert visit(client, "?kind=project")[2] is False

    change_while_the_worker_is_busy(data, "Neu und schon sichtbar")
    count, html, built = visit(client)
    assert "Neu und schon sichtbar" in html, "entries are read fresh"
    assert count == 10 and not built, "counts come from the previous build; nothing is rebuilt in the request"

    cache.rebuild_derived_data_task.enqueue()  # the worker's turn
    count, html, built = visit(client)
    assert count == 11 and "Neu und schon sichtbar" in html and not built


@override_settings(DERIVED_DATA_IN_BACKGROUND=True)
def test_a_rebuild_the_worker_never_did_is_done_by_a_request_after_a_grace_period(client, data):
    visit(client)
    change_while_the_worker_is_busy(data, "Der Worker steht still")
    assert visit(client)[0] == 10
    default_cache.set(cache.REBUILD_REQUESTED_KEY, time.time() - cache.REBUILD_GRACE_SECONDS - 1, 60)
    count, _html, built = visit(client, "?kind=measure&kind=project")
    assert count == 11 and built


@override_settings(DERIVED_DATA_IN_BACKGROUND=True)
def test_a_change_asks_the_worker_once_and_the_worker_moves_the_derived_version_on(
    data, django_capture_on_commit_callbacks
):
    cache.rebuild_derived_data()
    built = cache.derived_version()
    with django_capture_on_commit_callbacks(execute=True):
        entry = ProjectFactory(code="1.1.901", goals=[data["goals"][0]])
        entry.save_revision().publish()
    # The test settings' task backend runs the task when it is enqueued, as the worker would soon after.
    assert cache.derived_version() == cache.data_version() > built
    assert default_cache.get(cache.REBUILD_REQUESTED_KEY) is None
