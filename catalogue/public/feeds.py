"""Atom feeds (RFC 4287) of status reports: of the filtered entries (e.g. one municipality) or of one entry.

Every feed and entry carries what the RFC requires: an `id` that is a URI (the feed's own
address with its query; a `tag:` URI per report that stays the same when the entry is renamed),
an `author` (the county; per report the reporting department), `updated`, and a `self` link
with the query, so a reader subscribed to a filtered view gets exactly that view.
"""

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from catalogue.models import Project, StatusReport
from cms.models import SiteSettings

from .options import Lookup
from .query import entry_url, filtered, page_locale

FEED_ITEMS = 50


def report_id(hostname: str, report: StatusReport) -> str:
    """A tag URI (RFC 4151): the county's host, the report's date and number; never changes."""
    return f"tag:{hostname},{report.date:%Y-%m-%d}:status-report/{report.pk}"


class StatusReportFeed(Feed):
    """The newest status reports of the entries the catalogue's filters select."""

    feed_type = Atom1Feed

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        filterset, data, _notes = filtered(self.page, request)
        self.prepare(request, filterset.lookup)
        self.query = data.copy()
        self.query.pop("page", None)
        self.query.pop("sort", None)
        return filterset

    def prepare(self, request: HttpRequest, lookup: Lookup) -> None:
        self.request = request
        self.lookup = lookup
        self.base_url = self.page.get_url(request)
        site = Site.find_for_request(request) or self.page.get_site()
        self.hostname = site.hostname if site else request.get_host().split(":")[0]
        self.county = SiteSettings.for_request(request).county_name or (site.site_name if site else "")
        self.departments = lookup.by_id["department"]

    def _query(self) -> str:
        encoded = self.query.urlencode()
        return f"?{encoded}" if encoded else ""

    def title(self, obj: Any) -> str:
        return _("%(title)s: Statusberichte") % {"title": self.page.title}

    def subtitle(self, obj: Any) -> str:
        return _("Neue Statusberichte der Einträge, die zu den gewählten Filtern passen.")

    def link(self, obj: Any) -> str:
        return self.base_url + self._query()

    def feed_url(self, obj: Any) -> str:
        return self.request.build_absolute_uri(self.request.path + self._query())

    def feed_guid(self, obj: Any) -> str:
        # A tag URI, so that the feed keeps its identity when the site moves to another address.
        since = self.page.first_published_at or timezone.now()
        return f"tag:{self.hostname},{since:%Y-%m-%d}:{self.request.path}{self._query()}"

    def author_name(self, obj: Any) -> str:
        return self.county

    def author_link(self, obj: Any) -> str:
        return self.request.build_absolute_uri("/")

    def items(self, obj: Any) -> list[StatusReport]:
        return list(
            StatusReport.objects.filter(project__in=obj.qs.values("pk"))
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
        return report_id(self.hostname, report)

    item_guid_is_permalink = False

    def item_author_name(self, report: StatusReport) -> str:
        department = self.departments.get(report.department_id or report.project.lead_department_id)
        return department.label if department else self.county

    def item_pubdate(self, report: StatusReport) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(report.date, datetime.time.min))

    item_updateddate = item_pubdate


class EntryReportFeed(StatusReportFeed):
    """The status reports of one entry: what a citizen follows for one project."""

    def __init__(self, page: Page, project: Project) -> None:
        super().__init__(page)
        self.project = project

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Project:
        self.prepare(request, Lookup(page_locale(self.page)))
        self.query = QueryDict()
        return self.project

    def _query(self) -> str:
        return ""

    def title(self, obj: Any) -> str:
        return _("%(code)s %(title)s: Statusberichte") % {"code": self.project.code, "title": self.project.title}

    def subtitle(self, obj: Any) -> str:
        return _("Neue Statusberichte dieses Eintrags im %(catalogue)s.") % {"catalogue": self.page.title}

    def link(self, obj: Any) -> str:
        return entry_url(self.base_url, self.project)

    def items(self, obj: Any) -> list[StatusReport]:
        reports = list(StatusReport.objects.filter(project=self.project).order_by("-date", "-pk")[:FEED_ITEMS])
        for report in reports:
            report.project = self.project
        return reports
