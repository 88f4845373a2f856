"""The permission matrix through real admin URLs: two departments, a coordinator and a reviewer."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale, ModelLogEntry, Revision
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from catalogue.models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Indicator,
    IndicatorValue,
    Municipality,
    Project,
    Status,
    StatusReport,
    Theme,
)
from catalogue.permissions import project_policy
from tests.catalogue_roles import PROJECT_URLS, build_world
from tests.conftest import module_data
from tests.test_catalogue_admin import inline

pytestmark = pytest.mark.django_db


def _build_world(site):
    return build_world()


_module_data, world = module_data(_build_world)


def url(name, *args):
    return reverse(f"{PROJECT_URLS}:{name}", args=args)


def state(entry):
    """Everything a refused request must leave as it was."""
    row = Project.objects.get(pk=entry.pk)
    return {
        "row": (row.title, row.live, row.locked, row.locked_by_id, row.latest_revision_id, row.lead_department_id),
        "draft": row.has_unpublished_changes,
        "revisions": Revision.objects.filter(object_id=str(entry.pk), base_content_type__model="project").count(),
        "reports": StatusReport.objects.filter(project=entry).count(),
        "log": ModelLogEntry.objects.filter(object_id=str(entry.pk)).count(),
        "values": IndicatorValue.objects.count(),
        "projects": Project.objects.count(),
    }


def assert_refused(response):
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def edit_data(entry, **extra):
    report = entry.reports.get()
    data = {
        "kind": entry.kind,
        "code": entry.code,
        "title": entry.title,
        "slug": entry.slug,
        "goals": [str(goal.pk) for goal in entry.goals.all()],
        "lead_department": str(entry.lead_department_id),
        "weight": "1",
        **inline("links"),
        **inline("documents"),
        **inline("reports"),
        "reports-TOTAL_FORMS": "1",
        "reports-INITIAL_FORMS": "1",
        "reports-0-id": str(report.pk),
        "reports-0-date": report.date.isoformat(),
        "reports-0-status": str(report.status_id),
        "reports-0-traffic_light": report.traffic_light,
        "reports-0-progress": str(report.progress),
        "reports-0-ORDER": "1",
    }
    data.update(extra)
    return data


def test_roles_command_is_idempotent_and_grants_what_the_issue_says(world):
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert "Koordination Kreisentwicklung" in out.getvalue()
    editor = world.editor_a
    assert editor.has_perms(["catalogue.add_project", "catalogue.change_project", "catalogue.add_indicatorvalue"])
    assert not editor.has_perm("catalogue.delete_project")
    assert not editor.has_perm("catalogue.publish_project")
    assert world.coordinator.has_perms(["catalogue.publish_project", "catalogue.delete_project"])
    reviewer_perms = Permission.objects.filter(group__user=world.reviewer).values_list("codename", flat=True)
    assert set(reviewer_perms) - {"access_admin"} and all(
        codename.startswith("view_") for codename in set(reviewer_perms) - {"access_admin"}
    )


def test_policy_and_querysets_scope_changes_to_the_lead_department(world):
    assert project_policy.user_has_permission_for_instance(world.editor_a, "change", world.entry_a)
    assert not project_policy.user_has_permission_for_instance(world.editor_a, "change", world.entry_b)
    assert project_policy.user_has_permission_for_instance(world.editor_a, "view", world.entry_b)
    assert not project_policy.user_has_permission_for_instance(world.editor_a, "delete", world.entry_a)
    assert project_policy.user_has_permission_for_instance(world.coordinator, "delete", world.entry_b)
    assert list(Project.objects.modifiable_by(world.editor_a)) == [world.entry_a]
    assert list(Project.objects.editable_by(world.editor_a)) == [world.entry_a]
    # The methods narrow whatever queryset they are given.
    assert list(Project.objects.filter(code="1.1.02").modifiable_by(world.editor_a)) == []
    assert set(Project.objects.modifiable_by(world.reviewer)) == set()
    assert list(Project.objects.editable_by(world.reviewer)) == []
    assert list(Project.objects.editable_by(world.nobody)) == []
    assert set(Project.objects.editable_by(world.coordinator)) == {world.entry_a, world.entry_b}
    assert set(project_policy.instances_user_has_permission_for(world.editor_a, "change")) == {world.entry_a}
    users = project_policy.users_with_any_permission_for_instance(["change"], world.entry_b)
    assert {user.username for user in users} == {"admin", "editor-b", "koordination"}


def test_listing_shows_all_published_entries_but_edit_links_only_for_own(client, world):
    client.force_login(world.editor_a)
    # By default a department sees its own entries; "Alle Einträge" shows the others' published ones.
    html = client.get(url("list")).content.decode()
    assert world.entry_a.title in html and world.entry_b.title not in html
    response = client.get(url("list"), {"mine": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert world.entry_a.title in html and world.entry_b.title in html
    assert url("edit", world.entry_a.pk) in html
    assert url("quick_report", world.entry_a.pk) in html
    assert url("edit", world.entry_b.pk) not in html
    assert url("quick_report", world.entry_b.pk) not in html
    assert url("delete", world.entry_a.pk) not in html


def test_editor_edits_own_entry_but_not_another_departments(client, world):
    client.force_login(world.editor_a)
    assert client.get(url("edit", world.entry_a.pk)).status_code == 200
    response = client.post(url("edit", world.entry_a.pk), edit_data(world.entry_a, title="Neuer Titel A"))
    assert response.status_code == 302
    assert Project.objects.get(pk=world.entry_a.pk).get_latest_revision_as_object().title == "Neuer Titel A"

    before = state(world.entry_b)
    assert_refused(client.get(url("edit", world.entry_b.pk)))
    assert_refused(client.post(url("edit", world.entry_b.pk), edit_data(world.entry_b, title="Übernommen")))
    assert_refused(
        client.post(url("edit", world.entry_b.pk), edit_data(world.entry_b, title="Entwurf", **{"action-submit": "1"}))
    )
    assert state(world.entry_b) == before


def test_editor_cannot_move_an_entry_to_or_create_one_for_another_department(client, world):
    client.force_login(world.editor_a)
    form = client.get(url("edit", world.entry_a.pk)).context["form"]
    assert list(form.fields["lead_department"].queryset) == [world.dep_a]

    before = state(world.entry_a)
    response = client.post(url("edit", world.entry_a.pk), edit_data(world.entry_a, lead_department=str(world.dep_b.pk)))
    assert response.status_code == 200
    assert "lead_department" in response.context["form"].errors
    assert state(world.entry_a) == before

    new = edit_data(world.entry_a, code="9.9.99", title="Fremd", slug="", lead_department=str(world.dep_b.pk))
    new.update({**inline("reports")})
    response = client.post(url("add") + "?locale=de", new)
    assert response.status_code == 200
    assert not Project.objects.filter(code="9.9.99").exists()
    response = client.post(url("add") + "?locale=de", {**new, "lead_department": str(world.dep_a.pk)})
    assert response.status_code == 302
    assert Project.objects.get(code="9.9.99").lead_department == world.dep_a


def test_editor_publishes_only_through_the_workflow(client, world):
    client.force_login(world.editor_a)
    data = edit_data(world.entry_a, title="Sofort live?", **{"action-publish": "publish"})
    client.post(url("edit", world.entry_a.pk), data)
    row = Project.objects.get(pk=world.entry_a.pk)
    assert row.title == "Eintrag 1.1.01" and row.has_unpublished_changes


@pytest.mark.parametrize("user_name", ["editor_a", "reviewer"])
def test_delete_unpublish_and_bulk_delete_are_refused(client, world, user_name):
    client.force_login(getattr(world, user_name))
    for entry in (world.entry_a, world.entry_b):
        before = state(entry)
        assert_refused(client.get(url("delete", entry.pk)))
        assert_refused(client.post(url("delete", entry.pk)))
        assert_refused(client.post(url("unpublish", entry.pk)))
        response = client.post(bulk_delete_url(entry))
        # The coordinator's test below shows this very request deletes when the user may.
        assert response.status_code in (302, 403)
        assert state(entry) == before


def bulk_delete_url(*entries):
    ids = "&".join(f"id={entry.pk}" for entry in entries)
    return reverse("wagtail_bulk_action", args=("catalogue", "project", "delete")) + f"?{ids}"


def test_coordinator_bulk_deletes_with_the_request_the_others_are_refused(client, world):
    client.force_login(world.coordinator)
    assert client.post(bulk_delete_url(world.entry_a)).status_code == 302
    assert not Project.objects.filter(pk=world.entry_a.pk).exists()


def test_coordinator_may_unpublish_and_delete(client, world):
    client.force_login(world.coordinator)
    assert client.post(url("unpublish", world.entry_b.pk)).status_code == 302
    assert not Project.objects.get(pk=world.entry_b.pk).live
    assert client.post(url("delete", world.entry_b.pk)).status_code == 302
    assert not Project.objects.filter(pk=world.entry_b.pk).exists()


def test_lock_and_unlock_only_on_own_entries(client, world):
    client.force_login(world.editor_a)
    before = state(world.entry_b)
    assert_refused(client.post(url("lock", world.entry_b.pk)))
    assert state(world.entry_b) == before
    client.post(url("lock", world.entry_a.pk))
    assert Project.objects.get(pk=world.entry_a.pk).locked

    client.force_login(world.coordinator)
    client.post(url("lock", world.entry_b.pk))
    assert Project.objects.get(pk=world.entry_b.pk).locked
    client.force_login(world.editor_a)
    before = state(world.entry_b)
    assert_refused(client.post(url("unlock", world.entry_b.pk)))
    assert state(world.entry_b) == before


def test_history_and_revisions_only_for_own_department_and_coordinator(client, world):
    revision = world.entry_b.latest_revision
    client.force_login(world.editor_a)
    assert client.get(url("history", world.entry_a.pk)).status_code == 200
    before = state(world.entry_b)
    for response in (
        client.get(url("history", world.entry_b.pk)),
        client.get(url("workflow_history", world.entry_b.pk)),
        client.get(url("revisions_view", world.entry_b.pk, revision.pk)),
        client.get(url("revisions_compare", world.entry_b.pk, "earliest", "latest")),
        client.get(url("revisions_revert", world.entry_b.pk, revision.pk)),
        client.post(url("revisions_revert", world.entry_b.pk, revision.pk), edit_data(world.entry_b, title="Zurück")),
        client.post(url("revisions_unschedule", world.entry_b.pk, revision.pk)),
    ):
        assert_refused(response)
    assert state(world.entry_b) == before

    client.force_login(world.editor_b)
    assert client.get(url("history", world.entry_b.pk)).status_code == 200
    assert client.get(url("revisions_view", world.entry_b.pk, revision.pk)).status_code == 200
    client.force_login(world.coordinator)
    assert client.get(url("history", world.entry_b.pk)).status_code == 200
    client.force_login(world.reviewer)
    assert_refused(client.get(url("history", world.entry_b.pk)))


def test_quick_report_for_another_department_is_forbidden(client, world):
    client.force_login(world.editor_a)
    before = state(world.entry_b)
    quick = url("quick_report", world.entry_b.pk)
    assert client.get(quick).status_code == 403
    data = {
        "date": "2025-06-30",
        "status": str(world.status.pk),
        "traffic_light": "at_risk",
        "progress": "50",
        "text": "Fremder Bericht",
        f"indicator_{world.indicator_b.pk}": "12",
    }
    assert client.post(quick, data).status_code == 403
    assert state(world.entry_b) == before
    client.force_login(world.reviewer)
    assert client.post(url("quick_report", world.entry_a.pk), data).status_code == 403


def test_indicators_and_taxonomy_are_read_only_for_departments(client, world):
    client.force_login(world.editor_a)
    indicator_urls = "wagtailsnippets_catalogue_indicator"
    assert_refused(client.get(reverse(f"{indicator_urls}:edit", args=[world.indicator_a.pk])))
    before = IndicatorValue.objects.count()
    response = client.post(
        reverse(f"{indicator_urls}:edit", args=[world.indicator_b.pk]),
        {
            "title": "Photovoltaik",
            "unit": "MW",
            "direction": "higher",
            **inline("values", [{"date": "2025-01-01", "value": "3"}]),
        },
    )
    assert_refused(response)
    assert IndicatorValue.objects.count() == before
    assert client.get(reverse(f"{indicator_urls}:list")).status_code == 200


def test_chooser_and_export_follow_model_permissions(client, world):
    chooser = reverse("wagtailsnippetchoosers_catalogue_project:choose")
    client.force_login(world.editor_a)
    response = client.get(chooser)
    assert response.status_code == 200
    assert world.entry_b.title in response.json()["html"]
    export = client.get(url("list") + "?export=csv&mine=")
    assert export.status_code == 200
    assert world.entry_b.code in b"".join(export.streaming_content).decode()

    # Choosing an entry is viewing it, which no department is denied; exporting needs a permission.
    client.force_login(world.nobody)
    assert_refused(client.get(url("list") + "?export=csv"))


CHOOSER_MODELS = {
    "project": Project,
    "area": Area,
    "goal": Goal,
    "theme": Theme,
    "indicator": Indicator,
    "status": Status,
    "department": Department,
    "municipality": Municipality,
    "fundingprogramme": FundingProgramme,
}


@pytest.mark.parametrize("user_name", ["editor_a", "coordinator", "admin"])
def test_snippet_choosers_offer_no_creation_and_refuse_it_without_an_error(client, world, user_name):
    """Creating in a chooser would skip the editor's form, revisions and workflow: the endpoint is gone."""
    user = get_user_model().objects.get(username="admin") if user_name == "admin" else getattr(world, user_name)
    client.force_login(user)
    client.raise_request_exception = False
    for model_name, model in CHOOSER_MODELS.items():
        namespace = f"wagtailsnippetchoosers_catalogue_{model_name}"
        create = reverse(f"{namespace}:create")
        choose = client.get(reverse(f"{namespace}:choose"))
        assert choose.status_code == 200
        assert create not in choose.json()["html"]

        counts = (model.objects.count(), Revision.objects.count(), ModelLogEntry.objects.count())
        assert client.get(create).status_code == 404, model_name
        data = {
            "title": "Im Auswahldialog angelegt",
            "name": "Im Auswahldialog angelegt",
            "code": "9.9.98",
            "lead_department": str(world.dep_b.pk),
            "goals": [str(world.goal.pk)],
        }
        assert client.post(create, data).status_code == 404, model_name
        assert client.post(create, {}).status_code == 404, model_name
        assert (model.objects.count(), Revision.objects.count(), ModelLogEntry.objects.count()) == counts


