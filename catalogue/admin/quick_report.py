"""The quick status report: a short form that puts a report on a draft and asks for approval.

A report the coordination sent back is revised in the same form: it opens with the sent-back
report and the coordination's comment, and submitting replaces that report in the draft.
"""

import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import TaskState, WorkflowState

from catalogue.models import Project, PublicState, StatusReport, public_state, report_warnings_against
from catalogue.permissions import user_can_edit_project

from .forms import QuickReportForm

EDIT_URL_NAME = "wagtailsnippets_catalogue_project:edit"
QUICK_REPORT_URL_NAME = "wagtailsnippets_catalogue_project:quick_report"


def quick_report_url(project_pk):
    return reverse(QUICK_REPORT_URL_NAME, args=[quote(project_pk)])


def user_can_report(user, project):
    return user.has_perm("catalogue.add_statusreport") and user_can_edit_project(user, project)


class SentBack(NamedTuple):
    """The coordination's request for changes to a report: who, when, and why."""

    comment: str
    by: str
    at: datetime.datetime | None


def sent_back_states(states: list[WorkflowState]) -> dict[int, SentBack]:
    """For workflow states waiting for changes: the request of their last rejected step, in one query."""
    rejected = (
        TaskState.objects.filter(workflow_state__in=states, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by")
        .order_by("workflow_state_id", "-finished_at", "-pk")
    )
    requests = {}
    for task_state in rejected:
        if task_state.workflow_state_id not in requests:
            user = task_state.finished_by
            requests[task_state.workflow_state_id] = SentBack(
                task_state.comment,
                (user.get_full_name() or user.get_username()) if user else "",
                task_state.finished_at,
            )
    return requests


def sent_back(project) -> SentBack | None:
    state = project.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    return sent_back_states([state]).get(state.pk)


def _new_reports(draft):
    """The reports of a draft that are not public yet (added since the last publication)."""
    return [report for report in draft.reports.all() if report.pk is None]


def submit_quick_report(project, user, form):
    """Add the report to a new draft revision and send that revision for approval.

    The live row is left alone, so the public page changes only when the workflow publishes.
    Indicator values ride along in the report's `pending_indicator_values` and become
    `IndicatorValue` rows when that revision is published (see docs/decisions/department-rights.md).
    """
    data = form.cleaned_data
    draft = project.get_latest_revision_as_object()
    state = project.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        # The revised report replaces the one sent back, instead of standing beside it.
        for report in _new_reports(draft):
            draft.reports.remove(report)
    draft.reports.add(
        StatusReport(
            date=data["date"],
            status=data["status"],
            traffic_light=data["traffic_light"],
            progress=data["progress"],
            text=data["text"],
            author=user,
            department=project.lead_department,
            pending_indicator_values={str(indicator.pk): str(value) for indicator, value in form.indicator_values()},
        )
    )
    draft.save_revision(user=user, log_action=True)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return True
    workflow = project.get_workflow()
    if workflow is None:
        return False
    workflow.start(project, user)
    return True


class ReportWarningsMixin:
    """For the entry's edit view: warn where the newest report contradicts itself or the public state.

    A warning, not an error: the report may be right and only the status list behind.
    """

    request: HttpRequest
    object: Project

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.warn_about_reports()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        self.warn_about_reports()
        return response

    def public_state(self) -> PublicState | None:
        """The entry's public state: from the live row the edit view read (`QuickEditMixin`), else read now."""
        live = getattr(self, "live_object", None)
        if live is None or not hasattr(live, "has_measures") or self.request.method != "GET":
            return public_state(self.object.pk)
        if not live.live:
            return None
        return PublicState(live.status_id, live.traffic_light, live.progress, live.has_measures)

    def warn_about_reports(self) -> None:
        # Read once: the warnings and the form's report formset share the entry's reports (with
        # the status the warnings name).
        prefetch_related_objects([self.object], Prefetch("reports", StatusReport.objects.select_related("status")))
        for warning in report_warnings_against(self.object, self.public_state()):
            messages.warning(self.request, warning)


class QuickReportView(WagtailAdminTemplateMixin, FormView):
    template_name = "catalogue/admin/quick_report.html"
    form_class = QuickReportForm
    page_title = gettext_lazy("Statusbericht melden")
    header_icon = "tasks"
    _show_breadcrumbs = True

    def setup(self, request, pk, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Project.objects.select_related("lead_department"), pk=unquote(str(pk)))

    def dispatch(self, request, *args, **kwargs):
        if not user_can_report(request.user, self.object):
            return HttpResponseForbidden(_("Sie dürfen für diesen Eintrag keinen Statusbericht melden."))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailsnippets_catalogue_project:list"), "label": Project._meta.verbose_name_plural},
            {"url": reverse(EDIT_URL_NAME, args=[quote(self.object.pk)]), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.object}

    @cached_property
    def sent_back(self) -> SentBack | None:
        return sent_back(self.object)

    def get_initial(self):
        revised = _new_reports(self.object.get_latest_revision_as_object()) if self.sent_back else []
        if revised:
            report = revised[-1]
            initial = {
                "date": report.date,
                "status": report.status_id,
                "traffic_light": report.traffic_light,
                "progress": report.progress,
                "text": report.text,
            }
            for key, value in (report.pending_indicator_values or {}).items():
                initial[f"indicator_{key}"] = Decimal(str(value))
            return initial
        return {
            "date": timezone.localdate(),
            "status": self.object.status_id,
            "traffic_light": self.object.traffic_light,
            "progress": self.object.progress,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.object
        context["sent_back"] = self.sent_back
        context["pending"] = self.object.workflow_in_progress
        context["edit_url"] = reverse(EDIT_URL_NAME, args=[quote(self.object.pk)])
        return context

    def form_valid(self, form):
        if self.object.workflow_in_progress:
            form.add_error(None, _("Für diesen Eintrag wartet bereits ein Bericht auf Freigabe."))
            return self.form_invalid(form)
        with transaction.atomic():
            submitted = submit_quick_report(self.object, self.request.user, form)
        report = StatusReport(
            status=form.cleaned_data["status"],
            traffic_light=form.cleaned_data["traffic_light"],
            progress=form.cleaned_data["progress"],
        )
        for problem in report.contradictions():
            messages.warning(self.request, problem)
        if submitted:
            messages.success(
                self.request,
                _("Der Statusbericht zu „%(entry)s“ wurde zur Freigabe eingereicht.") % {"entry": self.object},
            )
        else:
            messages.warning(
                self.request,
                _("Der Statusbericht zu „%(entry)s“ wurde als Entwurf gespeichert; es ist keine Freigabe eingerichtet.")
                % {"entry": self.object},
            )
        return redirect("wagtailadmin_home")
