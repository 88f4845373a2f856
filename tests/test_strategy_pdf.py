"""The compact version as a PDF: valid, complete, in order, with page numbers, cached until the next publish."""

import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from demo.builders.home import STRATEGY_SLUG
from home.models import ChapterPage, StrategyPage
from home.pdf import LocalFileFetcher

pytestmark = pytest.mark.django_db

PDF_URL = f"/{STRATEGY_SLUG}/kompaktfassung.pdf"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def pdf_pages(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_pdf_holds_cover_toc_and_every_chapter_in_order(client, demo):
    strategy = StrategyPage.objects.get(slug=STRATEGY_SLUG, locale__language_code="de")
    chapters = list(ChapterPage.objects.child_of(strategy).live())
    response = client.get(PDF_URL)
    assert 'filename="zukunftsprofil-kompaktfassung.pdf"' in response["Content-Disposition"]
    pages = pdf_pages(response)
    assert "Zukunftsprofil Lindenau 2030" in pages[0] and "Landkreis Lindenau" in pages[0]
    toc = pages[1]
    assert "Inhalt" in toc
    # Each chapter starts on a page of its own, in tree order, and the table of contents
    # gives that page's number (target-counter).
    last_page = 1
    for chapter in chapters:
        title = f"{chapter.number} {chapter.title}"
        start = next(i for i, text in enumerate(pages) if i > 1 and text.lstrip().startswith(title))
        assert start > last_page, f"{title} out of order"
        last_page = start
        toc_line = next(line for line in toc.splitlines() if line.startswith(title))
        assert toc_line.rstrip().endswith(str(start + 1)), toc_line
    # Page numbers in the footer from the second page on.
    assert f"Seite 3 von {len(pages)}" in pages[2]
    assert "Seite" not in pages[0]


def test_pdf_is_cached_until_a_publish(client, demo, monkeypatch):
    import home.pdf

    calls = []
    real = home.pdf.render_strategy_pdf

    def counting(strategy, request):
        calls.append(strategy.pk)
        return real(strategy, request)

    monkeypatch.setattr(home.pdf, "render_strategy_pdf", counting)
    first = client.get(PDF_URL).content
    assert client.get(PDF_URL).content == first
    assert len(calls) == 1

    chapter = ChapterPage.objects.get(slug="leitbild", locale__language_code="de")
    chapter.title = "Leitbild für 2030"
    chapter.save_revision().publish()
    pages = pdf_pages(client.get(PDF_URL))
    assert len(calls) == 2
    assert any(text.lstrip().startswith(f"{chapter.number} Leitbild für 2030") for text in pages)

    # Unpublishing a chapter changes the PDF too.
    chapter.unpublish()
    pages = pdf_pages(client.get(PDF_URL))
    assert len(calls) == 3
    assert not any("Leitbild für 2030" in text for text in pages)


def test_english_pdf_has_only_english_chapters_and_is_marked_english(client, demo):
    # One rendering for both (WeasyPrint takes seconds): the text, and the language PDF/UA readers announce.
    response = client.get(f"/en/{STRATEGY_SLUG}/kompaktfassung.pdf")
    pages = pdf_pages(response)
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "en"
    text = "\n".join(pages)
    assert "Lindenau Future Profile 2030" in pages[0]
    assert "Starting position" in text and "Vision 2030" in text
    assert "Stärken und Schwächen" not in text


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_old_address_redirects_permanently_to_the_pdf(client, demo, prefix):
    response = client.get(f"{prefix}/{STRATEGY_SLUG}/kompaktfassung/")
    assert response.status_code == 301
    assert response["Location"] == f"{prefix}{PDF_URL}"


@pytest.mark.parametrize(
    "path",
    [
        f"/{STRATEGY_SLUG}/leitbild/kompaktfassung.pdf",  # a chapter
        f"/{STRATEGY_SLUG}/gesamt/kompaktfassung.pdf",  # a view of the strategy, not the strategy
        "/impressum/kompaktfassung.pdf",
        "/gibt-es-nicht/kompaktfassung.pdf",
        "/kompaktfassung.pdf",  # the home page
        f"/en/{STRATEGY_SLUG}/staerken-und-schwaechen/kompaktfassung.pdf",
    ],
)
def test_pdf_of_anything_but_a_strategy_is_not_found(client, demo, path):
    assert client.get(path).status_code == 404


def test_pdf_keeps_view_restrictions(client, demo):
    from wagtail.models import PageViewRestriction

    strategy = StrategyPage.objects.get(slug=STRATEGY_SLUG, locale__language_code="de")
    PageViewRestriction.objects.create(page=strategy, restriction_type="password", password="geheim")
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF-" not in response.content


def test_fetcher_reads_local_files_only(settings, tmp_path):
    fetcher = LocalFileFetcher("http://testserver/")
    # The PDF links the design system's joined stylesheet (key figures are one of its components).
    response = fetcher.fetch("http://testserver/static/css/design-system.css")
    assert b".key-figures" in response.read()
    response.close()
    for url in [
        "https://example.org/static/css/strategy.css",
        "http://testserver/etc/passwd",
        "http://testserver/media/../../etc/passwd",
        "http://testserver/static/../manage.py",
        "file:///etc/passwd",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
