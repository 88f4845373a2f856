"""Creates the roles of `docs/roles.md` as groups, permissions and approval workflows. Safe to run again.

Each run sets the role groups to exactly the matrix: permissions a group gained by hand are
taken away again, so what `docs/roles.md` says is what the groups hold.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from catalogue.models import Department, Project
from catalogue.permissions import (
    CATALOGUE_COLLECTION,
    COORDINATOR_GROUP,
    DEPARTMENT_GROUP_PREFIX,
    PRESS_GROUP,
    REVIEWER_GROUP,
    SUBJECT_REVIEW_GROUP,
)

REPORT_WORKFLOW = "Freigabe Statusbericht"
REPORT_TASK = "Freigabe durch die Koordination"
PAGE_WORKFLOW = "Freigabe Zukunftsprofil"
SUBJECT_REVIEW_TASK = "Fachliche Prüfung"
PRESS_TASK = "Freigabe Pressestelle"

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
# Pages: the coordination writes and submits, the press office (the last approval step, which
# publishes as the approver) publishes; nobody else holds the publish right (docs/roles.md).
COORDINATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
SUBJECT_REVIEW_PAGE_PERMISSIONS = ["change_page"]
PRESS_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_EVERYWHERE = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
# Departments choose any image or document but upload only into the catalogue's collection,
# whose documents stay private until an entry that links them is published.
DEPARTMENT_MEDIA_EVERYWHERE = [("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")]
# Own API tokens for the write API (create, rename, revoke); managing others' needs user rights.
TOKEN_PERMISSIONS = ["add_apitoken", "change_apitoken", "delete_apitoken", "view_apitoken"]
DEPARTMENT_MEDIA_CATALOGUE = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


@dataclass(frozen=True)
class Roles:
    """The groups and workflows `setup_roles` made, for the demo and the tests."""

    coordinator: Group
    reviewer: Group
    subject_review: Group
    press: Group
    editors: list[Group]
    report_workflow: Workflow
    page_workflow: Workflow


# Permissions that Wagtail's and wagtail-localize's data migrations create, with the content type
# they hang off. A database flushed since (a transactional test) lacks them; they are made again.
MIGRATION_PERMISSIONS = {
    ("wagtailadmin", "access_admin"): ("admin", "Can access Wagtail admin"),
    ("wagtail_localize", "submit_translation"): ("translation", "Can submit translations"),
}


def _permission(app_label: str, codename: str) -> Permission:
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        if (app_label, codename) not in MIGRATION_PERMISSIONS:
            raise
    model, name = MIGRATION_PERMISSIONS[app_label, codename]
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})[0]


def _group(name: str, permissions: list[Permission]) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(permissions)
    return group


def _site_roots() -> list[Page]:
    """The default site's root page in every language: page rights there reach the whole site."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return []
    return list(site.root_page.get_translations(inclusive=True))


def _set_page_permissions(group: Group, codenames: list[str], pages: list[Page]) -> None:
    wanted = {(page.pk, _permission("wagtailcore", codename).pk) for page in pages for codename in codenames}
    existing = GroupPagePermission.objects.filter(group=group)
    existing.exclude(pk__in=[row.pk for row in existing if (row.page_id, row.permission_id) in wanted]).delete()
    for page_id, permission_id in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page_id=page_id, permission_id=permission_id)


def _set_collection_permissions(group: Group, grants: list[tuple[Collection, list[tuple[str, str]]]]) -> None:
    wanted = {
        (collection.pk, _permission(app_label, codename).pk)
        for collection, codenames in grants
        for app_label, codename in codenames
    }
    existing = GroupCollectionPermission.objects.filter(group=group)
    existing.exclude(pk__in=[row.pk for row in existing if (row.collection_id, row.permission_id) in wanted]).delete()
    for collection_id, permission_id in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection_id=collection_id, permission_id=permission_id
        )


