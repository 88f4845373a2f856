"""Comparison between two reports and between a report and today, checked against figures worked out by hand.

The world (tests/reporting_data.py) between report A and report B:
  1.1.01    Idee/on_track/0        -> in Umsetzung/on_track/20      status, progress
  1.1.1.01  in Umsetzung/at_risk/40 -> abgeschlossen/on_track/100  finished, status, light better, progress
  2.1.01    in Umsetzung/on_track/50 -> in Umsetzung/off_track/50  light worse (weight 2)
  2.1.02    no report               -> Idee/unknown/0               status ("" -> idee)
  2.1.03    -                       -> Idee/on_track/5              new
  1.1.02    in Umsetzung/on_track/10 -> -  (unpublished)            removed
Indicators: Radwege 16 -> 19 (higher is better: better), Staus 95 -> 97 (lower is better: worse).
"""

import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from reporting import comparison
from reporting.public.compare import Choices, build
from tests.conftest import module_data
from tests.reporting_data import build_world, change_between, close_a, close_b, report, report_page, translate_page

pytestmark = pytest.mark.django_db

URL = "/berichte/vergleich/"


def closed_world(site):
    world = build_world()
    close_a(world)
    change_between(world)
    close_b(world)
    world.page = report_page(site)
    return world


# Two closed reports cost about a second to build: once per module.
_module_data, world = module_data(closed_world)


def payload(world, **filters):
    choices = Choices(before="2024-06-30", after="2024-12-31", **filters)
    return build([world.report_b, world.report_a], choices, "de")


def summary_tuple(summary):
    return (
        summary.entries_before,
        summary.entries_after,
        summary.new,
        summary.removed,
        summary.finished,
        summary.status_changed,
        summary.light_changed,
        summary.light_better,
        summary.light_worse,
        summary.progress_changed,
        summary.progress_before,
        summary.progress_after,
    )


def test_totals_areas_and_goals_match_the_hand_count(world):
    result = payload(world)
    # before: 0, 40, 50*2, 0, 10 over weights 1+1+2+1+1 = 150/6 = 25; after: 20, 100, 50*2, 0, 5 = 225/6 = 37.5 -> 38
    assert summary_tuple(result.total) == (5, 5, 1, 1, 1, 3, 2, 1, 1, 2, 25, 38)
    areas = {area.row.code: area for area in result.areas}
    # Area 1: 1.1.01, 1.1.1.01 and the removed 1.1.02; before (0 + 40 + 10) / 3 = 17, after (20 + 100) / 2 = 60
    assert summary_tuple(areas["1"].row.summary) == (3, 2, 0, 1, 1, 2, 1, 1, 0, 2, 17, 60)
    goals = {goal.code: goal for goal in areas["1"].goals}
    assert summary_tuple(goals["1.1"].summary) == summary_tuple(areas["1"].row.summary)  # with its sub-goal
    assert summary_tuple(goals["1.1.1"].summary) == (1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 40, 100)
    assert goals["1.1.1"].depth == 2
    # Area 2: 2.1.01 (weight 2), 2.1.02 and the new 2.1.03; before (100 + 0) / 3 = 33, after (100 + 0 + 5) / 4 = 26
    assert summary_tuple(areas["2"].row.summary) == (2, 3, 1, 0, 0, 1, 1, 0, 1, 0, 33, 26)


def test_each_entry_says_what_changed(world):
    kinds = {change.code: change.kinds for change in payload(world).changes}
    assert kinds == {
        "1.1.01": ("status", "progress"),
        "1.1.1.01": ("finished", "status", "light", "progress"),
        "1.1.02": ("removed",),
        "2.1.01": ("light",),
        "2.1.02": ("status",),
        "2.1.03": ("new",),
    }
    changes = {change.code: change for change in payload(world).changes}
    assert changes["1.1.1.01"].light_trend == "better"
    assert changes["2.1.01"].light_trend == "worse"
    assert changes["1.1.01"].progress_delta == 20
    assert changes["2.1.03"].progress_delta is None


def test_indicator_movement_respects_the_direction(world):
    moves = {move.current.title: move for move in payload(world).indicators}
    assert (moves["Radwege"].delta, moves["Radwege"].improved) == (Decimal(3), True)
    assert (moves["Staus"].delta, moves["Staus"].improved) == (Decimal(2), False)


def test_filters_narrow_the_list_and_the_groups(world):
    by_area = payload(world, area="2")
    assert [area.row.code for area in by_area.areas] == ["2"]
    assert [change.code for change in by_area.changes] == ["2.1.01", "2.1.02", "2.1.03"]
    assert summary_tuple(by_area.total) == (2, 3, 1, 0, 0, 1, 1, 0, 1, 0, 33, 26)
    assert [move.current.title for move in by_area.indicators] == ["Staus"]

    by_goal = payload(world, goal="1.1.1")
    assert [change.code for change in by_goal.changes] == ["1.1.1.01"]
    by_department = payload(world, department="umwelt")
    assert [change.code for change in by_department.changes] == ["1.1.01", "1.1.1.01", "1.1.02"]
    assert summary_tuple(by_department.total)[:4] == (3, 2, 0, 1)
    by_kind = payload(world, kinds=["finished", "new"])
    assert [change.code for change in by_kind.changes] == ["1.1.1.01", "2.1.03"]


def test_a_report_against_today(world):
    choices = Choices(before="2024-12-31", after="heute")
    result = build([world.report_b, world.report_a], choices, "de")
    assert result.after.report is None and result.after.label.startswith("heute (")
    # Nothing changed since report B was closed.
    assert result.changes == []
    assert summary_tuple(result.total)[:2] == (5, 5)
    # One more report today shows up at once.
    report(world.e3, world.report_b.as_of, world.running, "at_risk", 60)
    result = build([world.report_b, world.report_a], Choices(before="2024-12-31", after="heute"), "de")
    assert [(change.code, change.kinds, change.light_trend) for change in result.changes] == [
        ("2.1.01", ("light", "progress"), "better")
    ]


