"""Following by e-mail: the forms on catalogue pages, double opt-in, links, spam protection, leaving, managing."""

import time
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from participation import links
from participation.models import ConsentRecord, Subscriber, Subscription
from participation.privacy import purge
from tests.participation_data import build_strategy, last_mail, link_to

FOLLOW = "/beteiligung/folgen/"


@pytest.fixture
def strategy(site):
    return build_strategy()


def follow(client, email, *, entry="", query="", frequency="weekly", consent=True, **extra):
    data = {"email": email, "frequency": frequency, "entry": entry, "query": query, "next": "/projektkatalog/"}
    if consent:
        data["consent"] = "on"
    return client.post(FOLLOW, {**data, **extra})


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def _named(form):
    return [(field["name"], field) for field in form.select("input[name]")]


def test_every_catalogue_view_offers_the_follow_form_for_what_it_shows(client, strategy):
    entry = strategy.entries[0]
    pages = {
        f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/{entry.slug}/": (entry.code, ""),
        "/projektkatalog/ziel/4-2/": ("", "goal=4.2"),
        "/projektkatalog/?area=klima&status=in-planung": ("", "area=klima&status=in-planung"),
        "/projektkatalog/": ("", ""),
    }
    for url, (code, query) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        form = BeautifulSoup(response.content, "html.parser").select_one("form.follow__form")
        assert form is not None, url
        assert form["action"] == FOLLOW
        assert form.select_one("input[name=entry]").get("value", "") == code, url
        assert form.select_one("input[name=query]").get("value", "") == query, url
        # A GET step: the catalogue page carries no per-visitor token and stays cacheable.
        assert form["method"] == "get" and form.select_one("input[name=csrfmiddlewaretoken]") is None, url
        step = client.get(FOLLOW, {name: field.get("value", "") for name, field in _named(form)})
        page = BeautifulSoup(step.content, "html.parser").select_one("form.participation-form")
        assert step.status_code == 200 and page.select_one("input[name=csrfmiddlewaretoken]")["value"], url
        assert page.select_one("input[name=consent][type=checkbox]") is not None
        assert page.select_one("input[name=entry]").get("value", "") == code, url


def test_nothing_is_active_before_the_link_in_the_mail_is_confirmed(client, strategy):
    response = follow(client, "Leser@Example.org ", query="area=klima&status=in-planung", frequency="daily")
    assert response.status_code == 302
    assert response["Location"].startswith("/beteiligung/folgen/gesendet/")

    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "leser@example.org"
    assert subscription.query == "area=klima&status=in-planung"
    assert subscription.frequency == "daily"
    assert not subscription.is_confirmed
    assert not Subscription.objects.confirmed().exists()
    given = ConsentRecord.objects.get(email="leser@example.org")
    assert given.event == ConsentRecord.Event.GIVEN
    assert "willige ein" in given.text
    assert "Handlungsfeld" in given.subject and "in Planung" in given.subject

    message = last_mail("leser@example.org")
    assert "Bitte bestätigen" in message.subject
    assert message.alternatives[0][1] == "text/html"
    assert "Landkreis Lindenau" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    confirm = link_to(message, "/bestaetigen/")

    # Opening the link shows what would be subscribed and asks; it does not confirm by itself
    # (mail scanners open links too).
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Handlungsfeld" in page_text(page) and "in Planung" in page_text(page)
    assert not Subscription.objects.confirmed().exists()

    confirmed = client.post(confirm)
    assert confirmed.status_code == 302
    done = client.get(confirmed["Location"])
    assert "Sie folgen jetzt per E-Mail" in page_text(done)
    assert "Handlungsfeld" in page_text(done)
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    assert ConsentRecord.objects.filter(email="leser@example.org", event=ConsentRecord.Event.CONFIRMED).exists()


def test_an_entry_subscription_names_the_entry_on_the_confirmation_page(client, strategy):
    entry = strategy.entries[0]
    follow(client, "eintrag@example.org", entry=entry.code)
    confirm = link_to(last_mail("eintrag@example.org"), "/bestaetigen/")
    client.post(confirm)
    assert f"{entry.code}" in page_text(client.get(confirm)) and entry.title in page_text(client.get(confirm))


