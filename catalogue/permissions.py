"""Who may change and who may see which catalogue entry: the one place that decides.

A department editor acts for the departments linked to their groups (`Department.groups`)
and may change only entries those departments lead. Coordinators and superusers act for all.
Every department sees what the public sees of the other departments (their published
entries) and everything of its own; the coordination and the read-only reviewers see all
drafts too. The roles themselves are in `docs/roles.md` and `setup_roles`.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, CharField, Q, Value
from django.http import Http404
from django.urls import path
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views import edit_translation, submit_translations, update_translations

from .models import Department, Project
from .models.projects import ProjectQuerySet

COORDINATOR_GROUP = "Koordination Kreisentwicklung"
REVIEWER_GROUP = "Lesezugriff"
SUBJECT_REVIEW_GROUP = "Fachliche Prüfung"
PRESS_GROUP = "Pressestelle"
DEPARTMENT_GROUP_PREFIX = "Fachbereich "
CATALOGUE_COLLECTION = "Katalog"

_DEPARTMENTS_CACHE = "_catalogue_department_ids"
_COORDINATOR_CACHE = "_catalogue_acts_for_all"
_REVIEWER_CACHE = "_catalogue_reviews_all"


def acts_for_all_departments(user):
    """Superusers and the strategy coordination are not bound to a department."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, _COORDINATOR_CACHE):
        _load_scope(user)
    return getattr(user, _COORDINATOR_CACHE)


