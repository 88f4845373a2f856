"""The public catalogue: request validation, the filtered list, entry details, goal views.

`CatalogueIndexPage` routes to these functions; they take the page and the request and
return context or responses. Every lookup of taxonomy labels goes through the cached
`Lookup`, so a page costs a fixed number of queries however many entries it shows.
"""

import unicodedata
from collections import defaultdict

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import CharField, DateField, IntegerField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.locales import locales_by_code

from .facets import (
    DEFAULT_SORT,
    FACET_NAMES,
    FACETS,
    MAX_QUERY_LENGTH,
    MAX_VALUES_PER_FACET,
    SORTS,
    Lookup,
    ProjectFilterSet,
    data_version,
)
from .models import Goal, Indicator, Project, ProjectDocument, ProjectLink, StatusReport, TrafficLight, code_sort_key

PER_PAGE = 20
MAX_PARAMETERS = 300
RELATED_LIMIT = 6
KNOWN_PARAMETERS = {*FACET_NAMES, "q", "sort", "page", "county_wide"}
LIST_COLUMNS = (
    "code",
    "title",
    "slug",
    "summary",
    "status_id",
    "traffic_light",
    "progress",
    "lead_department_id",
    "last_report_date",
)


def code_token(code):
    """The entry's number as a URL segment: Wagtail's page URLs allow no dots."""
    return code.replace(".", "-")


def code_candidates(token, limit=8):
    """Codes that give `token`: each hyphen was a dot or a hyphen."""
    if not token or len(token) > 40 or token.count("-") > limit:
        return []
    candidates = [""]
    for char in token:
        candidates = [prefix + variant for prefix in candidates for variant in ((".", "-") if char == "-" else (char,))]
    return candidates


def _clean_text(value):
    value = unicodedata.normalize("NFC", value.replace("\x00", ""))
    return "".join(char for char in value if unicodedata.category(char)[0] != "C" or char in "\t ")


def parse_query(request, lookup):
    """Validate the GET parameters: returns (clean QueryDict, notes for the visitor).

    Unknown values are dropped with a note; a request with absurd numbers of parameters is
    answered with 400, since no form of ours can produce it.
    """
    data = request.GET
    if sum(len(values) for values in data.lists()) > MAX_PARAMETERS:
        raise BadRequest(_("Zu viele Parameter."))
    clean = QueryDict(mutable=True)
    notes = []
    labels = dict(FACETS)
    for name in FACET_NAMES:
        values = data.getlist(name)
        if len(values) > MAX_VALUES_PER_FACET:
            raise BadRequest(_("Zu viele Werte für einen Filter."))
        known = lookup.by_key[name]
        kept = []
        for value in values:
            value = value.strip()
            if not value or value in kept:
                continue
            if value in known and "\x00" not in value:
                kept.append(value)
            else:
                shown = _clean_text(value)[:40] or "?"
                notes.append(
                    _("Den Wert „%(value)s“ für „%(facet)s“ gibt es nicht; er wurde nicht berücksichtigt.")
                    % {"value": shown, "facet": labels[name]}
                )
        if kept:
            clean.setlist(name, kept)
    query = _clean_text(data.get("q", "")).strip()
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notes.append(_("Der Suchbegriff war zu lang und wurde gekürzt."))
    if query:
        clean["q"] = query
    if data.get("county_wide") in ("1", "on", "true"):
        clean["county_wide"] = "1"
    sort = data.get("sort", "")
    if sort and sort in SORTS and sort != DEFAULT_SORT:
        clean["sort"] = sort
    elif sort and sort not in SORTS:
        notes.append(_("Diese Sortierung gibt es nicht; die Liste ist nach Nummer sortiert."))
    page = data.get("page", "")
    if page:
        if page.isascii() and page.isdigit() and len(page) <= 6 and int(page) >= 1:
            clean["page"] = str(int(page))
        else:
            notes.append(_("Die Seitenzahl war ungültig; gezeigt wird die erste Seite."))
    return clean, notes


class KnownCountPaginator(Paginator):
    """A paginator told the total, which the facet query has counted already."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def page_locale(page):
    """The page's locale from the shared locale cache, without a query."""
    for locale in locales_by_code().values():
        if locale.pk == page.locale_id:
            return locale
    return page.locale


