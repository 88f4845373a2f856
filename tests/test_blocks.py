"""Every content block renders realistic values into accessible markup, and offers a preview to editors."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms import blocks
from home.blocks import ChapterStreamBlock, GoalOverviewBlock, ProjectListBlock

pytestmark = pytest.mark.django_db


def render(block, value, context=None):
    return BeautifulSoup(
        block.render(block.to_python(value) if isinstance(value, dict) else value, context), "html.parser"
    )


@pytest.fixture
def image():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), "#1a5f7a").save(buffer, format="PNG")
    return get_image_model().objects.create(title="Kreishaus", file=ImageFile(buffer, name="kreishaus.png"))


@pytest.fixture
def document():
    data = b"Kennzahl;Wert\nEinwohner;128400\n"
    doc = get_document_model()(title="Kennzahlen", file=ContentFile(data, name="kennzahlen.csv"))
    doc.file_size = len(data)
    doc.save()
    return doc


def test_every_block_has_description_and_preview(image):
    for name, block in ChapterStreamBlock().child_blocks.items():
        if name == "downloads":
            continue  # a document list has no sensible preview without the editor's documents
        assert block.get_description(), name
        assert block.is_previewable, name
        block.render(block.get_preview_value())


def test_heading_has_anchor_and_level():
    block = blocks.HeadingBlock()
    html = render(block, {"text": "Ausgangslage & Ziele", "anchor": ""})
    assert html.h2["id"] == "ausgangslage-ziele"
    assert render(block, {"text": "X", "anchor": "Mein Anker"}).h2["id"] == "mein-anker"
    # Ids of the page shell are not shadowed, and ids do not start with a digit.
    assert render(block, {"text": "Main", "anchor": ""}).h2["id"] == "abschnitt-main"
    assert render(block, {"text": "2030", "anchor": ""}).h2["id"] == "abschnitt-2030"
    nested = render(block, {"text": "Ziele", "anchor": ""}, {"heading_base": 3, "anchor_prefix": "leitbild-"})
    assert nested.h3["id"] == "leitbild-ziele"


def test_image_has_alt_srcset_caption_credit_and_enlarge_link(image):
    block = blocks.ImageBlock()
    html = render(
        block,
        {"image": image.pk, "alt_text": "Das Kreishaus am Markt", "caption": "Kreishaus", "credit": "Foto: Kreis"},
    )
    img = html.img
    assert img["alt"] == "Das Kreishaus am Markt"
    assert "480w" in img["srcset"] and "1200w" in img["srcset"] and img.get("sizes")
    assert img.get("width") and img.get("height")
    link = html.select_one("a.block-image__enlarge")
    # The enlarge link leads to a large rendition, not to the (possibly huge) original upload.
    assert link["href"].startswith("/media/images/") and "max-2000x2000" in link["href"]
    assert "Bild vergrößern" in link.get_text()
    assert "Foto: Kreis" in html.figcaption.get_text()


def test_image_alt_text_is_required(image):
    with pytest.raises(StructBlockValidationError):
        blocks.ImageBlock().clean(blocks.ImageBlock().to_python({"image": image.pk, "alt_text": ""}))


def test_quote():
    html = render(blocks.QuoteBlock(), {"text": "Gemeinsam.", "attribution": "Landrätin"})
    assert html.blockquote.get_text(strip=True) == "Gemeinsam." and html.figcaption.get_text() == "Landrätin"


def test_key_figures():
    html = render(
        blocks.KeyFiguresBlock(),
        {
            "figures": [
                {"value": "128.400", "label": "Einwohner", "source": "Landesamt 2022"},
                {"value": "24", "label": "Gemeinden", "source": ""},
            ]
        },
    )
    items = html.select("li.key-figures__item")
    assert len(items) == 2
    assert items[0].select_one(".key-figures__value").get_text() == "128.400"
    assert "Quelle: Landesamt 2022" in items[0].get_text()
    assert items[1].select_one(".key-figures__source") is None


def test_timeline_states_are_text():
    html = render(
        blocks.TimelineBlock(),
        {
            "milestones": [
                {"date_label": "2021", "title": "Analyse", "text": "Daten", "state": "done"},
                {"date_label": "2023", "title": "Umsetzung", "text": "", "state": "current"},
                {"date_label": "2026", "title": "Fortschreibung", "text": "", "state": "planned"},
            ]
        },
    )
    assert html.ol is not None
    assert [s.get_text() for s in html.select(".timeline__state")] == ["abgeschlossen", "aktuell", "geplant"]
    assert html.select_one('[aria-current="step"] h3').get_text() == "Umsetzung"


def test_swot_has_four_headed_lists():
    html = render(
        blocks.SwotBlock(),
        {
            "strengths": ["Mittelstand"],
            "weaknesses": ["Funklöcher"],
            "opportunities": ["Energie"],
            "risks": ["Fachkräfte"],
        },
    )
    assert [h.get_text() for h in html.find_all("h3")] == ["Stärken", "Schwächen", "Chancen", "Risiken"]
    assert [h.find_next("ul").li.get_text() for h in html.find_all("h3")] == [
        "Mittelstand",
        "Funklöcher",
        "Energie",
        "Fachkräfte",
    ]


def test_downloads_show_type_and_size(document):
    html = render(
        blocks.DownloadsBlock(), {"documents": [{"document": document.pk, "title": "", "description": "Alle Zahlen"}]}
    )
    link = html.select_one("a.downloads__link")
    assert link.get_text() == "Kennzahlen" and link["href"] == document.url
    assert "CSV" in html.select_one(".downloads__meta").get_text()
    assert "Bytes" in html.select_one(".downloads__meta").get_text()


def test_accordion_uses_details_and_summary():
    html = render(
        blocks.AccordionBlock(), {"items": [{"title": "Wie mitmachen?", "body": "<p>Schreiben Sie uns.</p>"}]}
    )
    assert html.details.summary.get_text() == "Wie mitmachen?"
    assert "Schreiben Sie uns." in html.details.get_text()


def test_table_has_caption_and_header_scopes():
    block = blocks.TableBlock()
    value = {
        "table_caption": "Termine",
        "first_row_is_table_header": True,
        "first_col_is_header": True,
        "data": [["Ort", "Datum"], ["Lindenau", "12. März"]],
    }
    html = render(block, value)
    assert html.caption.get_text() == "Termine"
    assert [th["scope"] for th in html.select("thead th")] == ["col", "col"]
    assert html.select_one("tbody th")["scope"] == "row"
    region = html.select_one(".block-table")
    assert region["tabindex"] == "0" and region["aria-label"] == "Termine"
    with pytest.raises(ValidationError):
        block.clean({**value, "table_caption": ""})
    with pytest.raises(ValidationError):
        # The editor's header choice decides; here a header column only.
        block.clean({**value, "table_header_choice": "column"})


def test_call_to_action_needs_exactly_one_target():
    block = blocks.CallToActionBlock()
    html = render(
        block,
        {"title": "Idee?", "text": "Schreiben Sie uns.", "link_url": "https://example.org/", "link_text": "Einreichen"},
    )
    assert html.select_one("a.button")["href"] == "https://example.org/"
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"title": "x", "link_text": "y", "link_url": "", "link_page": None}))


def test_contact_card():
    html = render(
        blocks.ContactCardBlock(),
        {
            "name": "Jana Beispiel",
            "role": "Leitung",
            "organisation": "Kreis",
            "address": "Am Markt 1\n99999 Lindenau",
            "phone": "09999 123-456",
            "email": "a@example.org",
        },
    )
    assert html.address is not None
    assert html.select_one('a[href="mailto:a@example.org"]')
    assert html.select_one('a[href="tel:09999123456"]')


def test_stream_rejects_duplicate_anchors():
    stream = blocks.BaseStreamBlock()
    value = stream.to_python(
        [
            {"type": "heading", "value": {"text": "Ziele", "anchor": ""}},
            {"type": "heading", "value": {"text": "X", "anchor": "ziele"}},
        ]
    )
    with pytest.raises(StreamBlockValidationError):
        stream.clean(value)


def test_goal_overview_renders_the_areas_goals(demo):
    from catalogue.models import Area

    area = Area.objects.get(slug="wirtschaft", locale__language_code="de")
    block = GoalOverviewBlock()
    html = render(block, {"area": area.pk, "show_figures": True})
    assert f"Handlungsfeld {area.code}" in html.get_text()
    codes = [span.get_text() for span in html.select(".goal-tree__code")]
    assert codes and all(code.startswith(f"{area.code}.") for code in codes)
    assert "Projekte" in html.select_one(".goal-tree__figures").get_text()


def test_project_list_renders_matching_live_entries(demo):
    from catalogue.models import Project, Status

    status = Status.objects.get(slug="in-umsetzung", locale__language_code="de")
    block = ProjectListBlock()
    html = render(block, {"area": None, "goal": None, "status": status.pk, "municipality": None, "max_count": 3})
    items = html.select(".project-list__item")
    expected = Project.objects.filter(live=True, status=status, locale__language_code="de").count()
    assert len(items) == min(3, expected)
    assert all("in Umsetzung" in item.get_text() for item in items)
    assert all("Ampel:" in item.get_text() for item in items)


def test_goal_overview_figures_match_the_catalogues_aggregates(demo):
    from catalogue.models import Area, Goal

    area = Area.objects.get(slug="wirtschaft", locale__language_code="de")
    expected = {goal.code: goal.aggregate for goal in Goal.objects.filter(area=area).with_aggregates()}
    shown, tree = GoalOverviewBlock.area_and_goals(area.pk, area.locale, with_figures=True)
    assert shown.title == area.title

    def walk(goals):
        for goal in goals:
            yield goal
            yield from walk(goal.subgoals)

    figures = {goal.code: (goal.aggregate.entry_count, goal.aggregate.progress) for goal in walk(tree)}
    assert figures == {code: (found.entry_count, found.progress) for code, found in expected.items()}
    assert any(count for count, _ in figures.values())


def test_goal_overview_in_english_shows_english_titles_with_the_same_figures(demo):
    from django.utils import translation

    from catalogue.models import Area, Goal

    area = Area.objects.get(slug="wirtschaft", locale__language_code="de")
    english_titles = set(
        Goal.objects.filter(area__slug="wirtschaft", locale__language_code="en").values_list("title", flat=True)
    )
    german = render(GoalOverviewBlock(), {"area": area.pk, "show_figures": True})
    with translation.override("en"):
        english = render(GoalOverviewBlock(), {"area": area.pk, "show_figures": True})
    assert english_titles and all(title in english.get_text() for title in english_titles)

    def numbers(html):
        return [re.findall(r"\d+", figure.get_text()) for figure in html.select(".goal-tree__figures")]

    assert numbers(english) == numbers(german) != []


def test_live_blocks_cost_one_query_each_whatever_is_chosen(demo, django_assert_num_queries, rf):
    from catalogue.models import Area, Goal, Municipality, Status
    from home.blocks import active_locale, remember_catalogue_page

    request = rf.get("/")
    # As on a chapter page, which finds the catalogue along with its siblings.
    remember_catalogue_page(request, active_locale().pk, None)
    stream = ChapterStreamBlock()
    value = stream.to_python(
        [
            {"type": "goal_overview", "value": {"area": Area.objects.first().pk, "show_figures": True}},
            {
                "type": "project_list",
                "value": {
                    "area": Area.objects.first().pk,
                    "goal": Goal.objects.filter(parent=None).first().pk,
                    "status": Status.objects.first().pk,
                    "municipality": Municipality.objects.first().pk,
                    "max_count": 5,
                },
            },
        ]
    )
    with django_assert_num_queries(2):
        stream.render(value, {"request": request})
