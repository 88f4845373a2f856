"""Every chapter of the demo strategy shows a picture shipped with the project, described and credited.

The pictures are drawn by demo/builders/media.py and served as Wagtail renditions in several widths
(srcset), with width and height so that the page does not jump while they load.
"""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from demo.builders.home import STRATEGY_SLUG
from home.models import ChapterPage, StrategyPage

pytestmark = pytest.mark.django_db

CREDIT = {"de": "Grafik: Landkreis Lindenau, CC BY 4.0", "en": "Graphic: District of Lindenau, CC BY 4.0"}


def chapters(language: str) -> list[ChapterPage]:
    strategy = StrategyPage.objects.get(slug=STRATEGY_SLUG, locale=Locale.objects.get(language_code=language))
    return list(ChapterPage.objects.child_of(strategy).live().order_by("path"))


def answers_with_an_image(client, url: str) -> bool:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code == 200 and response["Content-Type"].startswith("image/") and len(body) > 0


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_demo_chapter_has_a_described_credited_image_that_loads(client, demo, settings, language):
    settings.SERVE_MEDIA = True  # as on a single server; behind Caddy the proxy serves /media/ itself
    pages = chapters(language)
    assert len(pages) >= 6
    for chapter in pages:
        response = client.get(chapter.url)
        assert response.status_code == 200, chapter.url
        figures = BeautifulSoup(response.content, "html.parser").select("main figure.block-image")
        assert figures, f"{chapter.url} shows no image"
        for figure in figures:
            img = figure.find("img")
            assert img["alt"].strip(), f"{chapter.url}: image without alternative text"
            assert int(img["width"]) > 0 and int(img["height"]) > 0, chapter.url
            sources = [candidate.strip().split(" ")[0] for candidate in img["srcset"].split(",")]
            assert len(sources) >= 3, f"{chapter.url}: no responsive sizes"
            for url in [img["src"], *sources]:
                assert answers_with_an_image(client, url), f"{chapter.url}: {url} does not load"
        credits = [f.select_one(".block-image__credit") for f in figures]
        shown = {credit.get_text(strip=True) for credit in credits if credit is not None}
        assert CREDIT[language] in shown, f"{chapter.url}: no credit line"


def test_each_chapter_has_a_picture_of_its_own(demo):
    """Six drawings for six chapters (and the process graphic): no chapter repeats another's."""
    pictures = []
    for chapter in chapters("de"):
        pictures += [block.value["image"].pk for block in chapter.body if block.block_type == "image"]
    assert len(pictures) == len(set(pictures)) >= len(chapters("de"))
