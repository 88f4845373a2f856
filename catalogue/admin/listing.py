"""The entries' admin listing in a fixed number of queries, however many rows a page shows.

The shown relations come joined with the rows. wagtail-localize's listing buttons ("Translate",
"Sync translated snippets") would ask two queries per row; the listing asks them once per page
(`TranslationState`) and builds the same buttons.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import BaseButton, Button, ButtonWithDropdown
from wagtail.models import Locale
from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.models import TranslationSource

from cms.locales import default_locale, locales_by_code

LISTING_RELATIONS = ("status", "lead_department", "locale")

if TYPE_CHECKING:
    # Wagtail has no type information: to the checker the mixin stands on the index view it joins.
    from wagtail.snippets.views.snippets import IndexView as _IndexView
else:
    _IndexView = object


@dataclass(frozen=True)
class TranslationState:
    """For the rows of one listing page: which lack a language, and which are sources of synced translations."""

    untranslated: frozenset[tuple[Any, int]]
    synced_sources: dict[tuple[Any, int], int]

    @classmethod
    def for_rows(cls, rows: list[Any]) -> "TranslationState":
        if not rows:
            return cls(frozenset(), {})
        model = type(rows[0])
        keys = {row.translation_key for row in rows}
        languages = len(locales_by_code())
        counts = dict(
            model.objects.filter(translation_key__in=keys)
            .values_list("translation_key")
            .annotate(count=Count("locale", distinct=True))
            .order_by()
        )
        untranslated = frozenset(
            (row.translation_key, row.locale_id) for row in rows if counts.get(row.translation_key, 0) < languages
        )
        content_type = ContentType.objects.get_for_model(model.get_translation_model())
        sources = (
            TranslationSource.objects.filter(
                object__translation_key__in=keys, object__content_type=content_type, translations__enabled=True
            )
            .values_list("object__translation_key", "locale_id", "pk")
            .distinct()
        )
        return cls(untranslated, {(key, locale_id): pk for key, locale_id, pk in sources})


class QuickListingMixin(_IndexView):
    """For an index view of a translatable snippet: joined relations, translation buttons per page."""

    def get_base_queryset(self) -> QuerySet:
        return super().get_base_queryset().select_related(*LISTING_RELATIONS)

    def get_locale(self) -> Locale | None:
        # Wagtail reads the default locale from the database; the cached list knows it.
        if self.i18n_enabled and not self.request.GET.get("locale"):
            return default_locale()
        return super().get_locale()

    def paginate_queryset(self, queryset: QuerySet, page_size: int) -> tuple[Any, ...]:
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        self.page_rows = object_list
        return paginator, page, object_list, is_paginated

    @cached_property
    def translation_state(self) -> TranslationState:
        # The page's rows as the table reads them (one evaluation of the same queryset).
        return TranslationState.for_rows(list(self.page_rows))

    def translation_buttons(self, instance: Any, next_url: str) -> list[Button]:
        """The buttons wagtail-localize offers for `instance`, from `translation_state`."""
        if not self.request.user.has_perm("wagtail_localize.submit_translation"):
            return []
        meta = instance._meta
        key = (instance.translation_key, instance.locale_id)
        buttons = []
        if key in self.translation_state.untranslated:
            arguments = [meta.app_label, meta.model_name, quote(instance.pk)]
            url = reverse("wagtail_localize:submit_snippet_translation", args=arguments)
            buttons.append(
                Button(
                    _("Translate"),
                    url,
                    attrs={"aria-label": _("Translate '%(title)s'") % {"title": str(instance)}},
                    icon_name="wagtail-localize-language",
                    priority=100,
                )
            )
        source_id = self.translation_state.synced_sources.get(key)
        if source_id is not None:
            url = f"{reverse('wagtail_localize:update_translations', args=[source_id])}?{urlencode({'next': next_url})}"
            buttons.append(
                Button(
                    _("Sync translated snippets"),
                    url,
                    attrs={"aria-label": _("Sync translations of '%(title)s'") % {"title": str(instance)}},
                    icon_name="resubmit",
                    priority=106,
                )
            )
        return buttons

    def get_list_buttons(self, instance: Any) -> list[BaseButton]:
        """Wagtail's snippet listing buttons, with wagtail-localize's answered from `translation_state`."""
        next_url = self.request.path
        list_buttons = []
        more_buttons = []
        buttons = self.get_list_more_buttons(instance)
        for hook in hooks.get_hooks("register_snippet_listing_buttons"):
            if hook is localize_hooks.register_snippet_listing_buttons:
                buttons.extend(self.translation_buttons(instance, next_url))
            else:
                buttons.extend(hook(instance, self.request.user, next_url))
        for button in buttons:
            if isinstance(button, BaseButton) and not button.allow_in_dropdown:
                list_buttons.append(button)
            elif isinstance(button, MenuItem):
                if button.is_shown(self.request.user):
                    more_buttons.append(Button.from_menu_item(button))
            elif button.show:
                more_buttons.append(button)
        for hook in hooks.get_hooks("construct_snippet_listing_buttons"):
            hook(more_buttons, instance, self.request.user)
        if more_buttons:
            list_buttons.append(
                ButtonWithDropdown(
                    buttons=more_buttons,
                    icon_name="dots-horizontal",
                    attrs={"aria-label": _("More options for '%(title)s'") % {"title": str(instance)}},
                )
            )
        return list_buttons
