"""StreamField blocks shared by every page type. One template per block in templates/blocks/."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# A deliberately small feature set: editors structure text with the heading block, not with
# arbitrary heading levels inside rich text, so the table of contents stays correct.
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=160)
    anchor = blocks.CharBlock(
        label=_("Sprungmarke"),
        required=False,
        max_length=80,
        help_text=_("Optional; wird sonst aus der Überschrift gebildet. Nur Buchstaben, Ziffern und Bindestriche."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = heading_anchor(value)
        return context

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "blocks/heading.html"
        description = _("Zwischenüberschrift (h2) mit Sprungmarke für das Inhaltsverzeichnis.")
        preview_value = {"text": "Ausgangslage", "anchor": ""}


def heading_anchor(value):
    return slugify(value.get("anchor") or value.get("text") or "") or "abschnitt"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=300,
        help_text=_("Beschreibt, was das Bild zeigt, für Menschen, die es nicht sehen können."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Bildnachweis"), required=False, max_length=160, help_text=_("z. B. „Foto: Kreisverwaltung“.")
    )

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "blocks/image.html"
        description = _("Bild mit Alternativtext, Bildunterschrift, Nachweis und Vergrößerung.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "blocks/quote.html"
        description = _("Hervorgehobenes Zitat mit Quelle.")
        preview_value = {"text": "Gemeinsam gestalten wir die Zukunft unseres Landkreises.", "attribution": "Landrätin"}


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Text"),
        icon="pilcrow",
        template="blocks/paragraph.html",
        description=_("Fließtext mit Absätzen, Listen und Links."),
        preview_value="<p>Der Landkreis hat sich auf den Weg gemacht, seine Zukunft gemeinsam zu gestalten.</p>",
    )
    image = ImageBlock()
    quote = QuoteBlock()
