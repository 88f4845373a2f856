"""Programmatic translation through wagtail-localize, used by the demo content and tests.

It goes through the same objects the editor's translation UI uses (TranslationSource,
Translation, StringTranslation), so a demo translation can later be edited in the admin
and stays in sync with its source.

A new source's segments and the translated strings are written in bulk: wagtail-localize's own
`refresh_segments` and `StringTranslation.update_or_create` cost about nine queries per segment
(a get_or_create with its savepoint for the string, the context and the segment each), which was
most of `load_demo`'s time. A source that exists already (a second run after the demo texts
changed) is refreshed by wagtail-localize itself, which also removes segments no longer there.
"""

import html
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, Locale, Page, Revision, TranslatableMixin
from wagtail.signals import published
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.strings import StringValue, validate_translation_links


class SourceString(NamedTuple):
    """A string segment of a source as saved: what it says, in which context."""

    string: String
    context: TranslationContext


@transaction.atomic
def translate(instance, locale, strings, user=None, publish=True):
    """Create or update the translation of a page or snippet into `locale`.

    `strings` maps source text (as the editor sees it) to translated text. Segments without
    an entry keep the source text, which is what wagtail-localize's own fallback does.
    """
    source, source_strings = _source_with_strings(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale, defaults={"enabled": True})
    _save_string_translations(source_strings, locale, strings)
    drafts = isinstance(instance, DraftStateMixin)
    # wagtail-localize defers publishing to transaction.on_commit with the instance it held
    # then; a page published that way can overwrite tree fields changed since (numchild), and
    # inside an outer transaction (demo, tests) it never runs. So save a draft and publish the
    # freshly loaded row here.
    translation.save_target(user=user, publish=publish and not drafts)
    translated = type(instance).objects.get(pk=instance.get_translation(locale).pk)
    if publish and drafts:
        _publish_saved_draft(translated, translated.get_latest_revision(), user)
    return translated


def _publish_saved_draft(instance: DraftStateMixin, revision: Revision, user: Any) -> None:
    """What `revision.publish()` does for a draft whose row was just saved from that same revision.

    Wagtail's publishing builds the object again from the revision's JSON and saves it with all its
    child relations a second time; here the row already holds that content, so only the publishing
    fields are written, the publish logged and the `published` receivers told.
    """
    now = timezone.now()
    values = {
        "live": True,
        "has_unpublished_changes": False,
        "expired": False,
        "live_revision": revision,
        "first_published_at": instance.first_published_at or now,
        "last_published_at": now,
    }
    type(instance)._default_manager.filter(pk=instance.pk).update(**values)
    for name, value in values.items():
        setattr(instance, name, value)
    log(instance=instance, action="wagtail.publish", user=user, revision=revision, content_changed=True)
    published.send(sender=type(instance), instance=instance, revision=revision)


def _source_with_strings(instance: TranslatableMixin) -> tuple[TranslationSource, list[SourceString]]:
    """The instance's TranslationSource, up to date, with its string segments."""
    if isinstance(instance, Page):
        instance = instance.specific
    exists = TranslationSource.objects.filter(object_id=instance.translation_key, locale_id=instance.locale_id).exists()
    if exists:
        source, _ = TranslationSource.update_or_create_from_instance(instance)
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        return source, [SourceString(segment.string, segment.context) for segment in segments]
    translatable, _ = TranslatableObject.objects.get_or_create_from_instance(instance)
    if isinstance(instance, ClusterableModel):
        content_json = instance.to_json()
    else:
        content_json = json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)
    source = TranslationSource.objects.create(
        object=translatable,
        locale=instance.locale,
        specific_content_type=ContentType.objects.get_for_model(instance.__class__),
        object_repr=str(instance)[:200],
        content_json=content_json,
        schema_version=get_schema_version(instance._meta.app_label),
        last_updated_at=timezone.now(),
    )
    # The instance itself, not `source.as_instance()` (the same content rebuilt from the JSON just
    # stored, which looks up every related object again).
    return source, _create_segments(source, instance)


