"""Indicator charts: axes with units, readable labels, a legend, and a sentence that reads the trend."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from catalogue.models import Indicator
from catalogue.public.charts import chart, reading
from catalogue.public.entry import IndicatorSeries, Measurement


def series(values, baseline=None, target=None, direction=Indicator.Direction.HIGHER, unit="%"):
    measured = [
        Measurement(date=datetime.date(year, 12, 31), year=year, value=Decimal(str(value))) for year, value in values
    ]
    return IndicatorSeries(
        pk=1,
        title="Breitbandversorgung",
        unit=unit,
        direction=direction,
        baseline_value=Decimal(str(baseline[1])) if baseline else None,
        baseline_year=baseline[0] if baseline else None,
        target_value=Decimal(str(target[1])) if target else None,
        target_year=target[0] if target else None,
        source="",
        values=measured,
    )


@pytest.mark.parametrize(
    ("indicator", "trend", "target", "sentence"),
    [
        (
            series([(2022, 50), (2023, 55), (2024, 60)], baseline=(2021, 45), target=(2030, 100)),
            "rising",
            "unlikely",
            "Trend steigend, Ziel 2030 voraussichtlich verfehlt.",
        ),
        (
            series([(2022, 60), (2023, 70), (2024, 80)], baseline=(2021, 50), target=(2030, 95)),
            "rising",
            "likely",
            "Trend steigend, Ziel 2030 voraussichtlich erreicht.",
        ),
        (
            series([(2022, 400), (2023, 360), (2024, 320)], target=(2030, 200), direction=Indicator.Direction.LOWER),
            "falling",
            "likely",
            "Trend fallend, Ziel 2030 voraussichtlich erreicht.",
        ),
        (
            series([(2022, 400), (2023, 410), (2024, 420)], target=(2030, 200), direction=Indicator.Direction.LOWER),
            "rising",
            "unlikely",
            "Trend steigend, Ziel 2030 voraussichtlich verfehlt.",
        ),
        (
            series([(2022, 70), (2023, 70.5), (2024, 70)], baseline=(2021, 70), target=(2030, 90)),
            "flat",
            "unlikely",
            "Trend gleichbleibend, Ziel 2030 voraussichtlich verfehlt.",
        ),
        (
            series([(2022, 92), (2023, 96)], baseline=(2021, 80), target=(2030, 95)),
            "rising",
            "reached",
            "Trend steigend, Ziel 2030 bereits erreicht.",
        ),
        (
            series([(2022, 50), (2023, 60), (2024, 70)], target=(2023, 90)),
            "rising",
            "missed",
            "Trend steigend, Ziel 2023 verfehlt.",
        ),
        (series([(2024, 50)]), "", "", "Noch zu wenige Werte für einen Trend."),
        (series([(2022, 10), (2024, 20)]), "rising", "", "Trend steigend."),
    ],
)
def test_reading_of_trend_and_target(indicator, trend, target, sentence):
    with translation.override("de"):
        found = reading(indicator)
    assert (found.trend, found.target, found.sentence) == (trend, target, sentence)


def test_reading_in_english():
    with translation.override("en"):
        found = reading(series([(2022, 50), (2023, 55), (2024, 60)], baseline=(2021, 45), target=(2030, 100)))
    assert found.sentence == "Rising trend, 2030 target likely to be missed."


def test_chart_has_axes_from_zero_to_above_the_target_and_every_year_labelled_at_the_ends():
    with translation.override("de"):
        drawn = chart(series([(2022, 50), (2023, 55)], baseline=(2021, 45), target=(2030, 12500), unit="t CO₂"))
    labels = [tick.label for tick in drawn.y_ticks]
    assert labels[0] == "0" and float(labels[-1].replace(".", "")) >= 12500
    assert "12.500" in labels or any("." in label for label in labels[1:])
    years = [tick.label for tick in drawn.x_ticks]
    assert years[0] == "2021" and years[-1] == "2030"
    assert drawn.unit == "t CO₂"
    assert drawn.target is not None and drawn.baseline is not None
    assert len(drawn.points) == 2
    # Everything inside the box.
    for point in [*drawn.points, drawn.target, drawn.baseline]:
        assert drawn.left <= point.x <= drawn.right and drawn.top <= point.y <= drawn.bottom
    positions = [tick.position for tick in drawn.y_ticks]
    assert positions == sorted(positions, reverse=True)


def test_no_chart_without_values():
    assert chart(series([], baseline=(2021, 45), target=(2030, 100))) is None
