"""Every cell of the roles matrix in docs/roles.md, checked through the real admin URLs on the demo.

The matrix is read from the document itself, so the document and the behaviour cannot drift
apart; the README's login table is checked against the demo's users the same way.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse
from wagtail.models import Locale, Page, Site, WorkflowState

from catalogue.models import Area, Project
from demo.builders.home import ADMIN_PASSWORD, ADMIN_USERNAME
from demo.builders.roles import DEMO_USERS
from home.models import ChapterPage, StrategyPage

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
PROJECT_URLS = "wagtailsnippets_catalogue_project"


def matrix_rows():
    text = (ROOT / "docs" / "roles.md").read_text()
    table = text[text.index("| check |") :].split("\n\n")[0].strip().splitlines()
    users = [cell.strip() for cell in table[0].strip("|").split("|")][2:]
    rows = []
    for line in table[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        check = cells[0].strip("`")
        rows.extend((check, user, answer == "ja") for user, answer in zip(users, cells[2:], strict=True))
    return rows


MATRIX = matrix_rows()


def user(username):
    return get_user_model().objects.get(username=username)


def refused(response):
    return response.status_code in (302, 403, 404)


def allowed_get(client, url):
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
    return response.status_code == 200


def german_chapter():
    return ChapterPage.objects.get(slug="leitbild", locale__language_code="de")


def new_chapter():
    """A German chapter without translation, saved as a draft by the administrator."""
    strategy = StrategyPage.objects.get(locale=Locale.get_default())
    chapter = ChapterPage(title="Neues Kapitel für die Prüfung", slug="neues-kapitel-pruefung", live=False)
    strategy.add_child(instance=chapter)
    chapter.save_revision(user=user(ADMIN_USERNAME))
    return chapter


def in_workflow(page, approve_first=False):
    page.get_workflow().start(page, user(ADMIN_USERNAME))
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    if approve_first:
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, user("pruefung"), "approve")
        state.refresh_from_db()
    return state


def entry_of(short_name, **filters):
    return (
        Project.objects.filter(
            locale=Locale.get_default(), live=True, lead_department__short_name=short_name, **filters
        )
        .order_by("code")
        .first()
    )


def check_page_approve(client, approve_first):
    chapter = new_chapter()
    state = in_workflow(chapter, approve_first=approve_first)
    task_state = state.current_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[chapter.pk, "approve", task_state.pk]), {"comment": ""}
    )
    task_state.refresh_from_db()
    return task_state.status == "approved"


def check_page_publish(client):
    chapter = german_chapter()
    chapter.title = "Leitbild 2030 – geändert"
    chapter.save_revision(user=user(ADMIN_USERNAME))
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={chapter.pk}"
    client.post(bulk, {"include_descendants": ""})
    return Page.objects.get(pk=chapter.pk).title == "Leitbild 2030 – geändert"


def check_entry_approve(client):
    state = WorkflowState.objects.filter(status="in_progress", base_content_type__model="project").first()
    entry_id = state.object_id
    client.post(
        reverse(f"{PROJECT_URLS}:workflow_action", args=[entry_id, "approve", state.current_task_state.pk]),
        {"comment": ""},
    )
    state.refresh_from_db()
    return state.status == "approved"


def check_entry_publish(client):
    entry = entry_of("FB Verkehr")
    draft = entry.get_latest_revision_as_object()
    draft.summary = "Direkt veröffentlicht."
    draft.save_revision(user=user(ADMIN_USERNAME))
    client.post(reverse("wagtail_bulk_action", args=["catalogue", "project", "publish"]) + f"?id={entry.pk}")
    return Project.objects.get(pk=entry.pk).summary == "Direkt veröffentlicht."


def check_entry_translate(client):
    english = Locale.objects.get(language_code="en")
    translated = Project.objects.filter(locale=english).values("translation_key")
    entry = entry_of("FB Umwelt", has_unpublished_changes=False)
    entry = (
        Project.objects.filter(pk__in=Project.objects.filter(lead_department=entry.lead_department).values("pk"))
        .filter(locale=Locale.get_default())
        .exclude(translation_key__in=translated)
        .order_by("code")
        .first()
    )
    url = reverse("wagtail_localize:submit_snippet_translation", args=["catalogue", "project", entry.pk])
    return allowed_get(client, url)


CHECKS = {
    "page.add": lambda client: allowed_get(
        client,
        reverse(
            "wagtailadmin_pages:add",
            args=["home", "chapterpage", StrategyPage.objects.get(locale=Locale.get_default()).pk],
        ),
    ),
    "page.edit.de": lambda client: allowed_get(client, reverse("wagtailadmin_pages:edit", args=[german_chapter().pk])),
    "page.edit.en": lambda client: allowed_get(
        client,
        reverse(
            "wagtailadmin_pages:edit",
            args=[german_chapter().get_translation(Locale.objects.get(language_code="en")).pk],
        ),
    ),
    "page.publish": check_page_publish,
    "page.approve.1": lambda client: check_page_approve(client, approve_first=False),
    "page.approve.2": lambda client: check_page_approve(client, approve_first=True),
    "page.translate": lambda client: allowed_get(
        client, reverse("wagtail_localize:submit_page_translation", args=[new_chapter().pk])
    ),
    "entry.edit.own": lambda client: allowed_get(
        client, reverse(f"{PROJECT_URLS}:edit", args=[entry_of("FB Umwelt").pk])
    ),
    "entry.edit.other": lambda client: allowed_get(
        client, reverse(f"{PROJECT_URLS}:edit", args=[entry_of("FB Verkehr").pk])
    ),
    "entry.report": lambda client: allowed_get(
        client, reverse(f"{PROJECT_URLS}:quick_report", args=[entry_of("FB Umwelt").pk])
    ),
    "entry.approve": check_entry_approve,
    "entry.publish": check_entry_publish,
    "entry.delete": lambda client: allowed_get(
        client, reverse(f"{PROJECT_URLS}:delete", args=[entry_of("FB Verkehr").pk])
    ),
    "entry.inspect": lambda client: allowed_get(
        client, reverse(f"{PROJECT_URLS}:inspect", args=[entry_of("FB Verkehr").pk])
    ),
    "entry.translate": check_entry_translate,
    "taxonomy.edit": lambda client: allowed_get(
        client, reverse("wagtailsnippets_catalogue_area:edit", args=[Area.objects.order_by("pk").first().pk])
    ),
    "catalogue.import": lambda client: allowed_get(client, reverse("catalogue_import")),
    "catalogue.settings": lambda client: allowed_get(
        client,
        reverse(
            "wagtailsettings:edit",
            args=["catalogue", "cataloguesettings", Site.objects.get(is_default_site=True).pk],
        ),
    ),
    "media.upload": lambda client: allowed_get(client, reverse("wagtaildocs:add")),
}


def test_the_matrix_names_only_known_checks_and_every_demo_role():
    assert {check for check, _user, _allowed in MATRIX} == set(CHECKS)
    assert {name for _check, name, _allowed in MATRIX} == {
        "koordination",
        "pruefung",
        "pressestelle",
        "fb-umwelt",
        "lesen",
    }


@pytest.mark.parametrize(("check", "username", "expected"), MATRIX, ids=[f"{c}-{u}" for c, u, _ in MATRIX])
def test_matrix_cell(client, demo, check, username, expected):
    client.force_login(user(username))
    assert CHECKS[check](client) is expected


def test_the_readme_login_table_is_the_demo(demo):
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| user | password | role |") :].split("\n\n")[0].splitlines()[2:]
    logins = {
        tuple(cell.strip().strip("`") for cell in line.strip("|").split("|")[:2]) for line in table if line.strip()
    }
    expected = {(ADMIN_USERNAME, ADMIN_PASSWORD)} | {(name, password) for name, password, *_rest in DEMO_USERS}
    assert expected <= logins
    # Other capabilities add logins of their own (e.g. data protection): each row must work.
    assert [login for login in sorted(logins) if authenticate(username=login[0], password=login[1]) is None] == []
    for name, _password, group, _full_name in DEMO_USERS:
        # Other capabilities may add groups of their own (participation: „Beteiligung“).
        assert group in user(name).groups.values_list("name", flat=True)
        assert re.search(rf"\| `{re.escape(name)}` \|", readme)


def test_starting_a_translation_publishes_nothing(client, demo):
    chapter = german_chapter().copy(
        update_attrs={"title": "Kapitel zum Übersetzen", "slug": "kapitel-zum-uebersetzen"}, user=user(ADMIN_USERNAME)
    )
    client.force_login(user("koordination"))
    english = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[chapter.pk]), {"locales": [english.pk]}
    )
    assert response.status_code == 302
    translated = chapter.get_translation(english)
    assert not translated.live