def _create_segments(source: TranslationSource, instance: models.Model) -> list[SourceString]:
    """What `TranslationSource.refresh_segments` writes for a new source, in a few bulk queries."""
    values = extract_segments(instance)
    contexts = _contexts(source, instance, {value.path for value in values})
    texts = [value.string.data for value in values if isinstance(value, StringSegmentValue)]
    strings = _strings(source.locale, texts)
    templates = {
        (value.format, value.template): Template.from_value(value)
        for value in values
        if isinstance(value, TemplateSegmentValue)
    }
    objects = {
        (value.content_type.pk, value.translation_key): TranslatableObject.objects.get_or_create(
            content_type=value.content_type, translation_key=value.translation_key
        )[0]
        for value in values
        if isinstance(value, RelatedObjectSegmentValue)
    }
    string_segments, template_segments, object_segments, overridable_segments = [], [], [], []
    source_strings = []
    for value in values:
        common = {"source": source, "context": contexts[value.path], "order": value.order}
        if isinstance(value, TemplateSegmentValue):
            template_segments.append(TemplateSegment(**common, template=templates[(value.format, value.template)]))
        elif isinstance(value, RelatedObjectSegmentValue):
            key = (value.content_type.pk, value.translation_key)
            object_segments.append(RelatedObjectSegment(**common, object=objects[key]))
        elif isinstance(value, OverridableSegmentValue):
            data_json = json.dumps(value.data, cls=DjangoJSONEncoder)
            overridable_segments.append(OverridableSegment(**common, data_json=data_json))
        else:
            string = strings[value.string.data]
            attrs = json.dumps(value.attrs, cls=DjangoJSONEncoder)
            string_segments.append(StringSegment(**common, string=string, attrs=attrs))
            source_strings.append(SourceString(string, contexts[value.path]))
    for model, rows in (
        (StringSegment, string_segments),
        (TemplateSegment, template_segments),
        (RelatedObjectSegment, object_segments),
        (OverridableSegment, overridable_segments),
    ):
        model.objects.bulk_create(rows)
    return source_strings


def _contexts(source: TranslationSource, instance: models.Model, paths: set[str]) -> dict[str, TranslationContext]:
    path_ids = {TranslationContext._get_path_id(path): path for path in paths}
    found = {
        context.path: context
        for context in TranslationContext.objects.filter(object_id=source.object_id, path_id__in=path_ids)
    }
    new = [
        TranslationContext(object_id=source.object_id, path=path, path_id=path_id)
        for path_id, path in path_ids.items()
        if path not in found
    ]
    for context in new:
        context.field_path = _field_path(context, instance)
    found |= {context.path: context for context in TranslationContext.objects.bulk_create(new)}
    for context in found.values():
        # Fills in an old context's missing field path, as refresh_segments does.
        context.get_field_path(instance)
    return found


def _field_path(context: TranslationContext, instance: models.Model) -> str:
    """The field path `get_field_path` works out, without the UPDATE it then sends for each new context."""
    context.save = _unsaved
    try:
        return context.get_field_path(instance)
    finally:
        del context.save


def _unsaved(*args: Any, **kwargs: Any) -> None:
    """Stands in for `save` while a context that is not in the database yet works out its field path."""


def _strings(locale: Locale, texts: Iterable[str]) -> dict[str, String]:
    hashes = {String._get_data_hash(text): text for text in texts}
    found = {string.data: string for string in String.objects.filter(locale=locale, data_hash__in=hashes)}
    found |= {
        string.data: string
        for string in String.objects.bulk_create(
            String(locale=locale, data_hash=data_hash, data=text)
            for data_hash, text in hashes.items()
            if text not in found
        )
    }
    return found


def _save_string_translations(source_strings: list[SourceString], locale: Locale, strings: dict[str, str]) -> None:
    """Store the translated text of each string segment that `strings` has a translation for."""
    wanted = {}
    for string, context in source_strings:
        translated = strings.get(html.unescape(string.data)) or strings.get(string.data)
        if translated:
            data = translated if "<" in string.data else html.escape(translated, quote=False)
            wanted[(string.pk, context.pk)] = (string, context, data)
    existing = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(
            locale=locale, context__in={context for _, context, _ in wanted.values()}
        )
    }
    new = []
    for key, (string, context, data) in wanted.items():
        row = existing.get(key) or StringTranslation(translation_of=string, locale=locale, context=context)
        row.data, row.translation_type = data, StringTranslation.TRANSLATION_TYPE_MANUAL
        if key in existing:
            row.save()
        else:
            # What StringTranslation.save checks after saving, checked before the bulk insert.
            row.has_error = not _valid_translation(string.data, data)
            new.append(row)
    StringTranslation.objects.bulk_create(new)


def _valid_translation(source: str, translated: str) -> bool:
    try:
        StringValue.from_translated_html(translated)
        validate_translation_links(source, translated)
    except ValueError:
        return False
    return True
