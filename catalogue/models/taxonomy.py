"""The strategy's vocabulary: areas, goals, themes, departments, municipalities, statuses, funding."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.models import hex_colour

from . import tree
from .aggregates import AreaManager, GoalManager

ags_validator = RegexValidator(r"^\d{8}$", _("Der Gemeindeschlüssel besteht aus genau 8 Ziffern."))
goal_code_validator = RegexValidator(
    r"^\d+(\.\d+)*$", _("Die Nummer besteht aus Zahlen, getrennt durch Punkte, z. B. 2.1 oder 2.1.3.")
)


class Area(TranslatableMixin, index.Indexed, models.Model):
    """A Handlungsfeld, the top level of the strategy."""

    code = models.CharField(
        _("Nummer"), max_length=10, help_text=_("Kurze Nummer des Handlungsfelds, z. B. „2“; bestimmt die Zielnummern.")
    )
    title = models.CharField(
        _("Titel"), max_length=200, help_text=_("Name des Handlungsfelds, wie er öffentlich erscheint.")
    )
    slug = models.SlugField(
        _("Kurzname (URL)"), max_length=80, help_text=_("Stabiler Name in Filter-Adressen, z. B. „wirtschaft“.")
    )
    short_description = models.TextField(
        _("Kurzbeschreibung"), blank=True, help_text=_("Ein bis zwei Sätze, die das Handlungsfeld umreißen.")
    )
    colour = models.CharField(
        _("Farbe"),
        max_length=7,
        default="#1a5f7a",
        validators=[hex_colour],
        help_text=_("Erkennungsfarbe als #rrggbb; mit mindestens 4,5:1 Kontrast zu Weiß."),
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen erscheinen zuerst.")
    )

    objects = AreaManager()

    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("locale_id")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("short_description"),
        SynchronizedField("code"),
        SynchronizedField("slug"),
        SynchronizedField("colour"),
        SynchronizedField("order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="catalogue_area_code_locale"),
            models.UniqueConstraint(fields=["slug", "locale"], name="catalogue_area_slug_locale"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


def code_sort_key(code):
    """Numeric order for dotted codes, so that 2.10 follows 2.9."""
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


class Goal(TranslatableMixin, index.Indexed, models.Model):
    """A strategic goal; goals nest to any depth (Leitziel -> Teilziel -> …)."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        related_name="goals",
        help_text=_("Das Handlungsfeld, zu dem das Ziel gehört."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Übergeordnetes Ziel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leer lassen für ein Leitziel; sonst das Ziel, das dieses Ziel genauer fasst."),
    )
    code = models.CharField(
        _("Nummer"),
        max_length=20,
        validators=[goal_code_validator],
        help_text=_("Nummer des Ziels, z. B. „2.1“ für ein Leitziel oder „2.1.3“ für ein Teilziel."),
    )
    title = models.CharField(_("Titel"), max_length=255, help_text=_("Das Ziel als kurzer Satz."))
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Was mit dem Ziel erreicht werden soll, und warum.")
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Reihenfolge unter Zielen mit derselben Nummernebene.")
    )
    sdg_targets = models.ManyToManyField(
        "catalogue.SdgTarget",
        verbose_name=_("SDG-Unterziele"),
        blank=True,
        related_name="goals",
        help_text=_("Unterziele der UN-Nachhaltigkeitsziele, zu denen das Ziel beiträgt."),
    )
    depth = models.PositiveSmallIntegerField(
        _("Ebene"),
        default=1,
        editable=False,
        help_text=_("Wird aus dem übergeordneten Ziel berechnet: 1 = Leitziel."),
    )

    objects = GoalManager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("code"),
        index.AutocompleteField("title"),
        index.FilterField("locale_id"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("description"),
        TranslatableField("area"),
        TranslatableField("parent"),
        SynchronizedField("code"),
        SynchronizedField("order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["area__order", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "locale"], name="catalogue_goal_code_locale")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        old_depth = None
        if self.pk:
            old_depth = Goal.objects.filter(pk=self.pk).values_list("depth", flat=True).first()
        self.depth = self.parent.depth + 1 if self.parent else 1
        super().save(*args, **kwargs)
        if old_depth is not None and old_depth != self.depth:
            for child in self.children.all():
                child.save(update_fields=["depth"])

    @property
    def level(self):
        return self.depth

    @property
    def level_name(self):
        names = settings.GOAL_LEVEL_NAMES
        return str(names[min(self.depth, len(names)) - 1])

    @property
    def label(self):
        return f"{self.code} {self.title} ({self.level_name})"

    def ancestors_ids(self):
        """Ids of the goals above this one, nearest first, from one query of the goal tree."""
        parent_of: dict[int, int | None] = dict(
            Goal.objects.filter(locale_id=self.locale_id).values_list("pk", "parent_id")
        )
        parent_of[self.pk] = self.parent_id
        return tree.ancestors(parent_of.get, self.pk)

    def clean(self):
        super().clean()
        parent = self.parent
        if parent is None:
            return
        if self.area_id and parent.area_id != self.area_id:
            raise ValidationError({"parent": _("Das übergeordnete Ziel muss zum selben Handlungsfeld gehören.")})
        if self.pk and (parent.pk == self.pk or self.pk in parent.ancestors_ids()):
            raise ValidationError(
                {"parent": _("Ein Ziel kann nicht sich selbst oder einem seiner Unterziele untergeordnet werden.")}
            )
        if self.locale_id and parent.locale_id != self.locale_id:
            raise ValidationError({"parent": _("Das übergeordnete Ziel muss dieselbe Sprache haben.")})


class Theme(TranslatableMixin, index.Indexed, models.Model):
    """A Querschnittsthema that runs across areas, e.g. Digitalisierung."""

    title = models.CharField(_("Titel"), max_length=120, help_text=_("Name des Querschnittsthemas."))
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, help_text=_("Stabiler Name in Filter-Adressen."))
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Was das Thema über die Handlungsfelder hinweg verbindet.")
    )

    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("locale_id")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("description"),
        SynchronizedField("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Querschnittsthema")
        verbose_name_plural = _("Querschnittsthemen")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="catalogue_theme_slug_locale")]

    def __str__(self):
        return self.title


