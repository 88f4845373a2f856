"""The product budget: Teilhaushalte, the product tree, yearly amounts, key figures and their yearly values."""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from catalogue.models import Indicator, tree

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIRST_YEAR = 2000
LAST_YEAR = 2100
LEVEL_NAMES = [_("Produktbereich"), _("Produktgruppe"), _("Produkt")]

product_key_validator = RegexValidator(
    r"^\d+(\.\d+)*$",
    _("Die Produktnummer besteht aus Zahlen, getrennt durch Punkte, z. B. 1.1 oder 1.1.1.01."),
)
sub_budget_code_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z-]*$", _("Die Nummer besteht aus Ziffern, Buchstaben und Bindestrichen, z. B. 1 oder 2a.")
)


def year_field(help_text: "StrOrPromise") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("Haushaltsjahr"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=help_text,
    )


def amount_field(label: "StrOrPromise", help_text: "StrOrPromise") -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


def in_default_locale(instance: models.Model, field_name: str, message: "StrOrPromise") -> None:
    """Links point at the source-language row (its translations share its translation key)."""
    related = getattr(instance, field_name, None)
    if related is not None and related.locale_id != Locale.get_default().pk:
        raise ValidationError({field_name: message})


class SubBudget(TranslatableMixin, models.Model):
    """A Teilhaushalt: a part of the budget that groups products, usually one per Dezernat or Fachbereich."""

    code = models.CharField(
        _("Nummer"),
        max_length=10,
        validators=[sub_budget_code_validator],
        help_text=_("Nummer des Teilhaushalts, z. B. „1“; erscheint in der Adresse des Jahresberichts."),
    )
    name = models.CharField(_("Bezeichnung"), max_length=200, help_text=_("Name des Teilhaushalts."))
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("Verantwortliche Stelle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Die Stelle (meist ein Dezernat), die den Teilhaushalt bewirtschaftet."),
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen erscheinen zuerst.")
    )

    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("code"),
        SynchronizedField("department"),
        SynchronizedField("order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Teilhaushalt")
        verbose_name_plural = _("Teilhaushalte")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "locale"], name="budget_subbudget_code_locale")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetProduct(TranslatableMixin, models.Model):
    """A node of the product tree as in the Land's Produktrahmen: Produktbereich -> Produktgruppe -> Produkt."""

    key = models.CharField(
        _("Produktnummer"),
        max_length=30,
        validators=[product_key_validator],
        help_text=_("Nummer laut Produktplan, z. B. „1“ (Bereich), „1.1“ (Gruppe) oder „1.1.1.01“ (Produkt)."),
    )
    name = models.CharField(_("Bezeichnung"), max_length=255, help_text=_("Name des Produkts laut Haushaltsplan."))
    description = models.TextField(
        _("Auftrag und Ziele"), blank=True, help_text=_("Kurz: wozu das Produkt da ist, wie im Haushaltsplan.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Übergeordnet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Produktbereich oder Produktgruppe darüber; leer für einen Produktbereich."),
    )
    sub_budget = models.ForeignKey(
        SubBudget,
        verbose_name=_("Teilhaushalt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text=_("Der Teilhaushalt, in dem das Produkt veranschlagt ist."),
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("Verantwortliche Stelle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_products",
        help_text=_("Die Stelle, die das Produkt verantwortet und die Ist-Werte seiner Kennzahlen meldet."),
    )
    depth = models.PositiveSmallIntegerField(
        _("Ebene"), default=1, editable=False, help_text=_("Wird aus dem übergeordneten Knoten berechnet.")
    )

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        # The tree and the Teilhaushalt stay the source language's: translations lend their names only.
        SynchronizedField("parent"),
        SynchronizedField("sub_budget"),
        SynchronizedField("key"),
        SynchronizedField("department"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Haushaltsprodukt")
        verbose_name_plural = _("Haushaltsprodukte")
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["key", "locale"], name="budget_product_key_locale")]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_depth = None
        if self.pk:
            old_depth = BudgetProduct.objects.filter(pk=self.pk).values_list("depth", flat=True).first()
        self.depth = self.parent.depth + 1 if self.parent else 1
        super().save(*args, **kwargs)
        if old_depth is not None and old_depth != self.depth:
            for child in self.children.all():
                child.save(update_fields=["depth"])

    def clean(self) -> None:
        super().clean()
        parent = self.parent
        if parent is None:
            return
        in_default_locale(self, "parent", _("Der übergeordnete Knoten muss in der Ausgangssprache sein."))
        if self.pk:
            parent_of = dict(BudgetProduct.objects.filter(locale_id=parent.locale_id).values_list("pk", "parent_id"))
            if parent.pk == self.pk or self.pk in tree.ancestors(parent_of.get, parent.pk):
                raise ValidationError(
                    {
                        "parent": _(
                            "Ein Produkt kann nicht sich selbst oder einem Produkt darunter untergeordnet werden."
                        )
                    }
                )
        if self.key and not self.key.startswith(f"{parent.key}."):
            message = _("Die Nummer muss mit der Nummer des übergeordneten Knotens beginnen (%(key)s.…).")
            raise ValidationError({"key": message % {"key": parent.key}})

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES[min(self.depth, len(LEVEL_NAMES)) - 1])


