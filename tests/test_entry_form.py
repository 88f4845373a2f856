"""Entry form details: the rich-text editor is named by its label; numbers are read in the user's language."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.users.models import UserProfile

from catalogue.models import Project
from tests.catalogue_roles import PROJECT_URLS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    return build_world()


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def test_the_rich_text_editor_points_to_its_label(client, world):
    client.force_login(world.editor_a)
    for page in (url("edit", world.entry_a.pk), url("add")):
        soup = BeautifulSoup(client.get(page).content.decode(), "html.parser")
        editor = soup.select_one("input[name=description][data-draftail-input]")
        options = json.loads(editor["data-w-init-detail-value"])
        label = soup.find(id=options["ariaLabelledBy"])
        assert label is not None and label.get_text(strip=True).startswith("Beschreibung")


def report(client, world, value):
    return client.post(
        url("quick_report", world.entry_a.pk),
        {
            "date": "2025-06-30",
            "status": str(world.status.pk),
            "traffic_light": "on_track",
            "progress": "40",
            "text": "Messwert gemeldet.",
            f"indicator_{world.indicator_a.pk}": value,
        },
    )


def held_value(world):
    draft = Project.objects.get(pk=world.entry_a.pk).get_latest_revision_as_object()
    newest = max(draft.reports.all(), key=lambda item: item.date)
    return Decimal(newest.pending_indicator_values[str(world.indicator_a.pk)])


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("de", "12,5", "12.5"),
        ("de", "12.5", "12.5"),
        ("de", "1.250,5", "1250.5"),
        ("de", "-0,75", "-0.75"),
        ("en", "12.5", "12.5"),
        ("en", "12,5", "12.5"),
        ("en", "1,250.5", "1250.5"),
    ],
)
def test_a_value_is_read_in_the_users_language(client, world, language, typed, stored):
    profile = UserProfile.get_for_user(world.editor_a)
    profile.preferred_language = language
    profile.save()
    client.force_login(world.editor_a)
    form = BeautifulSoup(client.get(url("quick_report", world.entry_a.pk)).content.decode(), "html.parser")
    field = form.select_one(f"#id_indicator_{world.indicator_a.pk}")
    # A text field: the browser's number field would read "12,5" by the browser's locale, not the page's.
    assert field["type"] == "text" and field["inputmode"] == "decimal"
    assert report(client, world, typed).status_code == 302
    assert held_value(world) == Decimal(stored)


@pytest.mark.parametrize(("language", "typed"), [("de", "1.250"), ("en", "1,250"), ("de", "12,5,0"), ("de", "zwölf")])
def test_an_ambiguous_or_wrong_value_is_asked_back_not_guessed(client, world, language, typed):
    profile = UserProfile.get_for_user(world.editor_a)
    profile.preferred_language = language
    profile.save()
    client.force_login(world.editor_a)
    revision = Project.objects.get(pk=world.entry_a.pk).latest_revision_id
    response = report(client, world, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="quick-report-errors"' in html and f'value="{typed}"' in html
    assert Project.objects.get(pk=world.entry_a.pk).latest_revision_id == revision
