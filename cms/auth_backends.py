"""Django's model backend, reading a user's own and their groups' permissions in one query.

Every admin request checks permissions; the stock backend reads the user's and the groups'
permissions with a query each. Superusers keep the stock path (their checks do not ask).
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class PermissionsInOneQueryBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            own = Permission.objects.filter(user=user_obj).values_list("content_type__app_label", "codename")
            of_groups = Permission.objects.filter(group__user=user_obj).values_list(
                "content_type__app_label", "codename"
            )
            user_obj._perm_cache = {f"{app}.{name}" for app, name in own.order_by().union(of_groups.order_by())}
        return user_obj._perm_cache