class BudgetFigure(models.Model):
    """A product's amounts in one budget year: Ergebnishaushalt (Aufwand, Ertrag) and Finanzhaushalt (Investitionen)."""

    product = models.ForeignKey(
        BudgetProduct,
        verbose_name=_("Haushaltsprodukt"),
        on_delete=models.CASCADE,
        related_name="figures",
        help_text=_("Das Produkt (in der Ausgangssprache), zu dem die Beträge gehören."),
    )
    year = year_field(_("Das Haushaltsjahr, z. B. 2025."))
    expense_planned = amount_field(_("Aufwand Plan (Euro)"), _("Ordentlicher Aufwand laut Haushaltsplan."))
    expense_actual = amount_field(_("Aufwand Ist (Euro)"), _("Ordentlicher Aufwand laut Jahresabschluss."))
    income_planned = amount_field(_("Ertrag Plan (Euro)"), _("Ordentlicher Ertrag laut Haushaltsplan."))
    income_actual = amount_field(_("Ertrag Ist (Euro)"), _("Ordentlicher Ertrag laut Jahresabschluss."))
    investment_planned = amount_field(
        _("Investitionen Plan (Euro)"), _("Auszahlungen für Investitionen laut Finanzplan.")
    )
    investment_actual = amount_field(_("Investitionen Ist (Euro)"), _("Tatsächliche Auszahlungen für Investitionen."))

    AMOUNT_FIELDS = (
        "expense_planned",
        "expense_actual",
        "income_planned",
        "income_actual",
        "investment_planned",
        "investment_actual",
    )

    class Meta:
        verbose_name = _("Haushaltszahl")
        verbose_name_plural = _("Haushaltszahlen")
        ordering = ["product__key", "year"]
        constraints = [models.UniqueConstraint(fields=["product", "year"], name="budget_figure_product_year")]
        indexes = [models.Index(fields=["year"], name="budget_figure_year")]

    def __str__(self) -> str:
        return f"{self.product.key} {self.year}" if self.product_id else str(self.year)

    def clean(self) -> None:
        super().clean()
        in_default_locale(self, "product", _("Zahlen gehören zum Produkt in der Ausgangssprache."))


class KeyFigure(TranslatableMixin, models.Model):
    """A Kennzahl of a product, as Land law asks each product to state (e.g. KomHKVO §4(7))."""

    Direction = Indicator.Direction

    product = models.ForeignKey(
        BudgetProduct,
        verbose_name=_("Haushaltsprodukt"),
        on_delete=models.CASCADE,
        related_name="key_figures",
        help_text=_("Das Produkt (in der Ausgangssprache), dessen Leistung die Kennzahl misst."),
    )
    name = models.CharField(
        _("Bezeichnung"), max_length=255, help_text=_("Was gemessen wird, z. B. „Bearbeitete Bauanträge“.")
    )
    unit = models.CharField(_("Einheit"), max_length=40, help_text=_("Maßeinheit, z. B. „Anzahl“, „%“ oder „Tage“."))
    direction = models.CharField(
        _("Richtung"),
        max_length=10,
        choices=Indicator.Direction.choices,
        default=Indicator.Direction.HIGHER,
        help_text=_("Ob ein höherer oder ein niedrigerer Wert besser ist."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0, help_text=_("Reihenfolge beim Produkt."))

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("unit"),
        SynchronizedField("product"),
        SynchronizedField("direction"),
        SynchronizedField("order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        ordering = ["product__key", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name", "locale"], name="budget_keyfigure_product_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def clean(self) -> None:
        super().clean()
        in_default_locale(self, "product", _("Kennzahlen gehören zum Produkt in der Ausgangssprache."))


def target_met(direction: str, planned: Decimal | None, actual: Decimal | None) -> bool | None:
    """Whether the actual value reaches the planned one in the key figure's direction; None when one is missing."""
    if planned is None or actual is None:
        return None
    if direction == Indicator.Direction.LOWER:
        return actual <= planned
    return actual >= planned


class KeyFigureValue(models.Model):
    """A key figure's planned and actual value in one year."""

    key_figure = models.ForeignKey(
        KeyFigure,
        verbose_name=_("Kennzahl"),
        on_delete=models.CASCADE,
        related_name="values",
        help_text=_("Die Kennzahl (in der Ausgangssprache)."),
    )
    year = year_field(_("Das Jahr, für das die Werte gelten."))
    planned = models.DecimalField(
        _("Plan"), max_digits=16, decimal_places=4, null=True, blank=True, help_text=_("Geplanter Wert im Jahr.")
    )
    actual = models.DecimalField(
        _("Ist"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Erreichter Wert; Fachbereiche melden ihn mit einem Kennzahlbericht zur Freigabe."),
    )

    class Meta:
        verbose_name = _("Kennzahlwert")
        verbose_name_plural = _("Kennzahlwerte")
        ordering = ["key_figure", "year"]
        constraints = [models.UniqueConstraint(fields=["key_figure", "year"], name="budget_keyvalue_figure_year")]

    def __str__(self) -> str:
        return f"{self.key_figure.name} {self.year}" if self.key_figure_id else str(self.year)

    @property
    def met(self) -> bool | None:
        return target_met(self.key_figure.direction, self.planned, self.actual)

    def clean(self) -> None:
        super().clean()
        in_default_locale(self, "key_figure", _("Werte gehören zur Kennzahl in der Ausgangssprache."))
