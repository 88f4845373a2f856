"""E-mails departments about overdue status reports and escalates long-overdue ones. Run it from cron."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import Locale, Site

from catalogue.admin.filters import overdue_q
from catalogue.admin.quick_report import EDIT_URL_NAME, quick_report_url
from catalogue.models import CatalogueSettings, Project, ReminderLog
from catalogue.permissions import COORDINATOR_GROUP


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _department_recipients(department):
    users = get_user_model().objects.filter(is_active=True, groups__in=department.groups.all()).exclude(email="")
    return sorted({department.email, *users.values_list("email", flat=True)} - {""})


def _coordinator_recipients(catalogue_settings):
    users = get_user_model().objects.filter(is_active=True, groups__name=COORDINATOR_GROUP).exclude(email="")
    return sorted({*catalogue_settings.coordinator_email_list(), *users.values_list("email", flat=True)})


class Command(BaseCommand):
    help = "Sends reminders for overdue status reports and escalations to the coordination; at most once each."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent, send nothing.")

    def handle(self, *args, dry_run=False, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stderr.write("No default site: nothing to do.")
            return
        catalogue_settings = CatalogueSettings.for_site(site)
        today = timezone.localdate()
        interval = datetime.timedelta(days=catalogue_settings.report_interval_days)
        escalation_after = datetime.timedelta(days=catalogue_settings.escalation_days)

        overdue = list(
            Project.objects.filter(locale=Locale.get_default(), live=True)
            .filter(overdue_q(today=today, days=catalogue_settings.report_interval_days))
            .select_related("lead_department")
            .order_by("lead_department__name", "code")
        )
        sent: defaultdict[tuple[int, datetime.date | None], dict[str, datetime.datetime]] = defaultdict(dict)
        for log in ReminderLog.objects.filter(project__in=overdue).order_by("sent_at"):
            sent[(log.project_id, log.last_report_date)].setdefault(log.kind, log.sent_at)

        reminders = defaultdict(list)
        escalations = []
        for entry in overdue:
            kinds = sent[(entry.pk, entry.last_report_date)]
            entry.edit_url = _absolute(reverse(EDIT_URL_NAME, args=[quote(entry.pk)]))
            entry.quick_report_url = _absolute(quick_report_url(entry.pk))
            if ReminderLog.Kind.REMINDER not in kinds:
                reminders[entry.lead_department].append(entry)
                continue
            # An entry that never reported has no due date of its own: its reminder starts the clock.
            due = (
                entry.last_report_date + interval if entry.last_report_date else kinds[ReminderLog.Kind.REMINDER].date()
            )
            entry.due_date = due
            if ReminderLog.Kind.ESCALATION not in kinds and today >= due + escalation_after:
                escalations.append(entry)

        with override(settings.LANGUAGE_CODE):
            for department, entries in reminders.items():
                self._send(
                    _("Erinnerung: Statusberichte für %(department)s fällig") % {"department": department.short_name},
                    "catalogue/email/reminder",
                    {"department": department, "entries": entries, "interval_days": interval.days},
                    _department_recipients(department),
                    entries,
                    ReminderLog.Kind.REMINDER,
                    dry_run,
                )
            if escalations:
                self._send(
                    _("Eskalation: %(count)s Statusberichte lange überfällig") % {"count": len(escalations)},
                    "catalogue/email/escalation",
                    {"entries": escalations, "escalation_days": escalation_after.days},
                    _coordinator_recipients(catalogue_settings),
                    escalations,
                    ReminderLog.Kind.ESCALATION,
                    dry_run,
                )

    def _send(self, subject, template, context, recipients, entries, kind, dry_run):
        label = ", ".join(entry.code for entry in entries)
        if not recipients:
            self.stderr.write(f"No recipients for {subject} ({label}).")
            return
        if dry_run:
            self.stdout.write(f"[dry run] {subject} -> {', '.join(recipients)}: {label}")
            return
        message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=recipients)
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()
        ReminderLog.objects.bulk_create(
            [ReminderLog(project=entry, kind=kind, last_report_date=entry.last_report_date) for entry in entries]
        )
        self.stdout.write(f"{subject} -> {', '.join(recipients)}: {label}")
