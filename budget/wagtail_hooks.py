"""Wagtail looks for hooks here: the budget's permission policy, its menu, and its import."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin.import_view import import_menu_item, import_urls
from .admin.viewsets import BudgetViewSetGroup
from .models import KeyFigureReport
from .permissions import report_policy

# Before the snippets: registering a policy after Wagtail has asked for one is an error.
register_permission_policy(KeyFigureReport, report_policy)
register_snippet(BudgetViewSetGroup)

hooks.register("register_admin_urls", import_urls)
hooks.register("register_settings_menu_item", import_menu_item)
