"""What `load_demo` writes in bulk is what Wagtail and wagtail-localize write one by one.

The demo builds its translations' segments and its entries' revisions in bulk (issue 20: `make run`
within 30 s). wagtail-localize's own segment refresh must find every segment already there, an
English entry must be published and open in the translation editor, each entry keeps a revision
that the admin shows as published, and a second run still changes nothing.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from wagtail.models import Locale, ModelLogEntry
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    String,
    StringSegment,
    StringTranslation,
    TemplateSegment,
    Translation,
    TranslationContext,
    TranslationSource,
)
from wagtail_localize.strings import StringValue, validate_translation_links

from catalogue.models import Project

SEGMENT_MODELS = (StringSegment, TemplateSegment, RelatedObjectSegment, OverridableSegment)


def _segment_rows(source: TranslationSource) -> dict[str, set[tuple]]:
    return {
        model.__name__: set(model.objects.filter(source=source).values_list("pk", "context_id", "order"))
        for model in SEGMENT_MODELS
    }


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith("wagtailsearch_indexentry_"):
                continue  # SQLite's full-text shadow tables follow wagtailsearch_indexentry
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_wagtail_localize_finds_every_segment_the_demo_wrote(demo):
    # One source of each kind (pages, entries, vocabulary, budget products): wagtail-localize's
    # own refresh creates or deletes nothing if the bulk path wrote exactly its rows.
    sources = {}
    for source in TranslationSource.objects.order_by("pk"):
        sources.setdefault(source.specific_content_type_id, source)
    assert len(sources) >= 8
    strings, contexts = String.objects.count(), TranslationContext.objects.count()
    for source in sources.values():
        before = _segment_rows(source)
        assert before["StringSegment"], source.object_repr
        source.refresh_segments()
        assert _segment_rows(source) == before, source.object_repr
    assert (String.objects.count(), TranslationContext.objects.count()) == (strings, contexts)
    assert not TranslationContext.objects.filter(field_path="").exists()


def test_the_demo_translated_strings_carry_the_checks_wagtail_localize_makes_on_save(demo):
    translations = list(StringTranslation.objects.select_related("translation_of"))
    assert len(translations) > 300
    for translation in translations:
        try:
            StringValue.from_translated_html(translation.data)
            validate_translation_links(translation.translation_of.data, translation.data)
            valid = True
        except ValueError:
            valid = False
        assert translation.has_error is not valid, translation.data
        assert translation.translation_type == StringTranslation.TRANSLATION_TYPE_MANUAL


def test_an_english_demo_entry_is_published_and_opens_in_the_translation_editor(client, demo):
    english = Project.objects.filter(locale__language_code="en").order_by("code").first()
    german = english.get_translation(Locale.objects.get(language_code="de"))
    assert english.live and not english.has_unpublished_changes
    assert english.live_revision_id == english.latest_revision_id is not None
    assert english.first_published_at is not None and english.status_id is not None
    assert ModelLogEntry.objects.filter(
        object_id=str(english.pk), action="wagtail.publish", revision=english.live_revision_id
    ).exists()
    assert Translation.objects.filter(source__object_id=german.translation_key, enabled=True).exists()

    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(reverse("wagtailsnippets_catalogue_project:edit", args=[english.pk]))
    assert response.status_code == 200
    assert "wagtail_localize/admin/edit_translation.html" in [template.name for template in response.templates]
    props = json.loads(response.context["props"])
    assert props["object"]["isLive"] is True
    # The editor shows the German title as a source string and the demo's English title as its translation.
    assert german.title in {segment.get("source") for segment in props["segments"]}
    assert english.title in {translation["data"] for translation in props["initialStringTranslations"]}


def test_every_demo_entry_has_its_published_revision_and_the_admin_shows_it(client, demo):
    entries = Project.objects.filter(locale__language_code="de", live=True)
    assert entries.count() >= 73
    assert not entries.filter(live_revision__isnull=True).exists()
    assert not entries.filter(first_published_at__isnull=True).exists()
    published = set(
        ModelLogEntry.objects.filter(action="wagtail.publish", content_type__model="project").values_list(
            "object_id", flat=True
        )
    )
    assert {str(pk) for pk in entries.values_list("pk", flat=True)} <= published
    entry = entries.get(code="1.1.1.01")
    revision = entry.live_revision
    assert revision.content["code"] == entry.code and revision.content["title"] == entry.title
    assert sorted(revision.content["goals"]) == sorted(entry.goals.values_list("pk", flat=True))
    assert revision.as_object().sdg_targets.count() == entry.sdg_targets.count()

    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(reverse("wagtailsnippets_catalogue_project:inspect", args=[entry.pk]))
    assert response.status_code == 200
    assert response.context["revisions"] == [revision]
    assert "(veröffentlicht)" in response.content.decode()


@pytest.mark.django_db
def test_a_second_load_demo_changes_no_table(demo):
    before = _row_counts()
    call_command("load_demo", stdout=io.StringIO())
    after = _row_counts()
    assert {table: (count, after[table]) for table, count in before.items() if after[table] != count} == {}
