"""Goals and catalogue entries reach the budget: goal -> product shares, entry amounts per product and year."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from catalogue.models import Project, tree

from .products import BudgetProduct, amount_field, in_default_locale, year_field

FULL_SHARE = 100

investment_number_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z./ -]*$",
    _("Die Investitionsnummer besteht aus Ziffern, Buchstaben, Punkten, Bindestrichen und Schrägstrichen."),
)


class GoalProductLink(models.Model):
    """A goal (at any level) served by a product; the share says how much of the product serves the goal."""

    goal = models.ForeignKey(
        "catalogue.Goal",
        verbose_name=_("Ziel"),
        on_delete=models.CASCADE,
        related_name="budget_links",
        help_text=_("Das Ziel (Leitziel, Teilziel oder Unterziel) in der Ausgangssprache."),
    )
    product = models.ForeignKey(
        BudgetProduct,
        verbose_name=_("Haushaltsprodukt"),
        on_delete=models.CASCADE,
        related_name="goal_links",
        help_text=_("Das Produkt (oder die Produktgruppe), dessen Mittel dem Ziel dienen."),
    )
    weight = models.PositiveSmallIntegerField(
        _("Anteil (%)"),
        default=FULL_SHARE,
        validators=[MinValueValidator(1), MaxValueValidator(FULL_SHARE)],
        help_text=_(
            "Welcher Anteil der Mittel des Produkts diesem Ziel dient, in Prozent. "
            "Die Anteile eines Produkts an allen Zielen ergeben zusammen höchstens 100 %."
        ),
    )
    note = models.CharField(
        _("Begründung"), max_length=255, blank=True, help_text=_("Kurz, warum das Produkt dem Ziel dient.")
    )

    class Meta:
        verbose_name = _("Ziel im Haushalt")
        verbose_name_plural = _("Ziele im Haushalt")
        ordering = ["goal__code", "product__key"]
        constraints = [models.UniqueConstraint(fields=["goal", "product"], name="budget_goallink_goal_product")]

    def __str__(self) -> str:
        if not (self.goal_id and self.product_id):
            return str(_("Ziel im Haushalt"))
        return f"{self.goal.code} → {self.product.key} ({self.weight} %)"

    def clean(self) -> None:
        super().clean()
        in_default_locale(self, "goal", _("Bitte das Ziel in der Ausgangssprache wählen."))
        in_default_locale(self, "product", _("Bitte das Produkt in der Ausgangssprache wählen."))
        if self.product_id is None or self.weight is None:
            return
        overbooked = self.overbooked_product()
        if overbooked is not None:
            key, total = overbooked
            raise ValidationError(
                {
                    "weight": _(
                        "Mit diesem Anteil wären die Mittel des Produkts %(key)s zu %(total)s %% Zielen zugerechnet; "
                        "höchstens 100 %% sind möglich. Anteile an einer Produktgruppe zählen für jedes Produkt "
                        "darin mit."
                    )
                    % {"key": key, "total": total}
                }
            )

    def overbooked_product(self) -> tuple[str, int] | None:
        """(key, share) of the first product whose money this link would attribute to goals beyond 100 %.

        A euro of a product is attributed through links to the product itself and to every
        group above it, so each product's own share plus its ancestors' must stay within 100 %.
        """
        nodes = BudgetProduct.objects.filter(locale_id=self.product.locale_id).values_list("pk", "parent_id", "key")
        parent_of = {pk: parent for pk, parent, _key in nodes}
        keys = {pk: key for pk, _parent, key in nodes}
        shares: dict[int, int] = defaultdict(int)
        for product_id, weight in GoalProductLink.objects.exclude(pk=self.pk).values_list("product_id", "weight"):
            shares[product_id] += weight
        shares[self.product_id] += self.weight
        children = tree.children_of(parent_of.items())
        for node in tree.subtree(children, self.product_id):
            total = sum(shares.get(pk, 0) for pk in [node, *tree.ancestors(parent_of.get, node)])
            if total > FULL_SHARE:
                return keys.get(node, ""), total
        return None


@dataclass(frozen=True)
class CostCheck:
    """An entry's planned amounts over all products and years against its estimated total cost."""

    planned_total: Decimal
    actual_total: Decimal
    cost_estimate: Decimal | None

    @property
    def differs(self) -> bool:
        return self.cost_estimate is not None and self.planned_total != self.cost_estimate

    @property
    def difference(self) -> Decimal | None:
        return None if self.cost_estimate is None else self.planned_total - self.cost_estimate


class ProjectBudget(ClusterableModel):
    """The part of a catalogue entry's cost that a product carries, split over budget years."""

    project = models.ForeignKey(
        "catalogue.Project",
        verbose_name=_("Katalogeintrag"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
        help_text=_("Der Eintrag (in der Ausgangssprache), dessen Kosten im Haushalt stehen."),
    )
    product = models.ForeignKey(
        BudgetProduct,
        verbose_name=_("Haushaltsprodukt"),
        on_delete=models.PROTECT,
        related_name="project_budgets",
        help_text=_("Das Produkt, in dem die Mittel veranschlagt sind."),
    )
    investment_number = models.CharField(
        _("Investitionsnummer"),
        max_length=40,
        blank=True,
        validators=[investment_number_validator],
        help_text=_("Nummer der Investitionsmaßnahme im Finanzhaushalt, falls es eine gibt, z. B. „I-2025-014“."),
    )

    class Meta:
        verbose_name = _("Mittel eines Eintrags")
        verbose_name_plural = _("Mittel der Einträge")
        ordering = ["project__code", "product__key"]
        constraints = [models.UniqueConstraint(fields=["project", "product"], name="budget_projectbudget_unique")]

    def __str__(self) -> str:
        if not (self.project_id and self.product_id):
            return str(_("Mittel eines Eintrags"))
        return f"{self.project.code} – {self.product.key}"

    def clean(self) -> None:
        super().clean()
        in_default_locale(self, "project", _("Bitte den Eintrag in der Ausgangssprache wählen."))
        in_default_locale(self, "product", _("Bitte das Produkt in der Ausgangssprache wählen."))

    def cost_check(self) -> CostCheck:
        return cost_check(self.project)


def cost_check(project: Project) -> CostCheck:
    """Sum of the entry's planned and actual amounts over every product and year, beside its cost estimate."""
    totals = ProjectBudgetAmount.objects.filter(line__project=project).aggregate(
        planned=Sum("planned"), actual=Sum("actual")
    )
    return CostCheck(
        planned_total=totals["planned"] or Decimal("0.00"),
        actual_total=totals["actual"] or Decimal("0.00"),
        cost_estimate=project.cost_estimate,
    )


class ProjectBudgetAmount(models.Model):
    line = ParentalKey(ProjectBudget, on_delete=models.CASCADE, related_name="amounts")
    year = year_field(_("Das Haushaltsjahr, in dem die Mittel veranschlagt oder ausgegeben sind."))
    planned = amount_field(_("Plan (Euro)"), _("Veranschlagte Mittel im Jahr."))
    actual = amount_field(_("Ist (Euro)"), _("Tatsächlich ausgegebene Mittel im Jahr."))

    class Meta:
        verbose_name = _("Jahresbetrag")
        verbose_name_plural = _("Jahresbeträge")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="budget_projectamount_line_year")]
        indexes = [models.Index(fields=["year"], name="budget_projectamount_year")]

    def __str__(self) -> str:
        return str(self.year)
