"""The demo county's pages for BITV 2.0 and its counted key figures (texts in demo/data/accessibility.yaml).

- The accessibility statement and the Leichte Sprache page become the structured page types of
  the `accessibility` app. The site shell (`home.build_home`) creates plain standard pages
  under the same slugs; they are replaced once, and being standard pages too, the shell finds
  the replacements on the next run.
- The home page's key figures that count things (areas, goals, entries) take their numbers from
  the data in each language, instead of a typed "über 70" that the English catalogue (a handful
  of entries) contradicts.
- Every image the demo shows has its file: where MEDIA_ROOT lost a file the database still
  names (a deleted `media/` beside a kept database), `make run` draws a stand-in with the
  image's title instead of showing a broken image, and drops renditions whose files are gone.
"""

import html
import io
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from accessibility.models import AccessibilityStatementPage, EasyLanguagePage
from cms.models import SiteSettings
from demo.data import parse_yaml
from demo.translation import translate
from home.models import HomePage

DATA = Path(__file__).resolve().parent.parent / "data" / "accessibility.yaml"


def load() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as file:
        return parse_yaml(file)


def _replace_plain_page(home: Page, slug: str, model: type[Page]) -> Page | None:
    """The page of `model` at `slug`, or None after removing a page of another type there."""
    existing = Page.objects.child_of(home).filter(slug=slug).first()
    if existing is None:
        return None
    if existing.specific_class is model:
        return existing.specific
    key = existing.translation_key
    for translation in existing.get_translations():
        translation.delete()
    existing.delete()
    TranslationSource.objects.filter(object_id=key).delete()
    return None


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def build_statement(home: HomePage, english: Locale, spec: dict[str, Any]) -> AccessibilityStatementPage:
    page = _replace_plain_page(home, spec["slug"], AccessibilityStatementPage)
    if page is not None:
        return page
    page = AccessibilityStatementPage(
        slug=spec["slug"],
        title=spec["title"]["de"],
        intro=spec["intro"]["de"],
        body=[("paragraph", _paragraph(spec["text"]["de"]))],
        show_in_menus=False,
        conformance=spec["conformance"],
        standard=spec["standard"],
        statement_date=spec["statement_date"],
        review_date=spec["review_date"],
        method=spec["method"]["de"],
        barriers=[
            (
                "barrier",
                {
                    "title": barrier["title"]["de"],
                    "reason": barrier["reason"],
                    "description": barrier["description"]["de"],
                    "alternative": barrier["alternative"]["de"],
                },
            )
            for barrier in spec["barriers"]
        ],
        feedback_contact=spec["feedback_contact"]["de"],
        feedback_email=spec["feedback_email"],
        arbitration_body=spec["arbitration_body"]["de"],
        arbitration_url=spec["arbitration_url"],
        arbitration_text=spec["arbitration_text"]["de"],
        to_address=spec["notify"],
        subject="Rückmeldung zur Barrierefreiheit",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    strings = {
        spec[name]["de"]: spec[name]["en"]
        for name in ("title", "intro", "text", "method", "feedback_contact", "arbitration_body", "arbitration_text")
    }
    for barrier in spec["barriers"]:
        strings.update({barrier[name]["de"]: barrier[name]["en"] for name in ("title", "description", "alternative")})
    strings["Rückmeldung zur Barrierefreiheit"] = "Feedback on accessibility"
    translate(page, english, strings)
    return page


def build_easy_language(home: HomePage, spec: dict[str, Any]) -> EasyLanguagePage:
    page = _replace_plain_page(home, spec["slug"], EasyLanguagePage)
    if page is not None:
        return page
    body: list[tuple[str, Any]] = []
    for section in spec["sections"]:
        body.append(("heading", {"text": section["heading"], "anchor": ""}))
        body.append(("paragraph", " ".join(section["text"].split())))
    page = EasyLanguagePage(slug=spec["slug"], title=spec["title"], intro=spec["intro"], body=body, show_in_menus=False)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def count_key_figures(home: HomePage, english: Locale, counted: dict[str, str]) -> None:
    """Key figures labelled as in `counted` take their number from the data; the translation follows."""
    changed = False
    for block in home.body:
        if block.block_type != "key_figures":
            continue
        for figure in block.value["figures"]:
            count = counted.get(figure["label"])
            if count and figure.get("count") != count:
                figure["count"] = count
                figure["value"] = ""
                changed = True
    if changed:
        home.save_revision().publish()
        if home.has_translation(english):
            translate(home, english, {})


def ensure_media_files(stdout: Any = None) -> list[str]:
    """Give every image whose file is missing a stand-in of its size; returns the titles repaired."""
    repaired = []
    for image in get_image_model().objects.all():
        if image.file and default_storage.exists(image.file.name):
            continue
        canvas = PILImage.new("RGB", (max(image.width or 320, 1), max(image.height or 200, 1)), "#f3f5f7")
        draw = ImageDraw.Draw(canvas)
        draw.rectangle([(0, 0), (canvas.width - 1, canvas.height - 1)], outline="#8a8f94", width=2)
        draw.text((12, 12), image.title, fill="#1b1b1b")
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        name = image.file.name or f"original_images/{slugify(image.title) or 'bild'}.png"
        image.file.save(name.rsplit("/", 1)[-1], ContentFile(buffer.getvalue()), save=False)
        image.width, image.height = canvas.size
        image.file_size = len(buffer.getvalue())
        image.file_hash = ""
        image.save()
        image.renditions.all().delete()
        repaired.append(image.title)
    for rendition in get_image_model().get_rendition_model().objects.all():
        if not default_storage.exists(rendition.file.name):
            rendition.delete()
    if repaired and stdout:
        stdout.write(f"Fehlende Bilddateien ersetzt: {', '.join(repaired)}")
    return repaired


def build_accessibility(stdout: Any = None) -> None:
    data = load()
    german = Locale.objects.get(language_code="de")
    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=german)
    statement = build_statement(home, english, data["statement"])
    easy = build_easy_language(home, data["easy_language"])
    site_settings = SiteSettings.for_site(home.get_site())
    site_settings.accessibility_page = statement
    site_settings.easy_language_page = easy
    site_settings.save()
    count_key_figures(HomePage.objects.get(pk=home.pk), english, data["counted_key_figures"])
    ensure_media_files(stdout)
    if stdout:
        stdout.write("Accessibility pages and counted key figures are ready.")
