"""Bulk actions of the entries listing: approve/publish, unpublish, assign a department, submit for approval.

Each action asks the permission policy per entry; entries the user may not act on are listed
as such and left alone.
"""

from typing import cast

from django import forms
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise
from wagtail.models import Locale, WorkflowState
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from catalogue.models import Department, Project
from catalogue.permissions import acts_for_all_departments, project_policy


def approve_or_publish(entry: Project, user) -> None:
    """Approve the waiting step if the user may (the workflow then publishes), else publish the draft."""
    state = entry.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    if task_state is not None:
        task = task_state.task.specific
        if "approve" in [name for name, _label, _modal in task.get_actions(entry, user)]:
            task.on_action(task_state, user, "approve")
            return
    revision = entry.get_latest_revision() or entry.save_revision(user=user)
    revision.publish(user=user)


def submit_for_approval(entry: Project, user) -> None:
    """Send the entry's draft to its workflow, or resume a workflow that asked for changes."""
    state = entry.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        entry.get_workflow().start(entry, user)


class ProjectBulkAction(SnippetBulkAction):
    """A bulk action for catalogue entries only, with one confirmation template for all."""

    template_name = "catalogue/admin/bulk_confirm.html"
    permission = "change"
    confirm_label = _("Ausführen")

    @classproperty
    def models(cls):
        return [Project]

    def check_perm(self, entry):
        return project_policy.user_has_permission_for_instance(self.request.user, self.permission, entry)

    question: "str | StrOrPromise" = ""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "question": self.question,
            "confirm_label": self.confirm_label,
        }

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}


class PublishBulkAction(ProjectBulkAction):
    display_name = _("Freigeben/Veröffentlichen")
    action_type = "publish"
    aria_label = _("Ausgewählte Einträge freigeben oder veröffentlichen")
    action_priority = 10
    permission = "publish"
    confirm_label = _("Ja, freigeben und veröffentlichen")
    question = _(
        "Wartende Berichte werden freigegeben, alle anderen Entwürfe veröffentlicht, mit den gemeldeten Messwerten."
    )

    def check_perm(self, entry):
        return super().check_perm(entry) and (entry.has_unpublished_changes or not entry.live)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for entry in objects:
            approve_or_publish(entry, user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d Eintrag freigegeben bzw. veröffentlicht.",
            "%(count)d Einträge freigegeben bzw. veröffentlicht.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class UnpublishBulkAction(ProjectBulkAction):
    display_name = _("Depublizieren")
    action_type = "unpublish"
    aria_label = _("Ausgewählte Einträge depublizieren")
    action_priority = 20
    permission = "publish"
    confirm_label = _("Ja, depublizieren")
    question = _("Die Einträge verschwinden aus dem öffentlichen Katalog; ihr Inhalt und ihre Berichte bleiben.")

    def check_perm(self, entry):
        return super().check_perm(entry) and entry.live

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for entry in objects:
            entry.unpublish(user=user, log_action=True)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d Eintrag depubliziert.", "%(count)d Einträge depubliziert.", num_parent_objects) % {
            "count": num_parent_objects
        }


class DepartmentForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Neue federführende Stelle"),
        queryset=Department.objects.none(),
        help_text=_("Gilt sofort für den Eintrag und alle seine Übersetzungen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["department"])
        field.queryset = Department.objects.filter(locale=Locale.get_default()).order_by("name")


class AssignDepartmentBulkAction(ProjectBulkAction):
    """The coordination moves entries to another lead department; departments cannot."""

    display_name = _("Fachbereich zuweisen")
    action_type = "assign-department"
    aria_label = _("Ausgewählten Einträgen eine federführende Stelle zuweisen")
    action_priority = 30
    form_class = DepartmentForm
    confirm_label = _("Zuweisen")
    question = _("Die gewählte Stelle wird federführend; sie berichtet künftig über die Einträge.")

    def check_perm(self, entry):
        return acts_for_all_departments(self.request.user) and super().check_perm(entry)

    def get_execution_context(self):
        return {**super().get_execution_context(), "department": self.cleaned_form.cleaned_data["department"]}

    @classmethod
    def execute_action(cls, objects, user=None, department=None, **kwargs):
        keys = [entry.translation_key for entry in objects]
        entries = list(Project.objects.filter(translation_key__in=keys))
        # Responsibility changes at once (who may edit and report); the history records it.
        Project.objects.filter(pk__in=[entry.pk for entry in entries]).update(lead_department=department)
        for entry in entries:
            had_draft = entry.has_unpublished_changes
            draft = entry.get_latest_revision_as_object()
            draft.lead_department = department
            revision = draft.save_revision(user=user, log_action=True)
            if entry.live and not had_draft:
                revision.publish(user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d Eintrag der Stelle „%(department)s“ zugewiesen.",
            "%(count)d Einträge der Stelle „%(department)s“ zugewiesen.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "department": self.cleaned_form.cleaned_data["department"]}


class SubmitBulkAction(ProjectBulkAction):
    display_name = _("Zur Freigabe einreichen")
    action_type = "submit"
    aria_label = _("Entwürfe der ausgewählten Einträge zur Freigabe einreichen")
    action_priority = 5
    confirm_label = _("Ja, zur Freigabe einreichen")
    question = _("Die Entwürfe gehen an die Koordination; öffentlich wird erst, was sie freigibt.")

    def check_perm(self, entry):
        return (
            super().check_perm(entry)
            and entry.has_unpublished_changes
            and not entry.workflow_in_progress
            and entry.get_workflow() is not None
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for entry in objects:
            submit_for_approval(entry, user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d Eintrag zur Freigabe eingereicht.",
            "%(count)d Einträge zur Freigabe eingereicht.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


BULK_ACTIONS = [PublishBulkAction, UnpublishBulkAction, AssignDepartmentBulkAction, SubmitBulkAction]
