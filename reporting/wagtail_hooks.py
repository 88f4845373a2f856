from wagtail import hooks
from wagtail.permissions import register_permission_policy

from catalogue.public.templatetags.catalogue_tags import ENTRY_SECTIONS_HOOK
from reporting.admin.dashboard import homepage_panels
from reporting.admin.permissions import period_policy
from reporting.admin.viewsets import ReportingPeriodViewSet
from reporting.models import ReportingPeriod
from reporting.templatetags.reporting_tags import entry_history

# Before the viewset: registering a policy after Wagtail has asked for one is an error.
register_permission_policy(ReportingPeriod, period_policy)

hooks.register("register_admin_viewset", ReportingPeriodViewSet)
hooks.register("construct_homepage_panels", homepage_panels)
# The entry page of the catalogue shows the entry in every closed report.
hooks.register(ENTRY_SECTIONS_HOOK, entry_history)
