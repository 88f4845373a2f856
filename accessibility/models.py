"""The pages BITV 2.0 asks for: the accessibility statement with its feedback form, and Leichte Sprache.

Both are standard pages with structure on top, so they sit where the site settings and the
footer expect the legal pages, and translate with wagtail-localize like every page.

- `AccessibilityStatementPage` holds what BITV 2.0 § 7 and the EU model statement (Commission
  Implementing Decision (EU) 2018/1523) require: conformance status, known barriers with their
  reasons and alternatives, the date of the statement and of its last review, the method, a
  feedback channel (a form; submissions are kept as Wagtail form submissions, visible to staff
  under "Formulare", and mailed to the accessibility officer) and the Land's arbitration body
  (Schlichtungsstelle) with its link.
- `EasyLanguagePage` explains the site in Leichte Sprache (BITV 2.0 § 4) and has a place for
  the explanation in German Sign Language (DGS): a video file with optional captions.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.models import EmailFormMixin, FormMixin, FormSubmission
from wagtail.fields import StreamField
from wagtail.search import index

from cms import cache
from home.models import StandardPage

FEEDBACK_PER_HOUR = 5
# A field people never see; programs that fill every field fill it.
HONEYPOT = "website"


class BarrierBlock(blocks.StructBlock):
    """One known barrier: what is not accessible, why, and how to get the content anyway."""

    title = blocks.CharBlock(label=_("Barriere"), max_length=200, help_text=_("Was ist nicht barrierefrei?"))
    reason = blocks.ChoiceBlock(
        label=_("Grund"),
        choices=[
            ("not_yet", _("noch nicht behoben")),
            ("burden", _("unverhältnismäßige Belastung")),
            ("out_of_scope", _("nicht im Anwendungsbereich der Verordnung")),
        ],
        default="not_yet",
    )
    description = blocks.TextBlock(label=_("Erläuterung"), help_text=_("Was genau fehlt und bis wann es behoben wird."))
    alternative = blocks.TextBlock(
        label=_("Alternative"),
        required=False,
        help_text=_("Wie man den Inhalt trotzdem bekommt, z. B. auf Anfrage in einem anderen Format."),
    )

    class Meta:
        icon = "warning"
        label = _("Bekannte Barriere")
        template = "accessibility/blocks/barrier.html"

    def get_context(self, value: Any, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        context["reason_label"] = dict(self.child_blocks["reason"].field.choices).get(value["reason"], "")
        return context


class BarrierStreamBlock(blocks.StreamBlock):
    barrier = BarrierBlock()


@dataclass(frozen=True)
class FeedbackField:
    """A field of the feedback form, in the shape Wagtail's form builder reads."""

    clean_name: str
    field_type: str
    label: Any
    help_text: Any = ""
    required: bool = False
    default_value: str = ""
    choices: str = ""


FEEDBACK_FIELDS = [
    FeedbackField(
        "nachricht",
        "multiline",
        _("Ihre Nachricht"),
        _("Welche Barriere haben Sie gefunden, oder welchen Inhalt brauchen Sie in anderer Form?"),
        required=True,
    ),
    FeedbackField("seite", "singleline", _("Seite (Adresse oder Titel)"), _("Wo ist Ihnen die Barriere begegnet?")),
    FeedbackField("name", "singleline", _("Ihr Name"), _("Freiwillig.")),
    FeedbackField("email", "email", _("Ihre E-Mail-Adresse"), _("Freiwillig; nur für unsere Antwort.")),
]