def test_the_page_shows_the_hand_count_and_its_method(client, world):
    response = client.get(URL, {"from": "2024-06-30", "to": "2024-12-31"})
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    figures = {
        div.dt.get_text(strip=True): div.dd.get_text(" ", strip=True)
        for div in html.select("#comparison-total ~ .report-figures div")
    }
    assert figures["neu aufgenommen"] == "1"
    assert figures["nicht mehr enthalten"] == "1"
    assert figures["beendet"] == "1"
    assert figures["Ampel besser"] == "1" and figures["Ampel schlechter"] == "1"
    assert figures["Fortschritt, gewichtet"] == "25 % → 38 % (+13 Prozentpunkte)"
    rows = {
        row.th.get_text(" ", strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in html.select(".comparison-groups tbody tr")
    }
    assert rows["1.1.1 Nachfolge sichern"] == ["1", "1", "0", "0", "1", "1", "1", "0", "40 %", "100 %"]
    assert rows["2 Mobilität"] == ["2", "3", "1", "0", "0", "1", "0", "1", "33 %", "26 %"]
    entries = [row.th.get_text(" ", strip=True) for row in html.select(".comparison-entries tbody tr")]
    assert entries[0] == "1.1.01 Vorhaben 1.1.01" and len(entries) == 6
    assert "So wird verglichen" in html.get_text()
    # The chart has its numbers in the table beside it.
    assert html.select_one(".progress-pairs svg[role=img]")["aria-labelledby"] == "progress-pairs-caption"


def test_the_page_form_keeps_the_choices_and_offers_every_report(client, world):
    response = client.get(URL, {"from": "2024-06-30", "to": "heute", "area": "1", "change": ["status"]})
    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one("#compare-from option[selected]")["value"] == "2024-06-30"
    assert html.select_one("#compare-to option[selected]")["value"] == "heute"
    assert html.select_one("#compare-area option[selected]")["value"] == "1"
    assert html.select_one("#compare-change-status").has_attr("checked")
    assert {option["value"] for option in html.select("#compare-from option")} == {"2024-06-30", "2024-12-31", "heute"}


def test_without_choices_the_newest_two_reports_are_compared(client, world):
    html = client.get(URL).content.decode()
    assert "Bericht Sommer 2024 (Stichtag 30.06.2024) und Bericht Winter 2024 (Stichtag 31.12.2024)" in html


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"from": "1999-01-01"}, "Einen Bericht „1999-01-01“ gibt es nicht"),
        ({"to": "morgen"}, "Einen Bericht „morgen“ gibt es nicht"),
        ({"area": "9"}, "Das Handlungsfeld „9“ gibt es nicht"),
        ({"goal": "<script>"}, "Das Ziel „&lt;script&gt;“ gibt es nicht"),
        ({"department": "nirgends"}, "Die Stelle „nirgends“ gibt es nicht"),
        ({"change": "alles"}, "Die Art der Änderung „alles“ gibt es nicht"),
    ],
)
def test_unknown_choices_are_dropped_with_a_note(client, world, query, note):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert note in response.content.decode()


def test_absurd_requests_are_refused(client, world):
    response = client.get(URL + "?" + "&".join(f"change=status{i}" for i in range(100)))
    assert response.status_code == 400


def test_xlsx_holds_the_same_figures(client, world):
    response = client.get(URL + "xlsx/", {"from": "2024-06-30", "to": "2024-12-31"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="vergleich-2024-06-30-2024-12-31-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Einträge", "Handlungsfelder und Ziele", "Indikatoren"]
    entries = list(workbook["Einträge"].iter_rows(values_only=True))
    assert entries[0][:6] == ("Nummer", "Titel", "Handlungsfelder", "Ziele", "Federführung", "Änderung")
    row = next(row for row in entries if row[0] == "1.1.1.01")
    assert row[5:] == (
        "beendet; Status geändert; Ampel geändert; Fortschritt geändert",
        "in Umsetzung",
        "abgeschlossen",
        "gefährdet",
        "im Plan",
        40,
        100,
        60,
    )
    groups = {row[0]: row for row in workbook["Handlungsfelder und Ziele"].iter_rows(values_only=True)}
    assert groups[None][1:] == ("Gesamt", 5, 5, 1, 1, 1, 3, 2, 1, 1, 2, 25, 38)
    assert groups["2"][2:] == (2, 3, 1, 0, 0, 1, 1, 0, 1, 0, 33, 26)
    indicators = {row[0]: row for row in workbook["Indikatoren"].iter_rows(values_only=True)}
    assert indicators["Staus"][2] == 95 and indicators["Staus"][4] == 97 and indicators["Staus"][6] == 2


def test_xlsx_follows_the_filters(client, world):
    response = client.get(URL + "xlsx/", {"from": "2024-06-30", "to": "2024-12-31", "change": "new"})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert [row[0] for row in workbook["Einträge"].iter_rows(min_row=2, values_only=True)] == ["2.1.03"]


def test_english_comparison_names_the_reports_in_english(client, world):
    translate_page(world.page)
    response = client.get("/en" + URL, {"from": "2024-06-30", "to": "2024-12-31"})
    assert response.status_code == 200
    assert "Summer 2024 report" in response.content.decode()


def test_comparison_definitions_for_unknown_lights(world):
    before = type("S", (), {"traffic_light": "unknown"})()
    after = type("S", (), {"traffic_light": "on_track"})()
    change = comparison.EntryChange("k", "1", before, after, ("light",))
    assert change.light_trend == ""
