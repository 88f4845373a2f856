"""The admin listing of entries: language and own-department defaults, numbers, bulk actions, export, search."""

import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, WorkflowState
from wagtail.users.models import UserProfile

from catalogue.imports import plan_import
from catalogue.models import Project
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.conftest import module_data
from tests.factories import ProjectFactory, publish_with_reports

pytestmark = pytest.mark.django_db


def _build_world(site):
    world = build_world()
    english = Locale.objects.get(language_code="en")
    world.english_a = world.entry_a.copy_for_translation(english)
    world.english_a.title = "Entry 1.1.01 in English"
    world.english_a.save()
    world.english_a.save_revision().publish()
    return world


_module_data, world = module_data(_build_world)


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def listed(client, **params):
    response = client.get(url("list_results"), params)
    assert response.status_code == 200
    return [(entry.code, entry.locale.language_code) for entry in response.context["object_list"]]


def test_listing_defaults_to_one_language_and_offers_the_others(client, world):
    client.force_login(world.coordinator)
    assert listed(client) == [("1.1.01", "de"), ("1.1.02", "de")]
    assert listed(client, locale="en") == [("1.1.01", "en")]
    assert sorted(listed(client, locale="")) == [("1.1.01", "de"), ("1.1.01", "en"), ("1.1.02", "de")]
    html = client.get(url("list"), {"locale": ""}).content.decode()
    headers = [th.get_text(" ", strip=True) for th in BeautifulSoup(html, "html.parser").select("table thead th")]
    assert "Sprache" in headers


def test_a_user_working_in_english_sees_english_entries_first(client, world):
    profile = UserProfile.get_for_user(world.coordinator)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(world.coordinator)
    assert listed(client) == [("1.1.01", "en")]


def test_a_department_starts_with_its_own_entries_and_can_see_all_published(client, world):
    client.force_login(world.editor_a)
    assert listed(client) == [("1.1.01", "de")]
    html = client.get(url("list")).content.decode()
    mine = BeautifulSoup(html, "html.parser").select_one("select[name=mine] option[value=ja]")
    assert mine is not None and mine.has_attr("selected")
    assert listed(client, mine="") == [("1.1.01", "de"), ("1.1.02", "de")]
    # The coordination is not preselected to a department.
    client.force_login(world.coordinator)
    assert len(listed(client)) == 2


def test_numbers_do_not_wrap(client, world):
    client.force_login(world.coordinator)
    html = client.get(url("list")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    row = soup.select_one("table tbody tr")
    cells = [cell for cell in row.select("td") if cell.get_text(strip=True) in ("1.1.01", "20")]
    assert len(cells) == 2
    assert all("w-whitespace-nowrap" in cell.get("class", []) for cell in cells)


def test_listing_query_count_does_not_grow_with_the_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.editor_a)
    params = {"mine": "", "locale": "de"}
    client.get(url("list"), params)
    with CaptureQueriesContext(connection) as few:
        client.get(url("list"), params)
    for number in range(30):
        department = world.dep_a if number % 2 else world.dep_b
        entry = ProjectFactory(code=f"2.2.{number:02d}", lead_department=department, status=world.status)
        entry.save_revision()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("list"), params)
    assert "2.2.29" in response.content.decode()
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    with django_assert_max_num_queries(len(few)):
        client.get(url("list"), {**params, "q": "2.2"})


def test_search_finds_code_and_title(client, world):
    client.force_login(world.coordinator)
    assert listed(client, q="1.1.02") == [("1.1.02", "de")]
    assert listed(client, q="eintrag 1.1.01") == [("1.1.01", "de")]


def test_export_is_the_import_format_and_goes_back_in_unchanged(client, world):
    client.force_login(world.coordinator)
    publish_with_reports(
        ProjectFactory(code="1.1.03", title="Drittes; mit Semikolon", lead_department=world.dep_a, goals=[world.goal]),
        (None, world.status, "at_risk", 35),
    )
    for export_format, name in (("csv", "katalog.csv"), ("xlsx", "katalog.xlsx")):
        response = client.get(url("list"), {"export": export_format})
        assert response.status_code == 200
        assert name in response["Content-Disposition"]
        content = b"".join(response.streaming_content) if response.streaming else response.content
        plan = plan_import(io.BytesIO(content), name, locale=Locale.get_default())
        assert plan.ok, plan.errors
        assert plan.counts["unchanged"] == 3 and not plan.counts["create"] and not plan.counts["change"]


def _bulk(client, action, *entries, **data):
    target = reverse("wagtail_bulk_action", args=["catalogue", "project", action])
    return client.post(target + "?" + "&".join(f"id={entry.pk}" for entry in entries), data)


def test_bulk_unpublish_and_publish_by_the_coordinator(client, world):
    client.force_login(world.coordinator)
    assert _bulk(client, "unpublish", world.entry_a, world.entry_b).status_code == 302
    assert not Project.objects.filter(pk__in=[world.entry_a.pk, world.entry_b.pk], live=True).exists()
    assert _bulk(client, "publish", world.entry_a).status_code == 302
    assert Project.objects.get(pk=world.entry_a.pk).live


def test_departments_may_neither_publish_nor_unpublish_in_bulk(client, world):
    client.force_login(world.editor_a)
    page = client.get(
        reverse("wagtail_bulk_action", args=["catalogue", "project", "unpublish"]) + f"?id={world.entry_a.pk}"
    )
    assert "nicht möglich" in page.content.decode()
    _bulk(client, "unpublish", world.entry_a)
    assert Project.objects.get(pk=world.entry_a.pk).live


def test_assigning_a_department_is_for_the_coordination_only(client, world):
    client.force_login(world.editor_a)
    _bulk(client, "assign-department", world.entry_a, department=world.dep_b.pk)
    assert Project.objects.get(pk=world.entry_a.pk).lead_department == world.dep_a

    client.force_login(world.coordinator)
    assert _bulk(client, "assign-department", world.entry_a, department=world.dep_b.pk).status_code == 302
    for entry in Project.objects.filter(translation_key=world.entry_a.translation_key):
        assert entry.lead_department == world.dep_b
        assert entry.get_latest_revision_as_object().lead_department == world.dep_b
        assert not entry.has_unpublished_changes
    # The move shows in the history, and the former department has lost the entry.
    client.force_login(world.editor_a)
    assert client.get(url("edit", world.entry_a.pk)).status_code == 302


def test_departments_submit_their_drafts_for_approval_in_bulk(client, world):
    draft = Project.objects.get(pk=world.entry_a.pk)
    draft.title = "Neuer Titel, noch Entwurf"
    draft.save_revision(user=world.editor_a)
    client.force_login(world.editor_a)
    assert _bulk(client, "submit", world.entry_a, world.entry_b).status_code == 302
    assert WorkflowState.objects.filter(object_id=str(world.entry_a.pk), status="in_progress").exists()
    # Another department's entry is not submitted.
    assert not WorkflowState.objects.filter(object_id=str(world.entry_b.pk)).exists()
