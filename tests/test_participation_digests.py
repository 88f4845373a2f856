"""Digests: what changed reaches each subscriber once, in their language, and not after they leave."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from catalogue.models import Project
from cms import cache
from demo.translation import translate
from participation import digests, tasks
from participation.changes import RUN
from participation.models import DigestItem, EntryChange, Subscription
from tests.factories.catalogue import ProjectFactory
from tests.participation_data import build_strategy, english, last_mail, link_to, publish_report

DAY = datetime.timedelta(days=1)


@pytest.fixture
def strategy(site):
    return build_strategy(entries=3)


def subscribe(client, email, *, query="", entry="", frequency="daily", prefix=""):
    """Subscribe through the public form and confirm through the link in the mail, as a person would."""
    data = {"email": email, "frequency": frequency, "consent": "on", "query": query, "entry": entry}
    assert client.post(f"{prefix}/beteiligung/folgen/", data).status_code == 302
    assert client.post(link_to(last_mail(email), "/bestaetigen/")).status_code == 302
    mail.outbox.clear()
    return Subscription.objects.get(subscriber__email=email, query=query, entry_code=entry)


def digest_to(email):
    return [message for message in mail.outbox if email in message.to]


def test_digest_tells_new_reports_state_changes_and_new_entries_of_the_selection(client, strategy):
    mobility, other, mobility_two = strategy.entries
    subscribe(client, "leser@example.org", query="area=mobilitaet")
    in_progress = strategy.statuses[1]
    publish_report(mobility, in_progress, "at_risk", text="Die Ausschreibung für den Rufbus läuft.")
    publish_report(other, in_progress, "off_track", text="Anderes Handlungsfeld.")
    new_entry = ProjectFactory(
        code="4.2.09", title="Mitfahrbänke", lead_department=mobility.lead_department, goals=[strategy.goals[0]]
    )
    new_entry.save_revision().publish()

    call_command("send_digests", verbosity=0)

    [message] = digest_to("leser@example.org")
    assert "Neues aus dem Projektkatalog" in message.subject
    body = message.body
    assert f"{mobility.code} {mobility.title}" in body
    assert "Status: in Planung → in Umsetzung" in body
    assert "Ampel: im Plan → gefährdet" in body
    assert "Die Ausschreibung für den Rufbus läuft." in body
    assert "Mitfahrbänke" in body and "Neu im Katalog" in body
    assert other.title not in body and "Anderes Handlungsfeld" not in body
    assert mobility_two.title not in body
    assert f"/projektkatalog/eintrag/{mobility.code.replace('.', '-')}/" in body
    assert "Landkreis Lindenau" in body
    html, content_type = message.alternatives[0]
    assert content_type == "text/html" and mobility.title in html and 'lang="de"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/beteiligung/alles-abbestellen/" in message.extra_headers["List-Unsubscribe"]
    assert "/beteiligung/abbestellen/" in body and "/beteiligung/abonnements/" in body


def test_only_what_changed_since_the_last_digest_and_never_twice(client, strategy):
    first, _other, second = strategy.entries
    subscription = subscribe(client, "genau@example.org", query="area=mobilitaet")
    publish_report(first, strategy.statuses[1], text="Erster Bericht.")
    now = timezone.now()
    digests.send_digests(now=now)
    assert len(digest_to("genau@example.org")) == 1
    sent = DigestItem.objects.filter(subscription=subscription).count()
    assert sent >= 1

    # Nothing new: the next day brings no mail, and a second run the same day none either.
    digests.send_digests(now=now)
    digests.send_digests(now=now + DAY)
    assert len(digest_to("genau@example.org")) == 1

    publish_report(second, strategy.statuses[1], text="Zweiter Bericht.")
    digests.send_digests(now=now + 2 * DAY)
    latest = digest_to("genau@example.org")[-1]
    assert len(digest_to("genau@example.org")) == 2
    assert "Zweiter Bericht." in latest.body
    assert "Erster Bericht." not in latest.body and first.title not in latest.body
    assert DigestItem.objects.filter(subscription=subscription).count() > sent


def test_changes_before_the_confirmation_are_not_news(client, strategy):
    first = strategy.entries[0]
    data = {"email": "spaet@example.org", "frequency": "daily", "consent": "on", "query": "area=mobilitaet"}
    client.post("/beteiligung/folgen/", data)
    confirm = link_to(last_mail("spaet@example.org"), "/bestaetigen/")
    publish_report(first, strategy.statuses[1], text="Vor der Bestätigung.")
    client.post(confirm)
    mail.outbox.clear()
    digests.send_digests()
    assert not digest_to("spaet@example.org")

    publish_report(first, strategy.statuses[0], text="Nach der Bestätigung.")
    digests.send_digests(now=timezone.now() + DAY)
    [message] = digest_to("spaet@example.org")
    assert "Nach der Bestätigung." in message.body and "Vor der Bestätigung." not in message.body


def test_a_pending_subscription_gets_no_digest(client, strategy):
    client.post(
        "/beteiligung/folgen/",
        {"email": "offen@example.org", "frequency": "daily", "consent": "on", "query": "area=mobilitaet"},
    )
    mail.outbox.clear()
    publish_report(strategy.entries[0], strategy.statuses[1])
    digests.send_digests()
    assert not digest_to("offen@example.org")


def test_weekly_digests_wait_a_week(client, strategy):
    first = strategy.entries[0]
    subscribe(client, "woche@example.org", query="area=mobilitaet", frequency="weekly")
    now = timezone.now()
    digests.send_digests(now=now)
    publish_report(first, strategy.statuses[1], text="Mitte der Woche.")
    digests.send_digests(now=now + 3 * DAY)
    assert not digest_to("woche@example.org")
    digests.send_digests(now=now + 7 * DAY)
    [message] = digest_to("woche@example.org")
    assert "Mitte der Woche." in message.body


def test_digest_comes_in_the_subscribers_language(client, strategy):
    entry = strategy.entries[0]
    translate(entry, english(), {entry.title: "On-demand bus 1"})
    translate(strategy.catalogue, english(), {"Projektkatalog": "Project catalogue"})
    subscribe(client, "reader@example.org", entry=entry.code, prefix="/en")
    publish_report(entry, strategy.statuses[1], "at_risk", text="Tender under way.")
    digests.send_digests()
    [message] = digest_to("reader@example.org")
    assert message.subject.startswith("News from the project catalogue")
    assert "On-demand bus 1" in message.body
    assert "Traffic light: on track → at risk" in message.body
    assert "/en/beteiligung/abbestellen/" in message.body
    assert "/en/projektkatalog/eintrag/" in message.body
    assert 'lang="en"' in message.alternatives[0][0]
    assert "Neues aus dem Projektkatalog" not in message.body


def test_unsubscribing_stops_digests_at_once(client, strategy):
    first = strategy.entries[0]
    subscribe(client, "genug@example.org", query="area=mobilitaet")
    publish_report(first, strategy.statuses[1], text="Erste Nachricht.")
    digests.send_digests()
    message = digest_to("genug@example.org")[0]
    client.post(link_to(message, "/abbestellen/"))
    assert not Subscription.objects.filter(subscriber__email="genug@example.org").exists()
    mail.outbox.clear()
    publish_report(first, strategy.statuses[0], text="Zweite Nachricht.")
    digests.send_digests(now=timezone.now() + DAY)
    assert not digest_to("genug@example.org")


def test_changes_written_without_signals_are_found_too(client, strategy):
    """An import writes entries in bulk; the digest reads the rows, not the editor's signals."""
    first = strategy.entries[0]
    subscribe(client, "import@example.org", entry=first.code)
    Project.objects.filter(pk=first.pk).update(status=strategy.statuses[1], traffic_light="off_track")
    digests.send_digests()
    [message] = digest_to("import@example.org")
    assert "Status: in Planung → in Umsetzung" in message.body
    assert "Ampel: im Plan → kritisch" in message.body


