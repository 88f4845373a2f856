"""The compact version: areas with goals, status and progress; a PDF/UA file; "Stand" and links that hold."""

import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from wagtail.models import Page

from catalogue.models import AreaPage, Goal
from demo.builders.home import STRATEGY_SLUG
from home.models import StrategyPage
from tests import demo_snapshot

pytestmark = pytest.mark.django_db
PDF_URL = f"/{STRATEGY_SLUG}/kompaktfassung.pdf"
FULL_URL = f"/{STRATEGY_SLUG}/gesamt/"
PUBLIC_HOST = "zukunft.example.de"


def strategy(language="de"):
    return StrategyPage.objects.get(slug=STRATEGY_SLUG, locale__language_code=language)


def reader(client, url=PDF_URL, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


@pytest.fixture(scope="module")
def demo_pdf(_demo_for_module, django_db_blocker) -> bytes:
    """The demo's German PDF as a visitor on the public host gets it, rendered once for the tests that only
    read it: WeasyPrint lays the whole strategy out in about five CPU-seconds, the same file every time."""
    demo_snapshot.forget_cached_data()
    with django_db_blocker.unblock():
        response = Client().get(PDF_URL, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


@pytest.fixture(scope="module")
def demo_pdf_texts(demo_pdf) -> list[str]:
    """The text of each of its pages (pypdf takes a second or two for all of them)."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(demo_pdf)).pages]


@pytest.fixture
def pdf(demo_pdf, demo) -> PdfReader:
    return PdfReader(io.BytesIO(demo_pdf))


def resolve(item):
    return item.get_object() if isinstance(item, IndirectObject) else item


def struct_elements(node):
    """Every structure element below `node`, depth first."""
    node = resolve(node)
    if isinstance(node, ArrayObject):
        for child in node:
            yield from struct_elements(child)
        return
    if not isinstance(node, DictionaryObject):
        return
    if node.get("/S") is not None:
        yield node
    if "/K" in node:
        yield from struct_elements(node["/K"])


def outline_titles(outline):
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item)
        else:
            yield item.title


def test_pdf_is_pdf_ua(pdf):
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    tree = resolve(root["/StructTreeRoot"])
    elements = list(struct_elements(tree["/K"]))
    kinds = {str(element["/S"]) for element in elements}
    assert {"/Document", "/H1", "/H2", "/P", "/Table", "/Figure"} <= kinds, kinds
    figures = [element for element in elements if element["/S"] == "/Figure"]
    assert figures and all(str(element.get("/Alt", "")).strip() for element in figures)
    metadata = resolve(root["/Metadata"]).get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", metadata), metadata[:500]
    assert pdf.metadata.title


def test_pdf_bookmarks_name_every_chapter(pdf):
    titles = list(outline_titles(pdf.outline))
    for chapter in strategy().get_children().live().specific():
        expected = f"{chapter.number} {chapter.title}" if getattr(chapter, "number", "") else chapter.title
        assert expected in titles, (expected, titles)


def test_area_chapters_show_goals_status_and_progress(client, demo_pdf_texts, demo):
    pages = demo_pdf_texts
    areas = AreaPage.objects.child_of(strategy()).live()
    assert areas
    for area_page in areas:
        page = next(text for text in pages if text.lstrip().startswith(area_page.title))
        assert "Stand der Umsetzung" in page and "gewichteter Fortschritt" in page
        for goal in Goal.objects.filter(area=area_page.area, locale__language_code="de"):
            assert f"{goal.code} {goal.title}" in page.replace("\n", " "), goal.code
    html = BeautifulSoup(client.get(FULL_URL).content, "html.parser")
    summaries = html.select(".area-summary")
    assert len(summaries) == areas.count()
    assert all(summary.select(".area-summary__goals tbody tr") for summary in summaries)
    assert all(summary.select(".status-chart table") for summary in summaries)


def test_no_double_numbers_and_no_enlarge_links_in_print(client, demo_pdf_texts, demo):
    text = "\n".join(demo_pdf_texts)
    assert "Bild vergrößern" not in text
    toc = demo_pdf_texts[1]
    assert not re.search(r"^\d+\.\s+\d", toc, re.MULTILINE), toc
    html = BeautifulSoup(client.get(FULL_URL).content, "html.parser")
    assert html.select_one("nav.toc ol.toc__chapters")


def test_stand_is_the_day_of_the_last_publication(client, demo):
    published = timezone.make_aware(datetime.datetime(2025, 4, 9, 10, 0))
    page = strategy()
    Page.objects.filter(path__startswith=page.path, depth__lte=page.depth + 1).update(last_published_at=published)
    cover = reader(client).pages[0].extract_text()
    assert "Stand: 9. April 2025" in cover
    assert timezone.localdate().strftime("%Y") not in cover.split("Stand:")[1][:20] or timezone.localdate().year == 2025
    html = BeautifulSoup(client.get(FULL_URL).content, "html.parser")
    assert html.select_one('.strategy-facts time[datetime="2025-04-09"]')


def test_pdf_links_are_absolute_on_the_public_host(pdf):
    uris = []
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            action = resolve(annotation).get("/A")
            if action is not None and "/URI" in resolve(action):
                uris.append(str(resolve(action)["/URI"]))
    assert uris
    assert all(uri.startswith((f"http://{PUBLIC_HOST}/", "mailto:", "tel:", "https://")) for uri in uris), uris
    assert any("/projektkatalog/?area=" in uri for uri in uris)
    cover = pdf.pages[0].extract_text()
    assert f"http://{PUBLIC_HOST}/zukunftsprofil/" in cover
