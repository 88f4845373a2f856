"""Progress that explains itself: indicator lights against their linear path, entry lights from indicators."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from catalogue.models import CatalogueSettings, IndicatorValue, LightSource, Project, StatusReport
from catalogue.models.progress import Path, assess, combine
from tests.catalogue_public_data import catalogue_page
from tests.factories import GoalFactory, IndicatorFactory, ProjectFactory, StatusFactory

ON, RISK, OFF, UNKNOWN = "on_track", "at_risk", "off_track", "unknown"
MEASURED = datetime.date(2025, 12, 31)

# Rising: baseline 10 in 2020, target 30 in 2030. In 2025 the path expects 20, a change of +10;
# with a tolerance of 10 % the indicator is on track from 90 % of that change, i.e. from 19.
RISING = Path("higher", Decimal(10), 2020, Decimal(30), 2030)
# Falling: baseline 100 in 2020, target 50 in 2030. In 2025 the path expects 75, a change of -25;
# 90 % of it is -22.5, so on track up to 77.5.
FALLING = Path("lower", Decimal(100), 2020, Decimal(50), 2030)


@pytest.mark.parametrize(
    ("value", "light", "share"),
    [
        ("25", ON, 150),
        ("20", ON, 100),
        ("19", ON, 90),  # exactly at the tolerance
        ("18.99", RISK, 90),  # 89.9 %: just below it
        ("18", RISK, 80),
        ("10.01", RISK, 0),  # moved a little towards the target
        ("10", OFF, 0),  # did not move
        ("9", OFF, -10),  # moved away
    ],
)
def test_rising_indicator_around_the_tolerance(value, light, share):
    assessment = assess(RISING, Decimal(value), MEASURED, Decimal(10))
    assert assessment.expected == Decimal(20)
    assert assessment.light == light
    assert assessment.achieved_percent == share


@pytest.mark.parametrize(
    ("value", "light"),
    [
        ("60", ON),
        ("75", ON),
        ("77.5", ON),  # exactly 90 % of the expected fall
        ("77.51", RISK),
        ("99.99", RISK),
        ("100", OFF),
        ("101", OFF),
    ],
)
def test_falling_indicator_around_the_tolerance(value, light):
    assessment = assess(FALLING, Decimal(value), MEASURED, Decimal(10))
    assert assessment.expected == Decimal(75)
    assert assessment.light == light


@pytest.mark.parametrize(
    ("tolerance", "value", "light"),
    [
        (0, "20", ON),
        (0, "19.99", RISK),
        (50, "15", ON),
        (50, "14.99", RISK),
        (100, "10.01", ON),
        (100, "10", ON),  # with 100 % tolerance only a move away is off track
        (100, "9.99", OFF),
    ],
)
def test_the_tolerance_moves_the_line_between_on_track_and_at_risk(tolerance, value, light):
    assert assess(RISING, Decimal(value), MEASURED, Decimal(tolerance)).light == light


def test_value_of_the_baseline_year_and_a_level_to_hold():
    baseline_year = datetime.date(2020, 12, 31)
    assert assess(RISING, Decimal(10), baseline_year, Decimal(10)).light == ON
    assert assess(RISING, Decimal("9.9"), baseline_year, Decimal(10)).light == OFF
    hold = Path("lower", Decimal(5), 2020, Decimal(5), 2030)
    assert assess(hold, Decimal("4.5"), MEASURED, Decimal(10)).light == ON
    assert assess(hold, Decimal("5.5"), MEASURED, Decimal(10)).light == OFF


def test_after_the_target_year_the_target_itself_is_expected():
    late = datetime.date(2034, 12, 31)
    assert assess(RISING, Decimal(30), late, Decimal(10)).expected == Decimal(30)
    assert assess(RISING, Decimal(28), late, Decimal(10)).light == ON  # 90 % of the whole change of 20
    assert assess(RISING, Decimal(27), late, Decimal(10)).light == RISK
    assert assess(RISING, Decimal(27), late, Decimal(10)).achieved_percent == 85


def test_without_value_or_complete_path_the_light_is_unknown():
    assert assess(RISING, None, None, Decimal(10)).light == UNKNOWN
    incomplete = Path("higher", Decimal(10), None, Decimal(30), 2030)
    assessment = assess(incomplete, Decimal(20), MEASURED, Decimal(10))
    assert (assessment.light, assessment.expected) == (UNKNOWN, None)


@pytest.mark.parametrize(
    ("lights", "combined"),
    [
        ([ON, ON, RISK], ON),  # 5/3 points
        ([ON, RISK], ON),  # 1.5: the threshold
        ([ON, OFF], RISK),  # 1
        ([RISK, OFF], RISK),  # 0.5: the threshold
        ([RISK, OFF, OFF], OFF),  # 1/3
        ([OFF, UNKNOWN], OFF),  # unknown ones do not count
        ([UNKNOWN], UNKNOWN),
        ([], UNKNOWN),
    ],
)
def test_an_entry_light_combines_its_indicators_with_equal_weights(lights, combined):
    assert combine(lights) == combined


@pytest.fixture
def computed_entry(site):
    """An entry whose report says "kritisch" but whose light comes from one rising indicator."""
    goal = GoalFactory()
    entry = ProjectFactory(code="7.1.01", live=False, goals=[goal], traffic_light_source=LightSource.INDICATORS)
    indicator = IndicatorFactory(
        title="Radwege", direction="higher", baseline_value=10, baseline_year=2020, target_value=30, target_year=2030
    )
    indicator.values.add(IndicatorValue(date=MEASURED, value=Decimal(19)))
    indicator.save()
    indicator.projects.add(entry)
    entry.reports.add(
        StatusReport(date=datetime.date(2025, 6, 1), status=StatusFactory(), traffic_light=OFF, progress=40)
    )
    entry.save()
    entry.save_revision().publish()
    entry.refresh_from_db()
    return entry, indicator


def light_of(entry):
    return Project.objects.get(pk=entry.pk).traffic_light


def test_publishing_takes_the_light_from_the_indicators_not_the_report(computed_entry):
    entry, _indicator = computed_entry
    assert entry.traffic_light == ON
    assert entry.progress == 40  # status and progress still come from the report


def test_a_new_value_or_a_changed_target_recomputes_the_light(computed_entry):
    entry, indicator = computed_entry
    IndicatorValue.objects.create(indicator=indicator, date=datetime.date(2026, 12, 31), value=Decimal(10))
    assert light_of(entry) == OFF
    IndicatorValue.objects.filter(indicator=indicator, date=datetime.date(2026, 12, 31)).delete()
    assert light_of(entry) == ON
    indicator.target_value = Decimal(50)  # expected 30 in 2025: 9 of 20 is 45 %
    indicator.save()
    assert light_of(entry) == RISK
    indicator.projects.remove(entry)
    assert light_of(entry) == UNKNOWN


def test_the_tolerance_setting_recomputes_the_light(computed_entry):
    entry, _indicator = computed_entry
    settings = CatalogueSettings.for_site(Site.objects.get(is_default_site=True))
    settings.indicator_tolerance = 5
    settings.save()
    assert light_of(entry) == RISK
    settings.indicator_tolerance = 10
    settings.save()
    assert light_of(entry) == ON


def test_back_to_the_report_on_the_next_publish(computed_entry):
    entry, _indicator = computed_entry
    entry.traffic_light_source = LightSource.REPORT
    entry.save_revision().publish()
    assert light_of(entry) == OFF


def test_entries_taking_the_light_from_reports_ignore_their_indicators(computed_entry):
    _entry, indicator = computed_entry
    other = ProjectFactory(code="7.1.02", traffic_light=RISK)
    indicator.projects.add(other)
    IndicatorValue.objects.create(indicator=indicator, date=datetime.date(2026, 12, 31), value=Decimal(10))
    assert light_of(other) == RISK


def test_entry_page_says_how_its_light_and_each_indicator_were_judged(client, computed_entry):
    entry, _indicator = computed_entry
    catalogue_page()
    response = client.get(f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/{entry.slug}/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    method = html.select_one(".light-method").get_text(" ", strip=True)
    assert "Berechnet aus dem Indikator des Eintrags (Gewicht 1)" in method
    assert "Radwege: im Plan (90 % der bis 2025 erwarteten Veränderung erreicht)" in method
    assert "im Plan = 2, gefährdet = 1, kritisch = 0 Punkte; Mittel 2" in method
    judged = html.select_one(".indicator__assessment").get_text(" ", strip=True)
    assert "erwartet für 2025 auf dem linearen Pfad vom Ausgangs- zum Zielwert: 20, gemessen: 19" in judged
    assert "erreicht sind 90 % der erwarteten Veränderung (im Plan ab 90 %, Toleranz 10 %)" in judged
    # The chart draws the expected path (dashed) next to the values.
    assert html.select_one(".indicator__chart line[stroke-dasharray]") is not None


def test_entries_judged_by_their_reports_carry_no_method_note(client, site):
    goal = GoalFactory()
    entry = ProjectFactory(code="7.2.01", goals=[goal], traffic_light=RISK)
    catalogue_page()
    response = client.get(f"/projektkatalog/eintrag/7-2-01/{entry.slug}/")
    assert response.status_code == 200
    assert b"light-method" not in response.content


def test_the_catalogue_list_marks_computed_lights_and_points_to_the_method(client, computed_entry):
    entry, _indicator = computed_entry
    ProjectFactory(code="7.1.02", goals=list(entry.goals.all()), traffic_light=RISK)
    catalogue_page()
    response = client.get("/projektkatalog/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    cards = {card.select_one(".entry-card__code").get_text(strip=True): card for card in html.select(".entry-card")}
    assert set(cards) >= {"7.1.01", "7.1.02"}
    computed = cards["7.1.01"].select_one(".light-computed").get_text(" ", strip=True)
    assert computed == "(aus den Indikatoren berechnet; wie, steht beim Eintrag)"
    assert cards["7.1.02"].select_one(".light-computed") is None


def test_nest_hangs_goals_under_their_parents_in_the_given_order():
    """The goal tree of the goal pages and the strategy's goal blocks (`tree.nest`)."""
    from types import SimpleNamespace

    from catalogue.models import tree

    def goal(pk, parent):
        return SimpleNamespace(pk=pk, parent_id=parent)

    # 5 names a parent outside the list (a goal of another area), 6 names itself (bad data).
    goals = [goal(1, None), goal(2, 1), goal(3, None), goal(4, 1), goal(7, 2), goal(5, 99), goal(6, 6)]
    roots = tree.nest(goals, pk=lambda node: node.pk, parent=lambda node: node.parent_id)
    assert [node.pk for node in roots] == [1, 3, 5, 6]
    by_pk = {node.pk: node for node in goals}
    assert [node.pk for node in by_pk[1].subgoals] == [2, 4]
    assert [node.pk for node in by_pk[2].subgoals] == [7]
    assert all(by_pk[pk].subgoals == [] for pk in (3, 4, 5, 6, 7))
    # Another attribute where the objects keep their children under another name.
    nested = tree.nest(
        [goal(1, None), goal(2, 1)], pk=lambda node: node.pk, parent=lambda node: node.parent_id, attribute="children"
    )
    assert [node.pk for node in nested[0].children] == [2]
