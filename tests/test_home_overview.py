"""The home page as an overview: live figures, areas, newest reports, next dialogues, the municipality picker."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from catalogue.models import Area, AreaPage, Department, Goal, Municipality, Project, Status, StatusReport
from cms import cache
from home.models import HomePage
from participation.models import DialogueIndexPage
from tests.factories.catalogue import ProjectFactory, publish_with_reports
from tests.participation_data import dialogue

pytestmark = pytest.mark.django_db
QUERY_BUDGET = 12


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def german() -> Locale:
    return Locale.objects.get(language_code="de")


def live_entries(language: str = "de"):
    return Project.objects.filter(live=True, locale__language_code=language).select_related("status", "parent")


def figures(html: BeautifulSoup) -> dict[str, str]:
    return {
        words(item.select_one(".key-figures__label")): words(item.select_one(".key-figures__value"))
        for item in html.select(".key-figures__item")
    }


def expected_costs(entries) -> Decimal:
    """Each entry's cost once: a measure's cost is part of its project's when the project states one."""
    return sum(
        (
            entry.cost_estimate
            for entry in entries
            if entry.cost_estimate is not None and (entry.parent is None or entry.parent.cost_estimate is None)
        ),
        Decimal(0),
    )


def test_key_figures_count_entries_finished_running_and_costs_in_each_language(client, demo):
    for language, path, labels in [
        ("de", "/", ["Projekte und Maßnahmen", "abgeschlossen oder verstetigt", "in Planung oder Umsetzung"]),
        ("en", "/en/", ["Projects and measures", "completed or made permanent", "being planned or implemented"]),
    ]:
        entries = list(live_entries(language))
        finished = [e for e in entries if e.status and e.status.is_closed and e.status.default_progress == 100]
        running = [e for e in entries if e.status and not e.status.is_closed and e.status.default_progress > 0]
        shown = figures(soup(client.get(path)))
        assert shown[labels[0]] == str(len(entries))
        assert shown[labels[1]] == str(len(finished))
        assert shown[labels[2]] == str(len(running))
        assert 0 < len(finished) < len(entries) and 0 < len(running) < len(entries)
        millions = (expected_costs(entries) / 1_000_000).quantize(Decimal("0.1"), ROUND_HALF_UP)
        costs = f"{millions:.1f}".replace(".", ",") + " Mio. €" if language == "de" else f"€{millions:.1f} million"
        assert costs in shown.values()


def test_area_cards_show_each_areas_goals_entries_statuses_and_progress_and_link_to_its_page(client, demo):
    html = soup(client.get("/"))
    cards = html.select(".area-card")
    areas = list(Area.objects.filter(locale=german()).order_by("order", "code"))
    assert len(cards) == len(areas) == 6
    for card, area in zip(cards, areas, strict=True):
        assert area.title in words(card.select_one(".area-card__title"))
        goals = Goal.objects.filter(area=area).count()
        entries = Project.objects.filter(live=True, locale=area.locale, goals__area=area).distinct()
        text = words(card.select_one(".area-card__figures"))
        assert f"{goals} Ziele" in text and f"{entries.count()} Einträge" in text
        # The bar is drawn and the same distribution is written out: one item per status, counts adding up.
        assert card.select_one("svg.area-card__bar")["aria-hidden"] == "true"
        counted = [int(re.match(r"\d+", words(item)).group()) for item in card.select(".status-legend__item")]
        assert sum(counted) == entries.count()
        for status in Status.objects.filter(locale=area.locale):
            number = entries.filter(status=status).count()
            if number:
                assert f"{number} {status.name}" in [words(item) for item in card.select(".status-legend__item")]
        assert re.search(r"\d+ %", words(card.select_one(".area-card__progress")))
        page = AreaPage.objects.get(area=area, locale=area.locale)
        assert card.select_one("a.area-card__link")["href"] == page.url


