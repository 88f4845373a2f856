"""Ideas in public: the filterable list with answers, one idea's page, and the form to submit one."""

from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.paginator import Paginator
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from catalogue.models import Area, Goal, Project, Theme, code_sort_key, tree
from catalogue.public.goals import catalogue_page
from catalogue.public.query import entry_path
from cms import cache
from cms.locales import locale_of
from participation import ideas as idea_service
from participation import links, spam
from participation.forms import IdeaForm
from participation.models import Idea, IdeaIndexPage, normalise_email

from .responses import link_gone, link_refused, private_page, too_many

PER_PAGE = 20
EXCERPT_WORDS = 40


@dataclass(frozen=True)
class Choice:
    """A filter or form choice: its key in URLs (slug or number), its label, and its row."""

    key: str
    label: str
    id: int
    area_id: int | None = None
    parent_id: int | None = None
    depth: int = 1


@dataclass(frozen=True)
class TopicOptions:
    areas: list[Choice]
    goals: list[Choice]
    themes: list[Choice]

    def goal(self, pk: int | None) -> Choice | None:
        return next((choice for choice in self.goals if choice.id == pk), None) if pk else None

    def theme(self, pk: int | None) -> Choice | None:
        return next((choice for choice in self.themes if choice.id == pk), None) if pk else None


def _translated(model, locale: Locale, column: str):
    """The row's `column` in `locale` where translated, else its own."""
    translations = model.objects.filter(translation_key=OuterRef("translation_key"), locale=locale)
    return Coalesce(Subquery(translations.values(column)[:1]), F(column), output_field=CharField())


def _area_label(locale: Locale):
    translations = Area.objects.filter(translation_key=OuterRef("area__translation_key"), locale=locale)
    return Coalesce(Subquery(translations.values("title")[:1]), F("area__title"), output_field=CharField())


def _build_options(locale: Locale) -> TopicOptions:
    default = Locale.get_default()
    goals = list(
        Goal.objects.filter(locale=default)
        .annotate(translated_title=_translated(Goal, locale, "title"), area_label=_area_label(locale))
        .values_list(
            "pk",
            "code",
            "translated_title",
            "parent_id",
            "depth",
            "area_id",
            "area__order",
            "area__code",
            "area__slug",
            "area_label",
        )
    )
    goals.sort(key=lambda row: (row[6], code_sort_key(row[7]), code_sort_key(row[1])))
    areas: dict[int, Choice] = {}
    for _pk, _code, _label, _parent, _depth, area_id, _order, area_code, area_slug, area_label in goals:
        areas.setdefault(area_id, Choice(key=area_slug, label=f"{area_code} {area_label}", id=area_id))
    themes = Theme.objects.filter(locale=default).annotate(label=_translated(Theme, locale, "title"))
    return TopicOptions(
        areas=list(areas.values()),
        goals=[
            Choice(key=code, label=f"{code} {label}", id=pk, area_id=area_id, parent_id=parent, depth=depth)
            for pk, code, label, parent, depth, area_id, *_area in goals
        ],
        themes=sorted(
            (Choice(key=slug, label=label, id=pk) for pk, slug, label in themes.values_list("pk", "slug", "label")),
            key=lambda choice: choice.label.casefold(),
        ),
    )


def topic_options(locale: Locale) -> TopicOptions:
    """Areas, goals and themes to file ideas under, in `locale`; cached until catalogue data changes."""
    return cache.versioned("participation:idea-topics", locale.language_code, build=lambda: _build_options(locale))


class IdeaRow(NamedTuple):
    pk: int
    title: str
    text: str
    goal_id: int | None
    theme_id: int | None
    state: str
    answer: str
    answered_at: Any
    submitted_at: Any
    project_code: str | None
    project_slug: str | None
    project_title: str | None
    language: str


@dataclass(frozen=True)
class IdeaItem:
    """An idea as the list and its page show it; `lang` is set where it was written in another language."""

    row: IdeaRow
    url: str
    goal: Choice | None
    theme: Choice | None
    state_label: str
    entry_url: str | None
    lang: str


