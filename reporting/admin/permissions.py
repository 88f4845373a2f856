"""Who may plan and close reporting periods: the strategy coordination (and superusers), nobody else."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy

from catalogue.permissions import COORDINATOR_GROUP, acts_for_all_departments
from reporting.models import ReportingPeriod


class CoordinationPolicy(ModelPermissionPolicy):
    """Periods belong to the coordination; a period that is closing or closed can no longer be changed."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return acts_for_all_departments(user)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if action in ("change", "delete") and instance.state != ReportingPeriod.State.OPEN:
            return False
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions: Any) -> Any:
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=COORDINATOR_GROUP), is_active=True)
            .distinct()
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> Any:
        if not self.user_has_permission(user, "view"):
            return ReportingPeriod.objects.none()
        return ReportingPeriod.objects.all()


period_policy = CoordinationPolicy(ReportingPeriod)