class AccessibilityStatementPage(EmailFormMixin, FormMixin, StandardPage):
    """Erklärung zur Barrierefreiheit with a feedback form (Feedback-Mechanismus)."""

    class Conformance(models.TextChoices):
        FULL = "full", _("vollständig vereinbar")
        PARTIAL = "partial", _("teilweise vereinbar")
        NONE = "none", _("nicht vereinbar")

    conformance = models.CharField(
        _("Stand der Vereinbarkeit"),
        max_length=10,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
        help_text=_("Wie weit die Website die Anforderungen der BITV 2.0 erfüllt."),
    )
    standard = models.CharField(
        _("Anforderungen"),
        max_length=200,
        default="BITV 2.0, EN 301 549, WCAG 2.1 Stufe AA",
        help_text=_("Die Anforderungen, an denen die Website gemessen wurde."),
    )
    barriers = StreamField(
        BarrierStreamBlock(),
        verbose_name=_("Bekannte Barrieren"),
        blank=True,
        help_text=_("Nicht barrierefreie Inhalte, jeweils mit Grund und Alternative."),
    )
    statement_date = models.DateField(_("Erstellt am"), help_text=_("Datum, an dem die Erklärung erstellt wurde."))
    review_date = models.DateField(
        _("Zuletzt überprüft am"), help_text=_("Datum der letzten Überprüfung der Website und der Erklärung.")
    )
    method = models.CharField(
        _("Methode"),
        max_length=300,
        help_text=_("Wie die Vereinbarkeit bewertet wurde, z. B. „Selbstbewertung mit dem BIK BITV-Test“."),
    )
    feedback_contact = models.TextField(
        _("Kontakt für Rückmeldungen"),
        help_text=_("Stelle, Anschrift, Telefon; eine Zeile je Zeile. Die E-Mail-Adresse steht darunter."),
    )
    feedback_email = models.EmailField(_("E-Mail für Rückmeldungen"))
    arbitration_body = models.CharField(
        _("Schlichtungsstelle"),
        max_length=300,
        help_text=_("Die Schlichtungsstelle Ihres Landes nach dem Landes-Behindertengleichstellungsgesetz."),
    )
    arbitration_url = models.URLField(_("Internetseite der Schlichtungsstelle"))
    arbitration_text = models.TextField(
        _("Hinweis zum Schlichtungsverfahren"),
        blank=True,
        help_text=_("Wann und wie man die Schlichtungsstelle anruft; kostenlos, ohne Rechtsbeistand."),
    )

    template = "accessibility/accessibility_statement_page.html"
    landing_page_template = "accessibility/accessibility_statement_page_landing.html"
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    search_fields = StandardPage.search_fields + [index.SearchField("method")]
    content_panels = StandardPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("conformance"),
                FieldPanel("standard"),
                FieldRowPanel([FieldPanel("statement_date"), FieldPanel("review_date")]),
                FieldPanel("method"),
            ],
            heading=_("Stand der Vereinbarkeit"),
        ),
        FieldPanel("barriers"),
        MultiFieldPanel(
            [FieldPanel("feedback_contact"), FieldPanel("feedback_email")], heading=_("Feedback-Mechanismus")
        ),
        MultiFieldPanel(
            [FieldPanel("arbitration_body"), FieldPanel("arbitration_url"), FieldPanel("arbitration_text")],
            heading=_("Schlichtungsverfahren"),
        ),
        MultiFieldPanel(
            [FieldPanel("to_address"), FieldPanel("from_address"), FieldPanel("subject")],
            heading=_("Benachrichtigung über neue Rückmeldungen"),
        ),
    ]

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")

    def get_form_fields(self) -> list[FeedbackField]:
        return FEEDBACK_FIELDS

    def get_form_class(self) -> type[forms.Form]:
        form_class = super().get_form_class()
        trap = forms.CharField(
            required=False,
            label=_("Bitte leer lassen"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        return type("FeedbackForm", (form_class,), {HONEYPOT: trap})

    def process_form_submission(self, form: forms.Form) -> FormSubmission:
        data = {name: value for name, value in form.cleaned_data.items() if name != HONEYPOT}
        submission = self.get_submission_class().objects.create(form_data=data, page=self)
        if self.to_address:
            self.send_mail(form)
        return submission

    def render_email(self, form: forms.Form) -> str:
        form.cleaned_data.pop(HONEYPOT, None)
        return super().render_email(form)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            # A "Barriere melden" link may name the page it was followed from.
            initial = {"seite": request.GET.get("seite", "")[:300]}
            return self._form_response(request, self.get_form(page=self, user=request.user, initial=initial))
        address = request.META.get("REMOTE_ADDR", "")
        form = self.get_form(request.POST, page=self, user=request.user)
        if cache.hits("accessibility-feedback", address, window=cache.HOUR) > FEEDBACK_PER_HOUR:
            # What was typed stays in the form, so nothing is lost when trying again later.
            return self._form_response(request, form, status=429, rate_limited=True)
        if not form.is_valid():
            return self._form_response(request, form, status=400)
        # A filled trap field is a program, not a person: it is thanked like one and nothing is kept.
        submission = None if form.cleaned_data.get(HONEYPOT) else self.process_form_submission(form)
        return self.render_landing_page(request, submission)

    def _form_response(self, request: HttpRequest, form: forms.Form, status: int = 200, **extra: Any) -> HttpResponse:
        context = {**self.get_context(request), "form": form, **extra}
        return TemplateResponse(request, self.get_template(request), context, status=status)


class EasyLanguagePage(StandardPage):
    """Leichte Sprache: the site explained in easy German, with a place for a sign-language video."""

    sign_language_video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Video in Deutscher Gebärdensprache"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Videodatei (MP4 oder WebM), die Inhalt und Bedienung der Website in DGS erklärt."),
    )
    sign_language_captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Untertitel zum Video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Untertitel als WebVTT-Datei (.vtt)."),
    )
    sign_language_poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Vorschaubild zum Video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    template = "accessibility/easy_language_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    content_panels = StandardPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("sign_language_video"),
                FieldPanel("sign_language_captions"),
                FieldPanel("sign_language_poster"),
            ],
            heading=_("Gebärdensprache"),
        )
    ]

    class Meta:
        verbose_name = _("Leichte Sprache")