def _rows(queryset, locale: Locale):
    translated = Project.objects.filter(translation_key=OuterRef("project__translation_key"), locale=locale)
    return queryset.annotate(
        project_label=Coalesce(
            Subquery(translated.values("title")[:1]), F("project__title"), Value(None), output_field=CharField()
        )
    ).values_list(
        "pk",
        "title",
        "text",
        "goal_id",
        "theme_id",
        "state",
        "answer",
        "answered_at",
        "submitted_at",
        "project__code",
        "project__slug",
        "project_label",
        "language",
    )


def _items(rows, page: IdeaIndexPage, request: HttpRequest, options: TopicOptions, locale: Locale) -> list[IdeaItem]:
    base = page.get_url(request)
    catalogue = catalogue_page(locale.pk)
    catalogue_url = catalogue.get_url(request) if catalogue else None
    states = dict(Idea.State.choices)
    items = []
    for values in rows:
        row = IdeaRow(*values)
        link = None
        if catalogue_url and row.project_code:
            link = entry_path(catalogue_url, row.project_code, row.project_title or "", row.project_slug or "")
        items.append(
            IdeaItem(
                row=row,
                url=f"{base}idee/{row.pk}/",
                goal=options.goal(row.goal_id),
                theme=options.theme(row.theme_id),
                state_label=str(states.get(row.state, row.state)),
                entry_url=link,
                lang=row.language if row.language != locale.language_code else "",
            )
        )
    return items


def _filtered(request: HttpRequest, options: TopicOptions) -> tuple[Any, dict[str, str], list[str]]:
    """The public ideas matching the visitor's filters, the filters kept, and notes on values dropped."""
    queryset = Idea.objects.public()
    chosen: dict[str, str] = {}
    notes: list[str] = []
    state = request.GET.get("state", "")
    if state:
        if state in Idea.State.values:
            queryset = queryset.filter(state=state)
            chosen["state"] = state
        else:
            notes.append(_("Diesen Stand gibt es nicht; er wurde nicht berücksichtigt."))
    area_key = request.GET.get("area", "")
    if area_key:
        area = next((choice for choice in options.areas if choice.key == area_key), None)
        if area:
            queryset = queryset.filter(goal__area_id=area.id)
            chosen["area"] = area_key
        else:
            notes.append(_("Dieses Handlungsfeld gibt es nicht; es wurde nicht berücksichtigt."))
    goal_key = request.GET.get("goal", "")
    if goal_key:
        goal = next((choice for choice in options.goals if choice.key == goal_key), None)
        if goal:
            children = tree.children_of((choice.id, choice.parent_id) for choice in options.goals)
            queryset = queryset.filter(goal_id__in=list(tree.subtree(children, goal.id)))
            chosen["goal"] = goal_key
        else:
            notes.append(_("Dieses Ziel gibt es nicht; es wurde nicht berücksichtigt."))
    theme_key = request.GET.get("theme", "")
    if theme_key:
        theme = next((choice for choice in options.themes if choice.key == theme_key), None)
        if theme:
            queryset = queryset.filter(theme_id=theme.id)
            chosen["theme"] = theme_key
        else:
            notes.append(_("Dieses Querschnittsthema gibt es nicht; es wurde nicht berücksichtigt."))
    return queryset, chosen, notes