def base_queryset(locale):
    return Project.objects.filter(live=True, locale=locale)


def filtered(page, request):
    """The validated filter set over the page's entries, with notes; for list, exports and feed."""
    lookup = Lookup(page_locale(page))
    data, notes = parse_query(request, lookup)
    filterset = ProjectFilterSet(data, base_queryset(page_locale(page)), lookup=lookup)
    if not filterset.is_valid():
        raise BadRequest(_("Ungültige Filter."))
    return filterset, data, notes


def sorted_queryset(filterset, data):
    return filterset.qs.order_by(*SORTS[data.get("sort", DEFAULT_SORT)][1])


def first_goal():
    """The entry's first goal by number, as a subquery: names the row's area without another query."""
    links = Project.goals.through.objects.filter(project_id=OuterRef("pk")).order_by("goal__code")
    return Subquery(links.values("goal_id")[:1])


def entry_url(base_url, project):
    return entry_path(base_url, project.code, project.title, project.slug)


def entry_path(base_url, code, title, slug):
    return f"{base_url}eintrag/{code_token(code)}/{slug or slugify(title) or 'eintrag'}/"


def _querystring(data, **changes):
    query = data.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, value if isinstance(value, list) else [value])
    query.pop("page", None) if "page" not in changes else None
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def list_context(page, request):
    filterset, data, notes = filtered(page, request)
    lookup = filterset.lookup
    counts = filterset.facet_counts()
    total = counts["_total"]
    # Plain rows of the columns the cards show: no model instances, no long descriptions.
    paginator = KnownCountPaginator(
        sorted_queryset(filterset, data).annotate(first_goal_id=first_goal()).values(*LIST_COLUMNS, "first_goal_id"),
        PER_PAGE,
        total,
    )
    number = int(data.get("page", 1))
    if number > paginator.num_pages:
        if total:
            notes.append(
                _("Seite %(number)s gibt es nicht; gezeigt wird die letzte Seite.") % {"number": min(number, 999999)}
            )
        number = paginator.num_pages
    results = paginator.page(number)
    base_url = page.get_url(request)
    lights = {option["key"]: option["label"] for option in lookup.options["traffic_light"]}

    def cards():
        return [
            {
                "project": row,
                "url": entry_path(base_url, row["code"], row["title"], row["slug"]),
                "status": lookup.by_id["status"].get(row["status_id"]),
                "light": lights.get(row["traffic_light"], row["traffic_light"]),
                "department": lookup.by_id["department"].get(row["lead_department_id"]),
                "area": lookup.by_id["area"].get(lookup.area_of_goal.get(row["first_goal_id"])),
            }
            for row in results.object_list
        ]

    # Asked for only when the template renders the results, so a cached fragment skips the query.
    entries = SimpleLazyObject(cards)

    active = filterset.active()
    facets = []
    for name, label in FACETS:
        selected = active.get(name, [])
        options = []
        for option in lookup.options[name]:
            count = counts[name].get(option["key"], 0)
            checked = option["key"] in selected
            if not count and not checked:
                continue
            options.append(
                {
                    "key": option["key"],
                    "label": option["label"],
                    "count": count,
                    "checked": checked,
                    "depth": option.get("depth", 1),
                }
            )
        facets.append(
            {"name": name, "label": label, "options": options, "open": bool(selected), "selected": len(selected)}
        )
    chips = []
    for name, label in FACETS:
        for key in active.get(name, []):
            remaining = [value for value in active[name] if value != key]
            chips.append(
                {
                    "facet": label,
                    "label": lookup.by_key[name][key]["label"],
                    "url": _querystring(data, **{name: remaining or None}),
                }
            )
    if data.get("q"):
        chips.append({"facet": _("Suchbegriff"), "label": data["q"], "url": _querystring(data, q=None)})
    selected_values = sum(len(values) for values in active.values()) + (1 if data.get("q") else 0)
    query = data.copy()
    query.pop("page", None)
    export_query = f"?{query.urlencode()}" if query else ""
    sort = data.get("sort", DEFAULT_SORT)
    return {
        "filterset": filterset,
        "facets": facets,
        "results": results,
        "entries": entries,
        "total": total,
        "notes": notes,
        "chips": chips,
        "query": data.get("q", ""),
        "county_wide": bool(data.get("county_wide")),
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()],
        "sort": sort,
        "noindex": selected_values > 1 or "page" in data or "sort" in data,
        "canonical_query": f"?{data.urlencode()}" if selected_values == 1 and not data.get("q") else "",
        "export_query": export_query,
        "base_url": base_url,
        "page_query": _page_query(data),
        # Keys of the cached facet and result fragments of the template: what they show
        # follows from the selection, the sort, the page number and the page's address.
        "facets_key": filterset.selection_key(),
        "results_key": f"{filterset.selection_key()}:{sort}:{results.number}:{base_url}",
    }


