"""StreamField blocks shared by every page type. One template per block in templates/blocks/."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# A deliberately small feature set: editors structure text with the heading block, not with
# arbitrary heading levels inside rich text, so the table of contents stays correct.
# Block previews in the editor's block picker, styled like the public site.
PREVIEW_TEMPLATE = "blocks/preview.html"

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
        # The one-page view nests chapters under h2 and prefixes ids per chapter, so the level
        # and prefix come from the surrounding page; a chapter page uses h2 and bare ids.
        context["anchor"] = (context.get("anchor_prefix") or "") + heading_anchor(value)
        context["level"] = context.get("heading_base") or 2
        return context

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "blocks/heading.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Zwischenüberschrift (h2) mit Sprungmarke für das Inhaltsverzeichnis.")
        preview_value = {"text": "Ausgangslage", "anchor": ""}


# Ids the page shell already uses; a heading anchor must not shadow a skip link target.
RESERVED_ANCHORS = {"main", "main-nav", "site-search-q", "inhalt", "kapitel"}


def heading_anchor(value):
    anchor = slugify(value.get("anchor") or value.get("text") or "") or "abschnitt"
    if anchor in RESERVED_ANCHORS or anchor[0].isdigit():
        anchor = f"abschnitt-{anchor}"
    return anchor


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
        preview_template = PREVIEW_TEMPLATE
        description = _("Bild mit Alternativtext, Bildunterschrift, Nachweis und Vergrößerung.")

    def get_preview_value(self):
        # A preview needs a real image; the newest upload stands in for the editor's choice.
        # Imported here: page models import these blocks while the app registry is loading,
        # before Wagtail's image model can be resolved.
        from wagtail.images import get_image_model

        return self.normalize(
            {
                "image": get_image_model().objects.order_by("-created_at").first(),
                "alt_text": "Beispielbild",
                "caption": "Bildunterschrift",
                "credit": "Foto: Kreisverwaltung",
            }
        )


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "blocks/quote.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Hervorgehobenes Zitat mit Quelle.")
        preview_value = {"text": "Gemeinsam gestalten wir die Zukunft unseres Landkreises.", "attribution": "Landrätin"}


# Figures a key figure may take from the data instead of a typed number. They are counted by
# the catalogue in the language of the page (it registers the counter when its app is ready),
# so an English page never promises the German catalogue's numbers.
COUNTED_FIGURES = [
    ("areas", _("Zahl der Handlungsfelder")),
    ("goals", _("Zahl der Ziele")),
    ("entries", _("Zahl der veröffentlichten Einträge im Projektkatalog")),
]
# Figures in euros (the home page's overview offers them), shown in millions or thousands.
MONEY_FIGURES = {"investment"}
_figure_counter: Callable[[], dict[str, int]] | None = None


def register_figure_counter(counter: Callable[[], dict[str, int]]) -> None:
    global _figure_counter
    _figure_counter = counter


def counted_figures() -> dict[str, int]:
    return _figure_counter() if _figure_counter else {}


def format_figure(name: str, value: int) -> str:
    """A counted figure as the page shows it: grouped digits, sums of money in millions or thousands of euros."""
    if name not in MONEY_FIGURES:
        return number_format(value, force_grouping=True)
    if value >= 1_000_000:
        millions = number_format(
            (Decimal(value) / 1_000_000).quantize(Decimal("0.1"), ROUND_HALF_UP), decimal_pos=1, force_grouping=True
        )
        return gettext("%(amount)s Mio. €") % {"amount": millions}
    if value >= 1_000:
        return gettext("%(amount)s Tsd. €") % {"amount": number_format(value // 1_000, force_grouping=True)}
    return gettext("%(amount)s €") % {"amount": number_format(value, force_grouping=True)}


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("Zahl"),
        max_length=40,
        required=False,
        help_text=_("z. B. „128.400“ oder „+4,2 %“; leer lassen, wenn die Zahl aus den Daten kommt."),
    )
    count = blocks.ChoiceBlock(
        choices=COUNTED_FIGURES,
        required=False,
        label=_("Zahl aus den Daten"),
        help_text=_("Statt einer getippten Zahl die aktuelle Zahl aus dem Projektkatalog, in der Sprache der Seite."),
    )
    label = blocks.CharBlock(label=_("Bezeichnung"), max_length=160)
    source = blocks.CharBlock(label=_("Quelle"), required=False, max_length=200)

    class Meta:
        icon = "table"
        label = _("Kennzahl")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("value") and not value.get("count"):
            message = _("Bitte eine Zahl eingeben oder eine Zahl aus den Daten wählen.")
            raise blocks.StructBlockValidationError(block_errors={"value": ValidationError(message)})
        return value


class KeyFiguresBlock(blocks.StructBlock):
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Kennzahlen"), min_num=1)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        counts = counted_figures() if any(figure.get("count") for figure in value["figures"]) else {}
        context["figures"] = [
            {
                "value": (
                    format_figure(figure["count"], counts[figure["count"]])
                    if figure.get("count") in counts
                    else figure.get("value")
                ),
                "label": figure["label"],
                "source": figure["source"],
            }
            for figure in value["figures"]
        ]
        return context

    class Meta:
        icon = "table"
        label = _("Kennzahlen")
        template = "blocks/key_figures.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Einige wichtige Zahlen groß hervorgehoben, jede mit Bezeichnung und Quelle.")
        preview_value = {
            "figures": [
                {"value": "128.400", "label": "Einwohnerinnen und Einwohner", "source": "Statistisches Landesamt 2023"},
                {"value": "24", "label": "Städte und Gemeinden", "source": ""},
            ]
        }


class MilestoneBlock(blocks.StructBlock):
    date_label = blocks.CharBlock(label=_("Zeitpunkt"), max_length=60, help_text=_("z. B. „Frühjahr 2022“."))
    title = blocks.CharBlock(label=_("Titel"), max_length=160)
    text = blocks.TextBlock(label=_("Text"), required=False)
    state = blocks.ChoiceBlock(
        label=_("Stand"),
        choices=[("done", _("abgeschlossen")), ("current", _("aktuell")), ("planned", _("geplant"))],
        default="done",
    )
    page = blocks.PageChooserBlock(
        label=_("Verknüpfte Seite"),
        required=False,
        help_text=_(
            "Optional, z. B. der Zukunftsdialog zu diesem Schritt; verlinkt, solange die Seite öffentlich ist."
        ),
    )

    class Meta:
        icon = "date"
        label = _("Meilenstein")


class TimelineBlock(blocks.StructBlock):
    milestones = blocks.ListBlock(MilestoneBlock(), label=_("Meilensteine"), min_num=1)

    class Meta:
        icon = "history"
        label = _("Projektverlauf")
        template = "blocks/timeline.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Zeitleiste des Prozesses; der Stand jedes Schritts wird als Text angezeigt.")
        preview_value = {
            "milestones": [
                {"date_label": "2022", "title": "Analyse", "text": "Bestandsaufnahme", "state": "done"},
                {"date_label": "2023", "title": "Kreistagsbeschluss", "text": "", "state": "current"},
                {"date_label": "2024", "title": "Umsetzung", "text": "", "state": "planned"},
            ]
        }


class SwotBlock(blocks.StructBlock):
    strengths = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Stärken"))
    weaknesses = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Schwächen"))
    opportunities = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Chancen"))
    risks = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Risiken"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["quadrants"] = [
            ("strengths", _("Stärken"), value["strengths"]),
            ("weaknesses", _("Schwächen"), value["weaknesses"]),
            ("opportunities", _("Chancen"), value["opportunities"]),
            ("risks", _("Risiken"), value["risks"]),
        ]
        return context

    class Meta:
        icon = "grip"
        label = _("SWOT-Analyse")
        template = "blocks/swot.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Stärken, Schwächen, Chancen und Risiken als vier Listen mit Überschriften.")
        preview_value = {
            "strengths": ["Starker Mittelstand"],
            "weaknesses": ["Lücken im Mobilfunknetz"],
            "opportunities": ["Erneuerbare Energien"],
            "risks": ["Fachkräftemangel"],
        }


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(
        label=_("Linktext"), required=False, max_length=160, help_text=_("Leer lassen für den Titel des Dokuments.")
    )
    description = blocks.CharBlock(label=_("Beschreibung"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Download")


class DownloadsBlock(blocks.StructBlock):
    documents = blocks.ListBlock(DownloadBlock(), label=_("Dokumente"), min_num=1)

    class Meta:
        icon = "download"
        label = _("Downloads")
        template = "blocks/downloads.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Liste von Dokumenten zum Herunterladen, mit Dateityp und Größe.")


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Frage oder Titel"), max_length=200)
    body = blocks.RichTextBlock(label=_("Inhalt"), features=["bold", "italic", "ol", "ul", "link", "document-link"])

    class Meta:
        icon = "list-ul"
        label = _("Eintrag")


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Einträge"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Aufklappbereiche")
        template = "blocks/accordion.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Fragen und Antworten oder Details zum Aufklappen; funktioniert auch ohne JavaScript.")
        preview_value = {
            "items": [
                {"title": "Wie kann ich mitmachen?", "body": "<p>Schreiben Sie uns Ihre Idee.</p>"},
                {"title": "Wann wird fortgeschrieben?", "body": "<p>Alle zwei Jahre.</p>"},
            ]
        }


class TableBlock(WagtailTableBlock):
    """Wagtail's table with a caption; the header row becomes `<th scope="col">`."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "table_options",
            {"startRows": 3, "startCols": 3, "contextMenu": ["row_above", "row_below", "col_left", "col_right"]},
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not value.get("table_caption"):
            raise ValidationError(_("Bitte geben Sie der Tabelle eine Beschriftung (Caption)."))
        if value and not value.get("first_row_is_table_header"):
            raise ValidationError(_("Die erste Zeile einer Tabelle muss die Spaltenüberschriften enthalten."))
        return value

    class Meta:
        icon = "table"
        label = _("Tabelle")
        template = "blocks/table.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Tabelle mit Beschriftung und Kopfzeile.")
        preview_value = {
            "table_caption": "Termine der Zukunftsdialoge",
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "data": [["Ort", "Datum"], ["Lindenau", "12. März"], ["Kirchberg", "19. März"]],
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=160)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link_page = blocks.PageChooserBlock(label=_("Interne Seite"), required=False)
    link_url = blocks.URLBlock(label=_("Externe Adresse"), required=False)
    link_text = blocks.CharBlock(label=_("Beschriftung des Links"), max_length=80)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("link_page")) == bool(value.get("link_url")):
            raise blocks.StructBlockValidationError(
                block_errors={"link_url": ValidationError(_("Bitte genau ein Linkziel angeben: Seite oder Adresse."))}
            )
        return value

    class Meta:
        icon = "pick"
        label = _("Handlungsaufruf")
        template = "blocks/call_to_action.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Hervorgehobener Kasten, der zu einer Handlung einlädt, z. B. „Idee einreichen“.")
        preview_value = {
            "title": "Ihre Idee für Lindenau",
            "text": "Sagen Sie uns, was der Landkreis anpacken soll.",
            "link_url": "https://beteiligung.lindenau.example/",
            "link_text": "Idee einreichen",
        }


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    role = blocks.CharBlock(label=_("Funktion"), required=False, max_length=160)
    organisation = blocks.CharBlock(label=_("Stelle"), required=False, max_length=160)
    address = blocks.TextBlock(label=_("Anschrift"), required=False)
    phone = blocks.CharBlock(label=_("Telefon"), required=False, max_length=40)
    email = blocks.EmailBlock(label=_("E-Mail"), required=False)

    class Meta:
        icon = "user"
        label = _("Kontakt")
        template = "blocks/contact_card.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Ansprechperson mit Funktion, Anschrift, Telefon und E-Mail.")
        preview_value = {
            "name": "Jana Beispiel",
            "role": "Leiterin Stabsstelle Kreisentwicklung",
            "organisation": "Kreisverwaltung Lindenau",
            "address": "Am Markt 1\n99999 Lindenau",
            "phone": "09999 123-456",
            "email": "kreisentwicklung@lindenau.example",
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Text"),
        icon="pilcrow",
        template="blocks/paragraph.html",
        preview_template=PREVIEW_TEMPLATE,
        description=_("Fließtext mit Absätzen, Listen und Links."),
        preview_value="<p>Der Landkreis hat sich auf den Weg gemacht, seine Zukunft gemeinsam zu gestalten.</p>",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    timeline = TimelineBlock()
    swot = SwotBlock()
    downloads = DownloadsBlock()
    accordion = AccordionBlock()
    table = TableBlock()
    call_to_action = CallToActionBlock()
    contact_card = ContactCardBlock()

    def clean(self, value):
        value = super().clean(value)
        # The table of contents links to these ids; two equal ones would make one unreachable.
        seen = set()
        for child in value:
            if child.block_type != "heading":
                continue
            anchor = heading_anchor(child.value)
            if anchor in seen:
                raise blocks.StreamBlockValidationError(
                    non_block_errors=ValidationError(
                        _("Die Sprungmarke „%(anchor)s“ kommt doppelt vor; bitte eine andere wählen."),
                        params={"anchor": anchor},
                    )
                )
            seen.add(anchor)
        return value


def table_of_contents(stream):
    """(anchor, text) for every heading block, in order; the ids the heading template renders."""
    return [(heading_anchor(child.value), child.value["text"]) for child in stream if child.block_type == "heading"]
