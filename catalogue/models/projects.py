"""Catalogue entries (projects and measures) with their links and documents."""

from typing import Any, ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from . import tree
from .taxonomy import Area

DESCRIPTION_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class TrafficLight(models.TextChoices):
    ON_TRACK = "on_track", _("im Plan")
    AT_RISK = "at_risk", _("gefährdet")
    OFF_TRACK = "off_track", _("kritisch")
    UNKNOWN = "unknown", _("unbekannt")


class ProjectQuerySet(models.QuerySet):
    """Entries by who may change them; the rules behind these live in `catalogue/permissions.py`.

    `catalogue.permissions` registers itself as `rules` when the app is ready, so the models
    never import the module that builds on them.
    """

    rules: ClassVar[Any] = None

    def modifiable_by(self, user):
        """Entries inside the user's departments; model permissions are not asked here."""
        return self.rules.modifiable(self, user)

    def editable_by(self, user):
        """Entries the user may open in the editor: their departments' and the change permission."""
        return self.rules.editable(self, user)


class Project(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One catalogue entry: a project, or a measure that usually sits under a project."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Projekt")
        MEASURE = "measure", _("Maßnahme")

    class Priority(models.TextChoices):
        HIGH = "I", _("I – hoch")
        MEDIUM = "II", _("II – mittel")
        LOW = "III", _("III – niedrig")

    kind = models.CharField(
        _("Art"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.PROJECT,
        help_text=_("Projekt oder Maßnahme; Maßnahmen gehören meist zu einem Projekt."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Übergeordneter Eintrag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Das Projekt, zu dem dieser Eintrag gehört. Sein Fortschritt ergibt sich dann mit aus diesem."),
    )
    code = models.CharField(
        _("Nummer"), max_length=20, help_text=_("Nummer im Katalog, z. B. „2.1.03“; je Sprache eindeutig.")
    )
    title = models.CharField(_("Titel"), max_length=255, help_text=_("Kurzer, verständlicher Titel des Eintrags."))
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=120,
        blank=True,
        help_text=_("Teil der Adresse der Detailseite; leer lassen, dann wird er aus Nummer und Titel gebildet."),
    )
    summary = models.TextField(
        _("Kurzbeschreibung"), blank=True, help_text=_("Zwei bis drei Sätze für Listen und Suchergebnisse.")
    )
    description = RichTextField(
        _("Beschreibung"),
        blank=True,
        features=DESCRIPTION_FEATURES,
        help_text=_("Ausgangslage, Vorgehen und erwartete Wirkung."),
    )
    goals = ParentalManyToManyField(
        "catalogue.Goal",
        verbose_name=_("Ziele"),
        related_name="projects",
        help_text=_("Ein oder mehrere Ziele, zu denen der Eintrag beiträgt; das Handlungsfeld ergibt sich daraus."),
    )
    themes = ParentalManyToManyField(
        "catalogue.Theme",
        verbose_name=_("Querschnittsthemen"),
        blank=True,
        related_name="projects",
        help_text=_("Querschnittsthemen, die der Eintrag berührt."),
    )
    lead_department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("Federführung"),
        on_delete=models.PROTECT,
        related_name="led_projects",
        help_text=_("Die Stelle, die den Eintrag verantwortet und über ihn berichtet."),
    )
    partner_departments = ParentalManyToManyField(
        "catalogue.Department",
        verbose_name=_("Beteiligte Stellen"),
        blank=True,
        related_name="partner_projects",
        help_text=_("Weitere Stellen der Kreisverwaltung, die mitwirken."),
    )
    external_partners = models.TextField(
        _("Externe Partner"), blank=True, help_text=_("Partner außerhalb der Verwaltung, einer je Zeile.")
    )
    municipalities = ParentalManyToManyField(
        "catalogue.Municipality",
        verbose_name=_("Gemeinden"),
        blank=True,
        related_name="projects",
        help_text=_("Die Gemeinden, in denen der Eintrag umgesetzt wird."),
    )
    sdg_targets = ParentalManyToManyField(
        "catalogue.SdgTarget",
        verbose_name=_("SDG-Unterziele"),
        blank=True,
        related_name="projects",
        help_text=_("Unterziele der UN-Nachhaltigkeitsziele, zu denen der Eintrag beiträgt, z. B. 7.2."),
    )
    county_wide = models.BooleanField(
        _("Kreisweit"), default=False, help_text=_("Ankreuzen, wenn der Eintrag den ganzen Landkreis betrifft.")
    )
    planned_start = models.DateField(_("Geplanter Beginn"), null=True, blank=True, help_text=_("Geplanter Beginn."))
    planned_end = models.DateField(
        _("Geplantes Ende"), null=True, blank=True, help_text=_("Geplantes Ende; nicht vor dem geplanten Beginn.")
    )
    actual_start = models.DateField(
        _("Tatsächlicher Beginn"), null=True, blank=True, help_text=_("Tag, an dem die Umsetzung begann.")
    )
    actual_end = models.DateField(
        _("Tatsächliches Ende"),
        null=True,
        blank=True,
        help_text=_("Tag, an dem die Umsetzung endete; nicht vor dem tatsächlichen Beginn."),
    )
    continuous = models.BooleanField(
        _("Daueraufgabe"), default=False, help_text=_("Ankreuzen, wenn der Eintrag kein geplantes Ende hat.")
    )
    cost_estimate = models.DecimalField(
        _("Geschätzte Kosten (Euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Gesamtkosten in Euro, soweit bekannt."),
    )
    funding_programmes = ParentalManyToManyField(
        "catalogue.FundingProgramme",
        verbose_name=_("Förderprogramme"),
        blank=True,
        related_name="projects",
        help_text=_("Förderprogramme, aus denen der Eintrag Mittel erhält oder beantragt."),
    )
    funding_amount = models.DecimalField(
        _("Fördersumme (Euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Bewilligte oder beantragte Fördermittel in Euro."),
    )
    priority = models.CharField(
        _("Priorität"),
        max_length=3,
        choices=Priority.choices,
        blank=True,
        help_text=_("Priorität laut Kreistagsbeschluss: I hoch, II mittel, III niedrig."),
    )
    contact_name = models.CharField(
        _("Ansprechperson"), max_length=160, blank=True, help_text=_("Name der Ansprechperson für die Öffentlichkeit.")
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True, help_text=_("E-Mail-Adresse für Rückfragen."))
    contact_phone = models.CharField(
        _("Telefon"), max_length=40, blank=True, help_text=_("Telefonnummer für Rückfragen, z. B. 09999 123-456.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Ein Bild zum Eintrag, mit Alternativtext in der Bildverwaltung."),
    )

    status = models.ForeignKey(
        "catalogue.Status",
        verbose_name=_("Status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("Wird aus dem neuesten veröffentlichten Statusbericht übernommen."),
    )
    traffic_light = models.CharField(
        _("Ampel"),
        max_length=10,
        choices=TrafficLight.choices,
        default=TrafficLight.UNKNOWN,
        help_text=_("Wird aus dem neuesten veröffentlichten Statusbericht übernommen."),
    )
    progress = models.PositiveSmallIntegerField(
        _("Fortschritt (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Aus dem neuesten Statusbericht; bei Einträgen mit Untereinträgen aus deren gewichtetem Fortschritt."
        ),
    )
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"),
        default=1,
        help_text=_("Gewicht dieses Eintrags im Fortschritt des übergeordneten Eintrags; 0 zählt nicht mit."),
    )
    last_report_date = models.DateField(
        _("Letzter Bericht"),
        null=True,
        blank=True,
        help_text=_("Datum des neuesten veröffentlichten Statusberichts."),
    )

    objects = ProjectQuerySet.as_manager()

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="project")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="project",
        for_concrete_model=False,
    )

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("code", boost=2),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.AutocompleteField("code"),
        index.FilterField("locale_id"),
        index.FilterField("live"),
        index.FilterField("kind"),
        index.FilterField("status_id"),
        index.FilterField("traffic_light"),
        index.FilterField("lead_department_id"),
    ]

    # Written by hand because wagtail-localize skips many-to-many fields: the translation must
    # keep the source-locale taxonomy so that filters and aggregates see one set of goals.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("summary"),
        TranslatableField("description"),
        TranslatableField("external_partners"),
        SynchronizedField("kind"),
        SynchronizedField("code"),
        SynchronizedField("slug"),
        SynchronizedField("goals"),
        SynchronizedField("themes"),
        SynchronizedField("lead_department"),
        SynchronizedField("partner_departments"),
        SynchronizedField("municipalities"),
        SynchronizedField("sdg_targets"),
        SynchronizedField("county_wide"),
        SynchronizedField("planned_start"),
        SynchronizedField("planned_end"),
        SynchronizedField("actual_start"),
        SynchronizedField("actual_end"),
        SynchronizedField("continuous"),
        SynchronizedField("cost_estimate"),
        SynchronizedField("funding_programmes"),
        SynchronizedField("funding_amount"),
        SynchronizedField("priority"),
        SynchronizedField("contact_name"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("image"),
        SynchronizedField("weight"),
        SynchronizedField("reports"),
        SynchronizedField("links"),
        SynchronizedField("documents"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Katalogeintrag")
        verbose_name_plural = _("Katalogeinträge")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="catalogue_project_code_locale"),
        ]
        indexes = [
            models.Index(fields=["status"], name="catalogue_project_status"),
            models.Index(fields=["traffic_light"], name="catalogue_project_light"),
            models.Index(fields=["lead_department"], name="catalogue_project_lead"),
            models.Index(fields=["priority"], name="catalogue_project_priority"),
            models.Index(fields=["kind"], name="catalogue_project_kind"),
            models.Index(fields=["planned_start"], name="catalogue_project_pstart"),
            models.Index(fields=["planned_end"], name="catalogue_project_pend"),
            models.Index(fields=["last_report_date"], name="catalogue_project_lastrep"),
            models.Index(fields=["code"], name="catalogue_project_code"),
            models.Index(fields=["title"], name="catalogue_project_title"),
            models.Index(fields=["live"], name="catalogue_project_live"),
            models.Index(fields=["locale"], name="catalogue_project_locale"),
            models.Index(fields=["locale", "live", "code"], name="catalogue_project_list"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def revisions(self):
        return self._revisions

    @property
    def areas(self):
        """The areas of the entry's goals, without duplicates and in the strategy's order."""
        return Area.objects.filter(goals__projects=self).distinct().order_by("order", "code")

    def get_preview_template(self, request, mode_name):
        return "catalogue/project_detail.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["project"] = self
        return context

    def ancestor_ids(self):
        """Ids of the entries above this one, nearest first, from one query of the entry tree."""
        parent_of = dict(
            Project.objects.filter(locale_id=self.locale_id, parent__isnull=False).values_list("pk", "parent_id")
        )
        parent_of[self.pk] = self.parent_id
        return tree.ancestors(parent_of.get, self.pk)

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("Das geplante Ende darf nicht vor dem geplanten Beginn liegen.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("Das tatsächliche Ende darf nicht vor dem tatsächlichen Beginn liegen.")
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors["progress"] = _("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")
        parent = self.parent
        if parent is not None:
            if self.locale_id and parent.locale_id != self.locale_id:
                errors["parent"] = _("Der übergeordnete Eintrag muss dieselbe Sprache haben.")
            elif self.pk and (parent.pk == self.pk or self.pk in parent.ancestor_ids()):
                errors["parent"] = _(
                    "Ein Eintrag kann nicht sich selbst oder einem seiner Untereinträge untergeordnet werden."
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"{self.code} {self.title}")[:120]
        super().save(*args, **kwargs)

    def latest_report(self):
        return self.reports.order_by("-date", "-pk").first()

    def apply_latest_report(self):
        """Copy the newest stored report onto the entry and roll progress up to its ancestors.

        Called after publishing and after a report is deleted. Only the live row is written
        (with `update`), so a draft revision waiting for approval stays as the editor left it.
        """
        report = self.latest_report()
        values = {
            "status_id": report.status_id if report else None,
            "traffic_light": report.traffic_light if report else TrafficLight.UNKNOWN,
            "last_report_date": report.date if report else None,
        }
        if report:
            values["progress"] = report.progress
        Project.objects.filter(pk=self.pk).update(**values)
        for name, value in values.items():
            setattr(self, name, value)
        self.update_rollup()

    def update_rollup(self):
        """Recompute the weighted progress of every entry above and including this one."""
        rows = list(
            Project.objects.filter(locale_id=self.locale_id, live=True)
            .filter(models.Q(parent__isnull=False) | models.Q(children__isnull=False) | models.Q(pk=self.pk))
            .distinct()
            .values("pk", "parent_id", "progress", "weight")
        )
        changed = tree.rollup_changes(rows, [self.pk])
        for pk, progress in changed.items():
            Project.objects.filter(pk=pk).update(progress=progress)
            if pk == self.pk:
                self.progress = progress


class ProjectLink(Orderable):
    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("Titel"), max_length=200, help_text=_("Linktext, der das Ziel beschreibt."))
    url = models.URLField(_("Adresse"), help_text=_("Vollständige Adresse, beginnend mit https://."))

    class Meta(Orderable.Meta):
        verbose_name = _("Link")
        verbose_name_plural = _("Links")

    def __str__(self):
        return self.title


class ProjectDocument(Orderable):
    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Dokument"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Ein Dokument aus der Dokumentenverwaltung, z. B. ein Beschluss oder Bericht."),
    )
    title = models.CharField(
        _("Titel"), max_length=200, blank=True, help_text=_("Leer lassen, um den Titel des Dokuments zu verwenden.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self):
        return self.title or self.document.title