def test_tampered_and_expired_links_are_refused_with_a_clear_page(client, strategy, monkeypatch):
    follow(client, "alt@example.org", query="area=klima")
    confirm = link_to(last_mail("alt@example.org"), "/bestaetigen/")
    token = confirm.rstrip("/").rsplit("/", 1)[-1]

    tampered = confirm.replace(token, token[:-3] + ("abc" if not token.endswith("abc") else "xyz"))
    for method in (client.get, client.post):
        response = method(tampered)
        assert response.status_code == 400
        assert "Dieser Link ist ungültig" in page_text(response)
    another_purpose = confirm.replace("/folgen/bestaetigen/", "/abbestellen/")
    assert client.post(another_purpose).status_code == 400

    subscription = Subscription.objects.get()
    eight_days_ago = time.time() - links.CONFIRM_MAX_AGE.total_seconds() - 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    old = links.make_token(links.Purpose.CONFIRM_SUBSCRIPTION, subscription.pk, subscription.key)
    monkeypatch.undo()
    for method in (client.get, client.post):
        response = method(f"/beteiligung/folgen/bestaetigen/{old}/")
        assert response.status_code == 410
        assert "abgelaufen" in page_text(response)
    subscription.refresh_from_db()
    assert not subscription.is_confirmed


def test_a_link_to_a_subscription_that_is_gone_says_so(client, strategy):
    follow(client, "weg@example.org", query="area=klima")
    confirm = link_to(last_mail("weg@example.org"), "/bestaetigen/")
    Subscription.objects.all().delete()
    response = client.get(confirm)
    assert response.status_code == 404
    assert "gibt es nicht mehr" in page_text(response)


def test_form_errors_are_explained_and_nothing_is_stored(client, strategy):
    response = follow(client, "keine-adresse", query="area=klima", consent=False)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    summary = page.select_one(".error-summary")
    assert summary is not None and summary["role"] == "alert"
    assert "gültige E-Mail-Adresse" in summary.get_text()
    assert "Einwilligung" in summary.get_text()
    assert page.select_one("#id_email")["aria-invalid"] == "true"
    assert "id_email_error" in page.select_one("#id_email")["aria-describedby"]
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_unknown_filters_are_dropped_and_unknown_entries_not_found(client, strategy):
    follow(client, "filter@example.org", query="area=klima&area=gibtsnicht&sort=title&page=3&evil=1")
    assert Subscription.objects.get().query == "area=klima"
    assert follow(client, "x@example.org", entry="9.9.99").status_code == 404
    assert client.get(FOLLOW + "?query=" + "%26".join(["status=idee"] * 60)).status_code == 400


def test_a_bot_filling_the_honeypot_is_dropped_and_a_person_accepted(client, strategy):
    bot = follow(client, "bot@example.org", query="area=klima", website="http://spam.example")
    assert bot.status_code == 302
    assert bot["Location"].startswith("/beteiligung/folgen/gesendet/")
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert not mail.outbox

    person = follow(client, "mensch@example.org", query="area=klima", website="")
    assert person.status_code == 302
    assert Subscription.objects.filter(subscriber__email="mensch@example.org").exists()
    assert len(mail.outbox) == 1


def test_rate_limits_per_address_and_per_ip(client, strategy, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"follow": {"ip": (4, 3600), "address": (2, 86400)}}
    assert follow(client, "oft@example.org", query="area=klima").status_code == 302
    assert follow(client, "oft@example.org", query="area=mobilitaet").status_code == 302
    limited = follow(client, "oft@example.org", query="goal=4.2")
    assert limited.status_code == 429
    assert "Zu viele Anfragen" in page_text(limited)
    assert len([m for m in mail.outbox if "oft@example.org" in m.to]) == 2

    # The same IP is stopped after four submissions, whatever the address ...
    assert follow(client, "noch@example.org", query="area=klima").status_code == 302
    assert follow(client, "fuenf@example.org", query="area=klima").status_code == 429
    assert not Subscriber.objects.filter(email="fuenf@example.org").exists()
    # ... while another IP may still submit.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert follow(other, "fuenf@example.org", query="area=klima").status_code == 302