def test_newest_reports_are_published_ones_of_live_entries_only(client, demo):
    department = Department.objects.filter(locale=german()).first()
    status = Status.objects.get(locale=german(), slug="in-umsetzung")
    # Never published: its report rows exist, but not for the public.
    draft = ProjectFactory(code="9.9.01", title="Entwurfsvorhaben", lead_department=department, live=False)
    draft.reports.add(StatusReport(date=datetime.date(2099, 1, 1), status=status, progress=40, text="Entwurfsbericht"))
    draft.save()
    # Live, with a newer report only in a draft revision.
    entry = publish_with_reports(
        ProjectFactory(code="9.9.02", title="Laufendes Vorhaben", lead_department=department),
        (datetime.date(2020, 1, 1), status, "on_track", 10),
    )
    entry.reports.add(StatusReport(date=datetime.date(2099, 2, 1), status=status, progress=90, text="Noch geheim"))
    entry.save_revision()

    html = soup(client.get("/"))
    items = html.select(".report-list__item")
    newest = StatusReport.objects.filter(project__live=True, project__locale=german()).order_by("-date", "-pk")[:4]
    assert [words(item.select_one(".report-list__title")) for item in items] == [
        f"{report.project.code} {report.project.title}" for report in newest
    ]
    shown = words(html.select_one(".overview--reports"))
    assert "Entwurfsvorhaben" not in shown and "Entwurfsbericht" not in shown and "Noch geheim" not in shown
    first = items[0].select_one("a")["href"]
    assert client.get(first).status_code == 200

    # Publishing the entry with a new report shows it on the next request.
    entry = Project.objects.get(pk=entry.pk)
    publish_with_reports(entry, (datetime.date(2099, 3, 1), status, "on_track", 60))
    html = soup(client.get("/"))
    assert words(html.select_one(".report-list__title")) == "9.9.02 Laufendes Vorhaben"


def test_next_dialogues_are_upcoming_public_ones(client, demo):
    index = DialogueIndexPage.objects.get(locale=german())
    dialogue(index, "bald", 1, title="Zukunftsdialog Bald")
    dialogue(index, "vorbei", -3, title="Zukunftsdialog Vorbei")
    dialogue(index, "entwurf", 1, title="Zukunftsdialog Entwurf").unpublish()
    private = dialogue(index, "intern", 1, title="Zukunftsdialog Intern")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    html = soup(client.get("/"))
    titles = [words(item) for item in html.select(".dialogue-list__title")]
    assert titles[0] == "Zukunftsdialog Bald"
    assert not {"Zukunftsdialog Vorbei", "Zukunftsdialog Entwurf", "Zukunftsdialog Intern"} & set(titles)
    assert html.select_one(".dialogue-list__title a")["href"] == "/zukunftsdialoge/bald/"
    assert "Bürgerhaus Kirchdorf" in words(html.select_one(".dialogue-list__item"))


def test_english_home_shows_the_overview_in_english(client, demo):
    html = soup(client.get("/en/"))
    main = words(html.select_one("main"))
    for heading in ["The six areas of action", "Latest status reports", "Upcoming future dialogues"]:
        assert heading in main
    english_area = Area.objects.get(locale__language_code="en", slug=Area.objects.filter(locale=german()).first().slug)
    assert english_area.title in words(html.select_one(".area-card__title"))
    assert re.search(r"\d+ goals · \d+ entries", words(html.select_one(".area-card__figures")))
    assert "Progress (weighted)" in words(html.select_one(".area-card__progress"))
    assert "being implemented" in words(html.select_one(".overview--areas"))
    form = html.select_one("form.municipality-picker")
    assert form["action"] == "/en/projektkatalog/"
    assert words(form.select_one("label")) == "Municipality"
    # The English entries are listed; reports are synchronised and keep their German words, marked so.
    english_codes = set(live_entries("en").values_list("code", flat=True))
    for item in html.select(".report-list__item"):
        assert words(item.select_one(".report-list__title")).split(" ")[0] in english_codes
        text = item.select_one(".report-list__text")
        assert text is None or text["lang"] == "de"


