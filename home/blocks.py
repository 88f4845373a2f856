"""Blocks only the strategy's pages use. Unlike cms.blocks they may reach into the catalogue."""

from django.apps import apps
from django.db.models import Q
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.models import Locale
from wagtail.snippets.blocks import SnippetChooserBlock

from catalogue.models import Area, Goal, Project, Status, code_sort_key
from cms.blocks import PREVIEW_TEMPLATE, BaseStreamBlock


def active_locale(context):
    """The active Locale, looked up once per request however many blocks ask."""
    request = context.get("request")
    locale = getattr(request, "_home_active_locale", None)
    if locale is None:
        locale = Locale.get_active()
        if request is not None:
            request._home_active_locale = locale
    return locale


def catalogue_url(request, locale, **filters):
    """The public catalogue in the active language with these filters, or None without one.

    The catalogue page is the catalogue engineer's; until it exists there is nothing to link to.
    """
    try:
        index_page = apps.get_model("catalogue", "CatalogueIndexPage")
    except LookupError:
        return None
    page = index_page.objects.live().public().filter(locale=locale).first()
    if page is None:
        return None
    query = urlencode({key: value for key, value in filters.items() if value})
    return page.get_url(request=request) + (f"?{query}" if query else "")


def _goal_tree(goals):
    """Nest goals under their parents (each with `.subgoals`) in code order."""
    goals = sorted(goals, key=lambda goal: code_sort_key(goal.code))
    by_pk = {goal.pk: goal for goal in goals}
    roots = []
    for goal in goals:
        goal.subgoals = []
    for goal in goals:
        parent = by_pk.get(goal.parent_id)
        (parent.subgoals if parent else roots).append(goal)
    return roots


class GoalOverviewBlock(blocks.StructBlock):
    area = SnippetChooserBlock("catalogue.Area", label=_("Handlungsfeld"))
    show_figures = blocks.BooleanBlock(
        label=_("Zahl der Projekte und Fortschritt zeigen"), required=False, default=True
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        area = value["area"]
        goals = []
        if area is not None:
            # The chosen area may be the German one on an English page whose translation has no
            # own reference; the goals are looked up in the active language by translation key.
            active = active_locale(context)
            if area.locale_id != active.pk:
                area = Area.objects.filter(translation_key=area.translation_key, locale=active).first() or area
            found = Goal.objects.filter(area=area)
            goals = found.with_aggregates() if value["show_figures"] else list(found)
        context["area"] = area
        context["goals"] = _goal_tree(goals)
        context["catalogue_url"] = area and catalogue_url(
            context.get("request"), active_locale(context), area=area.slug
        )
        return context

    def get_preview_value(self):
        return self.normalize({"area": Area.objects.order_by("order").first(), "show_figures": True})

    class Meta:
        icon = "list-ol"
        label = _("Ziele eines Handlungsfelds")
        template = "blocks/goal_overview.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Zeigt die Ziele eines Handlungsfelds mit dem aktuellen Stand aus dem Katalog.")


class ProjectListBlock(blocks.StructBlock):
    area = SnippetChooserBlock("catalogue.Area", label=_("Handlungsfeld"), required=False)
    goal = SnippetChooserBlock("catalogue.Goal", label=_("Ziel"), required=False)
    status = SnippetChooserBlock("catalogue.Status", label=_("Status"), required=False)
    municipality = SnippetChooserBlock("catalogue.Municipality", label=_("Gemeinde"), required=False)
    max_count = blocks.IntegerBlock(label=_("Höchstens anzeigen"), default=5, min_value=1, max_value=50)

    def matching_projects(self, value, locale):
        projects = Project.objects.filter(live=True, locale=locale)
        # Entries link to the source-language taxonomy, so filters compare translation keys.
        if value["area"]:
            projects = projects.filter(goals__area__translation_key=value["area"].translation_key)
        if value["goal"]:
            code = value["goal"].code
            projects = projects.filter(Q(goals__code=code) | Q(goals__code__startswith=f"{code}."))
        if value["status"]:
            projects = projects.filter(status__translation_key=value["status"].translation_key)
        if value["municipality"]:
            projects = projects.filter(municipalities=value["municipality"])
        return projects.distinct()

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        locale = active_locale(context)
        matching = self.matching_projects(value, locale)
        projects = list(matching.select_related("status").order_by("code")[: value["max_count"]])
        # Status names in the active language, in one query for the whole list when needed.
        foreign = {project.status.translation_key for project in projects if project.status} - {
            project.status.translation_key
            for project in projects
            if project.status and project.status.locale_id == locale.pk
        }
        names = dict(
            Status.objects.filter(translation_key__in=foreign, locale=locale).values_list("translation_key", "name")
            if foreign
            else []
        )
        for project in projects:
            project.status_name = project.status and names.get(project.status.translation_key, project.status.name)
        context["projects"] = projects
        context["total"] = matching.count() if len(projects) == value["max_count"] else len(projects)
        context["catalogue_url"] = catalogue_url(
            context.get("request"),
            locale,
            area=value["area"] and value["area"].slug,
            goal=value["goal"] and value["goal"].code,
            status=value["status"] and value["status"].slug,
            municipality=value["municipality"] and value["municipality"].slug,
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
