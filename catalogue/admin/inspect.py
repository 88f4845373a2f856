"""The read-only view of an entry: for the reviewers, and for everyone who may see it but not change it."""

from django.contrib.admin.utils import quote
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from wagtail.snippets.views import snippets

from catalogue.models import IndicatorValue
from catalogue.permissions import may_see_entry, project_policy, sees_all_drafts, user_can_edit_project

from .panels import pending_reports

INSPECT_FIELDS = [
    "kind",
    "code",
    "title",
    "summary",
    "description",
    "parent",
    "lead_department",
    "partner_departments",
    "external_partners",
    "municipalities",
    "county_wide",
    "themes",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "continuous",
    "cost_estimate",
    "funding_programmes",
    "funding_amount",
    "priority",
    "contact_name",
    "contact_email",
    "contact_phone",
]


class ProjectInspectView(snippets.InspectView):
    """Fields, goals, current state, report history, indicator values and revisions; nothing to change.

    Shows the stored row: for a published entry what the public sees, for a draft-only entry
    its draft (to the department and the coordination and reviewers only).
    """

    template_name = "catalogue/admin/inspect_project.html"

    def get_object(self, queryset=None):
        entry = super().get_object(queryset)
        if not may_see_entry(self.request.user, entry):
            raise Http404
        return entry

    def get_page_subtitle(self):
        # The stored row's title: Wagtail's default would show the newest draft's.
        return str(self.object)

    def get_fields(self):
        return INSPECT_FIELDS

    def get_edit_url(self):
        if user_can_edit_project(self.request.user, self.object):
            return reverse(self.edit_url_name, args=(quote(self.object.pk),))
        return None

    def get_delete_url(self):
        if project_policy.user_has_permission_for_instance(self.request.user, "delete", self.object):
            return super().get_delete_url()
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        sees_drafts = sees_all_drafts(self.request.user) or user_can_edit_project(self.request.user, entry)
        context.update(
            {
                "entry": entry,
                "goals": list(entry.goals.select_related("area").order_by("area__order", "code")),
                "reports": list(entry.reports.select_related("status", "author", "department")),
                "indicators": list(
                    entry.indicators.order_by("title").prefetch_related(
                        Prefetch("values", queryset=IndicatorValue.objects.order_by("date"))
                    )
                ),
                "revisions": list(
                    entry.revisions.select_related("user").order_by("-created_at", "-pk")[:20] if sees_drafts else []
                ),
                "shows_drafts": sees_drafts,
                "pending": pending_reports(entry) if sees_drafts else [],
                "status_display": entry.status,
                "live_revision_id": entry.live_revision_id,
            }
        )
        return context