def _translation(entry):
    source, _created = TranslationSource.get_or_create_from_instance(entry)
    english = Locale.objects.get(language_code="en")
    translation = Translation.objects.create(source=source, target_locale=english)
    translation.save_target(publish=False)
    return translation


def test_translation_endpoints_are_guarded(client, world):
    english = Locale.objects.get(language_code="en")
    client.force_login(world.editor_a)
    before = state(world.entry_b)
    submit = reverse("wagtail_localize:submit_snippet_translation", args=["catalogue", "project", world.entry_b.pk])
    assert_refused(client.post(submit, {"locales": [english.pk]}))
    assert not Project.objects.filter(translation_key=world.entry_b.translation_key, locale=english).exists()

    translation = _translation(world.entry_b)
    segment = translation.source.stringsegment_set.select_related("string").first()
    edit_string = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(edit_string, "value=Stolen", content_type="application/x-www-form-urlencoded")
    assert_refused(response)
    assert not StringTranslation.objects.filter(translation_of=segment.string, locale=english).exists()
    assert_refused(client.post(reverse("wagtail_localize:stop_translation", args=[translation.pk])))
    translation.refresh_from_db()
    assert translation.enabled
    # "Update translations" copies the source's current (possibly draft) text into the translations.
    update = reverse("wagtail_localize:update_translations", args=[translation.source.pk])
    assert_refused(client.get(update))
    assert_refused(client.post(update, {"publish_translations": "on"}))
    assert state(world.entry_b)["row"] == before["row"]

    # Addresses no entry has answer "not found", never an error.
    client.raise_request_exception = False
    for address in (
        "/admin/localize/submit/snippet/catalogue/project/abc/",
        "/admin/localize/submit/snippet/catalogue/project/999999/",
        "/admin/localize/translate/999999/pofile/download/",
        "/admin/localize/update/999999/",
    ):
        assert client.get(address).status_code == 404, address
    assert client.post("/admin/localize/translate/999999/disable/").status_code == 404

    own = reverse("wagtail_localize:submit_snippet_translation", args=["catalogue", "project", world.entry_a.pk])
    assert client.get(own).status_code == 200
    own_translation = _translation(world.entry_a)
    assert (
        client.get(reverse("wagtail_localize:update_translations", args=[own_translation.source.pk])).status_code == 200
    )
    client.post(reverse("wagtail_localize:stop_translation", args=[own_translation.pk]))
    own_translation.refresh_from_db()
    assert not own_translation.enabled


