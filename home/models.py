from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from catalogue.models import AreaPage
from catalogue.public.goals import area_summary
from cms import cache
from cms.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, table_of_contents
from cms.hosts import PublicUrlMixin
from cms.restrictions import child_restrictions_exist, view_restrictions, without_own_restrictions
from home.blocks import ChapterStreamBlock, HomeStreamBlock, catalogue_index_type, remember_catalogue_page

PDF_FILE_NAME = "kompaktfassung.pdf"


class BasePage(PublicUrlMixin, Page):
    """Fields and behaviour every editorial page shares."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        help_text=_("Ein bis drei Sätze, die oben auf der Seite und in Suchergebnissen erscheinen."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    # Read through Wagtail's API v3 (/api/v3/pages/), live and public pages only.
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        abstract = True

    def get_meta_description(self):
        return self.search_description or self.intro

    # Relations of this page that its template shows; loaded along with it when routing.
    route_select_related: list[str] = []

    def route(self, request, path_components):
        # Wagtail's Page.route loads the child and then, in a second query, its specific page.
        # Joining the tables of the allowed child types loads it in one.
        if not path_components:
            return super().route(request, path_components)
        joined = [model for model in self.clean_subpage_models() if Page in model._meta.parents]
        related = [
            f"{model._meta.model_name}__{name}" if name else model._meta.model_name
            for model in joined
            for name in ["", *getattr(model, "route_select_related", [])]
        ]
        # Whether a restriction applies to the child comes along, so that serving an unrestricted
        # page (nearly all of them) asks no further query; see get_view_restrictions.
        child = (
            self.get_children()
            .filter(slug=path_components[0])
            .select_related(*related)
            .annotate(has_view_restrictions=child_restrictions_exist(self))
            .first()
        )
        if child is None:
            raise Http404
        model = child.specific_class
        specific = getattr(child, model._meta.model_name) if model in joined else child.specific
        specific._cached_parent_obj = self
        specific.has_view_restrictions = child.has_view_restrictions
        return specific.route(request, path_components[1:])

    def get_view_restrictions(self):
        return view_restrictions(self)


class HomePage(BasePage):
    # Besides the shared blocks, the overview of where the strategy stands, read from the data.
    body = StreamField(HomeStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StrategyPage",
        "home.StandardPage",
        "catalogue.CatalogueIndexPage",
        "catalogue.AreaPage",
        "participation.DialogueIndexPage",
        "participation.IdeaIndexPage",
        "accessibility.AccessibilityStatementPage",
        "accessibility.EasyLanguagePage",
        "reporting.ReportIndexPage",
    ]

    class Meta:
        verbose_name = _("Startseite")


class StandardPage(BasePage):
    """Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache and other plain pages."""

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("Standardseite")


class StrategyPage(RoutablePageMixin, BasePage):
    """The strategy document. Its chapters are its live children, in tree order."""

    subtitle = models.CharField(_("Untertitel"), max_length=200, blank=True)
    period = models.CharField(
        _("Zeitraum"), max_length=20, blank=True, help_text=_("Geltungszeitraum der Strategie, z. B. „2021–2030“.")
    )
    council_decision = models.DateField(
        _("Beschluss des Kreistags"), null=True, blank=True, help_text=_("Datum des Kreistagsbeschlusses.")
    )
    summary = RichTextField(
        _("Zusammenfassung"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Das Wichtigste in wenigen Absätzen; steht auch vorn in der Kompaktfassung."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Titelbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ChapterPage", "catalogue.AreaPage"]
    route_select_related = ["cover_image"]

    search_fields = BasePage.search_fields + [index.SearchField("subtitle"), index.SearchField("summary")]
    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        MultiFieldPanel([FieldPanel("period"), FieldPanel("council_decision")], heading=_("Beschluss")),
        FieldPanel("intro"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("Strategie")

    def chapters(self):
        """Live chapters (chapter and area pages) for listings, in one query.

        Plain Page rows with each chapter type's own table joined in, instead of `.specific()`,
        which costs a query per page type; the row gets the chapter's number and intro.
        """
        links = [model._meta.model_name for model in self.clean_subpage_models()]
        deferred = [
            f"{link}__{name}"
            for link, model in zip(links, self.clean_subpage_models(), strict=True)
            for name in model.get_streamfield_names()
        ]
        rows = list(without_own_restrictions(self.get_children().live()).select_related(*links).defer(*deferred))
        for row in rows:
            details = next((found for link in links if (found := getattr(row, link, None))), None)
            row.number = getattr(details, "number", "")
            row.intro = getattr(details, "intro", "")
        return rows

    def full_chapters(self):
        """Live chapter pages with their bodies, in order, for the one-page view and the PDF."""
        return without_own_restrictions(self.get_children().live()).specific()

    def compact_chapters(self, request):
        """The chapters for the one-page view and the PDF; area chapters carry their goals and figures."""
        chapters = list(self.full_chapters())
        for chapter in chapters:
            if isinstance(chapter, AreaPage):
                chapter.summary = area_summary(chapter, request)
        return chapters

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["chapters"] = self.chapters()
        return context

    def publication_state(self):
        """When the strategy or one of its chapters was last published, and how many are live."""
        tree = Page.objects.filter(path__startswith=self.path, depth__lte=self.depth + 1, live=True)
        return tree.aggregate(latest=Max("last_published_at"), count=models.Count("pk"))

    def last_published(self):
        """The strategy's "Stand": the day it or one of its chapters was last published."""
        return self.publication_state()["latest"]

    def publication_key(self):
        """Changes whenever the strategy or one of its chapters is published or unpublished."""
        state = self.publication_state()
        latest = state["latest"].isoformat() if state["latest"] else "never"
        return (self.pk, latest, state["count"])

    @path("gesamt/", name="full")
    def full_view(self, request):
        return self.render(
            request,
            template="home/strategy_full.html",
            context_overrides={
                "chapters": self.compact_chapters(request),
                "stand": self.last_published(),
                "heading_base": 3,
                # Every translation of the strategy has its one-page view (language switcher, hreflang).
                "route_alternates": {code: "gesamt/" for code, _name in settings.LANGUAGES},
            },
        )

    def pdf_url(self, request=None):
        """Where the compact version is served, by the view `home.views.strategy_pdf`.

        Wagtail's page URLs allow no dot, so a URL pattern ahead of Wagtail's serves it.
        """
        return f"{self.get_url(request=request)}{PDF_FILE_NAME}"

    def pdf_response(self, request):
        # WeasyPrint loads Pango and HarfBuzz when imported: only the PDF request pays for that.
        from home import pdf

        # The area chapters show catalogue figures, and the links name the host: both key the file too.
        content = cache.named(
            "home:strategy-pdf",
            *self.publication_key(),
            cache.data_version(),
            request.get_host(),
            build=lambda: pdf.render_strategy_pdf(self, request),
            timeout=7 * cache.DAY,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.slug}-{PDF_FILE_NAME}"'
        return response

    # The compact version's first address, before it had a file name; links to it keep working.
    @path("kompaktfassung/", name="pdf")
    def pdf_redirect(self, request):
        if getattr(request, "is_preview", False):
            raise Http404
        return HttpResponsePermanentRedirect(self.pdf_url(request))


