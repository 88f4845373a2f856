"""Atom feed of the status reports of the filtered entries, e.g. everything in one municipality."""

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalogue.models import StatusReport

from .facets import ProjectFilterSet
from .query import entry_url, filtered

FEED_ITEMS = 50


class StatusReportFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> ProjectFilterSet:
        filterset, data, _notes = filtered(self.page, request)
        self.request = request
        self.lookup = filterset.lookup
        self.base_url = self.page.get_url(request)
        self.query = data.copy()
        self.query.pop("page", None)
        self.query.pop("sort", None)
        return filterset

    def title(self, filterset: ProjectFilterSet) -> str:
        return _("%(title)s: Statusberichte") % {"title": self.page.title}

    def subtitle(self, filterset: ProjectFilterSet) -> str:
        return _("Neue Statusberichte der Einträge, die zu den gewählten Filtern passen.")

    def link(self, filterset: ProjectFilterSet) -> str:
        query = self.query.urlencode()
        return self.base_url + (f"?{query}" if query else "")

    def items(self, filterset: ProjectFilterSet) -> list[StatusReport]:
        return list(
            StatusReport.objects.filter(project__in=filterset.qs.values("pk"))
            .select_related("project")
            .order_by("-date", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, report: StatusReport) -> str:
        status = self.lookup.by_id["status"].get(report.status_id)
        return f"{report.project.code} {report.project.title}: {status.label if status else ''}".strip(": ")

    def item_description(self, report: StatusReport) -> str:
        return f"{report.get_traffic_light_display()}, {report.progress} %. {report.text}".strip()

    def item_link(self, report: StatusReport) -> str:
        return f"{entry_url(self.base_url, report.project)}#report-{report.pk}"

    def item_guid(self, report: StatusReport) -> str:
        return f"status-report-{report.pk}"

    def item_pubdate(self, report: StatusReport) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(report.date, datetime.time.min))

    item_updateddate = item_pubdate
