"""E-mails departments before a reporting period's deadline about entries still without a report, and the
coordination once the deadline has passed. Run it daily from cron; each mail goes out at most once."""

from typing import Any

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import BaseCommand, CommandParser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import Site

from catalogue.admin.quick_report import EDIT_URL_NAME, quick_report_url
from catalogue.models import CatalogueSettings, Department
from catalogue.permissions import COORDINATOR_GROUP
from reporting.missing import DepartmentProgress, by_department
from reporting.models import PeriodReminder, ReportingPeriod


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def department_recipients(department: Department) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__in=department.groups.all()).exclude(email="")
    return sorted({department.email, *users.values_list("email", flat=True)} - {""})


def coordinator_recipients() -> list[str]:
    users = get_user_model().objects.filter(groups__name=COORDINATOR_GROUP, is_active=True).exclude(email="")
    site = Site.objects.filter(is_default_site=True).first()
    configured = CatalogueSettings.for_site(site).coordinator_email_list() if site else []
    return sorted({*configured, *users.values_list("email", flat=True)})


class Command(BaseCommand):
    help = "Reminds departments of missing reports before a period's deadline and tells the coordination after it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show what would be sent, send nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = timezone.localdate()
        periods = ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("deadline")
        with override(settings.LANGUAGE_CODE):
            for period in periods:
                days_left = (period.deadline - today).days
                if days_left > period.reminder_days:
                    continue
                sent: set[tuple[int | None, str]] = set(
                    PeriodReminder.objects.filter(period=period).values_list("department_id", "kind")
                )
                departments = [item for item in by_department(period) if item.missing]
                for item in departments:
                    for entry in item.missing:
                        entry.quick_report_url = _absolute(quick_report_url(entry.pk))
                        entry.edit_url = _absolute(reverse(EDIT_URL_NAME, args=[quote(entry.pk)]))
                if days_left >= 0:
                    for item in departments:
                        if (item.department.pk, PeriodReminder.Kind.REMINDER) not in sent:
                            self._remind(period, item, days_left, dry_run)
                elif departments and (None, PeriodReminder.Kind.ESCALATION) not in sent:
                    self._escalate(period, departments, dry_run)

    def _remind(self, period: ReportingPeriod, item: DepartmentProgress, days_left: int, dry_run: bool) -> None:
        subject = _("Bericht „%(period)s“: %(count)s Einträge von %(department)s ohne Bericht, Frist %(deadline)s") % {
            "period": period.title,
            "count": len(item.missing),
            "department": item.department.short_name,
            "deadline": period.deadline.strftime("%d.%m.%Y"),
        }
        context = {"period": period, "department": item.department, "entries": item.missing, "days_left": days_left}
        if self._send(
            subject, "reporting/email/period_reminder", context, department_recipients(item.department), dry_run
        ):
            PeriodReminder.objects.create(
                period=period,
                department=item.department,
                kind=PeriodReminder.Kind.REMINDER,
                entry_count=len(item.missing),
            )

    def _escalate(self, period: ReportingPeriod, departments: list[DepartmentProgress], dry_run: bool) -> None:
        count = sum(len(item.missing) for item in departments)
        subject = _("Bericht „%(period)s“: Meldefrist abgelaufen, %(count)s Berichte fehlen") % {
            "period": period.title,
            "count": count,
        }
        context = {"period": period, "departments": departments}
        if self._send(subject, "reporting/email/period_escalation", context, coordinator_recipients(), dry_run):
            PeriodReminder.objects.create(period=period, kind=PeriodReminder.Kind.ESCALATION, entry_count=count)

    def _send(self, subject: str, template: str, context: dict[str, Any], recipients: list[str], dry_run: bool) -> bool:
        if not recipients:
            self.stderr.write(f"No recipients for {subject}.")
            return False
        if dry_run:
            self.stdout.write(f"[dry run] {subject} -> {', '.join(recipients)}")
            return False
        message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=recipients)
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()
        self.stdout.write(f"{subject} -> {', '.join(recipients)}")
        return True
