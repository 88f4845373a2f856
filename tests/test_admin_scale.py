"""The entries' admin with many entries: listing and editor in a fixed number of queries, dashboard panels capped.

The speed at 10,000 entries is measured by bench/admin_bench.py; here the query counts are held at
two sizes, and the listing's translation buttons against wagtail-localize's own.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.models import Translation, TranslationSource

from catalogue.admin.dashboard import PANEL_ROWS
from catalogue.models import Project, StatusReport
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.factories import ProjectFactory, StatusFactory
from tests.factories.catalogue import DepartmentFactory, GoalFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

LISTING = reverse(f"{PROJECT_URLS}:list")
LISTING_BUDGET = 20
EDITOR_BUDGET = 30
# A department editor's listing reads its department scope too and still keeps to the budget; its
# editor also reads the parent entries it may choose and the departments it may lead (issue 11's
# rules): one query above the budget.
DEPARTMENT_LISTING_BUDGET = LISTING_BUDGET - 1
DEPARTMENT_EDITOR_BUDGET = EDITOR_BUDGET + 1


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def add_entries(count, start, status, department, goal):
    return [
        ProjectFactory(
            code=f"9.{start + number:03d}",
            title=f"Eintrag {start + number}",
            status=status,
            lead_department=department,
            goals=[goal],
        )
        for number in range(count)
    ]


@pytest.fixture
def superuser(site):
    return get_user_model().objects.get(username="admin")


def test_listing_costs_the_same_queries_for_a_full_page_as_for_a_few_rows(client, superuser):
    client.force_login(superuser)
    status, department, goal = StatusFactory(), DepartmentFactory(), GoalFactory()
    add_entries(4, 0, status, department, goal)
    few, _html = queries(client, LISTING)
    entries = add_entries(46, 4, status, department, goal)
    english = Locale.objects.get(language_code="en")
    entries[0].copy_for_translation(english).save()
    source, _created = TranslationSource.get_or_create_from_instance(entries[1])
    Translation.objects.create(source=source, target_locale=english, enabled=True)
    many, html = queries(client, LISTING)
    assert all(f"9.{number:03d}" in html for number in range(49))
    assert many == few <= LISTING_BUDGET


def test_listing_offers_the_same_translation_buttons_as_wagtail_localize(client, superuser):
    client.force_login(superuser)
    status, department, goal = StatusFactory(), DepartmentFactory(), GoalFactory()
    translated, synced, plain = add_entries(3, 0, status, department, goal)
    english = Locale.objects.get(language_code="en")
    translated.copy_for_translation(english).save()
    source, _created = TranslationSource.get_or_create_from_instance(synced)
    Translation.objects.create(source=source, target_locale=english, enabled=True)
    html = client.get(LISTING).content.decode()
    kinds = r"/admin/localize/(?:submit/snippet/catalogue/project|update)/[^\"]+"
    offered = set(re.findall(rf'href="({kinds})"', html))
    expected = {
        button.url
        for entry in Project.objects.all()
        for button in localize_hooks.register_snippet_listing_buttons(entry, superuser, LISTING)
    }
    assert offered == expected
    submit = "wagtail_localize:submit_snippet_translation"
    assert reverse(submit, args=["catalogue", "project", plain.pk]) in offered
    assert reverse(submit, args=["catalogue", "project", translated.pk]) not in offered
    assert any(url.startswith(reverse("wagtail_localize:update_translations", args=[source.pk])) for url in offered)


def test_editor_costs_the_same_queries_however_many_reports_and_links_an_entry_has(client, superuser):
    client.force_login(superuser)
    status = StatusFactory()
    entry = ProjectFactory(code="9.500", title="Viele Berichte", status=status, goals=[GoalFactory()])
    entry.reports.add(StatusReport(date=datetime.date(2024, 1, 1), status=status, traffic_light="on_track"))
    entry.save()
    entry.save_revision().publish()
    url = reverse(f"{PROJECT_URLS}:edit", args=[entry.pk])
    few, _html = queries(client, url)
    for number in range(12):
        date = datetime.date(2024, 2, 1 + number)
        entry.reports.add(StatusReport(date=date, status=status, traffic_light="at_risk", progress=number))
    entry.goals.add(*[GoalFactory() for _ in range(4)])
    entry.municipalities.add(*[MunicipalityFactory() for _ in range(3)])
    entry.partner_departments.add(*[DepartmentFactory() for _ in range(3)])
    entry.save()
    entry.save_revision().publish()
    many, html = queries(client, url)
    assert html.count('name="reports-') >= 13 * 3
    assert many == few <= EDITOR_BUDGET


def test_department_editor_listing_and_editor_stay_within_budget_however_many_entries(client, site):
    world = build_world()
    client.force_login(world.editor_a)
    # The listing starts with the department's own entries; "mine=" lists the others' too.
    listing, html = queries(client, f"{LISTING}?mine=")
    assert world.entry_a.title in html and world.entry_b.title in html
    own, _html = queries(client, LISTING)
    editor, _html = queries(client, reverse(f"{PROJECT_URLS}:edit", args=[world.entry_a.pk]))
    status, goal = StatusFactory(), GoalFactory()
    add_entries(10, 700, status, world.dep_a, goal)
    add_entries(10, 800, status, world.dep_b, goal)
    more_listing, html = queries(client, f"{LISTING}?mine=")
    assert "9.705" in html and "9.805" in html
    more_own, html = queries(client, LISTING)
    assert "9.705" in html and "9.805" not in html
    more_editor, _html = queries(client, reverse(f"{PROJECT_URLS}:edit", args=[world.entry_a.pk]))
    assert (more_listing, more_own, more_editor) == (listing, own, editor)
    assert max(listing, own) <= DEPARTMENT_LISTING_BUDGET and editor <= DEPARTMENT_EDITOR_BUDGET, (
        listing,
        own,
        editor,
    )


def test_coordinator_panel_shows_the_first_rows_with_counts_and_links_to_the_listing(client, site):
    world = build_world()
    old = datetime.date(2020, 1, 1)
    for number in range(PANEL_ROWS + 5):
        ProjectFactory(code=f"1.3.{number:02d}", lead_department=world.dep_b, last_report_date=old)
    client.force_login(world.coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index("catalogue-coordinator-heading") :]
    overdue = Project.objects.filter(locale__language_code="de", live=True, last_report_date__lt=old.replace(year=2025))
    total = overdue.count()
    assert f"{total} Einträge ohne aktuellen Bericht" in panel
    shown = panel[panel.index('class="catalogue-overdue"') :]
    assert shown[: shown.index("</ul>")].count("<li>") == PANEL_ROWS
    link = f"{LISTING}?department={world.dep_b.pk}&amp;overdue=true"
    assert link in panel
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "1.3.00" in listing and world.entry_a.code not in listing


def test_department_panel_shows_the_first_rows_and_counts_all(client, site):
    world = build_world()
    old = datetime.date(2020, 1, 1)
    for number in range(PANEL_ROWS + 3):
        ProjectFactory(code=f"1.4.{number:02d}", lead_department=world.dep_a, last_report_date=old)
    client.force_login(world.editor_a)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    own = Project.objects.filter(locale__language_code="de", lead_department=world.dep_a).count()
    assert f"{own} Einträge, für die Ihr Fachbereich federführend ist" in html
    rows = html[html.index("catalogue-own-entries-heading") :]
    rows = rows[rows.index("<tbody>") : rows.index("</tbody>")]
    assert rows.count("<tr>") == PANEL_ROWS
    panel = html[html.index("catalogue-own-entries-heading") :]
    assert f"{LISTING}?department={world.dep_a.pk}" in panel
