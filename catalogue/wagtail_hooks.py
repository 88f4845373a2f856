from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .dashboard import homepage_panels
from .models import Project
from .permissions import project_policy, translation_guard_urls
from .viewsets import StrategyViewSetGroup

# Before the snippets: registering a policy after Wagtail has asked for one is an error.
register_permission_policy(Project, project_policy)
register_snippet(StrategyViewSetGroup)

hooks.register("construct_homepage_panels", homepage_panels)
# Ahead of wagtail-localize's own patterns, which match the same paths without asking the policy.
hooks.register("register_admin_urls", translation_guard_urls, order=-1)


@hooks.register("register_admin_urls")
def import_urls():
    from django.urls import path

    from .admin_views import ConfirmImportView, ImportView, TemplateDownloadView

    return [
        path("catalogue/import/", ImportView.as_view(), name="catalogue_import"),
        path("catalogue/import/<int:pk>/confirm/", ConfirmImportView.as_view(), name="catalogue_import_confirm"),
        path("catalogue/import/template.xlsx", TemplateDownloadView.as_view(), name="catalogue_import_template"),
    ]


@hooks.register("register_settings_menu_item")
def import_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy
    from wagtail.admin.menu import MenuItem

    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("catalogue.import_projects")

    return ImportMenuItem(
        gettext_lazy("Katalog importieren"), reverse("catalogue_import"), icon_name="upload", order=900
    )


@hooks.register("register_log_actions")
def import_log_actions(actions):
    from django.utils.translation import gettext_lazy

    actions.register_action(
        "catalogue.import",
        gettext_lazy("Import aus Tabelle"),
        gettext_lazy("Aus einer Tabelle importiert und veröffentlicht"),
    )
