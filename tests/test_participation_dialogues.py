"""Zukunftsdialoge: the list, a dialogue's page, its .ics and the calendar feed, registration, the timeline link."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from cms.blocks import BaseStreamBlock
from demo.translation import translate
from participation.models import DialogueRegistration
from tests.participation_data import build_strategy, dialogue, dialogue_index, english, last_mail, link_to

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def strategy(site):
    result = build_strategy(entries=2)
    result.pages["dialogues"] = dialogue_index(result.home)
    return result


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_list_shows_upcoming_first_and_past_with_their_results(client, strategy):
    index = strategy.pages["dialogues"]
    dialogue(index, "bald", 10, goals=[strategy.goals[0]])
    dialogue(index, "spaeter", 40)
    dialogue(index, "vorbei", -30, documentation=[("paragraph", "<p>Ergebnis: mehr Busse.</p>")])
    draft = dialogue(index, "entwurf", 5)
    draft.unpublish()
    response = client.get("/zukunftsdialoge/")
    page = BeautifulSoup(response.content, "html.parser")
    upcoming = [node.get_text(strip=True) for node in page.select("#upcoming-heading + .dialogue-list h3")]
    past = [node.get_text(strip=True) for node in page.select("#past-heading + .dialogue-list h3")]
    assert upcoming == ["Zukunftsdialog bald", "Zukunftsdialog spaeter"]
    assert past == ["Zukunftsdialog vorbei"]
    assert "4.2 Nahverkehr verlässlich anbieten" in text(response)
    assert page.select_one("link[rel=alternate][type='text/calendar']")["href"].endswith(
        "/zukunftsdialoge/kalender.ics"
    )
    assert page.select_one("a[href^='webcal://']") is not None


def test_a_dialogue_page_shows_place_access_goals_and_documentation(client, strategy):
    index = strategy.pages["dialogues"]
    past = dialogue(
        index,
        "klima",
        -20,
        goals=[strategy.goals[1]],
        step_free=True,
        hearing_loop=True,
        accessibility_notes="Parkplätze am Eingang.",
        documentation=[("paragraph", "<p>Ergebnis: Hitzeplan für alle Gemeinden.</p>")],
    )
    past.themes = [strategy.themes[0]]
    past.save_revision().publish()
    response = client.get("/zukunftsdialoge/klima/")
    body = text(response)
    assert "Bürgerhaus Kirchdorf" in body and "stufenlos erreichbar" in body and "Induktionsschleife" in body
    assert "Parkplätze am Eingang." in body
    assert "Ergebnis: Hitzeplan für alle Gemeinden." in body
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("a[href='/projektkatalog/ziel/5-2/']").get_text() == "5.2 An den Klimawandel anpassen"
    assert page.select_one("a[href='/projektkatalog/?theme=klimaanpassung']") is not None
    assert page.select_one("a[href='/zukunftsdialoge/klima/termin.ics']") is not None
    assert page.select_one("#anmeldung") is None


def test_one_dialogue_as_ics_parses_back_with_berlin_time(client, strategy):
    index = strategy.pages["dialogues"]
    event_page = dialogue(
        index,
        "mobil",
        12,
        format="hybrid",
        online_url="https://konferenz.example/mobil",
        step_free=True,
        intro="Wie kommen Sie ohne Auto zum Arzt?",
    )
    response = client.get("/zukunftsdialoge/mobil/termin.ics")
    assert 'filename="mobil.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID")
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Zukunftsdialog mobil"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(event["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert start.astimezone(BERLIN).hour == 18
    assert start == event_page.start
    assert event.decoded("DTEND") - start == datetime.timedelta(hours=2)
    assert "Bürgerhaus Kirchdorf" in str(event["LOCATION"]) and "online" in str(event["LOCATION"])
    assert "Wie kommen Sie ohne Auto zum Arzt?" in str(event["DESCRIPTION"])
    assert "https://konferenz.example/mobil" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith("/zukunftsdialoge/mobil/")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]) == f"zukunftsdialog-{event_page.translation_key}@localhost"


def test_the_calendar_feed_has_every_public_dialogue_and_no_draft_or_private_one(client, strategy):
    index = strategy.pages["dialogues"]
    dialogue(index, "eins", 3)
    dialogue(index, "abgesagt", 9, cancelled=True)
    dialogue(index, "vorbei", -60)
    dialogue(index, "entwurf", 6).unpublish()
    private = dialogue(index, "intern", 7)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/zukunftsdialoge/kalender.ics")
    assert response["Content-Disposition"].startswith("inline")
    calendar = parse(response)
    assert "Zukunftsdialoge" in str(calendar["X-WR-CALNAME"])
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Zukunftsdialog eins", "Zukunftsdialog abgesagt", "Zukunftsdialog vorbei"}
    assert str(events["Zukunftsdialog abgesagt"]["STATUS"]) == "CANCELLED"
    assert len({str(event["UID"]) for event in events.values()}) == 3
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    # The private dialogue's own file asks for a login like its page does.
    assert client.get("/zukunftsdialoge/intern/termin.ics").status_code == 302
    assert client.get("/zukunftsdialoge/entwurf/termin.ics").status_code == 404
    assert client.get("/zukunftsdialoge/gibtsnicht/termin.ics").status_code == 404
    assert client.get("/projektkatalog/termin.ics").status_code == 404


def test_the_english_calendar_has_the_english_titles_and_the_same_uids(client, strategy):
    index = strategy.pages["dialogues"]
    event_page = dialogue(index, "mobil", 12)
    translate(index, english(), {"Zukunftsdialoge": "Future dialogues"})
    translate(event_page, english(), {"Zukunftsdialog mobil": "Future dialogue: mobility"})
    german = parse(client.get("/zukunftsdialoge/kalender.ics")).walk("VEVENT")[0]
    english_event = parse(client.get("/en/zukunftsdialoge/kalender.ics")).walk("VEVENT")[0]
    assert str(english_event["SUMMARY"]) == "Future dialogue: mobility"
    assert str(english_event["UID"]) == str(german["UID"])
    assert str(english_event["URL"]).endswith("/en/zukunftsdialoge/mobil/")


def test_registration_by_form_with_double_opt_in_and_places(client, strategy):
    index = strategy.pages["dialogues"]
    event_page = dialogue(index, "anmelden", 14, registration="form", capacity=3)
    page = client.get("/zukunftsdialoge/anmelden/")
    form = BeautifulSoup(page.content, "html.parser").select_one("#anmeldung form")
    assert form is not None and "Noch 3 Plätze frei" in text(page)
    action = form["action"]
    data = {
        "name": "Erika Muster",
        "email": "Erika@example.org",
        "persons": "2",
        "needs": "Rollstuhlplatz",
        "consent": "on",
    }
    response = client.post(action, data)
    assert response.status_code == 302 and response["Location"].endswith("?angemeldet=1#anmeldung")
    registration = DialogueRegistration.objects.get()
    assert registration.email == "erika@example.org" and registration.confirmed_at is None
    message = last_mail("erika@example.org")
    confirm = link_to(message, "/anmeldung/bestaetigen/")
    assert "Noch 3 Plätze frei" in text(client.get("/zukunftsdialoge/anmelden/"))
    assert "Anmeldung für „Zukunftsdialog anmelden“, 2 Personen." in text(client.get(confirm))
    client.post(confirm)
    registration.refresh_from_db()
    assert registration.confirmed_at is not None
    confirmed = last_mail("erika@example.org")
    assert "/zukunftsdialoge/anmelden/termin.ics" in confirmed.body
    assert "Noch 1 Platz frei" in text(client.get("/zukunftsdialoge/anmelden/"))

    # Two more would exceed the places: refused with a clear message, nothing stored.
    too_many = client.post(action, {**data, "email": "zwei@example.org"})
    assert too_many.status_code == 400 and "Es ist nur noch 1 Platz frei." in text(too_many)
    assert DialogueRegistration.objects.count() == 1

    cancel = link_to(confirmed, "/anmeldung/absagen/")
    assert "absagen" in text(client.get(cancel))
    client.post(cancel)
    assert not DialogueRegistration.objects.exists()
    assert "Noch 3 Plätze frei" in text(client.get("/zukunftsdialoge/anmelden/"))
    assert event_page.registrations.count() == 0


def test_registration_closes_when_the_dialogue_has_begun(client, strategy):
    index = strategy.pages["dialogues"]
    past = dialogue(index, "vorbei", -1, registration="form")
    data = {"name": "Zu spät", "email": "spaet@example.org", "persons": "1", "consent": "on"}
    response = client.post(f"/beteiligung/anmeldung/{past.pk}/", data)
    assert response.status_code == 400
    assert "keine Anmeldung mehr möglich" in text(response)
    assert not DialogueRegistration.objects.exists() and not mail.outbox


def test_the_timeline_links_a_milestone_to_its_dialogue(client, strategy):
    index = strategy.pages["dialogues"]
    event_page = dialogue(index, "fortschreibung", 60)
    stream = BaseStreamBlock()
    value = stream.to_python(
        [
            {
                "type": "timeline",
                "value": {
                    "milestones": [
                        {
                            "date_label": "2026",
                            "title": "Fortschreibung",
                            "text": "",
                            "state": "planned",
                            "page": event_page.pk,
                        },
                        {"date_label": "2023", "title": "Beschluss", "text": "", "state": "done", "page": None},
                    ]
                },
            }
        ]
    )
    html = stream.render(value, {})
    page = BeautifulSoup(html, "html.parser")
    links = page.select(".timeline__link a")
    assert [link["href"] for link in links] == ["/zukunftsdialoge/fortschreibung/"]
    assert "Zukunftsdialog fortschreibung" in links[0].get_text()
    event_page.unpublish()
    value = stream.to_python(stream.get_prep_value(value))
    assert not BeautifulSoup(stream.render(value, {}), "html.parser").select(".timeline__link")


def test_event_list_stays_within_twelve_queries_whatever_its_size(client, strategy):
    index = strategy.pages["dialogues"]

    def add(count, offset):
        for number in range(count):
            dialogue(index, f"d{offset + number}", (number % 2 * 2 - 1) * (number + 1), goals=strategy.goals)

    def count_queries():
        client.get("/zukunftsdialoge/?page=3")  # the page shell warm, as for any visitor
        found = []
        for url in ("/zukunftsdialoge/", "/zukunftsdialoge/?page=2"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    add(4, 0)
    few = count_queries()
    add(30, 100)
    many = count_queries()
    assert few == many
    assert max(many) <= 12, many