def department_ids(user):
    """Ids of the departments the user acts for, in every locale (translations share the key)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, _DEPARTMENTS_CACHE):
        _load_scope(user)
    return getattr(user, _DEPARTMENTS_CACHE)


def _load_scope(user):
    """Whether the user coordinates, and their departments: one query, kept on the user for the request."""
    keys = Department.objects.filter(groups__user=user).values("translation_key")
    departments = Department.objects.filter(translation_key__in=keys).values_list(
        Value("department", output_field=CharField()), "pk"
    )
    coordinator = user.groups.filter(name=COORDINATOR_GROUP).values_list(
        Value("coordinator", output_field=CharField()), Value(0, output_field=BigIntegerField())
    )
    reviewer = user.groups.filter(name=REVIEWER_GROUP).values_list(
        Value("reviewer", output_field=CharField()), Value(0, output_field=BigIntegerField())
    )
    rows = list(departments.order_by().union(coordinator.order_by(), reviewer.order_by(), all=True))
    setattr(user, _COORDINATOR_CACHE, any(kind == "coordinator" for kind, _pk in rows))
    setattr(user, _REVIEWER_CACHE, any(kind == "reviewer" for kind, _pk in rows))
    setattr(user, _DEPARTMENTS_CACHE, frozenset(pk for kind, pk in rows if kind == "department"))


def sees_all_drafts(user) -> bool:
    """The coordination and the read-only reviewers see every entry as it stands, drafts included."""
    if acts_for_all_departments(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, _REVIEWER_CACHE):
        _load_scope(user)
    return getattr(user, _REVIEWER_CACHE)


def visible_entries(queryset, user):
    """The entries of `queryset` the user may look at in the admin: published ones and their own."""
    if sees_all_drafts(user):
        return queryset
    return queryset.filter(Q(live=True) | Q(lead_department_id__in=department_ids(user)))


def may_see_entry(user, entry) -> bool:
    """Whether the user may see the stored row of `entry` (for a draft-only entry: its draft)."""
    return (
        entry.live
        or sees_all_drafts(user)
        or (entry.lead_department_id is not None and entry.lead_department_id in department_ids(user))
    )


def document_withheld_from(user, document) -> bool:
    """Whether a document belongs to unpublished catalogue content that `user` may not see.

    A document is the catalogue's when it lies in the collection „Katalog“ (where departments
    upload) or an entry links it. It is public once any published object links it; until then
    only its uploader and those who may see one of the linking entries' drafts get it. Documents elsewhere keep
    Wagtail's rules.
    """
    references = ReferenceIndex.get_references_to(document).values_list("base_content_type_id", "object_id")
    project_type = ContentType.objects.get_for_model(Project).pk
    entry_ids = {int(object_id) for type_id, object_id in references if type_id == project_type}
    in_catalogue = document.collection.name == CATALOGUE_COLLECTION and document.collection.depth == 2
    if not entry_ids and not in_catalogue:
        return False
    entries = list(Project.objects.filter(pk__in=entry_ids).only("pk", "live", "lead_department_id"))
    if any(entry.live for entry in entries) or _linked_from_published_pages(references):
        return False
    if sees_all_drafts(user) or (user.is_authenticated and document.uploaded_by_user_id == user.pk):
        return False
    return not any(may_see_entry(user, entry) for entry in entries)


def _linked_from_published_pages(references) -> bool:
    """Whether a published page links the document (other sources than entries and pages do not count)."""
    page_type = ContentType.objects.get_for_model(Page).pk
    page_ids = [int(object_id) for type_id, object_id in references if type_id == page_type]
    return bool(page_ids) and Page.objects.filter(pk__in=page_ids, live=True).exists()


def departments_of(user):
    """The departments (any locale) the user may choose as lead department."""
    if acts_for_all_departments(user):
        return Department.objects.all()
    return Department.objects.filter(pk__in=department_ids(user))


class EntryRules:
    """The scope behind `Project.objects.modifiable_by` and `editable_by`."""

    @staticmethod
    def modifiable(queryset, user):
        if acts_for_all_departments(user):
            return queryset
        return queryset.filter(lead_department_id__in=department_ids(user))

    @staticmethod
    def editable(queryset, user):
        model = queryset.model
        if not user.has_perm(f"{model._meta.app_label}.{get_permission_codename('change', model._meta)}"):
            return queryset.none()
        return EntryRules.modifiable(queryset, user)


ProjectQuerySet.rules = EntryRules


class ProjectPermissionPolicy(ModelPermissionPolicy):
    def _in_scope(self, user, action, instance):
        if action == "view":
            return may_see_entry(user, instance)
        return acts_for_all_departments(user) or (
            instance.lead_department_id is not None and instance.lead_department_id in department_ids(user)
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._in_scope(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        granted = [action for action in actions if self.user_has_permission(user, action)]
        if not granted:
            return self.model.objects.none()
        if "view" in granted:
            return visible_entries(self.model.objects.all(), user)
        return self.model.objects.modifiable_by(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        if "view" in actions:
            return users
        scope = Q(is_superuser=True) | Q(groups__name=COORDINATOR_GROUP)
        if instance.lead_department_id is not None:
            keys = Department.objects.filter(pk=instance.lead_department_id).values("translation_key")
            scope |= Q(groups__departments__translation_key__in=keys)
        return users.filter(pk__in=get_user_model().objects.filter(scope).values("pk"))


project_policy = ProjectPermissionPolicy(Project)


def user_can_edit_project(user, project):
    return project_policy.user_has_permission_for_instance(user, "change", project)


def user_can_place_under(user, parent):
    """Whether the user may put an entry under `parent`.

    A sub-entry's progress rolls up into its parent, so hanging one under another department's
    entry would change that entry: only those who may change the parent may do it.
    """
    return parent is None or user_can_edit_project(user, parent)


class ProjectObjectPermissionMixin(PermissionCheckedMixin):
    """Adds the per-entry check to an admin view that Wagtail checks on model level only.

    Every snippet object view sets `self.object` in `setup()`, before `dispatch()` asks for
    permission; views without an object (create, listing) fall through to Wagtail's check.
    """

    def _may_act_on_object(self, action):
        instance = getattr(self, "object", None)
        if not isinstance(instance, Project) or instance.pk is None:
            return True
        user = self.request.user
        if project_policy.user_has_permission_for_instance(user, action, instance):
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

    def user_has_permission(self, permission):
        return super().user_has_permission(permission) and self._may_act_on_object(permission)

    def user_has_any_permission(self, permissions):
        return super().user_has_any_permission(permissions) and any(
            self._may_act_on_object(permission) for permission in permissions
        )


def _of_snippet(pk, **kwargs):
    pk = unquote(pk)
    if not pk.isdigit():
        # No entry has such a key; wagtail-localize's view would fail on it with a 500.
        raise Http404
    return Project.objects.filter(pk=pk).first()


def _of_page(page_id, **kwargs):
    return Page.objects.filter(pk=page_id).first()


def _of_translation(translation_id, **kwargs):
    translation = Translation.objects.filter(pk=translation_id).select_related("source").first()
    return translation.source.get_source_instance() if translation else None


def _of_source(translation_source_id, **kwargs):
    source = TranslationSource.objects.filter(pk=translation_source_id).first()
    return source.get_source_instance() if source else None


def _guarded(view, find_instance):
    """wagtail-localize checks model permissions only; ask the entry policy before its view runs."""

    @wraps(view)
    def guarded_view(request, *args, **kwargs):
        instance = find_instance(**kwargs)
        if isinstance(instance, Project) and not user_can_edit_project(request.user, instance):
            raise PermissionDenied
        if isinstance(instance, Page) and not instance.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded_view


def translation_guard_urls():
    """URL patterns matching wagtail-localize's own, registered ahead of them (see wagtail_hooks)."""
    # The snippet route is narrowed to entries; the view still reads the model from its kwargs.
    snippet = {"app_label": "catalogue", "model_name": "project"}
    by_translation = [
        ("strings/<int:string_segment_id>/edit/", edit_translation.edit_string_translation),
        ("overrides/<int:overridable_segment_id>/edit/", edit_translation.edit_override),
        ("pofile/upload/", edit_translation.upload_pofile),
        # The file holds the source's strings as last synchronised: possibly a draft.
        ("pofile/download/", edit_translation.download_pofile),
        ("machine_translate/", edit_translation.machine_translate),
        ("disable/", edit_translation.stop_translation),
    ]
    patterns = [
        path(
            "localize/submit/snippet/catalogue/project/<str:pk>/",
            _guarded(submit_translations.SubmitSnippetTranslationView.as_view(), _of_snippet),
            snippet,
        ),
        # wagtail-localize lets anyone with the translation right translate any page.
        path(
            "localize/submit/page/<int:page_id>/",
            _guarded(submit_translations.SubmitPageTranslationView.as_view(), _of_page),
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            _guarded(update_translations.UpdateTranslationsView.as_view(), _of_source),
        ),
    ]
    patterns += [
        path(f"localize/translate/<int:translation_id>/{route}", _guarded(view, _of_translation))
        for route, view in by_translation
    ]
    return patterns
