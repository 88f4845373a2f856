"""Catalogue models: validation, denormalised status, roll-up, aggregates, translation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from catalogue.models import Area, Goal, IndicatorValue, Project, StatusReport
from demo.translation import translate
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    GoalFactory,
    IndicatorFactory,
    ProjectFactory,
    StatusFactory,
    publish_with_reports,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def messages(excinfo, field):
    return excinfo.value.message_dict[field]


def test_project_dates_must_not_end_before_start():
    entry = ProjectFactory.build(
        lead_department=DepartmentFactory(),
        planned_start=D(2025, 5, 1),
        planned_end=D(2025, 4, 1),
        actual_start=D(2025, 5, 1),
        actual_end=D(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        entry.clean()
    assert messages(excinfo, "planned_end") == ["Das geplante Ende darf nicht vor dem geplanten Beginn liegen."]
    assert messages(excinfo, "actual_end") == ["Das tatsächliche Ende darf nicht vor dem tatsächlichen Beginn liegen."]


def test_progress_out_of_range_is_refused():
    entry = ProjectFactory.build(lead_department=DepartmentFactory(), progress=120)
    with pytest.raises(ValidationError) as excinfo:
        entry.clean()
    assert messages(excinfo, "progress") == ["Der Fortschritt muss zwischen 0 und 100 Prozent liegen."]
    report = StatusReport(date=D(2024, 1, 1), status=StatusFactory(), progress=101)
    with pytest.raises(ValidationError) as excinfo:
        report.clean()
    assert "zwischen 0 und 100" in messages(excinfo, "progress")[0]


def test_indicator_target_year_not_before_baseline():
    indicator = IndicatorFactory.build(baseline_year=2024, target_year=2020)
    with pytest.raises(ValidationError) as excinfo:
        indicator.clean()
    assert messages(excinfo, "target_year") == ["Das Zieljahr darf nicht vor dem Ausgangsjahr liegen."]


def test_goal_parent_must_be_in_same_area_and_not_a_cycle():
    parent = GoalFactory()
    other = GoalFactory()
    child = GoalFactory(area=parent.area, parent=parent)
    grandchild = GoalFactory(area=parent.area, parent=child)
    assert grandchild.level == 3 and child.level_name == "Teilziel"

    stranger = Goal(area=other.area, parent=parent, code="8.1", title="x", locale=parent.locale)
    with pytest.raises(ValidationError) as excinfo:
        stranger.clean()
    assert messages(excinfo, "parent") == ["Das übergeordnete Ziel muss zum selben Handlungsfeld gehören."]

    parent.parent = grandchild
    with pytest.raises(ValidationError) as excinfo:
        parent.clean()
    assert "einem seiner Unterziele" in messages(excinfo, "parent")[0]


def test_project_parent_cycle_and_locale_are_refused():
    top = ProjectFactory()
    middle = ProjectFactory(parent=top)
    bottom = ProjectFactory(parent=middle)
    top.parent = bottom
    with pytest.raises(ValidationError) as excinfo:
        top.clean()
    assert "einem seiner Untereinträge" in messages(excinfo, "parent")[0]

    english = Locale.objects.get_or_create(language_code="en")[0]
    foreign = ProjectFactory(locale=english)
    middle.parent = foreign
    with pytest.raises(ValidationError) as excinfo:
        middle.clean()
    assert messages(excinfo, "parent") == ["Der übergeordnete Eintrag muss dieselbe Sprache haben."]


def test_code_is_unique_per_locale():
    entry = ProjectFactory(code="2.1.03")
    duplicate = ProjectFactory.build(code="2.1.03", lead_department=entry.lead_department)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "__all__" in excinfo.value.message_dict


def test_newest_published_report_sets_current_status():
    idea, running = StatusFactory(), StatusFactory()
    entry = ProjectFactory(live=False, goals=[GoalFactory()])
    publish_with_reports(entry, (D(2024, 1, 1), idea, "on_track", 5), (D(2024, 7, 1), running, "at_risk", 40))
    assert (entry.status, entry.traffic_light, entry.progress, entry.last_report_date) == (
        running,
        "at_risk",
        40,
        D(2024, 7, 1),
    )


def test_newer_report_in_a_draft_does_not_change_live_values():
    idea, done = StatusFactory(), StatusFactory()
    entry = publish_with_reports(ProjectFactory(live=False), (D(2024, 1, 1), idea, "on_track", 10))
    entry.reports.add(StatusReport(date=D(2025, 1, 1), status=done, traffic_light="off_track", progress=100))
    draft = entry.save_revision()
    entry.refresh_from_db()
    assert (entry.status, entry.progress, entry.has_unpublished_changes) == (idea, 10, True)
    assert StatusReport.objects.filter(project=entry).count() == 1

    draft.publish()
    entry.refresh_from_db()
    assert (entry.status, entry.traffic_light, entry.progress) == (done, "off_track", 100)


def test_deleting_newest_report_falls_back_to_previous_one():
    idea, running = StatusFactory(), StatusFactory()
    entry = publish_with_reports(
        ProjectFactory(live=False), (D(2024, 1, 1), idea, "on_track", 10), (D(2024, 6, 1), running, "at_risk", 50)
    )
    entry.reports.get(date=D(2024, 6, 1)).delete()
    entry.refresh_from_db()
    assert (entry.status, entry.traffic_light, entry.progress, entry.last_report_date) == (
        idea,
        "on_track",
        10,
        D(2024, 1, 1),
    )
    entry.reports.get().delete()
    entry.refresh_from_db()
    assert (entry.status, entry.traffic_light, entry.last_report_date) == (None, "unknown", None)


def test_weighted_rollup_over_three_levels():
    status = StatusFactory()
    root = publish_with_reports(ProjectFactory(live=False), (None, status, "on_track", 0))
    middle = publish_with_reports(ProjectFactory(live=False, parent=root, weight=1), (None, status, "on_track", 0))
    sibling = publish_with_reports(ProjectFactory(live=False, parent=root, weight=3), (None, status, "on_track", 80))
    publish_with_reports(ProjectFactory(live=False, parent=middle, weight=1), (None, status, "on_track", 100))
    publish_with_reports(ProjectFactory(live=False, parent=middle, weight=3), (None, status, "on_track", 20))

    middle.refresh_from_db()
    root.refresh_from_db()
    sibling.refresh_from_db()
    assert middle.progress == 40  # (100*1 + 20*3) / 4
    assert root.progress == 70  # (40*1 + 80*3) / 4
    assert sibling.progress == 80


def _aggregate_world(entries_per_goal):
    status_a, status_b = StatusFactory(), StatusFactory()
    area = AreaFactory()
    top = GoalFactory(area=area, code=f"{area.code}.1")
    sub = GoalFactory(area=area, parent=top, code=f"{area.code}.1.1")
    other = GoalFactory(area=area, code=f"{area.code}.2")
    for _ in range(entries_per_goal):
        ProjectFactory(goals=[top], status=status_a, progress=20, weight=1)
        ProjectFactory(goals=[sub], status=status_b, progress=60, weight=3)
        ProjectFactory(goals=[other], status=status_b, progress=100, weight=1)
        ProjectFactory(goals=[sub], status=status_a, progress=100, live=False)
    on_track = IndicatorFactory(
        direction="higher", baseline_value=0, baseline_year=2020, target_value=100, target_year=2030
    )
    on_track.values.add(IndicatorValue(date=D(2025, 12, 31), value=Decimal(60)))
    on_track.save()
    off_track = IndicatorFactory(
        direction="lower", baseline_value=100, baseline_year=2020, target_value=0, target_year=2030
    )
    off_track.values.add(IndicatorValue(date=D(2025, 12, 31), value=Decimal(90)))
    off_track.save()
    on_track.goals.set([sub])
    off_track.goals.set([top])
    return area, top, sub, other, status_a, status_b


def test_goal_and_area_aggregates_include_sub_goals_and_skip_drafts():
    area, top, sub, other, status_a, status_b = _aggregate_world(2)
    goals = {goal.pk: goal for goal in Goal.objects.filter(area=area).with_aggregates()}
    top_aggregate = goals[top.pk].aggregate
    assert top_aggregate.entry_count == 4
    assert top_aggregate.status_counts == {status_a.pk: 2, status_b.pk: 2}
    assert top_aggregate.progress == 50  # (2*20*1 + 2*60*3) / 8
    assert (top_aggregate.indicator_count, top_aggregate.indicators_on_track) == (2, 1)
    assert top_aggregate.indicator_share_on_track == 0.5
    assert goals[sub.pk].aggregate.entry_count == 2
    assert goals[sub.pk].aggregate.indicator_share_on_track == 1.0
    area_aggregate = Area.objects.filter(pk=area.pk).aggregates()[area.pk]
    assert area_aggregate.entry_count == 6
    assert area_aggregate.status_counts == {status_a.pk: 2, status_b.pk: 4}
    # The area page computes goals and area total from one set of rows; both must agree.
    _, total = Goal.objects.filter(area=area).with_aggregates_and_total()
    assert total == area_aggregate


@pytest.mark.parametrize("kind", ["goals", "areas"])
def test_aggregate_query_count_does_not_grow_with_entries(kind):
    def count_queries():
        with CaptureQueriesContext(connection) as context:
            if kind == "goals":
                Goal.objects.all().with_aggregates()
            else:
                Area.objects.all().aggregates()
        return len(context.captured_queries)

    # 8 entries and then 48 over two areas: a query per entry, goal or area would show (40 per goal
    # cost a minute of factories on a busy machine for the same proof).
    _aggregate_world(2)
    small = count_queries()
    _aggregate_world(10)
    assert count_queries() == small


def test_indicator_on_track_follows_linear_path():
    indicator = IndicatorFactory(baseline_value=10, baseline_year=2020, target_value=30, target_year=2030)
    assert indicator.is_on_track() is None
    indicator.values.add(IndicatorValue(date=D(2025, 6, 30), value=Decimal("19")))
    indicator.save()
    assert indicator.expected_value(2025) == Decimal(20)
    assert indicator.is_on_track() is False
    indicator.values.add(IndicatorValue(date=D(2026, 6, 30), value=Decimal("23")))
    indicator.save()
    assert indicator.is_on_track() is True


def test_english_entry_keeps_goals_and_shows_english_titles():
    english = Locale.objects.get_or_create(language_code="en")[0]
    goal = GoalFactory(title="Schnelles Internet")
    translate(goal.area, english, {goal.area.title: "Area"})
    translate(goal, english, {"Schnelles Internet": "Fast internet"})
    entry = publish_with_reports(
        ProjectFactory(live=False, title="Glasfaser für alle", goals=[goal]), (None, StatusFactory(), "on_track", 30)
    )

    translated = translate(entry, english, {"Glasfaser für alle": "Fibre for everyone"})

    assert translated.locale == english and translated.live
    assert translated.title == "Fibre for everyone"
    assert list(translated.goals.all()) == [goal]
    assert translated.progress == 30
    with translation.override("en"):
        assert [linked.localized.title for linked in translated.goals.all()] == ["Fast internet"]
    assert Project.objects.filter(translation_key=entry.translation_key).count() == 2
