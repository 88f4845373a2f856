"""Generated pictures and documents of the demo, found again by title so that a second run makes none.

What they show and are called comes from the data files (`!image {...}` and `!document {...}`);
the drawings themselves are code.
"""

import io
import math
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


# The chapters' pictures: flat drawings in the county's colours, without text (their alternative
# text says what they show), so they read at every size of their renditions.
BLUE, GREEN, YELLOW, RED, INK, SKY = "#1a5f7a", "#2f7d4f", "#f2c14e", "#c8553d", "#1b1b1b", "#e8f1f4"


def _tree(draw: ImageDraw.ImageDraw, x: int, ground: int, height: int) -> None:
    draw.rectangle([(x - height // 14, ground - height // 2), (x + height // 14, ground)], fill="#6b4f2a")
    draw.ellipse([(x - height // 3, ground - height), (x + height // 3, ground - height // 3)], fill=GREEN)


def _house(draw: ImageDraw.ImageDraw, x: int, ground: int, width: int, roof: str) -> None:
    draw.rectangle([(x, ground - width), (x + width, ground)], fill="white", outline=INK, width=3)
    draw.polygon(
        [(x - 10, ground - width), (x + width // 2, ground - width - width // 2), (x + width + 10, ground - width)],
        fill=roof,
    )
    draw.rectangle([(x + width // 2 - 12, ground - 40), (x + width // 2 + 12, ground)], fill=BLUE)


def _draw_landscape(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    w, h = size
    draw.rectangle([(0, 0), size], fill=SKY)
    draw.ellipse([(w - 260, 50), (w - 140, 170)], fill=YELLOW)
    draw.ellipse([(-200, h - 260), (w // 2 + 200, h + 200)], fill="#9cc5a1")
    draw.ellipse([(w // 3, h - 220), (w + 300, h + 260)], fill="#7fb38a")
    ground = h - 110
    for x, width, roof in ((180, 110, RED), (330, 90, BLUE), (470, 120, RED), (660, 100, BLUE)):
        _house(draw, x, ground, width, roof)
    draw.rectangle([(820, ground - 230), (870, ground)], fill="white", outline=INK, width=3)
    draw.polygon([(810, ground - 230), (845, ground - 310), (880, ground - 230)], fill=BLUE)
    for x in (90, 950, 1040):
        _tree(draw, x, ground + 10, 170)
    draw.line([(1120, ground), (1120, ground - 300)], fill="white", width=10)
    for dx, dy in ((0, -110), (95, 55), (-95, 55)):
        draw.line([(1120, ground - 300), (1120 + dx, ground - 300 + dy)], fill="white", width=12)
    draw.rectangle([(0, h - 40), (w, h)], fill=GREEN)


def _draw_county_map(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    w, h = size
    draw.rectangle([(0, 0), size], fill=SKY)
    outline = [
        (160, 120),
        (420, 60),
        (700, 90),
        (980, 70),
        (1080, 230),
        (1010, 420),
        (820, 540),
        (520, 520),
        (260, 560),
        (120, 380),
    ]
    draw.polygon(outline, fill="#d7ead9", outline=BLUE, width=8)
    for box in ([(220, 180), (420, 330)], [(760, 150), (960, 300)], [(600, 380), (800, 500)]):
        draw.ellipse(box, fill="#9cc5a1")
    draw.line([(140, 300), (380, 360), (560, 300), (760, 360), (1050, 330)], fill=BLUE, width=14, joint="curve")
    draw.line([(300, 520), (520, 250), (900, 200)], fill=INK, width=6)
    for x, y, r in ((520, 250, 34), (300, 480, 18), (880, 210, 22), (700, 440, 16), (420, 150, 14), (980, 380, 14)):
        draw.ellipse([(x - r, y - r), (x + r, y + r)], fill=RED, outline="white", width=5)


def _draw_quadrants(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    w, h = size
    colours = (GREEN, RED, BLUE, YELLOW)
    for i, colour in enumerate(colours):
        left, top = (i % 2) * w // 2, (i // 2) * h // 2
        draw.rectangle([(left + 12, top + 12), (left + w // 2 - 12, top + h // 2 - 12)], fill=colour)
        cx, cy = left + w // 4, top + h // 4
        if i == 0:
            draw.rectangle([(cx - 70, cy - 18), (cx + 70, cy + 18)], fill="white")
            draw.rectangle([(cx - 18, cy - 70), (cx + 18, cy + 70)], fill="white")
        elif i == 1:
            draw.rectangle([(cx - 70, cy - 18), (cx + 70, cy + 18)], fill="white")
        elif i == 2:
            draw.polygon([(cx - 80, cy + 60), (cx, cy - 80), (cx + 80, cy + 60)], fill="white")
        else:
            draw.polygon([(cx - 90, cy + 70), (cx, cy - 90), (cx + 90, cy + 70)], fill=INK)
            draw.rectangle([(cx - 10, cy - 30), (cx + 10, cy + 25)], fill=YELLOW)
            draw.ellipse([(cx - 11, cy + 35), (cx + 11, cy + 57)], fill=YELLOW)


def _draw_steps(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    w, h = size
    draw.rectangle([(0, 0), size], fill=SKY)
    for i, colour in enumerate((BLUE, BLUE, GREEN, GREEN, YELLOW)):
        left = 140 + i * 190
        top = h - 120 - (i + 1) * 70
        draw.rectangle([(left, top), (left + 170, h - 80)], fill=colour)
    draw.line([(1090, h - 470), (1090, h - 570)], fill=INK, width=8)
    draw.polygon([(1094, h - 570), (1180, h - 545), (1094, h - 520)], fill=RED)
    draw.rectangle([(60, h - 80), (w - 60, h - 60)], fill=INK)


def _arrow_head(draw: ImageDraw.ImageDraw, tip: tuple[float, float], angle: float, colour: str) -> None:
    left = (tip[0] + 50 * math.cos(angle + 2.6), tip[1] + 50 * math.sin(angle + 2.6))
    right = (tip[0] + 50 * math.cos(angle - 2.6), tip[1] + 50 * math.sin(angle - 2.6))
    draw.polygon([tip, left, right], fill=colour)


def _draw_cycle(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    w, h = size
    draw.rectangle([(0, 0), size], fill=SKY)
    cx, cy, r = w // 2, h // 2, 210
    for i, colour in enumerate((BLUE, GREEN, YELLOW, RED)):
        start = i * 90 + 12
        end = start + 66
        draw.arc([(cx - r, cy - r), (cx + r, cy + r)], start=start, end=end, fill=colour, width=34)
        angle = math.radians(end)
        tip = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        _arrow_head(draw, tip, angle + math.pi / 2, colour)
        node = math.radians(start - 12)
        nx, ny = cx + r * math.cos(node), cy + r * math.sin(node)
        draw.ellipse([(nx - 40, ny - 40), (nx + 40, ny + 40)], fill="white", outline=INK, width=6)


def _draw_chart(draw: ImageDraw.ImageDraw, size: Size, spec: dict[str, Any]) -> None:
    w, h = size
    draw.rectangle([(0, 0), size], fill=SKY)
    draw.line([(120, 80), (120, h - 100), (w - 120, h - 100)], fill=INK, width=6)
    draw.line([(120, 170), (w - 120, 170)], fill=RED, width=5)
    points = [(180, 430), (340, 400), (500, 350), (660, 330), (820, 270), (980, 230)]
    draw.line(points, fill=BLUE, width=12, joint="curve")
    for x, y in points:
        draw.ellipse([(x - 16, y - 16), (x + 16, y + 16)], fill=BLUE, outline="white", width=4)
    draw.ellipse([(700, 150), (900, 350)], outline=INK, width=18)
    draw.line([(880, 330), (990, 450)], fill=INK, width=30)


DRAWINGS = {
    "coat_of_arms": _draw_coat_of_arms,
    "process": _draw_process,
    "cover": _draw_cover,
    "landscape": _draw_landscape,
    "county_map": _draw_county_map,
    "quadrants": _draw_quadrants,
    "steps": _draw_steps,
    "cycle": _draw_cycle,
    "chart": _draw_chart,
}


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