def test_the_picker_leads_to_the_catalogue_filtered_by_the_chosen_municipality(client, demo):
    html = soup(client.get("/"))
    form = html.select_one("form.municipality-picker")
    assert form["method"] == "get"
    select = form.select_one("select")
    assert form.select_one(f"label[for={select['id']}]") is not None
    assert form.select_one("button[type=submit]") is not None
    place = Municipality.objects.get(name="Eichenhain")
    assert place.slug in [option["value"] for option in select.select("option")]

    result = soup(client.get(form["action"], {select["name"]: place.slug}))
    expected = live_entries().filter(municipalities=place) | live_entries().filter(county_wide=True)
    expected = expected.distinct()
    assert expected.filter(county_wide=False).exists() and expected.filter(county_wide=True).exists()
    assert words(result.select_one("#results-heading")) == f"{expected.count()} Einträge"
    shown = {words(code) for code in result.select(".entry-card__code")}
    assert shown <= set(expected.values_list("code", flat=True)) and shown


def _requests_after_a_data_change(client) -> tuple[int, int]:
    """Queries of the first request after a change (overview and response cold, derived data rebuilt
    by the worker, page shell warm) and of the first request on an empty cache but for derived data."""
    client.get("/")
    cache.bump_data_version()
    cache.rebuild_derived_data()
    with CaptureQueriesContext(connection) as after_change:
        assert client.get("/").status_code == 200
    for alias in caches:
        caches[alias].clear()
    cache.clear_local()
    cache.rebuild_derived_data()
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/").status_code == 200
    return len(after_change), len(cold)


@override_settings(DERIVED_DATA_IN_BACKGROUND=True)
def test_home_with_every_overview_block_stays_within_budget_however_large_the_catalogue(client, demo):
    blocks = {block.block_type for block in HomePage.objects.get(locale=german()).body}
    assert {"key_figures", "area_cards", "latest_reports", "upcoming_dialogues", "municipality_picker"} <= blocks
    small = _requests_after_a_data_change(client)
    goals = list(Goal.objects.filter(locale=german()))
    status = Status.objects.get(locale=german(), slug="in-umsetzung")
    department = Department.objects.filter(locale=german()).first()
    for number in range(60):
        entry = ProjectFactory(lead_department=department, goals=[goals[number % len(goals)]], cost_estimate=1000)
        publish_with_reports(entry, (datetime.date(2025, 1, 1), status, "on_track", 50))
    large = _requests_after_a_data_change(client)
    assert small == large
    assert small[0] <= QUERY_BUDGET
    # A warm page is served from the response cache.
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    assert len(warm) == 0
    assert figures(soup(client.get("/")))["Projekte und Maßnahmen"] == str(live_entries().count())


def test_publishing_an_entry_changes_the_figures_on_the_next_request(client, demo):
    area = Area.objects.filter(locale=german()).order_by("order", "code").first()
    before = soup(client.get("/"))
    entries_before = int(figures(before)["Projekte und Maßnahmen"])
    card_before = words(before.select_one(".area-card__figures"))
    status = Status.objects.get(locale=german(), slug="abgeschlossen")
    entry = ProjectFactory(
        live=False, lead_department=Department.objects.filter(locale=german()).first(), goals=[area.goals.first()]
    )
    assert figures(soup(client.get("/")))["Projekte und Maßnahmen"] == str(entries_before)
    publish_with_reports(entry, (datetime.date(2025, 6, 1), status, "on_track", 100))
    after = soup(client.get("/"))
    assert figures(after)["Projekte und Maßnahmen"] == str(entries_before + 1)
    count = int(re.search(r"(\d+) Einträge", card_before).group(1))
    assert f"{count + 1} Einträge" in words(after.select_one(".area-card__figures"))
