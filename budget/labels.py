"""Names in the reader's language: the budget links source-language rows, translations lend their names."""

from collections.abc import Iterable, Mapping
from uuid import UUID

from django.conf import settings
from django.db.models import CharField, Model, TextField, Value
from django.db.models.functions import Cast
from wagtail.models import Locale

from cms.locales import locales_by_code

from .models import BudgetProduct, KeyFigure, SubBudget


def default_locale() -> Locale:
    """The source language of the budget's rows, from the cached locale list."""
    return locales_by_code().get(settings.LANGUAGE_CODE) or Locale.get_default()


def translated(model: type[Model], locale: Locale, keys: Iterable[UUID], *fields: str) -> dict[UUID, tuple]:
    """{translation key: (field values)} of the rows of `locale`; empty for the source language."""
    keys = list(keys)
    if not keys or locale.pk == default_locale().pk:
        return {}
    rows = model._default_manager.filter(translation_key__in=keys, locale_id=locale.pk).values_list(
        "translation_key", *fields
    )
    return {key: tuple(values) for key, *values in rows}


def product_names(locale: Locale, keys: Iterable[UUID]) -> dict[UUID, str]:
    return {key: values[0] for key, values in translated(BudgetProduct, locale, keys, "name").items()}


def sub_budget_names(locale: Locale, keys: Iterable[UUID]) -> dict[UUID, str]:
    return {key: values[0] for key, values in translated(SubBudget, locale, keys, "name").items()}


def key_figure_labels(locale: Locale, keys: Iterable[UUID]) -> dict[UUID, tuple[str, str]]:
    """{translation key: (name, unit)}."""
    return {key: (values[0], values[1]) for key, values in translated(KeyFigure, locale, keys, "name", "unit").items()}


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
