"""BITV 2.0: the accessibility statement with its feedback form, Leichte Sprache, counted key figures."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents import get_document_model

from accessibility.models import AccessibilityStatementPage, EasyLanguagePage
from catalogue.models import Project
from cms.blocks import KeyFigureBlock
from cms.models import SiteSettings
from demo.builders import accessibility as accessibility_demo

pytestmark = pytest.mark.django_db
URL = "/barrierefreiheit/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def statement():
    return AccessibilityStatementPage.objects.get(locale__language_code="de")


def send(client, **data):
    page = soup(client.get(URL))
    token = page.select_one("form.feedback-form input[name=csrfmiddlewaretoken]")["value"]
    fields = {"nachricht": "", "seite": "", "name": "", "email": "", "website": "", **data}
    return client.post(URL, {"csrfmiddlewaretoken": token, **fields}, REMOTE_ADDR=data.pop("ip", "203.0.113.7"))


def test_statement_says_what_bitv_requires(client, demo):
    html = soup(client.get(URL))
    text = html.select_one("main").get_text(" ", strip=True)
    assert "teilweise vereinbar" in text and "BITV 2.0" in text
    barriers = html.select(".barrier")
    assert len(barriers) == 2
    for barrier in barriers:
        assert barrier.select_one(".barrier__reason").get_text(strip=True).startswith("Grund:")
        assert barrier.select_one(".barrier__alternative")
    times = [time["datetime"] for time in html.select(".statement__facts time")]
    assert times == ["2026-03-02", "2026-11-16"]
    assert "2. März 2026" in text and "16. November 2026" in text
    assert "innerhalb eines Monats" in text
    arbitration = html.select_one('#statement-arbitration ~ p a[href^="https://"]')
    assert arbitration["href"] == "https://www.schlichtungsstelle-bgg.de/"
    assert html.select_one("form.feedback-form textarea[name=nachricht][required]")
    assert html.select_one(f'.site-footer a[href="{URL}"]')


def test_statement_in_english(client, demo):
    html = soup(client.get("/en" + URL))
    assert html.h1.get_text() == "Accessibility statement"
    text = html.select_one("main").get_text(" ", strip=True)
    assert "partially compliant" in text and "within a month" in text
    assert "Older PDF documents" in text
    assert html.select_one('.site-footer a[href="/en/barrierefreiheit/"]')


def test_feedback_is_kept_for_staff_and_mailed_to_the_officer(client, demo):
    response = send(client, nachricht="Das PDF auf Seite 3 kann ich nicht lesen.", email="leser@example.org")
    assert response.status_code == 200
    assert "Vielen Dank" in soup(response).h1.get_text()
    submission = FormSubmission.objects.get(page=statement())
    assert submission.form_data["nachricht"] == "Das PDF auf Seite 3 kann ich nicht lesen."
    assert "website" not in submission.form_data
    assert mail.outbox and mail.outbox[-1].to == ["barrierefreiheit@lindenau.example"]
    assert "Seite 3" in mail.outbox[-1].body
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="admin"))
    listing = staff.get(reverse("wagtailforms:list_submissions", args=[statement().pk]))
    assert listing.status_code == 200 and "Seite 3" in listing.content.decode()
    assert Client().get(reverse("wagtailforms:list_submissions", args=[statement().pk])).status_code == 302


def test_reader_of_the_statement_cannot_see_submissions(client, demo):
    send(client, nachricht="Geheim")
    reader = Client()
    reader.force_login(get_user_model().objects.get(username="lesen"))
    response = reader.get(reverse("wagtailforms:list_submissions", args=[statement().pk]))
    assert "Geheim" not in response.content.decode()


def test_a_report_link_names_the_page(client, demo):
    html = soup(client.get(URL, {"seite": "/projektkatalog/umsetzungsstand/"}))
    assert html.select_one("input[name=seite]")["value"] == "/projektkatalog/umsetzungsstand/"


def test_missing_message_is_a_clear_400_and_keeps_what_was_typed(client, demo):
    response = send(client, name="Erika Muster", email="erika@example.org")
    assert response.status_code == 400
    html = soup(response)
    summary = html.select_one(".error-summary[role=alert]")
    assert summary and summary.select_one('a[href="#id_nachricht"]')
    assert html.select_one("textarea[name=nachricht]")["aria-invalid"] == "true"
    assert html.select_one("input[name=name]")["value"] == "Erika Muster"
    assert not FormSubmission.objects.filter(page=statement()).exists()


def test_bad_email_address_is_refused_with_a_message(client, demo):
    response = send(client, nachricht="Hallo", email="keine-adresse")
    assert response.status_code == 400
    assert soup(response).select_one("#id_email-error")


def test_programs_that_fill_the_trap_field_are_thanked_and_ignored(client, demo):
    response = send(client, nachricht="Billige Uhren", website="https://spam.example")
    assert response.status_code == 200 and "Vielen Dank" in response.content.decode()
    assert not FormSubmission.objects.filter(page=statement()).exists()
    assert not mail.outbox


def test_more_than_five_messages_an_hour_from_one_address_wait(client, demo):
    for number in range(5):
        assert send(client, nachricht=f"Meldung {number}").status_code == 200
    response = send(client, nachricht="Noch eine")
    assert response.status_code == 429
    assert soup(response).select_one("textarea[name=nachricht]").get_text() == "Noch eine"
    assert FormSubmission.objects.filter(page=statement()).count() == 5
    assert send(client, nachricht="Von anderswo", ip="198.51.100.9").status_code == 200


def test_the_form_needs_its_csrf_token(demo):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"nachricht": "Hallo"}).status_code == 403


def test_easy_language_page_explains_the_site_and_has_a_place_for_sign_language(client, demo):
    html = soup(client.get("/leichte-sprache/"))
    headings = [h.get_text() for h in html.select("main h2")]
    assert "Gebärdensprache" in headings and "Der Projekt-Katalog" in headings and "Barriere-Freiheit" in headings
    assert html.select_one(".sign-language__placeholder")
    assert SiteSettings.objects.get().easy_language_page_id == EasyLanguagePage.objects.get().pk


def test_sign_language_video_with_captions(client, demo):
    documents = get_document_model()
    video = documents.objects.create(title="DGS", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="dgs.mp4"))
    captions = documents.objects.create(title="DGS Untertitel", file=ContentFile(b"WEBVTT\n", name="dgs.vtt"))
    page = EasyLanguagePage.objects.get()
    page.sign_language_video = video
    page.sign_language_captions = captions
    page.save_revision().publish()
    html = soup(client.get("/leichte-sprache/"))
    source = html.select_one("video[controls] source")
    assert source["type"] == "video/mp4" and source["src"] == video.url
    assert html.select_one("video track[kind=captions]")["src"] == captions.url


def test_demo_builder_is_idempotent(demo):
    before = (statement().pk, EasyLanguagePage.objects.get().pk)
    accessibility_demo.build_accessibility()
    assert (statement().pk, EasyLanguagePage.objects.get().pk) == before
    assert AccessibilityStatementPage.objects.count() == 2  # German and English


def test_home_key_figures_count_the_data_in_each_language(client, demo):
    def figures(url):
        html = soup(client.get(url))
        return {
            item.select_one(".key-figures__label").get_text(): item.select_one(".key-figures__value").get_text()
            for item in html.select(".key-figures__item")
        }

    english = Project.objects.filter(live=True, locale__language_code="en").count()
    german = Project.objects.filter(live=True, locale__language_code="de").count()
    assert figures("/en/")["Projects and measures"] == str(english)
    assert figures("/")["Projekte und Maßnahmen"] == str(german)
    assert "70" not in "".join(figures("/en/").values())


def test_key_figure_needs_a_number_or_a_count():
    block = KeyFigureBlock()
    with translation.override("de"):
        with pytest.raises(StructBlockValidationError) as refused:
            block.clean(block.to_python({"value": "", "count": "", "label": "Nichts", "source": ""}))
        assert "Zahl" in str(refused.value.block_errors["value"])
    assert block.clean(block.to_python({"value": "", "count": "entries", "label": "Einträge", "source": ""}))
    assert block.clean(block.to_python({"value": "über 70", "count": "", "label": "Projekte", "source": ""}))


def test_statement_dates_are_dates():
    page = AccessibilityStatementPage(statement_date=datetime.date(2026, 3, 2), review_date=datetime.date(2026, 11, 16))
    assert page.review_date > page.statement_date


def test_editors_can_open_both_page_types_in_the_admin(demo):
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="admin"))
    page = statement()
    assert staff.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    easy = EasyLanguagePage.objects.get()
    assert staff.get(reverse("wagtailadmin_pages:edit", args=[easy.pk])).status_code == 200
    home = page.get_parent()
    add = reverse("wagtailadmin_pages:add_subpage", args=[home.pk])
    assert "easylanguagepage" in staff.get(add).content.decode()
    assert staff.get(reverse("wagtailforms:index")).status_code == 200
