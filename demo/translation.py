"""Programmatic translation through wagtail-localize, used by the demo content and tests.

It goes through the same objects the editor's translation UI uses (TranslationSource,
Translation, StringTranslation), so a demo translation can later be edited in the admin
and stays in sync with its source.
"""

import html

from django.db import transaction
from wagtail.models import DraftStateMixin
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource


@transaction.atomic
def translate(instance, locale, strings, user=None, publish=True):
    """Create or update the translation of a page or snippet into `locale`.

    `strings` maps source text (as the editor sees it) to translated text. Segments without
    an entry keep the source text, which is what wagtail-localize's own fallback does.
    """
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale, defaults={"enabled": True})
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        source_text = segment.string.data
        translated = strings.get(html.unescape(source_text)) or strings.get(source_text)
        if not translated:
            continue
        data = translated if "<" in source_text else html.escape(translated, quote=False)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": data, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    drafts = isinstance(instance, DraftStateMixin)
    # wagtail-localize defers publishing to transaction.on_commit with the instance it held
    # then; a page published that way can overwrite tree fields changed since (numchild), and
    # inside an outer transaction (demo, tests) it never runs. So save a draft and publish a
    # freshly loaded revision here.
    translation.save_target(user=user, publish=publish and not drafts)
    translated = type(instance).objects.get(pk=instance.get_translation(locale).pk)
    if publish and drafts:
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated
