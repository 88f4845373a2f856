"""The catalogue facets the budget contributes: „Haushaltsprodukt“ and „Haushaltsjahr“.

Registered with `catalogue.public.extra_facets` when the app is ready. Budget rows link to
the source-language entries; the facet's links name the entries of the requested language
through their shared translation key, as the catalogue's own facets do through the taxonomy.
"""

from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from catalogue.models import Project, code_sort_key, tree
from catalogue.public import extra_facets

from .labels import product_names
from .models import BudgetProduct, ProjectBudget, ProjectBudgetAmount

PRODUCT = "product"
BUDGET_YEAR = "budget_year"


def entry_in(locale: Locale, translation_key: str) -> Subquery:
    """The id of the entry of `locale` that translates the source entry whose key lies at `translation_key`."""
    return Subquery(Project.objects.filter(locale=locale, translation_key=OuterRef(translation_key)).values("pk")[:1])


def product_options(locale: Locale) -> list[extra_facets.ExtraOption]:
    """Every product of the source language; choosing a Bereich or a Gruppe includes the products below it."""
    rows = sorted(
        BudgetProduct.objects.filter(locale=Locale.get_default()).values_list(
            "pk", "parent_id", "key", "name", "depth", "translation_key"
        ),
        key=lambda row: code_sort_key(row[2]),
    )
    names = product_names(locale, [row[5] for row in rows])
    children = tree.children_of((row[0], row[1]) for row in rows)
    below = {row[0]: tree.subtree(children, row[0]) for row in rows}
    return [
        extra_facets.ExtraOption(
            key=key,
            label=f"{key} {names.get(translation_key, name)}",
            ids=tuple(below[pk]),
            depth=depth,
        )
        for pk, _parent, key, name, depth, translation_key in rows
    ]


def product_links(locale: Locale) -> QuerySet[Any, Any]:
    return (
        ProjectBudget.objects.annotate(entry=entry_in(locale, "project__translation_key"))
        .filter(entry__isnull=False)
        .values("entry", value=F("product_id"))
    )


def year_options(locale: Locale) -> list[extra_facets.ExtraOption]:
    years = ProjectBudgetAmount.objects.order_by("year").values_list("year", flat=True).distinct()
    return [extra_facets.ExtraOption(key=str(year), label=str(year), ids=(year,)) for year in years]


def year_links(locale: Locale) -> QuerySet[Any, Any]:
    return (
        ProjectBudgetAmount.objects.annotate(entry=entry_in(locale, "line__project__translation_key"))
        .filter(entry__isnull=False)
        .values("entry", value=F("year"))
    )


def register() -> None:
    extra_facets.register(
        extra_facets.ExtraFacet(name=PRODUCT, label=_("Haushaltsprodukt"), options=product_options, links=product_links)
    )
    extra_facets.register(
        extra_facets.ExtraFacet(name=BUDGET_YEAR, label=_("Haushaltsjahr"), options=year_options, links=year_links)
    )