def _page_query(data):
    query = data.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


def find_entry(page, token):
    candidates = code_candidates(token)
    if not candidates:
        return None
    return base_queryset(page_locale(page)).filter(code__in=candidates).select_related("image").order_by("code").first()


ENTRY_TIMEOUT = 60 * 60


def _entry_rows(project):
    """Relations, reports, links, documents and related entries of an entry in one query.

    A padded UNION ALL with the columns (kind, id, date, number, status id, three texts),
    cached until catalogue data changes.
    """
    key = f"catalogue:entry:{project.pk}:{data_version()}"
    rows = cache.get(key)
    if rows is not None:
        return rows
    text = CharField()
    # Typed NULLs: PostgreSQL takes a UNION's column types from the first SELECT and will not
    # match an untyped NULL (text) with the reports' dates.
    null_text = Cast(Value(None), TextField())
    null_date = Cast(Value(None), DateField())
    null_number = Cast(Value(None), IntegerField())

    def kind(name):
        return Value(name, output_field=text)

    parts = []
    for name, field, column in [
        ("goal", "goals", "goal_id"),
        ("theme", "themes", "theme_id"),
        ("department", "partner_departments", "department_id"),
        ("municipality", "municipalities", "municipality_id"),
        ("funding", "funding_programmes", "fundingprogramme_id"),
    ]:
        through = getattr(Project, field).through.objects.filter(project_id=project.pk)
        parts.append(
            through.values_list(
                kind(name), column, null_date, null_number, null_number, null_text, null_text, null_text
            )
        )
    parts.append(
        Indicator.projects.through.objects.filter(project_id=project.pk).values_list(
            kind("indicator"), "indicator_id", null_date, null_number, null_number, null_text, null_text, null_text
        )
    )
    parts.append(
        StatusReport.objects.filter(project_id=project.pk).values_list(
            kind("report"), "pk", "date", "progress", "status_id", "traffic_light", "text", "reporting_period"
        )
    )
    parts.append(
        ProjectLink.objects.filter(project_id=project.pk).values_list(
            kind("link"), "pk", null_date, "sort_order", null_number, "title", "url", null_text
        )
    )
    parts.append(
        ProjectDocument.objects.filter(project_id=project.pk).values_list(
            kind("document"),
            "document_id",
            null_date,
            "sort_order",
            null_number,
            "title",
            "document__title",
            "document__file",
        )
    )
    shared = Project.goals.through.objects.filter(
        goal_id__in=Project.goals.through.objects.filter(project_id=project.pk).values("goal_id")
    ).values("project_id")
    parts.append(
        Project.objects.filter(live=True, locale_id=project.locale_id, pk__in=shared)
        .exclude(pk=project.pk)
        .values_list(kind("related"), "pk", null_date, null_number, null_number, "code", "title", "slug")
    )
    first, *rest = [part.order_by() for part in parts]
    rows = list(first.union(*rest, all=True))
    # Entries sharing a goal can run into the thousands; the page shows the first few by number,
    # so only those are kept (and cached).
    related = sorted((row for row in rows if row[0] == "related"), key=lambda row: code_sort_key(row[5]))
    rows = [row for row in rows if row[0] != "related"] + related[:RELATED_LIMIT]
    cache.set(key, rows, ENTRY_TIMEOUT)
    return rows