def test_workflow_reviewer_keeps_access_to_the_editor(client, world):
    client.force_login(world.editor_a)
    data = edit_data(world.entry_a, title="Zur Freigabe", **{"action-submit": "1"})
    assert client.post(url("edit", world.entry_a.pk), data).status_code == 302
    assert Project.objects.get(pk=world.entry_a.pk).workflow_in_progress
    client.force_login(world.coordinator)
    assert client.get(url("edit", world.entry_a.pk)).status_code == 200
    client.force_login(world.editor_b)
    assert_refused(client.get(url("edit", world.entry_a.pk)))


def test_the_policy_lists_entries_and_users_by_action(world):
    """What Wagtail asks the entry policy when it lists (its choosers, listings and API use these):
    seeing goes by the view right alone, changing by the department as well."""
    entries = {world.entry_a.pk, world.entry_b.pk}
    listed = project_policy.instances_user_has_any_permission_for
    assert set(listed(world.reviewer, ["view"]).values_list("pk", flat=True)) >= entries
    assert set(listed(world.editor_a, ["view", "change"]).values_list("pk", flat=True)) >= entries
    assert not listed(world.reviewer, ["change"]).exists()
    changeable = set(listed(world.editor_a, ["change"]).values_list("pk", flat=True))
    assert world.entry_a.pk in changeable
    assert world.entry_b.pk not in changeable

    users = project_policy.users_with_any_permission_for_instance
    assert {world.editor_a, world.reviewer} <= set(users(["view"], world.entry_b))
    may_change_b = set(users(["change"], world.entry_b))
    assert world.coordinator in may_change_b
    assert world.editor_a not in may_change_b
    assert world.reviewer not in may_change_b


