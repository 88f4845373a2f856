"""Whole anonymous responses from the cache: a hit costs no query, a change shows with the next request,
nobody logged in and no draft is ever served from it, browsers revalidate with ETags."""

import csv
import hashlib
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache as default_cache
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import PageViewRestriction

from catalogue.imports import csv_lines, plan_import, project_rows
from catalogue.imports.applying import apply_import
from catalogue.models import Project
from cms import cache
from home.models import HomePage
from tests.catalogue_public_data import build, catalogue_page
from tests.conftest import module_data
from tests.factories.catalogue import publish_with_reports

URL = "/projektkatalog/"
NONCE = re.compile(r'nonce="([^"]+)"')
PURGE_TOKEN = "purge-token-for-tests"


def _build_data(site):
    result = build(12)
    result["page"] = catalogue_page()
    return result


_module_data, data = module_data(_build_data)


def entry_url(client, entry):
    return client.get(f"{URL}eintrag/{entry.code.replace('.', '-')}/")["Location"]


def test_a_warm_anonymous_request_is_served_from_the_cache_without_a_query(client, data, django_assert_num_queries):
    first = client.get(URL)
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(URL)
    assert second["X-Cache"] == "hit"
    assert int(second["Content-Length"]) == len(second.content)
    first_nonce = NONCE.search(first.content.decode()).group(1)
    second_nonce = NONCE.search(second.content.decode()).group(1)
    # The headers of the whole middleware chain come with the hit, and the same page.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Permissions-Policy", "Vary"):
        assert second[header].replace(second_nonce, "N") == first[header].replace(first_nonce, "N")
    assert second.content.decode().replace(second_nonce, "N") == first.content.decode().replace(first_nonce, "N")


def test_every_response_gets_its_own_csp_nonce_in_header_and_body(client, data):
    client.get(URL)
    nonces = set()
    for _ in range(3):
        response = client.get(URL)
        body_nonce = NONCE.search(response.content.decode()).group(1)
        assert f"'nonce-{body_nonce}'" in response["Content-Security-Policy"]
        nonces.add(body_nonce)
    assert len(nonces) == 3


def test_browsers_revalidate_and_get_304_while_nothing_changed(client, data):
    response = client.get(URL)
    assert "max-age=0" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 304
    assert client.get(URL, headers={"if-modified-since": modified}).status_code == 304
    head = client.head(URL)
    assert head.status_code == 200 and head.content == b"" and int(head["Content-Length"]) > 1000
    entry = data["entries"][0]
    entry.title = "Neuer Titel für die Liste"
    entry.save_revision().publish()
    changed = client.get(URL, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Neuer Titel für die Liste" in changed.content.decode()


def test_a_draft_never_reaches_anonymous_visitors_and_publishing_shows_at_once(client, data):
    entry = data["entries"][1]
    page = entry_url(client, entry)
    before = entry.title
    assert before in client.get(URL).content.decode() and before in client.get(page).content.decode()

    entry.title = "Entwurf, noch nicht freigegeben"
    entry.save_revision()
    # Saving the draft also rewrites the entry's search index entry, which moves the site version on
    # (cms/signals.py): the page may be rendered anew, but from the live data only.
    for url in (URL, page):
        response = client.get(url)
        assert before in response.content.decode() and "Entwurf" not in response.content.decode()

    entry.get_latest_revision().publish()
    for url in (URL, page):
        response = client.get(url)
        assert response["X-Cache"] == "miss"
        assert "Entwurf, noch nicht freigegeben" in response.content.decode()


def test_nobody_logged_in_gets_or_fills_the_cache(client, data):
    client.get(URL)
    assert client.get(URL)["X-Cache"] == "hit"
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(URL)
    assert "X-Cache" not in response and "private" in response["Cache-Control"]
    assert 'class="w-userbar' in response.content.decode() or "wagtail-userbar" in response.content.decode()
    client.logout()
    anonymous = client.get(URL)
    assert anonymous["X-Cache"] == "hit"
    assert "wagtail-userbar" not in anonymous.content.decode() and 'class="w-userbar' not in anonymous.content.decode()


def test_a_password_protected_page_is_never_cached_nor_shown_to_others(client, data):
    page = data["page"]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim")
    form = client.get(URL)
    assert "X-Cache" not in form and "csrfmiddlewaretoken" in form.content.decode()
    visitor = client.__class__()
    restriction = PageViewRestriction.objects.get(page=page)
    visitor.get(URL)
    visitor.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/", {"password": "geheim", "return_url": URL}
    )
    unlocked = visitor.get(URL)
    assert data["entries"][0].title in unlocked.content.decode() and "X-Cache" not in unlocked
    other = client.__class__()
    assert data["entries"][0].title not in other.get(URL).content.decode()


@pytest.mark.parametrize("action", ["unpublish", "delete", "import", "report"])
def test_every_kind_of_change_shows_with_the_next_anonymous_request(
    client, data, action, django_capture_on_commit_callbacks
):
    entry = data["entries"][2]
    page = entry_url(client, entry)
    assert entry.title in client.get(URL).content.decode()
    assert client.get(page).status_code == 200 and client.get(page)["X-Cache"] == "hit"
    if action == "unpublish":
        entry.unpublish()
        assert client.get(page).status_code == 404
        assert entry.title not in client.get(URL).content.decode()
    elif action == "delete":
        entry.delete()
        assert client.get(page).status_code == 404
        assert entry.title not in client.get(URL).content.decode()
    elif action == "import":
        rows = list(project_rows(Project.objects.filter(pk=entry.pk)))
        rows[0][1] = "Titel aus dem Import"
        plan = plan_import(io.BytesIO("".join(csv_lines(rows)).encode("utf-8")), "katalog.csv")
        assert plan.ok, [str(error) for error in plan.errors]
        # The importer bumps the version once its transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            apply_import(plan)
        assert "Titel aus dem Import" in client.get(URL).content.decode()
        assert "Titel aus dem Import" in client.get(entry_url(client, entry)).content.decode()
    else:
        status = data["statuses"][0]
        assert entry.status_id != status.pk
        assert f">{status.name}<" not in client.get(page).content.decode()
        publish_with_reports(entry, (None, status, "off_track", 55))
        response = client.get(page)
        assert response["X-Cache"] == "miss" and f">{status.name}<" in response.content.decode()