def _split_rows(rows):
    ids = defaultdict(list)
    history = {"report": [], "link": [], "document": [], "related": []}
    for kind, pk, date, number, status_id, text_a, text_b, text_c in rows:
        if kind in history:
            history[kind].append((pk, date, number, status_id, text_a, text_b, text_c))
        else:
            ids[kind].append(pk)
    return ids, history


def _cached_indicators(project, ids, locale):
    key = f"catalogue:indicators:{project.pk}:{locale.pk}:{data_version()}"
    found = cache.get(key)
    if found is None:
        found = _indicators(ids, locale)
        cache.set(key, found, ENTRY_TIMEOUT)
    return found


def _indicators(ids, locale):
    """Indicators (in the active language where translated) with their values, in one query."""
    if not ids:
        return []
    rows = (
        Indicator.objects.filter(
            Q(pk__in=ids)
            | Q(translation_key__in=Indicator.objects.filter(pk__in=ids).values("translation_key"), locale=locale)
        )
        .order_by("title", "values__date")
        .values_list(
            "pk",
            "translation_key",
            "locale_id",
            "title",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "source",
            "values__date",
            "values__value",
        )
    )
    found = {}
    for pk, key, locale_id, title, unit, direction, base, base_year, target, target_year, source, date, value in rows:
        item = found.setdefault(
            (key, locale_id),
            {
                "pk": pk,
                "title": title,
                "unit": unit,
                "direction": direction,
                "baseline_value": base,
                "baseline_year": base_year,
                "target_value": target,
                "target_year": target_year,
                "source": source,
                "values": [],
            },
        )
        if date is not None:
            item["values"].append({"date": date, "year": date.year, "value": value})
    chosen = {}
    for (key, locale_id), item in found.items():
        if key not in chosen or locale_id == locale.pk:
            chosen[key] = item
    return sorted(chosen.values(), key=lambda item: item["title"])


def entry_context(project, lookup, *, base_url, preview=False):
    """Everything the entry template shows, for a live entry or an unsaved preview."""
    if preview:
        ids = {
            "goal": [goal.pk for goal in project.goals.all()],
            "theme": [theme.pk for theme in project.themes.all()],
            "department": [department.pk for department in project.partner_departments.all()],
            "municipality": [place.pk for place in project.municipalities.all()],
            "funding": [programme.pk for programme in project.funding_programmes.all()],
            "indicator": [],
        }
        history = {
            "report": [
                (report.pk, report.date, report.progress, report.status_id, report.traffic_light, report.text, "")
                for report in project.reports.all()
            ],
            "link": [(link.pk, None, 0, None, link.title, link.url, None) for link in project.links.all()],
            "document": [],
            "related": [],
        }
    else:
        ids, history = _split_rows(_entry_rows(project))

    goal_paths = []
    for goal_id in sorted(ids.get("goal", []), key=lambda pk: lookup.by_id["goal"].get(pk, {}).get("key", "")):
        area, path = lookup.goal_path(goal_id)
        if path:
            goal_paths.append({"area": area, "path": path})

    lights = dict(TrafficLight.choices)
    reports = sorted(
        (
            {
                "pk": pk,
                "date": date,
                "progress": progress,
                "status": lookup.by_id["status"].get(status_id),
                "traffic_light": light,
                "light_label": lights.get(light, light),
                "text": text,
                "period": period,
            }
            for pk, date, progress, status_id, light, text, period in history["report"]
        ),
        key=lambda report: report["date"],
        reverse=True,
    )
    links = [{"title": title, "url": url} for _pk, _d, _o, _s, title, url, _c in sorted(history["link"], key=_order)]
    documents = [
        {
            "title": title or document_title,
            "url": reverse("wagtaildocs_serve", args=[pk, file.rsplit("/", 1)[-1]]),
            "extension": file.rsplit(".", 1)[-1].upper() if "." in file else "",
        }
        for pk, _d, _o, _s, title, document_title, file in sorted(history["document"], key=_order)
    ]
    partners = [lookup.by_id["department"][pk] for pk in ids.get("department", []) if pk in lookup.by_id["department"]]
    related = [
        {"code": code, "title": title, "url": entry_path(base_url, code, title, slug)}
        for _pk, _d, _n, _s, code, title, slug in sorted(history["related"], key=lambda row: code_sort_key(row[4]))[
            :RELATED_LIMIT
        ]
    ]
    return {
        "project": project,
        "goal_paths": goal_paths,
        "themes": [lookup.by_id["theme"][pk] for pk in ids.get("theme", []) if pk in lookup.by_id["theme"]],
        "status": lookup.by_id["status"].get(project.status_id),
        "lead": lookup.by_id["department"].get(project.lead_department_id),
        "partners": partners,
        "municipalities": sorted(
            (
                lookup.by_id["municipality"][pk]
                for pk in ids.get("municipality", [])
                if pk in lookup.by_id["municipality"]
            ),
            key=lambda option: option["label"],
        ),
        "programmes": [lookup.by_id["funding"][pk] for pk in ids.get("funding", []) if pk in lookup.by_id["funding"]],
        "reports": reports,
        "links": links,
        "documents": documents,
        "indicators": [] if preview else _cached_indicators(project, ids.get("indicator", []), lookup.locale),
        "related": related,
        "catalogue_url": base_url,
    }


