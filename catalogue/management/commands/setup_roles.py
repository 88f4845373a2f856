"""Creates the catalogue's roles as groups with their permissions. Safe to run again."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site

from catalogue.models import Department
from catalogue.permissions import COORDINATOR_GROUP, DEPARTMENT_GROUP_PREFIX, REVIEWER_GROUP

TAXONOMY_MODELS = ["area", "goal", "theme", "department", "municipality", "status", "fundingprogramme", "indicator"]
DEPARTMENT_PERMISSIONS = [
    "add_project",
    "change_project",
    "view_project",
    "lock_project",
    "add_statusreport",
    "change_statusreport",
    "view_statusreport",
    "add_indicatorvalue",
    "change_indicatorvalue",
    "view_indicatorvalue",
    *(f"view_{model}" for model in TAXONOMY_MODELS),
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]
# Own API tokens for the write API (create, rename, revoke); managing others' needs user rights.
TOKEN_PERMISSIONS = ["add_apitoken", "change_apitoken", "delete_apitoken", "view_apitoken"]
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_media(group):
    root = Collection.get_first_root_node()
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_permission(app_label, codename)
        )


def department_groups():
    """One group per department of the default locale, created where a department has none."""
    groups = []
    for department in Department.objects.filter(locale=Locale.get_default()).prefetch_related("groups"):
        linked = list(department.groups.all())
        if not linked:
            group, _ = Group.objects.get_or_create(name=f"{DEPARTMENT_GROUP_PREFIX}{department.short_name}")
            department.groups.add(group)
            linked = [group]
        groups.extend(linked)
    return groups


@transaction.atomic
def setup_roles():
    """Return the coordinator group, the reviewer group and the department editor groups."""
    access_admin = _permission("wagtailadmin", "access_admin")
    submit_translation = _permission("wagtail_localize", "submit_translation")
    tokens = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=TOKEN_PERMISSIONS))

    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    coordinator.permissions.add(
        access_admin, submit_translation, *tokens, *Permission.objects.filter(content_type__app_label="catalogue")
    )
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page if site else Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=coordinator, page=root, permission=_permission("wagtailcore", codename)
            )
    _grant_media(coordinator)

    reviewer, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    reviewer.permissions.add(
        access_admin, *Permission.objects.filter(content_type__app_label="catalogue", codename__startswith="view_")
    )

    editor_permissions = [access_admin, submit_translation, *tokens]
    editor_permissions += Permission.objects.filter(
        content_type__app_label="catalogue", codename__in=DEPARTMENT_PERMISSIONS
    )
    editors = department_groups()
    for group in editors:
        group.permissions.add(*editor_permissions)
        # Publishing and deleting stay with the coordination: the workflow publishes, nobody deletes.
        group.permissions.remove(
            *Permission.objects.filter(
                Q(codename__startswith="delete_") | Q(codename__startswith="publish_"),
                content_type__app_label="catalogue",
            )
        )
        _grant_media(group)
    return coordinator, reviewer, editors


class Command(BaseCommand):
    help = "Creates the roles: department editors, strategy coordination, read-only reviewers. Safe to run again."

    def handle(self, *args, **options):
        coordinator, reviewer, editors = setup_roles()
        self.stdout.write(
            self.style.SUCCESS(
                f"Roles ready: „{coordinator.name}“, „{reviewer.name}“ and {len(editors)} department editor groups."
            )
        )
