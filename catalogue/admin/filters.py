"""Filters for the admin listing of catalogue entries."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.coreutils import get_content_languages

from catalogue.models import (
    Area,
    Department,
    Goal,
    Municipality,
    Project,
    Status,
    TrafficLight,
    tree,
)
from catalogue.permissions import department_ids
from cms.locales import default_locale, locales_by_code

MINE = "ja"


def _default_locale(queryset):
    return queryset.filter(locale_id=default_locale().pk)


def goal_queryset(request):
    return _default_locale(Goal.objects.all()).order_by("area__order", "code")


class CachedLocaleFilter(django_filters.ChoiceFilter):
    """Wagtail's locale filter, reading the locales from the cache instead of two queries per listing."""

    def filter(self, qs, language_code):
        if not language_code:
            return qs
        locale = locales_by_code().get(language_code)
        return qs.filter(locale_id=locale.pk) if locale else qs.none()


def locale_choices() -> list[tuple[str, str]]:
    """The content languages that have a Locale, as Wagtail's own locale filter offers them."""
    locales = locales_by_code()
    return [(code, name) for code, name in get_content_languages().items() if code in locales]


class ProjectAdminFilterSet(WagtailFilterSet):
    mine = django_filters.ChoiceFilter(
        label=_("Mein Fachbereich"),
        choices=[(MINE, _("Nur Einträge meines Fachbereichs"))],
        empty_label=_("Alle Einträge"),
        method="filter_mine",
    )
    kind = django_filters.ChoiceFilter(label=_("Art"), choices=Project.Kind.choices)
    area = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"), queryset=lambda request: _default_locale(Area.objects.all()), method="filter_area"
    )
    goal = django_filters.ModelChoiceFilter(
        label=_("Ziel (mit Unterzielen)"), queryset=goal_queryset, method="filter_goal"
    )
    status = django_filters.ModelChoiceFilter(
        label=_("Status"), queryset=lambda request: _default_locale(Status.objects.all())
    )
    traffic_light = django_filters.ChoiceFilter(label=_("Ampel"), choices=TrafficLight.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Fachbereich (federführend oder beteiligt)"),
        queryset=lambda request: _default_locale(Department.objects.all()),
        method="filter_department",
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Gemeinde"), queryset=Municipality.objects.all(), method="filter_municipality"
    )
    priority = django_filters.ChoiceFilter(label=_("Priorität"), choices=Project.Priority.choices)
    overdue = django_filters.BooleanFilter(label=_("Bericht überfällig"), method="filter_overdue")

    class Meta:
        model = Project
        fields: list[str] = []

    def _add_locale_filter(self):
        # Wagtail's own asks two queries per listing; this one reads the cached locales. As there,
        # it is offered only with more than one language.
        choices = locale_choices()
        if len(choices) > 1:
            self.filters["locale"] = CachedLocaleFilter(
                label=_("Sprache"),
                choices=choices,
                empty_label=None,
                null_label=_("Alle"),
                null_value=None,
                widget=forms.RadioSelect,
            )

    def filter_mine(self, queryset, name, value):
        if value != MINE or self.request is None:
            return queryset
        return queryset.filter(lead_department_id__in=department_ids(self.request.user))

    def filter_area(self, queryset, name, value):
        return queryset.filter(pk__in=Project.goals.through.objects.filter(goal__area=value).values("project_id"))

    def filter_goal(self, queryset, name, value):
        pairs = Goal.objects.filter(locale_id=value.locale_id).values_list("pk", "parent_id")
        goal_ids = tree.subtree(tree.children_of(pairs), value.pk)
        return queryset.filter(pk__in=Project.goals.through.objects.filter(goal_id__in=goal_ids).values("project_id"))

    def filter_department(self, queryset, name, value):
        partner_of = Project.partner_departments.through.objects.filter(department=value).values("project_id")
        return queryset.filter(Q(lead_department=value) | Q(pk__in=partner_of))

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(
            pk__in=Project.municipalities.through.objects.filter(municipality=value).values("project_id")
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Project.objects.overdue().values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)