def _order(row):
    return (row[2] or 0, row[0])


def goal_context(page, request, goal):
    """One goal with its sub-goals, aggregates, indicators and a link into the filtered list."""
    lookup = Lookup(page_locale(page))
    subtree = lookup.by_key["goal"][goal.code]["ids"]
    goals = {item.pk: item for item in Goal.objects.filter(pk__in=subtree).with_aggregates()}
    tree = goal_tree([goals[pk] for pk in subtree if pk in goals], lookup)
    area, path = lookup.goal_path(goal.pk)
    return {
        "goal": goals[goal.pk],
        "goal_option": lookup.by_id["goal"][goal.pk],
        "area": area,
        "path": path,
        "tree": tree,
        "statuses": lookup.options["status"],
        "list_url": f"{page.get_url(request)}?goal={goal.code}",
        "goal_url_base": f"{page.get_url(request)}ziel/",
    }


def goal_tree(goals, lookup):
    """Goals nested by parent, each with `.subgoals`, `.option` and status rows for charts."""
    by_pk = {goal.pk: goal for goal in goals}
    roots = []
    for goal in goals:
        goal.subgoals = []
        goal.option = lookup.by_id["goal"].get(goal.pk)
        goal.status_rows = status_rows(goal.aggregate, lookup)
    for goal in goals:
        parent = by_pk.get(goal.parent_id)
        (parent.subgoals if parent else roots).append(goal)
    return roots


def status_rows(aggregate, lookup):
    """Status distribution as rows (label, colour, count, share) in the vocabulary's order."""
    total = aggregate.entry_count or 0
    rows = []
    for option in lookup.options["status"]:
        count = aggregate.status_counts.get(option["ids"][0], 0)
        if count:
            rows.append({"label": option["label"], "colour": option["colour"], "count": count, "share": count / total})
    unreported = aggregate.status_counts.get(None, 0)
    if unreported:
        rows.append(
            {"label": _("noch kein Bericht"), "colour": "#555b61", "count": unreported, "share": unreported / total}
        )
    return rows


def overview_context(page, request):
    """Implementation across all areas: per area its aggregate and status distribution."""
    from .models import Area

    lookup = Lookup(page_locale(page))
    areas = list(Area.objects.filter(pk__in=[option["ids"][0] for option in lookup.options["area"]]))
    aggregates = Area.objects.filter(pk__in=[area.pk for area in areas]).aggregates()
    base_url = page.get_url(request)
    rows = []
    for option in lookup.options["area"]:
        aggregate = aggregates.get(option["ids"][0])
        if aggregate is None:
            continue
        rows.append(
            {
                "option": option,
                "aggregate": aggregate,
                "status_rows": status_rows(aggregate, lookup),
                "list_url": f"{base_url}?area={option['key']}",
            }
        )
    return {"areas": rows, "statuses": lookup.options["status"], "catalogue_url": base_url}