def _render(page: IdeaIndexPage, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    return TemplateResponse(request, template, {**page.get_context(request), **context}, status=status)


def _page_number(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 6 and int(value) > 0 else 1


def ideas(page: IdeaIndexPage, request: HttpRequest) -> HttpResponse:
    locale = locale_of(page)
    options = topic_options(locale)
    queryset, chosen, notes = _filtered(request, options)
    paginator = Paginator(_rows(queryset.order_by("-submitted_at", "-pk"), locale), PER_PAGE)
    results = paginator.get_page(_page_number(request.GET.get("page", "")))
    query = "&".join(f"{key}={value}" for key, value in chosen.items())
    context = {
        "ideas": _items(results.object_list, page, request, options, locale),
        "results": results,
        "chosen": chosen,
        "notes": notes,
        "options": options,
        "states": Idea.State.choices,
        "page_query": f"{query}&" if query else "",
        "noindex": bool(chosen) or "page" in request.GET,
    }
    return _render(page, request, "participation/idea_index_page.html", context)


def idea(page: IdeaIndexPage, request: HttpRequest, pk: int) -> HttpResponse:
    locale = locale_of(page)
    rows = list(_rows(Idea.objects.public().filter(pk=pk), locale))
    if not rows:
        raise Http404
    options = topic_options(locale)
    item = _items(rows, page, request, options, locale)[0]
    return _render(page, request, "participation/idea_detail.html", {"idea": item, "list_url": page.get_url(request)})


def topic_choices(options: TopicOptions) -> list[tuple[str, list[tuple[str, str]]]]:
    """The form's choices: goals grouped by area, then the themes."""
    groups = []
    for area in options.areas:
        goals = [(f"goal:{goal.key}", goal.label) for goal in options.goals if goal.area_id == area.id]
        if goals:
            groups.append((area.label, goals))
    if options.themes:
        groups.append((_("Querschnittsthemen"), [(f"theme:{theme.key}", theme.label) for theme in options.themes]))
    return groups


def submit_idea(page: IdeaIndexPage, request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    locale = locale_of(page)
    options = topic_options(locale)
    thanks_url = f"{page.get_url(request)}einreichen/danke/"
    status = 200
    if request.method == "POST":
        form = IdeaForm(request.POST, topics=topic_choices(options))
        if form.is_bot():
            # Answered like a person, so the bot learns nothing; nothing is stored.
            return redirect(thanks_url)
        if not spam.allow_ip(request, "idea"):
            return too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            email = normalise_email(data["email"]) if data.get("email") else ""
            if email and not spam.allow_address(email, "idea"):
                return too_many(request)
            kind, _sep, key = data["topic"].partition(":")
            goal = next((choice for choice in options.goals if kind == "goal" and choice.key == key), None)
            theme = next((choice for choice in options.themes if kind == "theme" and choice.key == key), None)
            idea_service.submit(
                title=data["title"],
                text=data["text"],
                goal_id=goal.id if goal else None,
                theme_id=theme.id if theme else None,
                name=data.get("name", ""),
                email=email,
                request=request,
            )
            return redirect(f"{thanks_url}?mail=1" if email else thanks_url)
        status = 400
    else:
        initial = {}
        if request.GET.get("goal"):
            initial["topic"] = f"goal:{request.GET['goal']}"
        form = IdeaForm(initial=initial, topics=topic_choices(options))
    return _render(
        page, request, "participation/idea_form.html", {"form": form, "list_url": page.get_url(request)}, status=status
    )


def thanks(page: IdeaIndexPage, request: HttpRequest) -> HttpResponse:
    return _render(page, request, "participation/idea_thanks.html", {"mail": request.GET.get("mail") == "1"})


@require_http_methods(["GET", "POST"])
def idea_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail after submitting: confirms the address the answer will be sent to."""
    try:
        found = links.find(links.Purpose.CONFIRM_IDEA, token, Idea.objects.all())
    except links.LinkError as error:
        return link_refused(request, error)
    if found is None or not found.email:
        return link_gone(request, _("Zu dieser Idee ist keine E-Mail-Adresse mehr gespeichert."))
    if request.method == "POST":
        idea_service.confirm_email(found, request)
        return redirect(request.path)
    return private_page(request, "participation/idea_confirm.html", {"idea": found})


@require_http_methods(["GET", "POST"])
def idea_forget(request: HttpRequest, token: str) -> HttpResponse:
    """Remove one's name and address from an idea; the idea and its answer stay public."""
    try:
        found = links.find(links.Purpose.FORGET_IDEA_ADDRESS, token, Idea.objects.all())
    except links.LinkError as error:
        return link_refused(request, error)
    if found is None:
        return link_gone(request, _("Diese Idee gibt es nicht mehr."))
    if request.method == "POST":
        idea_service.forget_address(found)
        return private_page(request, "participation/idea_forget.html", {"idea": found, "done": True})
    return private_page(request, "participation/idea_forget.html", {"idea": found, "done": not found.email})
