"""Reporting periods and frozen reports: closing (by the admin, through the task queue), what a snapshot holds,
and that nothing done to the catalogue afterwards changes it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.forms.models import model_to_dict
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from catalogue.models import IndicatorValue, LightSource, Project
from reporting import contributors
from reporting.closing import ClosingRefused, close_period, request_closing
from reporting.models import EntrySnapshot, IndicatorSnapshot, ProgressReport, ReportingPeriod
from tests.catalogue_roles import build_world as build_roles
from tests.reporting_data import D, build_world, change_between, close_a, entry, report

pytestmark = pytest.mark.django_db

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
DATABASE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}


@pytest.fixture
def world(site):
    return build_world()


def snapshot(report, code):
    return EntrySnapshot.objects.get(report=report, code=code)


def frozen_state(report):
    """Every stored value of a report, its entries and indicators, for before/after comparisons."""
    report = ProgressReport.objects.get(pk=report.pk)
    return (
        model_to_dict(report),
        [model_to_dict(row) for row in EntrySnapshot.objects.filter(report=report).order_by("code")],
        [model_to_dict(row) for row in IndicatorSnapshot.objects.filter(report=report).order_by("title")],
    )


def test_closing_freezes_every_entry_in_scope_as_of_the_deadline(world):
    report(world.e1, D(2024, 8, 15), world.running, "at_risk", 30)  # after the deadline: not in report A
    report_a = close_a(world)
    assert report_a.reporting_date == D(2024, 6, 30)
    assert report_a.as_of == D(2024, 7, 31)
    assert report_a.reports_from == D(2024, 6, 30) - datetime.timedelta(days=183)
    assert (report_a.entry_count, report_a.indicator_count) == (5, 2)
    assert ReportingPeriod.objects.get(pk=world.period_a.pk).state == ReportingPeriod.State.CLOSED

    e1 = snapshot(report_a, "1.1.01")
    assert (e1.status, e1.traffic_light, e1.progress, e1.report_date) == ("idee", "on_track", 0, D(2024, 3, 1))
    assert e1.report_text == "Idee steht."
    assert (e1.goal_codes, e1.area_codes, e1.lead_department) == (["1.1"], ["1"], "Fachbereich Umwelt")
    assert e1.translation_key == world.e1.translation_key
    assert e1.reported_in_period
    e2 = snapshot(report_a, "1.1.1.01")
    assert (e2.status, e2.traffic_light, e2.progress) == ("in-umsetzung", "at_risk", 40)
    assert e2.indicator_keys == [str(world.rising.translation_key)]
    e4 = snapshot(report_a, "2.1.02")
    assert (e4.status, e4.traffic_light, e4.progress, e4.report_date) == ("", "unknown", 0, None)
    assert not e4.reported_in_period

    rising = IndicatorSnapshot.objects.get(report=report_a, title="Radwege")
    assert (rising.value, rising.value_date, rising.expected, rising.light) == (
        Decimal(16),
        D(2023, 12, 31),
        Decimal(16),
        "on_track",
    )
    assert rising.goal_codes == ["1.1.1"]
    assert rising.values == [["2023-12-31", "16.0000"]]
    falling = IndicatorSnapshot.objects.get(report=report_a, title="Staus")
    assert (falling.expected, falling.light) == (Decimal(85), "at_risk")
    assert round(falling.achieved_share * 100) == 33

    # The legend keeps the vocabulary's names as they were.
    assert [status["slug"] for status in report_a.legend["statuses"]] == ["idee", "in-umsetzung", "abgeschlossen"]
    assert [area["code"] for area in report_a.legend["areas"]] == ["1", "2"]


def test_a_frozen_report_does_not_change_when_entries_reports_or_indicators_do(world):
    report_a = close_a(world)
    before = frozen_state(report_a)

    change_between(world)  # new reports, a new entry, an unpublished entry, new indicator values
    entry_row = Project.objects.get(pk=world.e1.pk)
    entry_row.title = "Ganz anderer Titel"
    entry_row.goals.set([world.goal_21])
    entry_row.save_revision().publish()
    world.e2.reports.all().update(text="Nachträglich geändert", progress=5)
    world.rising.baseline_value = Decimal(0)
    world.rising.title = "Radwege neu"
    world.rising.save()
    IndicatorValue.objects.filter(indicator=world.rising, date=D(2023, 12, 31)).update(value=Decimal(99))
    world.idea.name = "Vorschlag"
    world.idea.save()
    world.area_1.title = "Wirtschaft und Arbeit"
    world.area_1.save()
    gone = Project.objects.get(pk=world.e4.pk)
    gone.reports.all().delete()
    gone.delete()

    assert frozen_state(report_a) == before
    assert snapshot(report_a, "1.1.01").title == "Vorhaben 1.1.01"
    assert report_a.legend["areas"][0]["labels"]["de"] == "Wirtschaft"


def test_snapshots_refuse_to_be_saved_again(world):
    report_a = close_a(world)
    row = snapshot(report_a, "1.1.01")
    row.progress = 99
    with pytest.raises(Exception, match="nicht mehr geändert"):
        row.save()
    report_a.title = "anders"
    with pytest.raises(Exception, match="nicht mehr geändert"):
        report_a.save()
    assert snapshot(report_a, "1.1.01").progress == 0


def test_closing_twice_keeps_the_first_report(world):
    report_a = close_a(world)
    report(world.e1, D(2024, 7, 10), world.done, "on_track", 100)
    assert close_period(world.period_a.pk) == report_a
    assert snapshot(report_a, "1.1.01").progress == 0
    assert EntrySnapshot.objects.filter(report=report_a).count() == 5


def test_one_report_per_reporting_date(world):
    close_a(world)
    with pytest.raises(IntegrityError):
        ReportingPeriod.objects.create(title="Doppelt", reporting_date=D(2024, 6, 30), deadline=D(2024, 7, 31))


def test_the_scope_limits_the_report_by_area_and_lead_department(world):
    world.period_a.areas.set([world.area_2])
    assert {row.code for row in EntrySnapshot.objects.filter(report=close_a(world))} == {"2.1.01", "2.1.02"}
    # Only the goal indicators of the areas in scope come along.
    assert list(IndicatorSnapshot.objects.filter(report=world.report_a).values_list("title", flat=True)) == ["Staus"]
    world.period_b.departments.set([world.dep_a])
    report_b = close_period(world.period_b.pk)
    assert sorted(report_b.entries.values_list("code", flat=True)) == ["1.1.01", "1.1.02", "1.1.1.01"]
    assert report_b.scope["departments"] == ["Fachbereich Umwelt"]


def test_parents_take_their_measures_weighted_progress_as_of_the_day(world):
    parent = entry("2.1.10", [world.goal_21], world.dep_b, (D(2024, 1, 10), world.running, "on_track", 0))
    measure_a = entry("2.1.10-1", [world.goal_21], world.dep_b, (D(2024, 1, 10), world.running, "on_track", 20))
    measure_b = entry(
        "2.1.10-2", [world.goal_21], world.dep_b, (D(2024, 1, 10), world.running, "on_track", 80), weight=3
    )
    for measure in (measure_a, measure_b):
        Project.objects.filter(pk=measure.pk).update(parent=parent)
    # After the deadline: the live entry rolls this up, the report must not.
    report(measure_a, D(2024, 9, 1), world.done, "on_track", 100)
    report_a = close_a(world)
    assert snapshot(report_a, "2.1.10").progress == 65  # (20 * 1 + 80 * 3) / 4
    assert Project.objects.get(pk=parent.pk).progress == 85  # (100 * 1 + 80 * 3) / 4, today


def test_lights_from_indicators_are_computed_as_of_the_deadline(world):
    Project.objects.filter(pk=world.e2.pk).update(traffic_light_source=LightSource.INDICATORS)
    # After the deadline a bad value comes in; the report still judges by the 2023 value.
    IndicatorValue.objects.create(indicator=world.rising, date=D(2024, 12, 31), value=Decimal(10))
    e2 = snapshot(close_a(world), "1.1.1.01")
    assert (e2.traffic_light, e2.light_source) == ("on_track", "indicators")


def test_other_apps_contribute_figures_through_the_registry(world):
    class Budget:
        name = "budget"
        label = "Haushalt"
        columns = [contributors.Column("planned", "Plan (Euro)", "Planned (EUR)", summable=True)]

        def collect(self, entries, as_of):
            return {ref.translation_key: {"planned": Decimal("1000.50")} for ref in entries if ref.code == "1.1.01"}

    contributors.register(Budget())
    try:
        report_a = close_a(world)
    finally:
        contributors.unregister("budget")
    assert snapshot(report_a, "1.1.01").contributions == {"budget": {"planned": "1000.50"}}
    assert snapshot(report_a, "2.1.01").contributions == {}
    assert report_a.legend["contributors"] == [
        {
            "name": "budget",
            "labels": {"de": "Haushalt", "en": "Haushalt"},
            "columns": [{"key": "planned", "header_de": "Plan (Euro)", "header_en": "Planned (EUR)", "summable": True}],
        }
    ]


# Closing through the admin -----------------------------------------------------------------


@pytest.fixture
def roles(site):
    return build_roles()


def close_url(period):
    return reverse("reporting_period:close", args=[period.pk])


@override_settings(TASKS=IMMEDIATE)
def test_coordinator_closes_a_period_from_the_admin(client, roles, django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.create(
        title="Bericht 2024", reporting_date=D(2024, 6, 30), deadline=D(2024, 7, 31)
    )
    client.force_login(roles.coordinator)
    page = client.get(close_url(period))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 Einträge im Umfang, davon 0 ohne Bericht im Zeitraum." in html
    assert "csrfmiddlewaretoken" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(close_url(period))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.CLOSED
    assert period.report.entry_count == 2
    # Closed: the form shows its state, a second POST changes nothing.
    assert "ist abgeschlossen" in client.get(close_url(period)).content.decode()
    client.post(close_url(period))
    assert ProgressReport.objects.count() == 1


@override_settings(TASKS=DATABASE)
# The worker closes and reopens its database connection, as in production: committed data only.
@pytest.mark.django_db(transaction=True)
def test_closing_is_queued_and_done_by_the_worker(client, roles, django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.create(
        title="Bericht 2024", reporting_date=D(2024, 6, 30), deadline=D(2024, 7, 31)
    )
    client.force_login(roles.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(close_url(period))
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.CLOSING
    assert not ProgressReport.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "reporting.closing.close_period_task"
    assert queued.args_kwargs["args"] == [period.pk]
    call_command("db_worker", "--batch", "--backend=background", "--no-startup-delay", stdout=io.StringIO())
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.CLOSED
    assert period.report.entry_count == 2


@override_settings(TASKS=IMMEDIATE)
def test_a_failed_closing_reopens_the_period_with_the_error(roles, monkeypatch, django_capture_on_commit_callbacks):
    period = ReportingPeriod.objects.create(
        title="Bericht 2024", reporting_date=D(2024, 6, 30), deadline=D(2024, 7, 31)
    )

    def broken(*args, **kwargs):
        raise RuntimeError("Plattenplatz voll")

    monkeypatch.setattr("reporting.closing.freeze", broken)
    with django_capture_on_commit_callbacks(execute=True):
        request_closing(period)
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.OPEN
    assert period.close_error == "RuntimeError: Plattenplatz voll"
    assert not ProgressReport.objects.exists()


def test_a_closing_period_cannot_be_closed_again(roles):
    period = ReportingPeriod.objects.create(
        title="Bericht 2024", reporting_date=D(2024, 6, 30), deadline=D(2024, 7, 31)
    )
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSING)
    with pytest.raises(ClosingRefused):
        request_closing(period)


def test_departments_and_readers_cannot_plan_or_close_periods(client, roles):
    period = ReportingPeriod.objects.create(
        title="Bericht 2024", reporting_date=D(2024, 6, 30), deadline=D(2024, 7, 31)
    )
    for user in (roles.editor_a, roles.reviewer, roles.nobody):
        client.force_login(user)
        for url in (reverse("reporting_period:index"), reverse("reporting_period:add"), close_url(period)):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url)
        client.post(close_url(period))
    assert ReportingPeriod.objects.get(pk=period.pk).state == ReportingPeriod.State.OPEN


def test_coordinator_plans_a_period_and_cannot_edit_a_closed_one(client, roles):
    client.force_login(roles.coordinator)
    response = client.post(
        reverse("reporting_period:add"),
        {
            "title": "Bericht 2025",
            "title_en": "",
            "reporting_date": "2025-06-30",
            "reports_from": "",
            "deadline": "2025-05-31",
            "reminder_days": "14",
        },
    )
    assert response.status_code == 200
    assert "Die Meldefrist darf nicht vor dem Stichtag liegen." in response.content.decode()
    response = client.post(
        reverse("reporting_period:add"),
        {
            "title": "Bericht 2025",
            "title_en": "Report 2025",
            "reporting_date": "2025-06-30",
            "reports_from": "",
            "deadline": "2025-07-31",
            "reminder_days": "14",
            "areas": [roles.goal.area.pk],
        },
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(reporting_date=D(2025, 6, 30))
    assert list(period.areas.all()) == [roles.goal.area]
    close_period(period.pk)
    edit = reverse("reporting_period:edit", args=[period.pk])
    client.post(edit, {"title": "Umbenannt", "reporting_date": "2025-06-30", "deadline": "2025-07-31"})
    client.post(reverse("reporting_period:delete", args=[period.pk]))
    period.refresh_from_db()
    assert period.title == "Bericht 2025"
