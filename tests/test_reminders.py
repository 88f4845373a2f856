"""The reminder command: recipients, content, links, no duplicates, escalation."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from catalogue.models import CatalogueSettings, Project, ReminderLog
from tests.catalogue_roles import PROJECT_URLS, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    world = build_world()
    settings = CatalogueSettings.for_site(Site.objects.get(is_default_site=True))
    settings.coordinator_emails = "kreisentwicklung@example.org"
    settings.save()
    today = timezone.localdate()
    # A is overdue by a little, B has just reported.
    Project.objects.filter(pk=world.entry_a.pk).update(last_report_date=today - datetime.timedelta(days=200))
    Project.objects.filter(pk=world.entry_b.pk).update(last_report_date=today - datetime.timedelta(days=10))
    return world


def run(*args):
    out = io.StringIO()
    call_command("send_update_reminders", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_reminder_goes_to_the_department_with_direct_links_once(world, mailoutbox):
    run()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["editor-a@example.org", "umwelt@example.org"]
    assert "Umwelt" in mail.subject and "Erinnerung" in mail.subject
    edit = "http://testserver" + reverse(f"{PROJECT_URLS}:edit", args=[world.entry_a.pk])
    quick = "http://testserver" + reverse(f"{PROJECT_URLS}:quick_report", args=[world.entry_a.pk])
    assert edit in mail.body and quick in mail.body
    assert world.entry_a.title in mail.body and world.entry_b.title not in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and f'href="{quick}"' in html
    assert "Statusbericht" in mail.body

    run()
    assert len(mailoutbox) == 1
    assert ReminderLog.objects.filter(project=world.entry_a, kind="reminder").count() == 1


def test_dry_run_sends_and_records_nothing(world, mailoutbox):
    output = run("--dry-run")
    assert "1.1.01" in output
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_new_interval_after_a_report_gets_a_new_reminder(world, mailoutbox):
    run()
    today = timezone.localdate()
    Project.objects.filter(pk=world.entry_a.pk).update(last_report_date=today - datetime.timedelta(days=190))
    run()
    assert len(mailoutbox) == 2


def test_escalation_to_coordinators_after_the_second_interval(world, mailoutbox):
    today = timezone.localdate()
    Project.objects.filter(pk=world.entry_a.pk).update(last_report_date=today - datetime.timedelta(days=300))
    run()
    assert len(mailoutbox) == 1, "the department is reminded first"
    run()
    assert len(mailoutbox) == 2
    escalation = mailoutbox[1]
    assert "Eskalation" in escalation.subject
    assert sorted(escalation.to) == ["koordination@example.org", "kreisentwicklung@example.org"]
    assert world.entry_a.code in escalation.body and world.dep_a.name in escalation.body
    run()
    assert len(mailoutbox) == 2


def test_no_escalation_before_the_escalation_days(world, mailoutbox):
    run()
    run()
    assert [mail.subject for mail in mailoutbox if "Eskalation" in mail.subject] == []