def test_asking_again_for_an_active_subscription_sends_the_manage_link_and_reveals_nothing(client, strategy):
    follow(client, "doppelt@example.org", query="area=klima")
    client.post(link_to(last_mail("doppelt@example.org"), "/bestaetigen/"))
    mail.outbox.clear()
    again = follow(client, "doppelt@example.org", query="area=klima")
    assert again.status_code == 302 and again["Location"].startswith("/beteiligung/folgen/gesendet/")
    assert Subscription.objects.count() == 1
    message = last_mail("doppelt@example.org")
    assert "bereits" in message.body
    assert "/beteiligung/abonnements/" in message.body


def test_unsubscribe_by_the_link_and_by_one_click_post_from_a_mail_program(client, strategy):
    follow(client, "weg@example.org", query="area=klima")
    message = last_mail("weg@example.org")
    client.post(link_to(message, "/bestaetigen/"))
    unsubscribe = link_to(message, "/abbestellen/")
    page = client.get(unsubscribe)
    assert page.status_code == 200 and "Jetzt abbestellen" in page_text(page)
    assert Subscription.objects.exists()
    done = client.post(unsubscribe)
    assert done.status_code == 200
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()
    assert ConsentRecord.objects.filter(email="weg@example.org", event=ConsentRecord.Event.WITHDRAWN).exists()
    assert "besteht nicht mehr" in page_text(client.get(unsubscribe))

    # RFC 8058: the mail program posts `List-Unsubscribe=One-Click` to the header's address, without a CSRF token.
    follow(client, "klick@example.org", query="area=klima")
    message = last_mail("klick@example.org")
    client.post(link_to(message, "/bestaetigen/"))
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        urlsplit(header).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(subscriber__email="klick@example.org").exists()


def test_manage_page_lists_changes_and_ends_subscriptions_by_signed_link(client, strategy):
    entry = strategy.entries[0]
    for scope in ({"query": "area=klima"}, {"entry": entry.code}):
        follow(client, "viele@example.org", **scope)
        client.post(link_to(last_mail("viele@example.org"), "/bestaetigen/"))
    mail.outbox.clear()

    request = client.post("/beteiligung/abonnements/", {"email": "Viele@example.org"})
    assert request.status_code == 302
    nobody = client.post("/beteiligung/abonnements/", {"email": "niemand@example.org"})
    assert nobody["Location"] == request["Location"]
    assert [m.to for m in mail.outbox] == [["viele@example.org"]]
    manage = link_to(last_mail("viele@example.org"), "/abonnements/")

    page = client.get(manage)
    assert page.status_code == 200
    text = page_text(page)
    assert "Handlungsfeld" in text and entry.title in text
    area = Subscription.objects.get(query="area=klima")
    change = {"action": "frequency", "subscription": area.pk}
    assert client.post(manage, {**change, "frequency": "daily"}).status_code == 302
    area.refresh_from_db()
    assert area.frequency == "daily"
    assert client.post(manage, {**change, "frequency": "hourly"}).status_code == 400
    assert client.post(manage, {"action": "unsubscribe", "subscription": "999999"}).status_code == 400
    client.post(manage, {"action": "unsubscribe", "subscription": area.pk})
    assert list(Subscription.objects.values_list("entry_code", flat=True)) == [entry.code]
    client.post(manage, {"action": "unsubscribe_all"})
    assert not Subscriber.objects.exists()
    assert client.get(manage).status_code == 404


def test_purge_deletes_unconfirmed_subscriptions_after_seven_days(client, strategy):
    follow(client, "spaet@example.org", query="area=klima")
    follow(client, "frisch@example.org", query="area=klima")
    follow(client, "aktiv@example.org", query="area=klima")
    client.post(link_to(last_mail("aktiv@example.org"), "/bestaetigen/"))
    old = timezone.now() - links.CONFIRM_MAX_AGE - links.CONFIRM_MAX_AGE / 7
    Subscription.objects.filter(subscriber__email__in=["spaet@example.org", "aktiv@example.org"]).update(created_at=old)
    ConsentRecord.objects.filter(email="spaet@example.org").update(created_at=old)
    result = purge()
    assert result.subscriptions == 1 and result.subscribers == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"frisch@example.org", "aktiv@example.org"}
    assert not ConsentRecord.objects.filter(email="spaet@example.org").exists()
    assert ConsentRecord.objects.filter(email="aktiv@example.org").count() == 2
