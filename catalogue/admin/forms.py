"""Admin forms for catalogue entries."""

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.db.models import CharField, Q, QuerySet, Value
from django.forms.widgets import ChoiceWidget
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.rich_text import DraftailRichTextArea

from catalogue.models import Goal, Project, SdgGoal, SdgTarget, Status, StatusReport, TrafficLight
from catalogue.permissions import acts_for_all_departments, department_ids, departments_of, user_can_place_under
from cms import cache
from cms.locales import default_locale

from .numbers import DecimalTextField


def goal_choices_queryset():
    """Goals of the default locale in strategy order, so the list reads as the goal tree."""
    return (
        Goal.objects.filter(locale=default_locale())
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


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    """Wagtail's rich-text editor, named by its field's label.

    Draftail's editable area is a textbox without an accessible name (axe: aria-input-field-name,
    serious); Draftail accepts `ariaLabelledBy`, and Wagtail gives every field label the id
    `<input id>-label`.
    """

    options: dict[str, Any]

    def get_context(self, name, value, attrs):
        if attrs and attrs.get("id"):
            self.options = {**self.options, "ariaLabelledBy": f"{attrs['id']}-label"}
        return super().get_context(name, value, attrs)


def rich_text_editor_names() -> str:
    """`insert_global_admin_js`: names the rich-text editors Wagtail builds in the browser (StreamField)."""
    return format_html('<script src="{}" defer></script>', static("catalogue/admin/rich-text-names.js"))


def admin_styles() -> str:
    """`insert_global_admin_css`: the few rules our admin templates need beyond Wagtail's utilities."""
    return format_html('<link rel="stylesheet" href="{}">', static("catalogue/admin/catalogue-admin.css"))


class SdgTargetField(forms.ModelMultipleChoiceField):
    """The 169 targets as checkboxes grouped under their 17 goals, in the editor's language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=SdgTarget.objects.select_related("goal"), **kwargs)
        # The same 169 choices on every editor page: built once per language and data version.
        self.choices = cache.versioned("catalogue:sdg-target-choices", get_language(), build=self._grouped_choices)

    def _grouped_choices(self) -> list[tuple[str, list[tuple[int, str]]]]:
        groups: dict[SdgGoal, list[tuple[int, str]]] = {}
        for target in SdgTarget.objects.select_related("goal").order_by("goal__number", "order"):
            groups.setdefault(target.goal, []).append((target.pk, self.label_from_instance(target)))
        return [(f"SDG {goal.number}: {goal.name}", targets) for goal, targets in groups.items()]

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
        for field in self.fields.values():
            if type(field.widget) is DraftailRichTextArea:
                field.widget = LabelledDraftailRichTextArea(features=field.widget.features, attrs=field.widget.attrs)
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
        self._limit_parent()
        self._read_choices_once()
        self._read_selections_once()
        if "traffic_light_source" in self.fields:
            # A form sent without the choice (a script, an older page) keeps the entry's source.
            self.fields["traffic_light_source"].required = False

    def _read_choices_once(self):
        """Each list of choices read once per request, not once per rendering.

        Wagtail renders every widget twice (its HTML and its client-side adapter), and the report
        forms repeat the same selects, as does the empty report form for „add“, built anew each
        time it is asked for (hence the hook on the formset's `add_fields`).
        """
        read: dict[tuple[Any, str], list[Any]] = {}
        self._share_choices(self, read, skip={"lead_department"})
        if not self._lead_choices_from_partners():
            self._share_choices(self, read)
        for formset in self.formsets.values():
            for form in formset.forms:
                self._share_choices(form, read)
            add_fields = formset.add_fields

            def add_fields_sharing_choices(form, index, add_fields=add_fields):
                add_fields(form, index)
                self._share_choices(form, read)

            formset.add_fields = add_fields_sharing_choices

    @staticmethod
    def _share_choices(form, read, skip=frozenset()):
        for name, field in form.fields.items():
            # Only widgets that list their choices (not choosers, not the hidden ids of report forms).
            if (
                name not in skip
                and isinstance(field, forms.ModelChoiceField)
                and isinstance(field.widget, ChoiceWidget)
                and not hasattr(field, "_choices")
                and field.queryset is not None
            ):
                # Fields listing the same rows with the same labels share them (lead and partner departments).
                key = (type(field).label_from_instance, str(field.queryset.query))
                if key not in read:
                    # iter(): list() of the iterator itself would ask its length, a COUNT query.
                    read[key] = list(iter(field.iterator(field)))
                field.choices = read[key]

    def _lead_choices_from_partners(self) -> bool:
        """The lead departments offered, taken from the partner departments' list already read.

        Both lists show departments by name; the lead's is the default locale's part of it that the
        user acts for. The field's queryset stays the server-side check of a submitted choice.
        """
        lead, partners = self.fields.get("lead_department"), self.fields.get("partner_departments")
        if lead is None or self.for_user is None or partners is None or not hasattr(partners, "_choices"):
            return False
        allowed = None if acts_for_all_departments(self.for_user) else department_ids(self.for_user)
        locale_id = default_locale().pk
        offered = [
            (value, label)
            for value, label in partners.choices
            if value.instance.locale_id == locale_id and (allowed is None or value.instance.pk in allowed)
        ]
        lead.choices = [("", lead.empty_label), *offered] if lead.empty_label is not None else offered
        return True

    def _read_selections_once(self):
        """The entry's selected goals, themes, departments, places and programmes in one query, not five."""
        selections = {name: value for name, value in self.initial.items() if isinstance(value, QuerySet)}
        if len(selections) < 2:
            return
        first, *rest = [
            value.order_by().values_list(Value(name, output_field=CharField()), "pk")
            for name, value in selections.items()
        ]
        found: dict[str, list[Any]] = {name: [] for name in selections}
        for name, pk in first.union(*rest, all=True):
            found[name].append(pk)
        self.initial.update(found)

    def clean_traffic_light_source(self):
        return self.cleaned_data.get("traffic_light_source") or self.instance.traffic_light_source

    def _limit_lead_department(self):
        """A department editor can neither create an entry for another department nor move one there.

        A plain select offers exactly the allowed departments (a chooser would list them all);
        the same list is the server-side check: any other id fails as an invalid choice.
        """
        field = self.fields.get("lead_department")
        if field is None or self.for_user is None:
            return
        field.widget = forms.Select()
        field.queryset = departments_of(self.for_user).filter(locale=default_locale()).order_by("name")
        field.error_messages["invalid_choice"] = _(
            "Sie können Einträge nur einem Fachbereich zuordnen, für den Sie handeln."
        )

    def _limit_parent(self):
        """A department may hang its entry only below an entry it may change itself.

        The coordination keeps the chooser over the whole catalogue; a department gets a select
        of its own entries in the entry's language (plus the current parent, which stays valid).
        """
        field = self.fields.get("parent")
        if field is None or self.for_user is None or acts_for_all_departments(self.for_user):
            return
        locale_id = self.instance.locale_id or default_locale().pk
        own = Project.objects.modifiable_by(self.for_user).filter(locale_id=locale_id)
        if self.instance.pk:
            own = own.exclude(pk=self.instance.pk)
        field.widget = forms.Select()
        field.queryset = Project.objects.filter(
            Q(pk__in=own.values("pk")) | Q(pk=self.instance.parent_id or 0)
        ).order_by("code")
        field.error_messages["invalid_choice"] = _(
            "Als übergeordneten Eintrag können Sie nur Einträge Ihres Fachbereichs wählen."
        )

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is None or self.for_user is None or parent.pk == self.instance.parent_id:
            return parent
        if not user_can_place_under(self.for_user, parent):
            raise forms.ValidationError(
                _("Als übergeordneten Eintrag können Sie nur Einträge Ihres Fachbereichs wählen."),
                code="parent_not_editable",
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


class StatusReportForm(WagtailAdminModelForm):
    """A report in the entry form, carrying the indicator values reported with it.

    The values are not a form field of the model (nobody types them here), but they must
    survive every save of the form: approving on the edit view saves a new revision from the
    submitted form, and anything the form did not carry would be lost (see docs/decisions).
    """

    pending_indicator_values = forms.JSONField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["pending_indicator_values"] = self.instance.pending_indicator_values or {}

    def clean_pending_indicator_values(self):
        held = self.cleaned_data.get("pending_indicator_values") or {}
        if not isinstance(held, dict):
            raise forms.ValidationError(_("Die gemeldeten Messwerte sind ungültig."))
        cleaned = {}
        for key, value in held.items():
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                raise forms.ValidationError(_("Die gemeldeten Messwerte sind ungültig.")) from None
            if not str(key).isdigit() or not number.is_finite():
                raise forms.ValidationError(_("Die gemeldeten Messwerte sind ungültig."))
            cleaned[str(key)] = str(number)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # A post without the field at all (not one with it empty) leaves the held values as they were.
        if self.add_prefix("pending_indicator_values") in self.data and "pending_indicator_values" in self.cleaned_data:
            self.instance.pending_indicator_values = self.cleaned_data["pending_indicator_values"]

    class Meta:
        model = StatusReport
        fields: list[str] = []


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
            self.fields[self.indicator_field_name(indicator)] = DecimalTextField(
                label=_("%(title)s (%(unit)s)") % {"title": indicator.title, "unit": indicator.unit},
                required=False,
                max_digits=16,
                decimal_places=4,
                help_text=_("Neuer Messwert zum Stichtag, z. B. 12,5; leer lassen, wenn es keinen gibt."),
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