class ChapterPage(BasePage):
    """One chapter of the strategy, with a table of contents and previous/next links."""

    number = models.CharField(
        _("Kapitelnummer"),
        max_length=10,
        blank=True,
        help_text=_("z. B. „3“ oder „3.2“; leer für Kapitel ohne Nummer."),
    )
    body = StreamField(ChapterStreamBlock(), verbose_name=_("Inhalt"), blank=True)

    parent_page_types = ["home.StrategyPage"]
    subpage_types: list[str] = []

    search_fields = BasePage.search_fields
    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Kapitel")

    @property
    def table_of_contents(self):
        return table_of_contents(self.body)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The strategy, the chapters and the catalogue the live blocks link to, in one query of
        # plain Page rows: titles and links are all that is needed, and `.specific()` would cost
        # a query per page type. Restrictions above the chapter already apply to the chapter.
        parent_path = self.path[: -self.steplen]
        siblings = without_own_restrictions(
            Page.objects.filter(path__startswith=parent_path, depth=self.depth, live=True)
        )
        condition = Q(path=parent_path) | Q(pk__in=siblings.values("pk"))
        catalogue_type = catalogue_index_type()
        if catalogue_type is not None:
            catalogues = without_own_restrictions(
                Page.objects.filter(
                    content_type=catalogue_type,
                    path__startswith=self.path[: 2 * self.steplen],
                    depth=3,
                    locale_id=self.locale_id,
                    live=True,
                )
            )
            condition |= Q(pk__in=catalogues.values("pk"))
        rows = list(Page.objects.filter(condition).order_by("path"))
        strategy = next(row for row in rows if row.path == parent_path)
        siblings = [row for row in rows if row.depth == self.depth]
        catalogue = next((row for row in rows if row.depth == 3 and row.path != parent_path), None)
        remember_catalogue_page(request, self.locale_id, catalogue)
        position = next((i for i, sibling in enumerate(siblings) if sibling.pk == self.pk), None)
        context["strategy"] = strategy
        context["siblings"] = siblings
        context["previous_chapter"] = siblings[position - 1] if position else None
        context["next_chapter"] = (
            siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
        )
        return context
