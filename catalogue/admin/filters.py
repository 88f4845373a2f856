"""Filters for the admin listing of catalogue entries."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import Locale, Site

from catalogue.models import (
    Area,
    CatalogueSettings,
    Department,
    Goal,
    Municipality,
    Project,
    Status,
    TrafficLight,
    tree,
)


def report_overdue_days(site=None):
    """The reporting interval from the site's catalogue settings (the default site's when none is given)."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return CatalogueSettings._meta.get_field("report_interval_days").default
    return CatalogueSettings.for_site(site).report_interval_days


def overdue_q(today=None, days=None):
    """Entries whose newest report is older than the reporting interval, or that never reported."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days if days is not None else report_overdue_days())
    return Q(last_report_date__isnull=True) | Q(last_report_date__lt=cutoff)


def _default_locale(queryset):
    return queryset.filter(locale_id=Locale.get_default().pk)


def goal_queryset(request):
    return _default_locale(Goal.objects.all()).order_by("area__order", "code")


class ProjectAdminFilterSet(WagtailFilterSet):
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
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
