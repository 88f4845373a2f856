"""The read-only reviewer opens any entry, sees everything about it, and can change nothing."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from catalogue.models import IndicatorValue, Project
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.test_permissions import assert_refused, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    world = build_world()
    IndicatorValue.objects.create(indicator=world.indicator_b, date=datetime.date(2024, 12, 31), value=Decimal("3.25"))
    return world


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def test_rows_link_to_the_read_only_view(client, world):
    client.force_login(world.reviewer)
    html = client.get(url("list")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    links = {a["href"] for a in soup.select("table tbody a[href]")}
    assert url("inspect", world.entry_a.pk) in links and url("inspect", world.entry_b.pk) in links
    assert not any("/edit/" in link or "/delete/" in link for link in links)


def test_the_read_only_view_shows_the_whole_entry(client, world):
    client.force_login(world.reviewer)
    response = client.get(url("inspect", world.entry_b.pk))
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser").select_one("[data-inspect-entry]")
    text = page.get_text(" ", strip=True)
    assert world.entry_b.title in text and world.dep_b.name in text
    assert world.goal.title in text  # goals
    assert "in Umsetzung" in text and "20 %" in text and "15.01.2024" in text  # state and report history
    assert "Photovoltaik (MW)" in text and "3,25" in text and "31.12.2024" in text  # indicator values
    assert "Fassungen" in text and "(veröffentlicht)" in text  # revisions
    # Nothing on the page changes anything.
    assert not page.select("form") and not page.select("button")
    html = response.content.decode()
    assert url("edit", world.entry_b.pk) not in html and url("delete", world.entry_b.pk) not in html


def test_the_reviewer_sees_drafts_too(client, world):
    draft = Project.objects.get(pk=world.entry_a.pk)
    draft.title = "Noch nicht öffentlich"
    draft.save_revision(user=world.editor_a)
    client.force_login(world.reviewer)
    html = client.get(url("inspect", world.entry_a.pk)).content.decode()
    assert "unveröffentlichte Änderungen" in html


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "edit"),
        ("post", "edit"),
        ("post", "delete"),
        ("post", "lock"),
        ("post", "unpublish"),
        ("get", "quick_report"),
    ],
)
def test_the_reviewer_changes_nothing(client, world, method, name):
    client.force_login(world.reviewer)
    before = state(world.entry_a)
    response = getattr(client, method)(url(name, world.entry_a.pk), {"title": "Geändert"})
    assert_refused(response)
    assert state(world.entry_a) == before
