"""Departments report their products' actual key-figure values; the values count once the report is approved."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from .products import BudgetProduct, KeyFigure, KeyFigureValue, in_default_locale, year_field


class KeyFigureReport(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A department's actual values for one product and year, approved like a status report.

    The values wait in the report (and its revisions) until the approval publishes it; then
    `apply` writes them to `KeyFigureValue.actual`, which is all the public pages read.
    """

    product = models.ForeignKey(
        BudgetProduct,
        verbose_name=_("Haushaltsprodukt"),
        on_delete=models.PROTECT,
        related_name="key_figure_reports",
        help_text=_("Ein Produkt, für das Ihre Stelle verantwortlich ist."),
    )
    year = year_field(_("Das Jahr, für das die Ist-Werte gemeldet werden."))
    text = models.TextField(
        _("Erläuterung"), blank=True, help_text=_("Was die Werte erklärt, z. B. Ursachen einer Abweichung vom Plan.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gemeldet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("Die Person, die den Bericht angelegt hat."),
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="key_figure_report")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="key_figure_report",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("Kennzahlbericht")
        verbose_name_plural = _("Kennzahlberichte")
        ordering = ["-year", "product__key"]
        indexes = [models.Index(fields=["product", "year"], name="budget_report_product_year")]

    def __str__(self) -> str:
        return f"{self.product.key} {self.year}" if self.product_id else str(self.year)

    @property
    def revisions(self) -> Any:
        return self._revisions

    def clean(self) -> None:
        super().clean()
        in_default_locale(self, "product", _("Bitte das Produkt in der Ausgangssprache wählen."))

    def apply(self) -> None:
        """Write the reported values as the key figures' actual values (idempotent)."""
        for value in self.values.select_related("key_figure"):
            if value.key_figure.product_id != self.product_id:
                continue
            KeyFigureValue.objects.update_or_create(
                key_figure=value.key_figure, year=self.year, defaults={"actual": value.actual}
            )


class KeyFigureReportValue(models.Model):
    report = ParentalKey(KeyFigureReport, on_delete=models.CASCADE, related_name="values")
    key_figure = models.ForeignKey(
        KeyFigure,
        verbose_name=_("Kennzahl"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Eine Kennzahl des gewählten Produkts."),
    )
    actual = models.DecimalField(
        _("Ist-Wert"), max_digits=16, decimal_places=4, help_text=_("Der im Jahr erreichte Wert.")
    )

    class Meta:
        verbose_name = _("Gemeldeter Wert")
        verbose_name_plural = _("Gemeldete Werte")
        constraints = [models.UniqueConstraint(fields=["report", "key_figure"], name="budget_reportvalue_unique")]

    def __str__(self) -> str:
        return f"{self.key_figure}: {self.actual}" if self.key_figure_id else str(self.actual)

    def clean(self) -> None:
        super().clean()
        report = getattr(self, "report", None)
        if (
            self.key_figure_id
            and report is not None
            and report.product_id
            and self.key_figure.product_id != report.product_id
        ):
            raise ValidationError({"key_figure": _("Die Kennzahl gehört nicht zum gewählten Produkt.")})
