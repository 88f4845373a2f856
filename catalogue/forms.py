"""Admin forms for catalogue entries."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from .models import Goal


def goal_choices_queryset():
    """Goals of the default locale in strategy order, so the list reads as the goal tree."""
    return (
        Goal.objects.filter(locale=Locale.get_default())
        .select_related("area")
        .order_by("area__order", "area__code", "code")
    )


class GoalHierarchyField(forms.ModelMultipleChoiceField):
    """Goals shown as an indented tree: „— 2.1.3 Titel (Teilziel)“."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        indent = "\u2003" * (obj.depth - 1)
        marker = "– " if obj.depth > 1 else ""
        return f"{indent}{marker}{obj.label}"


class ProjectForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "goals" in self.fields:
            original = self.fields["goals"]
            self.fields["goals"] = GoalHierarchyField(
                queryset=goal_choices_queryset(),
                label=original.label,
                help_text=original.help_text,
                required=original.required,
                error_messages={"required": _("Bitte mindestens ein Ziel auswählen.")},
            )

    def save(self, commit=True):
        # The report's author is whoever first saves it; editors do not pick themselves.
        reports = self.formsets.get("reports")
        if reports is not None and self.for_user is not None and self.for_user.is_authenticated:
            for form in reports.forms:
                if form.has_changed() and form.instance.author_id is None:
                    form.instance.author = self.for_user
        return super().save(commit=commit)
