from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from catalogue.models import Project
from catalogue.permissions import project_policy, translation_guard_urls

from .bulk_actions import BULK_ACTIONS
from .dashboard import homepage_panels
from .documents import withhold_unpublished_catalogue_documents
from .forms import admin_styles, rich_text_editor_names
from .import_view import import_menu_item, import_urls, register_import_log_action
from .viewsets import StrategyViewSetGroup

# Before the snippets: registering a policy after Wagtail has asked for one is an error.
register_permission_policy(Project, project_policy)
register_snippet(StrategyViewSetGroup)

hooks.register("construct_homepage_panels", homepage_panels)
for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)
# Ahead of wagtail-localize's own patterns, which match the same paths without asking the policy.
hooks.register("register_admin_urls", translation_guard_urls, order=-1)
hooks.register("register_admin_urls", import_urls)
hooks.register("register_settings_menu_item", import_menu_item)

hooks.register("before_serve_document", withhold_unpublished_catalogue_documents, order=-1)

hooks.register("register_log_actions", register_import_log_action)

hooks.register("insert_global_admin_js", rich_text_editor_names)
hooks.register("insert_global_admin_css", admin_styles)
