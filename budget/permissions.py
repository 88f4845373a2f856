"""Who may do what in the budget: departments report their own products' key figures; the rest is the coordination's.

A department editor acts for the departments linked to their groups (the catalogue's rule,
`catalogue.permissions.department_ids`) and may create and change key-figure reports only
for products those departments are responsible for. Amounts, products, links and planned
values are changed by whoever holds the model permissions: the coordination (`setup_budget_roles`).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies.base import ModelPermissionPolicy

from catalogue.models import Department
from catalogue.permissions import COORDINATOR_GROUP, acts_for_all_departments, department_ids

from .labels import default_locale
from .models import BudgetProduct, KeyFigure, KeyFigureReport

User = AbstractBaseUser | AnonymousUser


def products_of(user: User) -> QuerySet[BudgetProduct]:
    """The source-language products whose key figures the user may report."""
    products = BudgetProduct.objects.filter(locale=default_locale())
    if acts_for_all_departments(user):
        return products
    return products.filter(department_id__in=department_ids(user))


def key_figures_of(user: User) -> QuerySet[KeyFigure]:
    return KeyFigure.objects.filter(locale=default_locale(), product__in=products_of(user))


def responsible_for(user: User, product_id: int | None) -> bool:
    if acts_for_all_departments(user):
        return True
    if product_id is None:
        return False
    department = BudgetProduct.objects.filter(pk=product_id).values_list("department_id", flat=True).first()
    return department is not None and department in department_ids(user)


class KeyFigureReportPermissionPolicy(ModelPermissionPolicy):
    def _in_scope(self, user: User, action: str, instance: KeyFigureReport) -> bool:
        return action == "view" or responsible_for(user, instance.product_id)

    def user_has_permission_for_instance(self, user: User, action: str, instance: KeyFigureReport) -> bool:
        return self.user_has_permission(user, action) and self._in_scope(user, action, instance)

    def instances_user_has_any_permission_for(self, user: User, actions: list[str]) -> QuerySet[KeyFigureReport]:
        granted = [action for action in actions if self.user_has_permission(user, action)]
        if not granted:
            return self.model.objects.none()
        if "view" in granted or acts_for_all_departments(user):
            return self.model.objects.all()
        return self.model.objects.filter(product__department_id__in=department_ids(user))

    def users_with_any_permission_for_instance(self, actions: list[str], instance: KeyFigureReport) -> QuerySet[Any]:
        users = self.users_with_any_permission(actions)
        if "view" in actions:
            return users
        scope = Q(is_superuser=True) | Q(groups__name=COORDINATOR_GROUP)
        department = BudgetProduct.objects.filter(pk=instance.product_id).values("department_id")
        keys = Department.objects.filter(pk__in=department).values("translation_key")
        scope |= Q(groups__departments__translation_key__in=keys)
        return users.filter(pk__in=get_user_model().objects.filter(scope).values("pk"))


report_policy = KeyFigureReportPermissionPolicy(KeyFigureReport)


class ReportObjectPermissionMixin(PermissionCheckedMixin):
    """Adds the per-report check to an admin view that Wagtail checks on model level only.

    Every snippet object view sets `self.object` in `setup()`, before `dispatch()` asks for
    permission (see /work/shared/notes/snippet-permissions.md and catalogue.permissions).
    """

    def _may_act_on_object(self, action: str) -> bool:
        instance = getattr(self, "object", None)
        if not isinstance(instance, KeyFigureReport) or instance.pk is None:
            return True
        user = self.request.user
        if report_policy.user_has_permission_for_instance(user, action, instance):
            return True
        if action == "unlock" and instance.locked_by_id == user.pk:
            return True
        # A reviewer whose current task lets them into the editor keeps that access.
        task = instance.current_workflow_task
        if task is None:
            return False
        if action in ("change", "view"):
            return task.user_can_access_editor(instance, user)
        if action == "lock":
            return task.user_can_lock(instance, user)
        if action == "unlock":
            return task.user_can_unlock(instance, user)
        return False

    def user_has_permission(self, permission: str) -> bool:
        return super().user_has_permission(permission) and self._may_act_on_object(permission)

    def user_has_any_permission(self, permissions: list[str]) -> bool:
        return super().user_has_any_permission(permissions) and any(
            self._may_act_on_object(permission) for permission in permissions
        )
