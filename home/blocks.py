"""Blocks only the strategy's pages use. Unlike cms.blocks they may reach into the catalogue.

The live blocks cost one query each, however large the catalogue: each selects what it shows
in the active language with the chosen objects' ids as filters, so the chosen objects are
never loaded just to be rendered.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, Concat
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from catalogue.models import (
    Aggregate,
    Area,
    CatalogueIndexPage,
    Goal,
    Municipality,
    Project,
    Status,
    code_sort_key,
    tree,
)
from catalogue.public.goals import catalogue_page as public_catalogue_page
from cms.blocks import COUNTED_FIGURES, PREVIEW_TEMPLATE, BaseStreamBlock, KeyFigureBlock, KeyFiguresBlock
from cms.locales import active_locale, default_locale
from home import overview


def catalogue_index_type():
    """The content type of the catalogue's index page (from ContentType's own cache)."""
    return ContentType.objects.get_for_model(CatalogueIndexPage)


def remember_catalogue_page(request, locale_id, page):
    """Tell the blocks of this request where the catalogue is, found by a query run anyway."""
    if request is not None:
        request.__dict__.setdefault("_home_catalogue_pages", {})[locale_id] = page


def catalogue_page(request, locale):
    """The public catalogue page in this language, looked up once per request at most.

    A chapter page finds it along with its siblings (see ChapterPage.get_context), so its
    blocks link to it without a query of their own.
    """
    found = getattr(request, "_home_catalogue_pages", {})
    if locale.pk not in found:
        page = public_catalogue_page(locale.pk)
        remember_catalogue_page(request, locale.pk, page)
        return page
    return found[locale.pk]


def catalogue_url(request, locale, **filters):
    """The public catalogue in this language with these filters, or None without one."""
    page = catalogue_page(request, locale)
    if page is None:
        return None
    query = urlencode({key: value for key, value in filters.items() if value})
    return page.get_url(request=request) + (f"?{query}" if query else "")


class ChosenSnippetBlock(SnippetChooserBlock):
    """A snippet chooser that does not load the chosen object when a page's body is read.

    SnippetChooserBlock loads the chosen objects of every block type and field on each view of
    the page. The live blocks only need the id, which they use as a filter in their own query.
    The value is still a model instance for the editor, the translation tools and the reference
    index; its other fields are loaded from the database when first read.
    """

    def to_python(self, value):
        if value is None or isinstance(value, self.model_class):
            return value
        return self.model_class.from_db(DEFAULT_DB_ALIAS, [self.model_class._meta.pk.attname], [value])

    def bulk_to_python(self, values):
        return [self.to_python(value) for value in values]

    def get_form_state(self, value):
        # By id, so that an object deleted since shows as an empty chooser instead of failing.
        return self.widget.get_value_data(value and value.pk)


def _goal_tree(goals):
    """Nest goals under their parents (each with `.subgoals`) in code order."""
    goals = sorted(goals, key=lambda goal: code_sort_key(goal.code))
    return tree.nest(goals, pk=lambda goal: goal.pk, parent=lambda goal: goal.parent_id)


def _add_aggregates(goals, entries_by_key):
    """Give each goal of the tree the figures of the entries linked to it or to its sub-goals."""
    for goal in goals:
        _add_aggregates(goal.subgoals, entries_by_key)
        entries = dict(entries_by_key.get(goal.translation_key, {}))
        for subgoal in goal.subgoals:
            entries.update(subgoal.entries)
        goal.entries = entries
        status_counts: defaultdict[int | None, int] = defaultdict(int)
        for status_id, _progress, _weight in entries.values():
            status_counts[status_id] += 1
        goal.aggregate = Aggregate(
            entry_count=len(entries),
            status_counts=dict(status_counts),
            progress=tree.weighted_progress([(progress, weight) for _status, progress, weight in entries.values()]),
        )


class GoalOverviewBlock(blocks.StructBlock):
    # Renders catalogue data in the page's language (see cms_tags.source_words).
    shows_data = True
    area = ChosenSnippetBlock("catalogue.Area", label=_("Handlungsfeld"))
    show_figures = blocks.BooleanBlock(
        label=_("Zahl der Projekte und Fortschritt zeigen"), required=False, default=True
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        area, goals = None, []
        if value["area"] is not None:
            area, goals = self.area_and_goals(value["area"].pk, active_locale(), value["show_figures"])
        context["area"] = area
        context["goals"] = goals
        context["catalogue_url"] = area and catalogue_url(context.get("request"), active_locale(), area=area.slug)
        return context

    @staticmethod
    def area_and_goals(area_id, locale, with_figures):
        """The area in this language (else as chosen) and the tree of its goals, in one query.

        The rows are the area's translations joined with their goals and, for the figures, the
        entries linked to them. Entries link to the source language's goals, and the editor may
        have chosen either language's area, so figures are gathered by the goals' translation
        keys. As in Goal.objects.with_aggregates(), only live entries in the goal's language
        count, so an entry and its translation count once. Indicators are not shown here.
        """
        fields = ["pk", "locale_id", "code", "title", "slug"]
        fields += [f"goals__{name}" for name in ["pk", "translation_key", "locale_id", "parent_id", "code", "title"]]
        if with_figures:
            fields += [
                f"goals__projects__{name}" for name in ["pk", "live", "locale_id", "status_id", "progress", "weight"]
            ]
        translations = Area.objects.filter(
            translation_key__in=Area.objects.filter(pk=area_id).values("translation_key")
        )
        areas: dict[int, Area] = {}
        goals: dict[int, Goal] = {}
        # Goal translation key -> {entry id: (status id, progress, weight)}
        entries_by_key: defaultdict[str, dict[int, tuple[int | None, int, int]]] = defaultdict(dict)
        for row in translations.values(*fields):
            area = areas.setdefault(
                row["locale_id"],
                Area(pk=row["pk"], locale_id=row["locale_id"], code=row["code"], title=row["title"], slug=row["slug"]),
            )
            if row["goals__pk"] is None:
                continue
            goals.setdefault(
                row["goals__pk"],
                Goal(
                    pk=row["goals__pk"],
                    translation_key=row["goals__translation_key"],
                    locale_id=row["goals__locale_id"],
                    area=area,
                    parent_id=row["goals__parent_id"],
                    code=row["goals__code"],
                    title=row["goals__title"],
                ),
            )
            if (
                with_figures
                and row["goals__projects__live"]
                and row["goals__projects__locale_id"] == row["goals__locale_id"]
            ):
                entries_by_key[row["goals__translation_key"]][row["goals__projects__pk"]] = (
                    row["goals__projects__status_id"],
                    row["goals__projects__progress"],
                    row["goals__projects__weight"],
                )
        if not areas:
            return None, []
        chosen = next(area for area in areas.values() if area.pk == area_id)
        area = areas.get(locale.pk, chosen)
        tree = _goal_tree(goal for goal in goals.values() if goal.area is area)
        if with_figures:
            _add_aggregates(tree, entries_by_key)
        return area, tree

    def get_preview_value(self):
        return self.normalize({"area": Area.objects.order_by("order").first(), "show_figures": True})

    class Meta:
        icon = "list-ol"
        label = _("Ziele eines Handlungsfelds")
        template = "blocks/goal_overview.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Zeigt die Ziele eines Handlungsfelds mit dem aktuellen Stand aus dem Katalog.")


# The catalogue's filter parameter for each of the project list's choosers, and where it comes from.
CATALOGUE_FILTERS: dict[str, tuple[type[Area | Goal | Status | Municipality], str]] = {
    "area": (Area, "slug"),
    "goal": (Goal, "code"),
    "status": (Status, "slug"),
    "municipality": (Municipality, "slug"),
}


class ProjectListBlock(blocks.StructBlock):
    shows_data = True
    area = ChosenSnippetBlock("catalogue.Area", label=_("Handlungsfeld"), required=False)
    goal = ChosenSnippetBlock("catalogue.Goal", label=_("Ziel"), required=False)
    status = ChosenSnippetBlock("catalogue.Status", label=_("Status"), required=False)
    municipality = ChosenSnippetBlock("catalogue.Municipality", label=_("Gemeinde"), required=False)
    max_count = blocks.IntegerBlock(label=_("Höchstens anzeigen"), default=5, min_value=1, max_value=50)

    @staticmethod
    def matching_projects(value, locale):
        """Live entries in this language matching the chosen filters, each once.

        Entries link to the source language's taxonomy and the editor may have chosen either
        language's objects, so filters compare translation keys (goals: codes). The chosen
        objects are subqueries: the list needs no query to look them up.
        """
        projects = Project.objects.filter(live=True, locale=locale)
        goal_links = Project.goals.through.objects
        if value["area"]:
            key = Area.objects.filter(pk=value["area"].pk).values("translation_key")
            projects = projects.filter(pk__in=goal_links.filter(goal__area__translation_key__in=key).values("project"))
        if value["goal"]:
            code = Goal.objects.filter(pk=value["goal"].pk).values("code")
            below = Q(goal__code__in=code) | Q(goal__code__startswith=Concat(Subquery(code), Value(".")))
            projects = projects.filter(pk__in=goal_links.filter(below).values("project"))
        if value["status"]:
            projects = projects.filter(
                status__translation_key__in=Status.objects.filter(pk=value["status"].pk).values("translation_key")
            )
        if value["municipality"]:
            places = Project.municipalities.through.objects.filter(municipality=value["municipality"].pk)
            projects = projects.filter(pk__in=places.values("project"))
        return projects

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        locale = active_locale()
        local_status = Status.objects.filter(translation_key=OuterRef("status__translation_key"), locale=locale)
        # The chosen objects' keys for the link to the catalogue come along on every row.
        keys = {
            f"filter_{name}": Subquery(model.objects.filter(pk=value[name].pk).values(field)[:1])
            for name, (model, field) in CATALOGUE_FILTERS.items()
            if value[name]
        }
        projects = list(
            self.matching_projects(value, locale)
            .annotate(
                total=Window(Count("pk")),
                status_name=Coalesce(Subquery(local_status.values("name")[:1]), F("status__name")),
                **keys,
            )
            .only("code", "title", "traffic_light", "progress")
            .order_by("code")[: value["max_count"]]
        )
        context["projects"] = projects
        context["total"] = projects[0].total if projects else 0
        context["catalogue_url"] = projects and catalogue_url(
            context.get("request"),
            locale,
            **{name: getattr(projects[0], f"filter_{name}", None) for name in CATALOGUE_FILTERS},
        )
        return context

    def get_preview_value(self):
        return self.normalize(
            {
                "area": Area.objects.order_by("order").first(),
                "goal": None,
                "status": None,
                "municipality": None,
                "max_count": 5,
            }
        )

    class Meta:
        icon = "list-ul"
        label = _("Projektliste")
        template = "blocks/project_list.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Zeigt veröffentlichte Projekte aus dem Katalog, gefiltert nach Feld, Ziel, Status oder Ort.")


class ChapterStreamBlock(BaseStreamBlock):
    """The body of a strategy chapter: every shared block plus the live views of the catalogue."""

    goal_overview = GoalOverviewBlock()
    project_list = ProjectListBlock()


# The home page's key figures may also count how far the catalogue has come (catalogue.public.figures).
OVERVIEW_FIGURES = [
    *COUNTED_FIGURES,
    ("finished", _("Zahl der abgeschlossenen Einträge")),
    ("in_progress", _("Zahl der laufenden Einträge (in Planung oder Umsetzung)")),
    ("investment", _("Geschätzte Kosten aller Einträge (Euro)")),
]


class OverviewFigureBlock(KeyFigureBlock):
    count = blocks.ChoiceBlock(
        choices=OVERVIEW_FIGURES,
        required=False,
        label=_("Zahl aus den Daten"),
        help_text=_("Statt einer getippten Zahl die aktuelle Zahl aus dem Projektkatalog, in der Sprache der Seite."),
    )


class OverviewFiguresBlock(KeyFiguresBlock):
    figures = blocks.ListBlock(OverviewFigureBlock(), label=_("Kennzahlen"), min_num=1)


class OverviewBlock(blocks.StructBlock):
    """A section of the home page's overview: a heading (h2) over figures read from the data."""

    shows_data = True
    heading = blocks.CharBlock(label=_("Überschrift"), max_length=160)

    class Meta:
        preview_template = PREVIEW_TEMPLATE


