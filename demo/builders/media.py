"""Generated pictures and documents of the demo, found again by title so that a second run makes none.

What they show and are called comes from the data files (`!image {...}` and `!document {...}`);
the drawings themselves are code.
"""

import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

Size = tuple[int, int]


def _draw_coat_of_arms(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    draw.polygon([(8, 8), (120, 8), (120, 80), (64, 136), (8, 80)], fill="#1a5f7a")
    draw.ellipse([(40, 32), (88, 80)], fill="#f2c14e")
    draw.rectangle([(60, 70), (68, 110)], fill="#f2c14e")


def _draw_process(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    steps = spec["steps"]
    width = size[0] // len(steps)
    for i, step in enumerate(steps):
        x = i * width + 10
        draw.rounded_rectangle([(x, 60), (x + width - 30, 160)], radius=12, fill="#1a5f7a")
        draw.text((x + 12, 100), step, fill="white")
        if i < len(steps) - 1:
            draw.polygon([(x + width - 26, 100), (x + width - 12, 110), (x + width - 26, 120)], fill="#1b1b1b")
    draw.line([(size[0] - 80, 165), (size[0] - 80, 200), (60, 200), (60, 165)], fill="#f2c14e", width=6)
    draw.text((size[0] // 2 - 40, 206), spec["loop"], fill="#1b1b1b")


def _draw_cover(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    draw.rectangle([(0, 0), size], fill="#e8f1f4")
    for i, colour in enumerate(["#1a5f7a", "#2f7d4f", "#f2c14e"]):
        top = size[1] - 120 + i * 40
        draw.polygon(
            [(0, top), (size[0] // 2, top - 90 + i * 20), (size[0], top), (size[0], size[1]), (0, size[1])], fill=colour
        )
    draw.ellipse([(size[0] - 220, 60), (size[0] - 120, 160)], fill="#f2c14e")


DRAWINGS = {"coat_of_arms": _draw_coat_of_arms, "process": _draw_process, "cover": _draw_cover}


def image(spec: dict[str, Any]) -> Any:
    """The Wagtail image titled `spec["title"]`, drawn as `spec["drawing"]` if it does not exist yet."""
    Image = get_image_model()
    existing = Image.objects.filter(title=spec["title"]).first()
    if existing:
        return existing
    size = tuple(spec["size"])
    canvas = PILImage.new("RGB", size, "white")
    DRAWINGS[spec["drawing"]](ImageDraw.Draw(canvas), size, spec)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(title=spec["title"], file=ImageFile(buffer, name=spec["filename"]))


def _pdf(text: str) -> bytes:
    canvas = PILImage.new("RGB", (595, 842), "white")
    ImageDraw.Draw(canvas).text((60, 80), text, fill="black")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PDF")
    return buffer.getvalue()


def _csv(table: dict[str, Any]) -> bytes:
    """`table["columns"]` maps a row key to its heading; one line per row, separated by semicolons."""
    columns = table["columns"]
    lines = [columns.values(), *([str(row[key]) for key in columns] for row in table["rows"])]
    return "".join(";".join(cells) + "\n" for cells in lines).encode("utf-8")


def document(spec: dict[str, Any]) -> Any:
    """The Wagtail document titled `spec["title"]`: a one-page PDF of `pdf_text` or a CSV of `table`."""
    Document = get_document_model()
    existing = Document.objects.filter(title=spec["title"]).first()
    if existing:
        return existing
    content = _pdf(spec["pdf_text"]) if "pdf_text" in spec else _csv(spec["table"])
    created = Document(title=spec["title"], file=ContentFile(content, name=spec["filename"]))
    created.file_size = len(content)
    created.save()
    return created