def test_the_task_and_the_command_send_the_same_digest(client, strategy):
    first = strategy.entries[0]
    subscribe(client, "aufgabe@example.org", entry=first.code)
    publish_report(first, strategy.statuses[1], text="Per Aufgabe.")
    result = tasks.send_digests.enqueue()
    assert result.return_value["mails"] == 1
    assert "Per Aufgabe." in digest_to("aufgabe@example.org")[0].body
    mail.outbox.clear()
    publish_report(first, strategy.statuses[0], text="Per Befehl.")
    Subscription.objects.update(last_digest_at=timezone.now() - 2 * DAY)
    call_command("send_digests", "--enqueue", verbosity=0)
    assert "Per Befehl." in digest_to("aufgabe@example.org")[0].body


def test_a_run_while_another_runs_does_nothing(client, strategy):
    first = strategy.entries[0]
    subscribe(client, "parallel@example.org", entry=first.code)
    publish_report(first, strategy.statuses[1])
    assert cache.claim(RUN, timeout=60)
    try:
        assert digests.send_digests().skipped
        assert not digest_to("parallel@example.org")
    finally:
        cache.forget(RUN)
    assert digests.send_digests().mails == 1


def test_one_change_covered_by_two_subscriptions_is_told_once(client, strategy):
    first = strategy.entries[0]
    subscribe(client, "beides@example.org", entry=first.code)
    subscribe(client, "beides@example.org", query="area=mobilitaet")
    publish_report(first, strategy.statuses[1], text="Nur einmal erzählen.")
    digests.send_digests()
    [message] = digest_to("beides@example.org")
    assert message.body.count("Nur einmal erzählen.") == 1
    assert EntryChange.objects.filter(project=first).exists()
    assert DigestItem.objects.filter(subscription__subscriber__email="beides@example.org").count() == 2 * (
        EntryChange.objects.filter(project=first).count()
    )