def test_publishing_a_page_shows_with_the_next_anonymous_request(client, site):
    home = HomePage.objects.get(pk=site.pk)
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Cache"] == "hit"
    home.title = "Startseite nach dem Veröffentlichen"
    home.seo_title = home.title
    home.save_revision().publish()
    response = client.get("/")
    assert response["X-Cache"] == "miss" and "Startseite nach dem Veröffentlichen" in response.content.decode()


@override_settings(RESPONSE_CACHE_PURGE_TOKEN=PURGE_TOKEN)
def test_a_purge_from_the_proxy_drops_one_path(client, data):
    client.get(URL)
    client.get(URL + "overview/")
    assert client.generic("PURGE", URL).status_code == 403
    assert client.generic("PURGE", URL, headers={"x-purge-token": "falsch"}).status_code == 403
    assert client.get(URL)["X-Cache"] == "hit"
    assert client.generic("PURGE", URL, headers={"x-purge-token": PURGE_TOKEN}).status_code == 200
    assert client.get(URL)["X-Cache"] == "miss"
    assert client.get(URL + "?kind=project")["X-Cache"] == "miss"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_exports_are_the_same_from_the_cache_and_change_with_the_data(client, data):
    url = URL + "export/csv/?area=wirtschaft"
    first = body(client.get(url))
    second_response = client.get(url)
    second = body(second_response)
    assert first == second and second_response["ETag"]
    assert client.get(url, headers={"if-none-match": second_response["ETag"]}).status_code == 304
    expected = "".join(
        csv_lines(project_rows(Project.objects.filter(live=True, goals__area__slug="wirtschaft").order_by("code")))
    )
    # The rows, then the source note the licence asks for.
    assert first.decode("utf-8").startswith(expected)
    assert first.decode("utf-8")[len(expected) :].startswith('"# Quelle: ')
    for file_format in ("json", "xlsx"):
        assert body(client.get(URL + f"export/{file_format}/")) == body(client.get(URL + f"export/{file_format}/"))
    entry = Project.objects.filter(goals__area__slug="wirtschaft").order_by("code").first()
    entry.title = "Geänderter Titel im Export"
    entry.save_revision().publish()
    changed = body(client.get(url)).decode("utf-8")
    rows = list(csv.reader(io.StringIO(changed.lstrip("\ufeff")), delimiter=";"))
    assert "Geänderter Titel im Export" in [row[1] for row in rows if len(row) > 1]
    assert hashlib.sha256(changed.encode()).digest() != hashlib.sha256(first).digest()


@override_settings(EXPORT_CONCURRENCY=1, EXPORT_WAIT_SECONDS=0)
def test_exports_beyond_the_cap_are_refused_with_retry_after_but_cached_ones_still_served(client, data):
    cached_url = URL + "export/csv/"
    assert body(client.get(cached_url))
    slot = cache.take_slot("catalogue-export", 1, 60)
    assert slot is not None
    try:
        busy = client.get(URL + "export/csv/?kind=measure")
        assert busy.status_code == 503 and busy["Retry-After"] == "10"
        assert client.get(cached_url).status_code == 200
    finally:
        cache.release_slot(slot)
    assert client.get(URL + "export/csv/?kind=measure").status_code == 200


def test_an_unfinished_export_is_not_cached(client, data):
    url = URL + "export/json/"
    # The first visitor has the first part only: the file is not complete, so nothing is announced.
    next(iter(client.get(url).streaming_content))
    again = client.get(url)
    assert not again.has_header("ETag"), "a half-written export must not be served from the cache"
    assert b"".join(again.streaming_content).endswith(b"]}")
    assert client.get(url).has_header("ETag")


def test_each_language_has_its_own_cached_responses(client, site):
    german, english = client.get("/"), client.get("/en/")
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert client.get("/")["X-Cache"] == "hit" and client.get("/en/")["X-Cache"] == "hit"
    assert client.get("/en/")["Content-Language"] == "en"


def test_an_update_makes_what_the_older_release_cached_unreachable(client, site):
    """Every update runs `migrate` (make prod, compose): responses cached by the release before, in its
    templates, must not be served afterwards."""
    assert client.get("/impressum/").status_code == 200
    with cache.request_scope() as before:
        pass
    call_command("migrate", verbosity=0)
    with cache.request_scope() as after:
        pass
    assert after.data > before.data
    assert after.site > before.site
    assert after.search > before.search


def test_an_export_whose_cached_part_was_evicted_is_written_anew(client, data):
    """Under memory pressure Redis evicts export parts while their manifest stays (the mixed load of
    bench/load.py on 2026-12-02: 514 answers 500 "cached export part 0 … is gone")."""
    url = URL + "export/csv/?area=wirtschaft"
    first = body(client.get(url))
    assert client.get(url).has_header("ETag"), "the export is cached now"
    # The test settings' cache is Django's local-memory one; its keys are ":1:" + the key.
    parts = [key.removeprefix(":1:") for key in default_cache._cache if ":part:" in key]
    assert parts
    for key in parts:
        assert default_cache.delete(key)
    again = client.get(url)
    assert again.status_code == 200
    assert body(again) == first
    assert client.get(url).has_header("ETag"), "and cached again"