def test_an_approver_outside_the_coordination_acts_only_while_the_entry_waits_for_them(client, world):
    """A county may put another group (say, the finance office) into the report workflow's approval
    task. Its members may open, lock and unlock an entry only while the entry waits for their task;
    someone who locked an entry may always unlock it again."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupApprovalTask

    finance = Group.objects.create(name="Kämmerei")
    finance.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["catalogue", "wagtailadmin"],
            codename__in=["access_admin", "view_project", "change_project", "lock_project", "unlock_project"],
        )
    )
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=world.entry_a.get_workflow())
    task.groups.add(finance)
    approver = get_user_model().objects.create_user("kaemmerei", "kaemmerei@lk.example", "geheim-genug-123")
    approver.groups.add(finance)

    client.force_login(approver)
    assert_refused(client.get(url("edit", world.entry_a.pk)))
    assert_refused(client.post(url("lock", world.entry_a.pk)))
    assert not Project.objects.get(pk=world.entry_a.pk).locked

    client.force_login(world.editor_a)
    data = edit_data(world.entry_a, title="Zur Freigabe", **{"action-submit": "1"})
    assert client.post(url("edit", world.entry_a.pk), data).status_code == 302
    client.force_login(approver)
    assert client.get(url("edit", world.entry_a.pk)).status_code == 200
    client.post(url("lock", world.entry_a.pk))
    assert Project.objects.get(pk=world.entry_a.pk).locked_by_id == approver.pk
    client.post(url("unlock", world.entry_a.pk))
    assert not Project.objects.get(pk=world.entry_a.pk).locked
    client.post(url("lock", world.entry_a.pk))
    # Their task lets them look, lock and decide, nothing more: no deleting, no unpublishing.
    finance.permissions.add(*Permission.objects.filter(codename__in=["delete_project", "publish_project"]))
    assert_refused(client.post(url("delete", world.entry_a.pk)))
    assert_refused(client.post(url("unpublish", world.entry_a.pk)))
    assert Project.objects.filter(pk=world.entry_a.pk, live=True).exists()
    # Entries not waiting for the task stay closed to them.
    assert_refused(client.get(url("edit", world.entry_b.pk)))

    # The workflow ends (the department withdraws the report): the lock holder may still unlock.
    Project.objects.get(pk=world.entry_a.pk).current_workflow_state.cancel(user=world.editor_a)
    assert_refused(client.get(url("edit", world.entry_a.pk)))
    client.post(url("unlock", world.entry_a.pk))
    assert not Project.objects.get(pk=world.entry_a.pk).locked
    assert_refused(client.post(url("lock", world.entry_a.pk)))
    assert not Project.objects.get(pk=world.entry_a.pk).locked
