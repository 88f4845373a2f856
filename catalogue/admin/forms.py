"""Admin forms for catalogue entries."""

from typing import cast

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from catalogue.models import Goal, SdgGoal, SdgTarget, Status, TrafficLight
from catalogue.permissions import acts_for_all_departments, department_ids, user_can_place_under


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


class SdgTargetField(forms.ModelMultipleChoiceField):
    """The 169 targets as checkboxes grouped under their 17 goals, in the editor's language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        queryset = SdgTarget.objects.select_related("goal")
        super().__init__(queryset=queryset, **kwargs)
        targets = list(queryset.order_by("goal__number", "order"))
        self.choices = [
            (
                f"SDG {goal.number}: {goal.name}",
                [(target.pk, self.label_from_instance(target)) for target in targets if target.goal_id == goal.pk],
            )
            for goal in SdgGoal.objects.order_by("number")
        ]

    def label_from_instance(self, obj):
        return f"{obj.code} {Truncator(obj.text).chars(110)}"


def group_sdg_targets(form: forms.BaseForm) -> None:
    """Replace the plain list of targets (if the form has it) by the grouped checkboxes."""
    original = form.fields.get("sdg_targets")
    if original is not None:
        form.fields["sdg_targets"] = SdgTargetField(
            label=original.label, help_text=original.help_text, required=original.required
        )


class GoalForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group_sdg_targets(self)


class ProjectForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group_sdg_targets(self)
        if "goals" in self.fields:
            original = self.fields["goals"]
            self.fields["goals"] = GoalHierarchyField(
                queryset=goal_choices_queryset(),
                label=original.label,
                help_text=original.help_text,
                required=original.required,
                error_messages={"required": _("Bitte mindestens ein Ziel auswählen.")},
            )
        self._limit_lead_department()

    def _limit_lead_department(self):
        """A department editor can neither create an entry for another department nor move one there."""
        field = self.fields.get("lead_department")
        if field is None or self.for_user is None or acts_for_all_departments(self.for_user):
            return
        field.queryset = field.queryset.filter(pk__in=department_ids(self.for_user))
        # The choice list above is the server-side check too: any other id fails as an invalid choice.
        field.error_messages["invalid_choice"] = _(
            "Sie können Einträge nur einem Fachbereich zuordnen, für den Sie handeln."
        )

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if (
            "parent" in self.changed_data
            and self.for_user is not None
            and not user_can_place_under(self.for_user, parent)
        ):
            raise forms.ValidationError(
                _("Sie können Einträge nur unter Einträge Ihres eigenen Fachbereichs einordnen."), code="parent"
            )
        return parent

    def save(self, commit=True):
        # The report's author is whoever first saves it; editors do not pick themselves.
        reports = self.formsets.get("reports")
        if reports is not None and self.for_user is not None and self.for_user.is_authenticated:
            for form in reports.forms:
                if form.has_changed() and form.instance.author_id is None:
                    form.instance.author = self.for_user
        return super().save(commit=commit)


class QuickReportForm(forms.Form):
    """A status report in five fields, plus a value for each of the entry's indicators."""

    date = forms.DateField(
        label=_("Stichtag"),
        # ISO format: a date input cannot read the German display format and would come back empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Stichtag des Berichts, meist heute."),
    )
    status = forms.ModelChoiceField(
        label=_("Status"), queryset=Status.objects.none(), help_text=_("Stand der Umsetzung zum Stichtag.")
    )
    traffic_light = forms.ChoiceField(
        label=_("Ampel"),
        choices=TrafficLight.choices,
        widget=forms.RadioSelect,
        help_text=_("Liegt der Eintrag im Plan?"),
    )
    progress = forms.IntegerField(
        label=_("Fortschritt (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Geschätzter Fortschritt in Prozent, von 0 bis 100."),
    )
    text = forms.CharField(
        label=_("Bericht"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was seit dem letzten Bericht geschehen ist und was als Nächstes kommt."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        status_field = cast(forms.ModelChoiceField, self.fields["status"])
        status_field.queryset = Status.objects.filter(locale_id=project.locale_id).order_by("order")
        self.indicators = list(project.indicators.order_by("title", "pk"))
        for indicator in self.indicators:
            self.fields[self.indicator_field_name(indicator)] = forms.DecimalField(
                label=_("%(title)s (%(unit)s)") % {"title": indicator.title, "unit": indicator.unit},
                required=False,
                max_digits=16,
                decimal_places=4,
                help_text=_("Neuer Messwert zum Stichtag; leer lassen, wenn es keinen gibt."),
            )

    @staticmethod
    def indicator_field_name(indicator):
        return f"indicator_{indicator.pk}"

    def indicator_fields(self):
        return [self[self.indicator_field_name(indicator)] for indicator in self.indicators]

    def report_fields(self):
        return [self[name] for name in ("date", "status", "traffic_light", "progress", "text")]

    def indicator_values(self):
        """(indicator, value) for every indicator the editor gave a value for."""
        return [
            (indicator, self.cleaned_data[self.indicator_field_name(indicator)])
            for indicator in self.indicators
            if self.cleaned_data.get(self.indicator_field_name(indicator)) is not None
        ]
