"""Names in the reader's language: the budget links source-language rows, translations lend their names."""

from collections.abc import Iterable, Mapping
from uuid import UUID

from django.conf import settings
from django.db.models import CharField, Model, TextField, Value
from django.db.models.functions import Cast
from wagtail.models import Locale

from cms.locales import locales_by_code

from .models import BudgetProduct


def default_locale() -> Locale:
    """The source language of the budget's rows, from the cached locale list."""
    return locales_by_code().get(settings.LANGUAGE_CODE) or Locale.get_default()


def product_names(locale: Locale, keys: Iterable[UUID]) -> dict[UUID, str]:
    return labels_in(locale, {"name": (BudgetProduct, keys, "name")})["name"]


def labels_in(
    locale: Locale, wanted: Mapping[str, tuple[type[Model], Iterable[UUID], str]]
) -> dict[str, dict[UUID, str]]:
    """Texts of several models' rows in `locale` with one query: {name: {translation key: text}}.

    `wanted` maps a name to (model, translation keys, field). Empty for the source language,
    whose rows the caller holds already.
    """
    result: dict[str, dict[UUID, str]] = {name: {} for name in wanted}
    if locale.pk == default_locale().pk:
        return result
    requests = [(name, model, list(keys), field) for name, (model, keys, field) in wanted.items()]
    parts = [
        model._default_manager.filter(translation_key__in=keys, locale_id=locale.pk)
        .order_by()
        .values_list(Value(name, output_field=CharField()), "translation_key", Cast(field, TextField()))
        for name, model, keys, field in requests
        if keys
    ]
    if not parts:
        return result
    first, *rest = parts
    for name, key, text in first.union(*rest, all=True):
        result[name][key] = text
    return result
