"""The demo county's data: each entry shows what its newest report says, and the texts live in data files."""

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalogue.models import Project
from catalogue.public.query import entry_url

DEMO = Path(__file__).resolve().parent.parent / "demo"
# roles.py is being moved to a data file by its own change; it joins this check when that lands.
BUILDERS = sorted(path for path in [*DEMO.glob("builders/*.py"), *DEMO.glob("data/*.py")] if path.name != "roles.py")
LONGEST_LITERAL = 60


def newest_report_of(entry):
    return entry.reports.select_related("status").order_by("-date", "-pk").first()


def test_every_live_entry_shows_its_newest_report(demo):
    entries = list(Project.objects.filter(live=True).select_related("locale").order_by("locale", "code"))
    assert len(entries) > 70
    differing = []
    for entry in entries:
        report = newest_report_of(entry)
        shown = (entry.status_id, entry.traffic_light, entry.progress, entry.last_report_date)
        reported = (report.status_id, report.traffic_light, report.progress, report.date)
        if shown != reported:
            differing.append((entry.locale.language_code, entry.code, shown, reported))
    assert differing == []


def test_finished_entries_are_complete_and_on_track(demo):
    finished = Project.objects.filter(live=True, status__slug__in=["abgeschlossen", "verstetigt"])
    assert finished.count() > 5
    assert sorted({(entry.progress, entry.traffic_light) for entry in finished}) == [(100, "on_track")]


def test_public_entry_pages_state_what_the_newest_report_says(client, demo):
    """What a citizen reads at the top of an entry page matches the newest report in its history."""
    entries = Project.objects.filter(live=True, locale__language_code="de").order_by("code")
    differing = []
    for entry in entries:
        response = client.get(entry_url("/projektkatalog/", entry))
        assert response.status_code == 200, entry.code
        html = BeautifulSoup(response.content, "html.parser")
        facts = html.select(".project__facts dd")
        status, light = (dd.get_text(" ", strip=True) for dd in facts[:2])
        progress = facts[2].select_one(".progress-figure__text").get_text(strip=True)
        newest = html.select_one(".timeline__item p").get_text(" ", strip=True)
        if newest != f"{status} · {light} · Fortschritt {progress}":
            differing.append((entry.code, status, light, progress, newest))
    assert differing == []


def string_literals(path):
    """Every string constant of a module except docstrings, f-string parts included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", BUILDERS, ids=[path.name for path in BUILDERS])
def test_builders_keep_their_texts_in_the_data_files(path):
    assert [text for text in string_literals(path) if len(text) > LONGEST_LITERAL] == []


def test_the_literal_check_finds_prose(tmp_path):
    module = tmp_path / "builder.py"
    module.write_text(
        '"""Docstrings may be long, they document the code and are not demo content at all."""\n'
        'INTRO = "Das Zukunftsprofil beschreibt, wie sich der Landkreis Lindenau entwickeln will."\n'
        'name = f"{1}: ein Vorhaben des Landkreises Lindenau im Handlungsfeld Wirtschaft und Innovation"\n',
        encoding="utf-8",
    )
    assert [len(text) > LONGEST_LITERAL for text in string_literals(module)] == [True, True]
