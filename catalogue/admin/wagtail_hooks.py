from django.http import HttpResponseNotFound
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from catalogue.models import Project
from catalogue.permissions import document_withheld_from, project_policy, translation_guard_urls

from .bulk_actions import BULK_ACTIONS
from .dashboard import homepage_panels
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


@hooks.register("before_serve_document", order=-1)
def withhold_unpublished_catalogue_documents(document, request):
    # Answered like a missing file, so the address does not even confirm that it exists.
    if document_withheld_from(request.user, document):
        return HttpResponseNotFound()
    return None


hooks.register("register_log_actions", register_import_log_action)