def catalogue_collection() -> Collection:
    """The collection for documents and images uploaded for catalogue entries."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=CATALOGUE_COLLECTION).first()
    return collection or root.add_child(name=CATALOGUE_COLLECTION)


def department_groups() -> list[Group]:
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


def _approval_task(name: str, group: Group) -> GroupApprovalTask:
    task = GroupApprovalTask.objects.filter(name=name).first() or GroupApprovalTask.objects.create(name=name)
    task.groups.set([group])
    return task


def _workflow(name: str, tasks: list[GroupApprovalTask]) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=name)
    if list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True)) != [t.pk for t in tasks]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


@transaction.atomic
def setup_roles() -> Roles:
    access_admin = _permission("wagtailadmin", "access_admin")
    submit_translation = _permission("wagtail_localize", "submit_translation")
    catalogue_permissions = list(Permission.objects.filter(content_type__app_label="catalogue"))
    root_collection = Collection.get_first_root_node()
    own_collection = catalogue_collection()
    site_roots = _site_roots()

    tokens = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=TOKEN_PERMISSIONS))

    coordinator = _group(COORDINATOR_GROUP, [access_admin, submit_translation, *tokens, *catalogue_permissions])
    _set_page_permissions(coordinator, COORDINATOR_PAGE_PERMISSIONS, site_roots)
    _set_collection_permissions(coordinator, [(root_collection, MEDIA_EVERYWHERE)])

    press = _group(PRESS_GROUP, [access_admin, submit_translation])
    _set_page_permissions(press, PRESS_PAGE_PERMISSIONS, site_roots)
    _set_collection_permissions(press, [(root_collection, MEDIA_EVERYWHERE)])

    # The subject review may correct what it reviews, but neither create nor publish pages.
    subject_review = _group(SUBJECT_REVIEW_GROUP, [access_admin])
    _set_page_permissions(subject_review, SUBJECT_REVIEW_PAGE_PERMISSIONS, site_roots)
    _set_collection_permissions(subject_review, [])

    view_catalogue = [permission for permission in catalogue_permissions if permission.codename.startswith("view_")]
    reviewer = _group(REVIEWER_GROUP, [access_admin, *view_catalogue])
    _set_page_permissions(reviewer, [], site_roots)
    _set_collection_permissions(reviewer, [])

    editor_permissions = [
        access_admin,
        submit_translation,
        *tokens,
        *(permission for permission in catalogue_permissions if permission.codename in DEPARTMENT_PERMISSIONS),
    ]
    editors = department_groups()
    for group in editors:
        group.permissions.set(editor_permissions)
        _set_page_permissions(group, [], site_roots)
        _set_collection_permissions(
            group, [(root_collection, DEPARTMENT_MEDIA_EVERYWHERE), (own_collection, DEPARTMENT_MEDIA_CATALOGUE)]
        )

    report_workflow = _workflow(REPORT_WORKFLOW, [_approval_task(REPORT_TASK, coordinator)])
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Project), defaults={"workflow": report_workflow}
    )
    page_workflow = _workflow(
        PAGE_WORKFLOW,
        [_approval_task(SUBJECT_REVIEW_TASK, subject_review), _approval_task(PRESS_TASK, press)],
    )
    for page in site_roots:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": page_workflow})
    return Roles(coordinator, reviewer, subject_review, press, editors, report_workflow, page_workflow)


class Command(BaseCommand):
    help = "Creates the roles of docs/roles.md: groups, permissions, approval workflows. Safe to run again."

    def handle(self, *args, **options):
        roles = setup_roles()
        self.stdout.write(
            self.style.SUCCESS(
                f"Roles ready: „{roles.coordinator.name}“, „{roles.subject_review.name}“, „{roles.press.name}“, "
                f"„{roles.reviewer.name}“ and {len(roles.editors)} department editor groups; workflows "
                f"„{roles.report_workflow.name}“ (entries) and „{roles.page_workflow.name}“ (pages)."
            )
        )
