"""Ideas: submitted by form, moderated in the admin, answered in public, linked to the entry that took them up."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participation.models import ConsentRecord, Idea
from participation.privacy import purge
from participation.roles import setup_roles
from tests.participation_data import build_strategy, idea_page, last_mail, link_to

SUBMIT = "/ideen/einreichen/"


@pytest.fixture
def strategy(site):
    result = build_strategy(entries=3)
    result.pages["ideas"] = idea_page(result.home)
    return result


@pytest.fixture
def moderator(db):
    moderation, _privacy = setup_roles()
    user = get_user_model().objects.create_user("moderation", "moderation@lk.example", "geheim-genug-123")
    user.groups.add(moderation)
    client = Client()
    client.force_login(user)
    return client


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def submit(client, **fields):
    data = {"title": "Bänke an Radwegen", "text": "Alle paar Kilometer eine Bank.", "consent_publish": "on", **fields}
    return client.post(SUBMIT, data)


def test_the_form_offers_goals_by_area_and_themes(client, strategy):
    response = client.get(SUBMIT + "?goal=4.2")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    select = page.select_one("select[name=topic]")
    groups = [group["label"] for group in select.select("optgroup")]
    assert any("Handlungsfeld" in label or label.startswith("4 ") for label in groups)
    assert "Querschnittsthemen" in groups
    assert select.select_one("option[selected]")["value"] == "goal:4.2"
    assert page.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_an_idea_without_address_waits_for_moderation_and_is_not_public(client, strategy):
    response = submit(client, topic="goal:4.2", name="Erika")
    assert response.status_code == 302
    assert response["Location"] == "/ideen/einreichen/danke/"
    assert "Danke für Ihre Idee" in text(client.get(response["Location"]))
    idea = Idea.objects.get()
    assert idea.moderation == Idea.Moderation.PENDING
    assert idea.state == Idea.State.RECEIVED
    assert idea.goal == strategy.goals[0] and idea.name == "Erika" and idea.email == ""
    assert not mail.outbox
    assert not ConsentRecord.objects.exists()
    assert "Bänke an Radwegen" not in text(client.get("/ideen/"))
    assert client.get(f"/ideen/idee/{idea.pk}/").status_code == 404


def test_an_address_is_confirmed_before_it_is_used(client, strategy):
    response = submit(client, topic="theme:klimaanpassung", email="Erika@Example.org", consent_email="on")
    assert response["Location"] == "/ideen/einreichen/danke/?mail=1"
    idea = Idea.objects.get()
    assert idea.email == "erika@example.org" and idea.email_confirmed_at is None
    assert idea.theme == strategy.themes[0]
    given = ConsentRecord.objects.get(email="erika@example.org")
    assert given.purpose == "idea" and given.subject == "Bänke an Radwegen"
    message = last_mail("erika@example.org")
    confirm = link_to(message, "/idee/bestaetigen/")
    assert "Bänke an Radwegen" in text(client.get(confirm))
    idea.refresh_from_db()
    assert idea.email_confirmed_at is None
    client.post(confirm)
    idea.refresh_from_db()
    assert idea.email_confirmed_at is not None
    assert ConsentRecord.objects.filter(email="erika@example.org", event=ConsentRecord.Event.CONFIRMED).exists()


def test_form_errors_keep_what_was_typed(client, strategy):
    response = submit(client, title="", email="erika@example.org")
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    summary = page.select_one(".error-summary").get_text()
    assert "Titel" in summary and "Einwilligung" in summary
    assert page.select_one("textarea[name=text]").get_text().strip() == "Alle paar Kilometer eine Bank."
    assert not Idea.objects.exists()


def test_a_bot_is_dropped_and_too_many_ideas_from_one_ip_are_refused(client, strategy, settings):
    bot = submit(client, website="https://spam.example", email="bot@example.org", consent_email="on")
    assert bot.status_code == 302 and bot["Location"] == "/ideen/einreichen/danke/"
    assert not Idea.objects.exists() and not mail.outbox

    settings.PARTICIPATION_RATE_LIMITS = {"idea": {"ip": (2, 3600), "address": (3, 86400)}}
    assert submit(client, title="Eins").status_code == 302
    assert submit(client, title="Zwei").status_code == 302
    assert submit(client, title="Drei").status_code == 429
    assert sorted(Idea.objects.values_list("title", flat=True)) == ["Eins", "Zwei"]


def test_moderation_answer_entry_link_and_the_submitter_told_once(
    client, strategy, moderator, django_capture_on_commit_callbacks
):
    submit(client, topic="goal:4.2", email="erika@example.org", consent_email="on")
    client.post(link_to(last_mail("erika@example.org"), "/idee/bestaetigen/"))
    mail.outbox.clear()
    idea = Idea.objects.get()
    entry = strategy.entries[0]

    queue = moderator.get(reverse("wagtailsnippets_participation_idea:list") + "?moderation=pending")
    assert queue.status_code == 200 and "Bänke an Radwegen" in queue.content.decode()

    edit = reverse("wagtailsnippets_participation_idea:edit", args=[idea.pk])
    form = {"title": idea.title, "text": idea.text, "goal": strategy.goals[0].pk, "theme": ""}

    def save(**fields):
        # The mail goes once the moderator's change is committed.
        with django_capture_on_commit_callbacks(execute=True):
            return moderator.post(edit, {**form, "moderation": "published", **fields})

    refused = save(state="adopted", answer="", project="")
    assert refused.status_code == 200
    assert "aufgenommen hat" in refused.content.decode()
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.PENDING
    refused = save(state="rejected", answer="")
    assert "begründen" in refused.content.decode()

    answer = "Wir stellen an allen Radwegen alle fünf Kilometer eine Bank auf."
    saved = save(state="adopted", answer=answer, project=entry.pk)
    assert saved.status_code == 302
    idea.refresh_from_db()
    assert idea.moderation == Idea.Moderation.PUBLISHED and idea.project == entry and idea.answered_at

    [message] = mail.outbox
    assert message.to == ["erika@example.org"]
    assert "Bänke an Radwegen" in message.subject
    assert answer in message.body and "aufgenommen" in message.body
    assert f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/" in message.body
    assert f"/ideen/idee/{idea.pk}/" in message.body
    assert "/beteiligung/idee/adresse-loeschen/" in message.body

    # Public: in the list with its state and answer, on its own page, and on the entry's page.
    listing = text(client.get("/ideen/"))
    assert "Bänke an Radwegen" in listing and "aufgenommen" in listing and answer[:30] in listing
    detail = client.get(f"/ideen/idee/{idea.pk}/")
    assert answer in text(detail) and entry.title in text(detail)
    entry_page = client.get(f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/{entry.slug}/")
    section = BeautifulSoup(entry_page.content, "html.parser").select_one(".entry-ideas")
    assert section is not None and "Entstanden aus Bürgeridee" in section.get_text()
    assert section.select_one("a")["href"] == f"/ideen/idee/{idea.pk}/"

    # Saving again without a new answer tells nobody anything; a changed answer is told.
    save(state="adopted", answer=answer, project=entry.pk)
    assert len(mail.outbox) == 1
    save(state="adopted", answer=answer + " Ab Mai.", project=entry.pk)
    assert len(mail.outbox) == 2

    # Taken back from the entry: the entry no longer claims it.
    save(state="in_review", answer="Doch noch offen.", project="")
    entry_page = client.get(f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/{entry.slug}/")
    assert BeautifulSoup(entry_page.content, "html.parser").select_one(".entry-ideas") is None


def test_an_answer_published_before_the_address_is_confirmed_is_sent_on_confirmation(
    client, strategy, django_capture_on_commit_callbacks
):
    submit(client, email="spaet@example.org", consent_email="on")
    confirm = link_to(last_mail("spaet@example.org"), "/idee/bestaetigen/")
    mail.outbox.clear()
    idea = Idea.objects.get()
    idea.moderation, idea.state, idea.answer = Idea.Moderation.PUBLISHED, Idea.State.REJECTED, "Nicht zuständig."
    with django_capture_on_commit_callbacks(execute=True):
        idea.save()
    assert not mail.outbox
    client.post(confirm)
    [message] = mail.outbox
    assert "Nicht zuständig." in message.body and "nicht umsetzbar" in message.body


def test_hidden_ideas_stay_hidden_and_the_submitter_is_not_told(client, strategy, django_capture_on_commit_callbacks):
    submit(client, email="spam@example.org", consent_email="on")
    client.post(link_to(last_mail("spam@example.org"), "/idee/bestaetigen/"))
    mail.outbox.clear()
    idea = Idea.objects.get()
    idea.moderation, idea.answer = Idea.Moderation.HIDDEN, "Werbung."
    with django_capture_on_commit_callbacks(execute=True):
        idea.save()
    assert not mail.outbox
    assert client.get(f"/ideen/idee/{idea.pk}/").status_code == 404


def test_the_submitter_can_remove_name_and_address(client, strategy):
    submit(client, name="Erika", email="erika@example.org", consent_email="on")
    forget = link_to(last_mail("erika@example.org"), "/adresse-loeschen/")
    client.post(forget)
    idea = Idea.objects.get()
    assert idea.email == "" and idea.name == ""
    assert ConsentRecord.objects.filter(email="erika@example.org", event=ConsentRecord.Event.WITHDRAWN).exists()


def test_unconfirmed_addresses_on_ideas_are_removed_after_seven_days(client, strategy):
    submit(client, title="Alt", email="alt@example.org", consent_email="on")
    submit(client, title="Neu", email="neu@example.org", consent_email="on")
    Idea.objects.filter(title="Alt").update(submitted_at=timezone.now() - datetime.timedelta(days=8))
    assert purge().idea_addresses == 1
    assert Idea.objects.get(title="Alt").email == ""
    assert Idea.objects.get(title="Neu").email == "neu@example.org"


def _publish(strategy, count, state=Idea.State.IN_REVIEW, goal=None, theme=None):
    for number in range(count):
        Idea.objects.create(
            title=f"Idee {state} {number}",
            text="Text",
            goal=goal,
            theme=theme,
            moderation=Idea.Moderation.PUBLISHED,
            state=state,
            answer="Antwort" if state != Idea.State.ADOPTED else "",
            project=strategy.entries[0] if state == Idea.State.ADOPTED else None,
        )


def titles(response):
    return [
        node.get_text(strip=True) for node in BeautifulSoup(response.content, "html.parser").select(".idea-card__title")
    ]


def test_public_list_is_filtered_by_state_area_goal_and_theme(client, strategy):
    mobility, climate = strategy.goals
    _publish(strategy, 2, Idea.State.RECEIVED, goal=mobility)
    _publish(strategy, 1, Idea.State.REJECTED, goal=climate, theme=strategy.themes[0])
    _publish(strategy, 1, Idea.State.ADOPTED, goal=mobility)
    Idea.objects.create(title="Wartet", text="x", goal=mobility)
    assert len(titles(client.get("/ideen/"))) == 4
    assert len(titles(client.get("/ideen/?state=received"))) == 2
    assert len(titles(client.get("/ideen/?goal=4.2"))) == 3
    assert len(titles(client.get("/ideen/?area=klima"))) == 1
    assert len(titles(client.get("/ideen/?theme=klimaanpassung&state=rejected"))) == 1
    unknown = client.get("/ideen/?state=erfunden&goal=9.9")
    assert unknown.status_code == 200 and len(titles(unknown)) == 4
    assert "gibt es nicht" in text(unknown)
    assert "Wartet" not in text(client.get("/ideen/"))
    assert client.get("/ideen/?page=999999").status_code == 200


def test_idea_list_stays_within_twelve_queries_whatever_its_size(client, strategy):
    urls = ["/ideen/", "/ideen/?goal=4.2&state=adopted", "/ideen/?page=2", "/ideen/idee/{pk}/"]

    def counts():
        pk = Idea.objects.public().first().pk
        client.get("/ideen/?state=in_review")  # the page shell and the options warm, as for any visitor
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url.format(pk=pk)).status_code == 200
            found.append(len(queries))
        return found

    _publish(strategy, 3, Idea.State.ADOPTED, goal=strategy.goals[0])
    _publish(strategy, 3, Idea.State.RECEIVED, goal=strategy.goals[1], theme=strategy.themes[0])
    few = counts()
    _publish(strategy, 30, Idea.State.ADOPTED, goal=strategy.goals[0])
    _publish(strategy, 30, Idea.State.RECEIVED, goal=strategy.goals[1], theme=strategy.themes[0])
    many = counts()
    assert few == many
    assert max(many) <= 12, many


def test_the_moderator_has_a_queue_on_the_dashboard_and_the_admin_views(client, strategy, moderator):
    submit(client, topic="goal:4.2")
    idea = Idea.objects.get()
    dashboard = moderator.get("/admin/").content.decode()
    assert "1 neue Idee wartet auf Moderation" in dashboard
    for view, args in [("list", []), ("edit", [idea.pk]), ("inspect", [idea.pk])]:
        response = moderator.get(reverse(f"wagtailsnippets_participation_idea:{view}", args=args))
        assert response.status_code == 200, view
        assert "Bänke an Radwegen" in response.content.decode()
    export = moderator.get(reverse("wagtailsnippets_participation_idea:list") + "?export=csv")
    assert export.status_code == 200 and "Bänke an Radwegen" in b"".join(export.streaming_content).decode()
    waiting = moderator.get(reverse("wagtailsnippets_participation_idea:list") + "?answer=missing")
    assert "Bänke an Radwegen" in waiting.content.decode()
    answered = moderator.get(reverse("wagtailsnippets_participation_idea:list") + "?answer=given")
    assert "Bänke an Radwegen" not in answered.content.decode()
    assert moderator.get(reverse("wagtailsnippets_participation_dialogueregistration:list")).status_code == 200
    # The data of one address is not the moderators' business.
    assert "Daten einer Adresse" not in dashboard


def test_an_idea_written_in_another_language_is_marked_as_such(client, strategy):
    Idea.objects.create(title="Shared e-bikes", text="At the stations.", language="en", moderation="published")
    Idea.objects.create(title="Leihräder", text="An den Bahnhöfen.", language="de", moderation="published")
    page = BeautifulSoup(client.get("/ideen/").content, "html.parser")
    marked = {node.get_text(strip=True): node.get("lang") for node in page.select(".idea-card__title a")}
    assert marked == {"Shared e-bikes": "en", "Leihräder": None}
    idea = Idea.objects.get(title="Shared e-bikes")
    detail = BeautifulSoup(client.get(f"/ideen/idee/{idea.pk}/").content, "html.parser")
    assert detail.select_one("h1")["lang"] == "en"


def test_the_entry_page_links_the_idea_only_while_the_ideas_page_is_public(client, strategy):
    entry = strategy.entries[0]
    idea = Idea.objects.create(
        title="Rufbus sonntags", text="Bitte.", moderation="published", state="adopted", project=entry
    )
    url = f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/{entry.slug}/"
    section = BeautifulSoup(client.get(url).content, "html.parser").select_one(".entry-ideas")
    assert section.select_one("a")["href"] == f"/ideen/idee/{idea.pk}/"
    strategy.pages["ideas"].unpublish()
    section = BeautifulSoup(client.get(url).content, "html.parser").select_one(".entry-ideas")
    assert "Rufbus sonntags" in section.get_text() and section.select_one("a") is None


def test_a_moderated_idea_shows_at_once_on_cached_public_pages(strategy, moderator, django_capture_on_commit_callbacks):
    """Anonymous visitors get cached whole pages: the ideas list and the entry's page follow the moderator."""
    visitor = Client()
    submitter = Client()
    submit(submitter, title="Trinkbrunnen am Markt")
    idea = Idea.objects.get()
    entry = strategy.entries[0]
    entry_url = f"/projektkatalog/eintrag/{entry.code.replace('.', '-')}/{entry.slug}/"
    for url in ("/ideen/", entry_url):
        first = visitor.get(url)
        assert first.status_code == 200 and "Trinkbrunnen am Markt" not in text(first)
        assert visitor.get(url)["X-Cache"] == "hit"

    edit = reverse("wagtailsnippets_participation_idea:edit", args=[idea.pk])
    form = {"title": idea.title, "text": idea.text, "goal": strategy.goals[0].pk, "theme": ""}
    form["moderation"] = "published"
    answer = "Wir stellen im Sommer einen Trinkbrunnen auf."
    with django_capture_on_commit_callbacks(execute=True):
        saved = moderator.post(edit, {**form, "state": "adopted", "answer": answer, "project": entry.pk})
    assert saved.status_code == 302

    assert "Trinkbrunnen am Markt" in text(visitor.get("/ideen/"))
    section = BeautifulSoup(visitor.get(entry_url).content, "html.parser").select_one(".entry-ideas")
    assert section is not None and "Trinkbrunnen am Markt" in section.get_text()

    # Taken back from the entry and hidden again: both pages follow.
    with django_capture_on_commit_callbacks(execute=True):
        hidden = {"moderation": "hidden", "state": "in_review", "answer": "Noch offen.", "project": ""}
        moderator.post(edit, {**form, **hidden})
    assert "Trinkbrunnen am Markt" not in text(visitor.get("/ideen/"))
    assert BeautifulSoup(visitor.get(entry_url).content, "html.parser").select_one(".entry-ideas") is None
