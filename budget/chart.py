"""A grouped bar chart (plan beside actual, one group per year) drawn as SVG on the server.

The numbers come with the chart in a data table; the chart only adds the picture, so it
carries no information the table does not have.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from .sections import YearTotal

WIDTH = 600
HEIGHT = 240
TOP = 30
BOTTOM = 36
SIDE = 12
BAR_GAP = 4


@dataclass(frozen=True)
class Bar:
    series: str
    x: float
    y: float
    width: float
    height: float
    year: int
    amount: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    labels: tuple[tuple[float, int], ...]
    maximum: str


def euros(value: Decimal | None) -> str:
    """An amount as the reader's language writes it, rounded to whole euros: „1.250.000 €“."""
    if value is None:
        return "–"
    return f"{number_format(value, 0, use_l10n=True, force_grouping=True)} €"


def bar_chart(totals: Sequence[YearTotal]) -> BarChart | None:
    """Bars for each year's plan and actual, scaled to the largest amount; None when there is nothing to draw."""
    values = [amount for total in totals for amount in (total.planned, total.actual) if amount is not None]
    if not values or max(values) <= 0:
        return None
    largest = max(values)
    plot = HEIGHT - TOP - BOTTOM
    group = (WIDTH - 2 * SIDE) / len(totals)
    bar_width = min(48.0, (group - 3 * BAR_GAP) / 2)
    bars = []
    labels = []
    for index, total in enumerate(totals):
        centre = SIDE + group * index + group / 2
        labels.append((round(centre, 1), total.year))
        for offset, series, amount in ((-1, "planned", total.planned), (1, "actual", total.actual)):
            if amount is None:
                continue
            height = float(amount / largest) * plot
            x = centre - bar_width - BAR_GAP / 2 if offset < 0 else centre + BAR_GAP / 2
            bars.append(
                Bar(
                    series=series,
                    x=round(x, 1),
                    y=round(TOP + plot - height, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    year=total.year,
                    amount=euros(amount),
                )
            )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        baseline=TOP + plot,
        bars=tuple(bars),
        labels=tuple(labels),
        maximum=euros(largest),
    )
