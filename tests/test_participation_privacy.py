"""Personal data: given out and erased for one address by the data protection officer, and deleted on time."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from participation.models import ConsentRecord, DialogueRegistration, Idea, Subscriber, Subscription
from participation.privacy import purge
from participation.roles import setup_roles
from tests.participation_data import build_strategy, dialogue, dialogue_index, last_mail, link_to

URL = "/admin/beteiligung/datenschutz/"
ADDRESS = "person@example.org"
OTHER = "andere@example.org"


def user_in(group_name, username):
    moderation, privacy = setup_roles()
    group = {"Beteiligung": moderation, "Datenschutz": privacy}[group_name]
    user = get_user_model().objects.create_user(username, f"{username}@lk.example", "geheim-genug-123")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(client, site):
    """Two addresses with a subscription, an idea and a registration each, made through the public forms."""
    strategy = build_strategy(entries=1)
    index = dialogue_index(strategy.home)
    event_page = dialogue(index, "termin", 10, registration="form")
    for email in (ADDRESS, OTHER):
        client.post(
            "/beteiligung/folgen/",
            {"email": email, "frequency": "weekly", "consent": "on", "query": "area=klima"},
        )
        client.post(link_to(last_mail(email), "/bestaetigen/"))
        Idea.objects.create(title=f"Idee von {email}", text="Text", name="Name", email=email, moderation="published")
        client.post(
            f"/beteiligung/anmeldung/{event_page.pk}/",
            {"name": f"Name {email}", "email": email, "persons": "1", "consent": "on"},
        )
    return strategy


def test_only_the_data_protection_role_may_open_the_view(client, people):
    assert client.get(URL).status_code == 302
    assert user_in("Beteiligung", "moderation").get(URL).status_code == 403
    assert user_in("Datenschutz", "dsb").get(URL).status_code == 200


def test_shows_and_exports_everything_about_one_address_and_nothing_else(people):
    officer = user_in("Datenschutz", "dsb")
    shown = officer.post(URL, {"email": "Person@Example.org", "action": "show"}).content.decode()
    assert f"Idee von {ADDRESS}" in shown and f"Name {ADDRESS}" in shown and "area=klima" in shown
    assert OTHER not in shown

    response = officer.post(URL, {"email": ADDRESS, "action": "export"})
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", "")
    data = json.loads(response.content)
    assert data["email"] == ADDRESS
    assert [item["filters"] for item in data["subscriptions"]] == ["area=klima"]
    assert data["subscriptions"][0]["confirmed_at"]
    assert {(item["purpose"], item["event"]) for item in data["consents"]} >= {
        ("subscription", "given"),
        ("subscription", "confirmed"),
        ("registration", "given"),
    }
    assert all("willige ein" in item["text"] or "Einwilligung" in item["text"] for item in data["consents"])
    assert [item["title"] for item in data["ideas"]] == [f"Idee von {ADDRESS}"]
    assert [item["name"] for item in data["registrations"]] == [f"Name {ADDRESS}"]
    assert OTHER not in response.content.decode()


def test_erases_one_address_after_the_check_and_leaves_the_others(people):
    officer = user_in("Datenschutz", "dsb")
    unchecked = officer.post(URL, {"email": ADDRESS, "action": "erase"})
    assert unchecked.status_code == 200 and "Prüfung" in unchecked.content.decode()
    assert Subscriber.objects.filter(email=ADDRESS).exists()

    done = officer.post(URL, {"email": ADDRESS, "action": "erase", "checked": "on"})
    assert "Gelöscht" in done.content.decode()
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert not Subscription.objects.filter(subscriber__email=ADDRESS).exists()
    assert not ConsentRecord.objects.filter(email=ADDRESS).exists()
    assert not DialogueRegistration.objects.filter(email=ADDRESS).exists()
    kept = Idea.objects.get(title=f"Idee von {ADDRESS}")
    assert kept.email == "" and kept.name == ""
    assert Subscriber.objects.filter(email=OTHER).exists()
    assert ConsentRecord.objects.filter(email=OTHER).exists()
    assert Idea.objects.get(title=f"Idee von {OTHER}").email == OTHER
    assert DialogueRegistration.objects.filter(email=OTHER).exists()

    officer.post(URL, {"email": OTHER, "action": "erase", "checked": "on", "delete_ideas": "on"})
    assert not Idea.objects.filter(title=f"Idee von {OTHER}").exists()


def test_registrations_go_thirty_days_after_their_dialogue(people):
    registration = DialogueRegistration.objects.filter(email=ADDRESS).first()
    assert purge().registrations == 0
    page = registration.dialogue
    page.start = timezone.now() - datetime.timedelta(days=40)
    page.end = page.start + datetime.timedelta(hours=2)
    page.save_revision().publish()
    assert purge().registrations == 2
    assert not DialogueRegistration.objects.exists()