class Department(TranslatableMixin, index.Indexed, models.Model):
    """An Amt or Fachbereich; a Dezernat is a department with sub-departments."""

    name = models.CharField(
        _("Name"), max_length=200, help_text=_("Voller Name, z. B. „Amt für Wirtschaftsförderung“.")
    )
    short_name = models.CharField(
        _("Kurzname"), max_length=40, help_text=_("Kürzel für Listen und Filter, z. B. „FB 3“ oder „WiFö“.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Dezernat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Das Dezernat, zu dem die Stelle gehört; leer für ein Dezernat selbst."),
    )
    email = models.EmailField(_("E-Mail"), blank=True, help_text=_("Funktionsadresse für Rückfragen."))
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("Benutzergruppen"),
        blank=True,
        related_name="departments",
        help_text=_("Die Benutzergruppen, deren Mitglieder für diese Stelle handeln."),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale_id")]

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("short_name"),
        TranslatableField("parent"),
        SynchronizedField("email"),
        SynchronizedField("groups"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Fachbereich")
        verbose_name_plural = _("Fachbereiche")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not (self.pk and self.parent_id):
            return
        parent_of = dict(Department.objects.values_list("pk", "parent_id"))
        if self.parent_id == self.pk or self.pk in tree.ancestors(parent_of.get, self.parent_id):
            raise ValidationError({"parent": _("Eine Stelle kann nicht sich selbst untergeordnet werden.")})


def department_slug(department: Department) -> str:
    """The department's stable key in filter addresses and the API: its short name as a slug."""
    return slugify(department.short_name) or f"stelle-{department.pk}"


class Municipality(index.Indexed, models.Model):
    """A town or municipality of the county; its name is a proper name and needs no translation."""

    name = models.CharField(_("Name"), max_length=120, help_text=_("Amtlicher Name der Gemeinde."))
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        unique=True,
        validators=[ags_validator],
        help_text=_("Achtstelliger Amtlicher Gemeindeschlüssel (AGS)."),
    )
    slug = models.SlugField(
        _("Kurzname (URL)"), max_length=80, unique=True, help_text=_("Stabiler Name in Filter-Adressen.")
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class Status(TranslatableMixin, models.Model):
    """One step of the implementation vocabulary, e.g. „in Umsetzung“."""

    name = models.CharField(_("Name"), max_length=80, help_text=_("Bezeichnung des Status, z. B. „in Umsetzung“."))
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, help_text=_("Stabiler Name in Filter-Adressen."))
    colour = models.CharField(
        _("Farbe"),
        max_length=7,
        default="#6b7280",
        validators=[hex_colour],
        help_text=_("Farbe als #rrggbb; der Status wird immer auch als Text gezeigt."),
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen erscheinen zuerst.")
    )
    is_closed = models.BooleanField(
        _("Abgeschlossen"),
        default=False,
        help_text=_("Einträge mit diesem Status gelten als beendet (z. B. abgeschlossen oder entfallen)."),
    )
    default_progress = models.PositiveSmallIntegerField(
        _("Fortschritt (Vorgabe)"),
        default=0,
        help_text=_("Vorschlag für den Fortschritt in Prozent, wenn ein Bericht diesen Status setzt."),
    )

    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("colour"),
        SynchronizedField("order"),
        SynchronizedField("is_closed"),
        SynchronizedField("default_progress"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Status")
        verbose_name_plural = _("Status")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="catalogue_status_slug_locale")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.default_progress is not None and not 0 <= self.default_progress <= 100:
            raise ValidationError({"default_progress": _("Der Fortschritt muss zwischen 0 und 100 Prozent liegen.")})


class FundingProgramme(TranslatableMixin, models.Model):
    """A funding programme such as LEADER or the Kommunalrichtlinie."""

    name = models.CharField(_("Name"), max_length=160, help_text=_("Name des Förderprogramms, z. B. „LEADER“."))
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, help_text=_("Stabiler Name in Filter-Adressen."))
    short_description = models.TextField(
        _("Kurzbeschreibung"), blank=True, help_text=_("Wer fördert was, in einem Satz.")
    )

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("short_description"),
        SynchronizedField("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="catalogue_funding_slug_locale")]

    def __str__(self):
        return self.name