class AreaCardsBlock(OverviewBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["cards"] = overview.area_cards(context.get("request"), active_locale())
        return context

    class Meta:
        icon = "table"
        label = _("Handlungsfelder als Karten")
        template = "home/blocks/area_cards.html"
        description = _(
            "Jedes Handlungsfeld als Karte: Zahl der Ziele und Einträge, Stand der Umsetzung und Fortschritt."
        )
        preview_value = {"heading": "Handlungsfelder"}


class LatestReportsBlock(OverviewBlock):
    count = blocks.IntegerBlock(label=_("Anzahl"), default=4, min_value=1, max_value=12)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        locale = active_locale()
        context["reports"] = overview.latest_reports(context.get("request"), locale, value["count"])
        # Reports are synchronised into translations: their texts stay in the source language.
        source = default_locale()
        context["text_lang"] = "" if locale.pk == source.pk else source.language_code
        return context

    class Meta:
        icon = "doc-full"
        label = _("Neueste Statusberichte")
        template = "home/blocks/latest_reports.html"
        description = _("Die neuesten veröffentlichten Statusberichte aus dem Projektkatalog.")
        preview_value = {"heading": "Neueste Berichte", "count": 4}


class UpcomingDialoguesBlock(OverviewBlock):
    count = blocks.IntegerBlock(label=_("Anzahl"), default=3, min_value=1, max_value=12)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["dialogues"] = overview.upcoming_dialogues(context.get("request"), active_locale(), value["count"])
        return context

    class Meta:
        icon = "date"
        label = _("Nächste Zukunftsdialoge")
        template = "home/blocks/upcoming_dialogues.html"
        description = _("Die nächsten öffentlichen Zukunftsdialoge mit Datum und Ort.")
        preview_value = {"heading": "Nächste Zukunftsdialoge", "count": 3}


class MunicipalityPickerBlock(OverviewBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=300, required=False)
    button = blocks.CharBlock(label=_("Beschriftung der Schaltfläche"), max_length=60)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        locale = active_locale()
        context["action"] = overview.catalogue_url(context.get("request"), locale)
        context["municipalities"] = overview.municipalities(locale) if context["action"] else []
        context["parameter"] = "municipality"
        return context

    class Meta:
        icon = "site"
        label = _("Gemeinde wählen")
        template = "home/blocks/municipality_picker.html"
        description = _("Auswahl einer Gemeinde, die zum danach gefilterten Projektkatalog führt.")
        preview_value = {
            "heading": "Was passiert in meiner Gemeinde?",
            "text": "",
            "button": "Projekte anzeigen",
        }


class HomeStreamBlock(BaseStreamBlock):
    """The home page's body: every shared block plus the overview of where the strategy stands."""

    key_figures = OverviewFiguresBlock()
    area_cards = AreaCardsBlock()
    latest_reports = LatestReportsBlock()
    upcoming_dialogues = UpcomingDialoguesBlock()
    municipality_picker = MunicipalityPickerBlock()
