"""Colours derived from the county colour, with WCAG contrast guaranteed whatever an editor picks.

The county colour is a site setting; a light one (a yellow, say) would make white header text
and links unreadable. The tokens below are what the stylesheets use instead of the raw colour
wherever text is involved: `brand_text` is the county colour darkened until it reaches 4.5:1
against white (for links and for white text on a filled background), `brand_tint` a pale wash
for backgrounds (body text and `brand_text` both reach 4.5:1 on it), `on_brand` black or white, whichever reads
best on the raw colour.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html

WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
TEXT = (0x1B, 0x1B, 0x1B)
DEFAULT_BRAND = "#1a5f7a"
# WCAG 2.1 AA, 1.4.3: normal text.
TEXT_CONTRAST = 4.5
# How much of the county colour the background tint keeps (the rest is white).
TINT_SHARE = 0.12

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class BrandTokens:
    brand: str
    brand_text: str
    brand_tint: str
    on_brand: str

    def css(self) -> str:
        """The custom properties as one `:root` rule, for the nonce'd style in base.html."""
        return format_html(
            ":root {{ --brand: {}; --brand-text: {}; --brand-tint: {}; --on-brand: {}; }}",
            self.brand,
            self.brand_text,
            self.brand_tint,
            self.on_brand,
        )


def parse_hex(colour: str) -> RGB:
    """`#rrggbb` (any case) as an RGB triple; ValueError for anything else."""
    value = colour.strip()
    if len(value) != 7 or not value.startswith("#"):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    red, green, blue = (_linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG 2.1's contrast ratio, 1 to 21, in either order."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(rgb: RGB, other: RGB, share: float) -> RGB:
    """`share` of `rgb`, the rest of `other`, per channel."""
    red, green, blue = (round(a * share + b * (1 - share)) for a, b in zip(rgb, other, strict=True))
    return red, green, blue


def text_safe(rgb: RGB, background: RGB = WHITE, minimum: float = TEXT_CONTRAST) -> RGB:
    """The colour itself if it reads on `background`, else the lightest shade of it towards black that does.

    Shades are searched in steps of 1/256 of the way to black, so the hue stays recognisable
    and the result is never darker than needed.
    """
    if contrast_ratio(rgb, background) >= minimum:
        return rgb
    for step in range(1, 257):
        shade = mix(rgb, BLACK, 1 - step / 256)
        if contrast_ratio(shade, background) >= minimum:
            return shade
    return BLACK


@lru_cache(maxsize=32)
def brand_tokens(colour: str | None) -> BrandTokens:
    """The tokens of a county colour; an unusable setting falls back to the project's default colour."""
    try:
        rgb = parse_hex(colour or DEFAULT_BRAND)
    except ValueError:
        rgb = parse_hex(DEFAULT_BRAND)
    # Black or white, whichever is further: one of them always reaches 4.5:1 (at worst about 4.6:1).
    on_brand = WHITE if contrast_ratio(rgb, WHITE) >= contrast_ratio(rgb, BLACK) else BLACK
    tint = mix(rgb, WHITE, TINT_SHARE)
    return BrandTokens(
        brand=to_hex(rgb),
        # Safe on the tint is safe on white too, since the tint is the darker of the two.
        brand_text=to_hex(text_safe(rgb, background=tint)),
        brand_tint=to_hex(tint),
        on_brand=to_hex(on_brand),
    )
