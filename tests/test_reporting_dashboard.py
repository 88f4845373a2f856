"""What is missing for the current reporting period: the dashboard panels and the deadline reminders."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from catalogue.models import CatalogueSettings
from reporting.models import PeriodReminder, ReportingPeriod
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.factories import ProjectFactory
from tests.reporting_data import report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(count):
    return TODAY + datetime.timedelta(days=count)


@pytest.fixture
def world(site):
    world = build_world()  # 1.1.01 (Umwelt) and 1.1.02 (Verkehr), both last reported on 15.01.2024
    settings = CatalogueSettings.for_site(Site.objects.get(is_default_site=True))
    settings.coordinator_emails = "kreisentwicklung@example.org"
    settings.save()
    world.period = ReportingPeriod.objects.create(
        title="Bericht Sommer", reporting_date=days(-5), reports_from=days(-60), deadline=days(10)
    )
    # Umwelt has reported for this period; a second Umwelt entry and Verkehr's have not.
    world.entry_a = report(world.entry_a, days(-20), world.status, "on_track", 40)
    world.stale_a = ProjectFactory(
        code="1.1.03", title="Alter Eintrag", lead_department=world.dep_a, goals=[world.goal]
    )
    return world


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_department_sees_what_it_still_has_to_report_and_by_when(client, world):
    html = dashboard(client, world.editor_a)
    panel = html.select_one("#reporting-department-heading").find_parent("section")
    text = panel.get_text(" ", strip=True)
    assert "Für den Bericht „Bericht Sommer“" in text
    assert f"Meldefrist {days(10):%d.%m.%Y}" in text and "noch 10 Tage" in text
    assert "1 von 2 Einträgen Ihres Fachbereichs haben noch keinen Bericht für diesen Zeitraum." in text
    rows = [row.td.get_text(" ", strip=True) for row in panel.select("tbody tr")]
    assert rows == ["1.1.03 Alter Eintrag"]
    assert panel.select_one("tbody a")["href"] == reverse(f"{PROJECT_URLS}:quick_report", args=[world.stale_a.pk])


def test_reporting_removes_the_entry_from_the_list(client, world):
    report(world.stale_a, days(-1), world.status, "on_track", 10)
    panel = dashboard(client, world.editor_a).select_one("#reporting-department-heading").find_parent("section")
    assert "0 von 2 Einträgen" in panel.get_text(" ", strip=True)
    assert panel.select("tbody tr") == []


def test_the_coordination_sees_every_department_and_the_way_to_close(client, world):
    html = dashboard(client, world.coordinator)
    panel = html.select_one("#reporting-coordinator-heading").find_parent("section")
    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in panel.select("tbody tr")]
    assert rows == [["Fachbereich Umwelt (Test)", "2", "1", "1"], ["Fachbereich Verkehr (Test)", "1", "0", "1"]]
    assert panel.select_one("a")["href"] == reverse("reporting_period:close", args=[world.period.pk])
    assert html.select_one("#reporting-department-heading") is None


def test_no_open_period_no_panel(client, world):
    ReportingPeriod.objects.filter(pk=world.period.pk).update(state=ReportingPeriod.State.CLOSED)
    html = dashboard(client, world.editor_a)
    assert html.select_one("#reporting-department-heading") is None


def test_the_panel_costs_the_same_whatever_the_number_of_entries(client, world):
    def count():
        client.force_login(world.coordinator)
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("wagtailadmin_home"))
        return len(captured.captured_queries)

    count()  # sessions, settings and caches of the first request
    small = count()
    for number in range(30):
        ProjectFactory(code=f"1.1.{100 + number}", lead_department=world.dep_b, goals=[world.goal])
    assert count() == small


def run(*args):
    out = io.StringIO()
    call_command("send_period_reminders", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_reminders_name_the_deadline_and_go_out_once_per_department(world, mailoutbox):
    run()
    assert sorted(tuple(mail.to) for mail in mailoutbox) == [
        ("editor-a@example.org", "umwelt@example.org"),
        ("editor-b@example.org", "verkehr@example.org"),
    ]
    umwelt = next(mail for mail in mailoutbox if "umwelt@example.org" in mail.to)
    assert umwelt.subject == f"Bericht „Bericht Sommer“: 1 Einträge von Umwelt ohne Bericht, Frist {days(10):%d.%m.%Y}"
    assert f"bis zur Meldefrist am {days(10):%d.%m.%Y}" in umwelt.body
    assert "1.1.03 Alter Eintrag" in umwelt.body and "1.1.01" not in umwelt.body
    quick = "http://testserver" + reverse(f"{PROJECT_URLS}:quick_report", args=[world.stale_a.pk])
    assert quick in umwelt.body
    html, mimetype = umwelt.alternatives[0]
    assert mimetype == "text/html" and f'href="{quick}"' in html

    run()
    assert len(mailoutbox) == 2
    assert PeriodReminder.objects.filter(period=world.period, kind="reminder").count() == 2


def test_no_reminder_long_before_the_deadline(world, mailoutbox):
    ReportingPeriod.objects.filter(pk=world.period.pk).update(deadline=days(30))
    run()
    assert mailoutbox == []


def test_after_the_deadline_the_coordination_hears_once(world, mailoutbox):
    ReportingPeriod.objects.filter(pk=world.period.pk).update(deadline=days(-1))
    run()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["koordination@example.org", "kreisentwicklung@example.org"]
    assert mail.subject == "Bericht „Bericht Sommer“: Meldefrist abgelaufen, 2 Berichte fehlen"
    assert "Fachbereich Umwelt (Test) (1 / 2)" in mail.body and "1.1.02" in mail.body
    run()
    assert len(mailoutbox) == 1


def test_dry_run_sends_and_records_nothing(world, mailoutbox):
    output = run("--dry-run")
    assert "[dry run]" in output
    assert mailoutbox == [] and not PeriodReminder.objects.exists()
