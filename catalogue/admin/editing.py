"""The entry's edit view in a fixed number of queries, however many reports and workflow steps it has."""

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Revision, WorkflowState

if TYPE_CHECKING:
    # Wagtail has no type information: to the checker the mixin stands on the edit view it joins.
    from wagtail.snippets.views.snippets import EditView as _EditView
else:
    _EditView = object

ACTIVE_WORKFLOW_STATES = {WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES}


class QuickEditMixin(_EditView):
    """For the edit view of an entry: what a GET shows, read once."""

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        if self.request.method != "GET":
            return super().get_object(queryset)
        # A GET changes nothing: the entry Wagtail reads in setup() and again in get() is read
        # once, and so is the workflow state it asks for a dozen times while the editor renders
        # (as Wagtail's listings prefetch it).
        if not hasattr(self, "_entry"):
            if queryset is None:
                content_type = ContentType.objects.get_for_model(self.model)
                scheduled = Revision.objects.filter(
                    base_content_type=content_type, object_id=Cast(OuterRef("pk"), CharField())
                ).exclude(approved_go_live_at=None)
                queryset = (
                    self.get_queryset()
                    .select_related("latest_revision", "live_revision__user", "status", "lead_department", "locale")
                    .annotate(
                        has_scheduled_revision=Exists(scheduled),
                        # For the report warnings (`ReportWarningsMixin.public_state`): no query of their own.
                        has_measures=Exists(self.model.objects.filter(parent_id=OuterRef("pk"))),
                    )
                )
            entry = super().get_object(queryset)
            live = self.live_object
            if not live.has_scheduled_revision:
                # Nothing is scheduled: Wagtail's lock check need not look for it.
                live.__dict__["scheduled_revision"] = entry.__dict__["scheduled_revision"] = None
            # The draft shown is built from the latest revision; what it shares with the live
            # row (revisions, locale, an unchanged status) is taken from there, not read again.
            entry.latest_revision = live.latest_revision
            entry.live_revision = live.live_revision
            entry.locale = live.locale
            if entry.status_id == live.status_id:
                entry.status = live.status
            # Only one workflow state is active at a time, and it is the newest.
            latest = (
                WorkflowState.objects.for_instance(entry)
                .select_related("current_task_state__task")
                .order_by("-created_at", "-pk")
                .first()
            )
            active = latest if latest is not None and latest.status in ACTIVE_WORKFLOW_STATES else None
            entry._current_workflow_states = live._current_workflow_states = [active] if active else []
            self.__dict__["workflow_state"] = latest if entry.get_workflow() is not None else None
            self._entry = entry
        return self._entry
