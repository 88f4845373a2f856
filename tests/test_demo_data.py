"""The demo county's data: each entry shows what its newest report says, and the texts live in data files."""

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalogue.models import Project
from catalogue.public.query import entry_url

DEMO = Path(__file__).resolve().parent.parent / "demo"
# roles.py is being moved to a data file by its own change; it joins this check when that lands.
BUILDERS = sorted(path for path in [*DEMO.glob("builders/*.py"), *DEMO.glob("data/*.py")] if path.name != "roles.py")
LONGEST_LITERAL = 60
# Two entries may share a phrase of a few words ("im Landkreis Lindenau"), not a sentence.
SHARED_WORDS = 6


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


def texts_of(entry):
    """What a reader sees of an entry in prose: summary, description, and every report's text."""
    description = BeautifulSoup(entry.description, "html.parser").get_text(" ", strip=True)
    return [entry.summary, description, *(report.text for report in entry.reports.all())]


def word_runs(text):
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[start : start + SHARED_WORDS]) for start in range(len(words) - SHARED_WORDS + 1)}


def shared_sentences(texts_by_code):
    """{run of SHARED_WORDS words: codes of the entries whose texts contain it} for runs in two or more."""
    found = defaultdict(set)
    for code, texts in texts_by_code.items():
        for text in texts:
            for run in word_runs(text):
                found[run].add(code)
    return {" ".join(run): sorted(codes) for run, codes in found.items() if len(codes) > 1}


def test_the_shared_sentence_check_finds_templates():
    generated = {
        code: [f"{title}: ein Vorhaben des Landkreises Lindenau im Handlungsfeld Mobilität."]
        for code, title in (("1", "Rufbus"), ("2", "Radweg"))
    }
    assert "ein vorhaben des landkreises lindenau im" in shared_sentences(generated)
    assert shared_sentences({"1": ["Der Rufbus fährt im Landkreis Lindenau."], "2": ["Im Landkreis Lindenau"]}) == {}


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_entry_has_texts_written_for_it(demo, language):
    """No summary starts with its title, no text is empty, and no two entries share a sentence."""
    entries = (
        Project.objects.filter(live=True, locale__language_code=language).prefetch_related("reports").order_by("code")
    )
    texts_by_code = {entry.code: texts_of(entry) for entry in entries}
    assert len(texts_by_code) > (70 if language == "de" else 5)
    assert [code for code, texts in texts_by_code.items() if not all(text.strip() for text in texts)] == []
    assert [entry.code for entry in entries if entry.summary.casefold().startswith(entry.title.casefold())] == []
    assert shared_sentences(texts_by_code) == {}


def test_english_entries_read_in_english(demo):
    """An entry translated into English carries English prose, not the German source texts.

    Reports are synchronised into translations (one history per entry), so only summary and
    description are compared.
    """
    translated = Project.objects.filter(live=True, locale__language_code="en")
    untranslated = []
    for entry in translated:
        source = Project.objects.get(translation_key=entry.translation_key, locale__language_code="de")
        untranslated += [(entry.code, text) for text in set(texts_of(entry)[:2]) & set(texts_of(source)[:2])]
    assert translated.count() > 5
    assert untranslated == []


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
