"""One catalogue entry's public page: its relations, report history, indicators and related entries.

A live entry's relations come from one UNION query, cached per data version; its indicators
from one more. A preview builds the same payload from the unsaved entry.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import CharField, DateField, IntegerField, Q, TextField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from wagtail.models import Locale, Page

from catalogue.models import (
    Indicator,
    Project,
    ProjectDocument,
    ProjectLink,
    StatusReport,
    TrafficLight,
    code_sort_key,
)
from cms import cache

from .options import Lookup, Option
from .query import base_queryset, code_candidates, code_token, entry_path, page_locale

RELATED_LIMIT = 6
ENTRY_TIMEOUT = cache.HOUR
RELATION_KINDS = ("goal", "theme", "department", "municipality", "funding", "indicator", "sdg")


class RelationRow(NamedTuple):
    """One row of the entry's UNION: a relation (kind and id) or a history row with its values."""

    kind: str
    pk: int
    date: datetime.date | None
    number: int | None
    status_id: int | None
    text_a: str | None
    text_b: str | None
    text_c: str | None


@dataclass
class EntryRelations:
    ids: dict[str, list[int]] = field(default_factory=lambda: {kind: [] for kind in RELATION_KINDS})
    reports: list[RelationRow] = field(default_factory=list)
    links: list[RelationRow] = field(default_factory=list)
    documents: list[RelationRow] = field(default_factory=list)
    related: list[RelationRow] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: list[RelationRow]) -> "EntryRelations":
        relations = cls()
        history = {
            "report": relations.reports,
            "link": relations.links,
            "document": relations.documents,
            "related": relations.related,
        }
        for row in rows:
            if row.kind in history:
                history[row.kind].append(row)
            else:
                relations.ids.setdefault(row.kind, []).append(row.pk)
        return relations


@dataclass(frozen=True)
class Measurement:
    date: datetime.date
    year: int
    value: Decimal


@dataclass
class IndicatorSeries:
    """An indicator in the active language where translated, with its values in date order."""

    pk: int
    title: str
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    source: str
    values: list[Measurement] = field(default_factory=list)
    # The title's language where no translation exists and the source's is shown.
    lang: str = ""


@dataclass(frozen=True)
class ReportItem:
    pk: int | None
    date: datetime.date
    progress: int
    status: Option | None
    traffic_light: str
    light_label: str
    text: str
    period: str


@dataclass(frozen=True)
class LinkItem:
    title: str
    url: str
    extension: str = ""


@dataclass(frozen=True)
class RelatedItem:
    code: str
    title: str
    url: str


@dataclass(frozen=True)
class SdgGroup:
    """One SDG with the entry's targets in it, for the icon and its list."""

    goal: Option
    icon: str
    targets: list[Option]


def sdg_groups(lookup: Lookup, target_ids: list[int]) -> list[SdgGroup]:
    """Targets grouped under their goals, in the goals' and targets' order."""
    chosen = set(target_ids)
    groups = []
    for goal in lookup.options["sdg"]:
        targets = [
            option
            for option in lookup.options["sdg_target"]
            if option.parent_id == goal.first_id and option.first_id in chosen
        ]
        if targets:
            groups.append(SdgGroup(goal=goal, icon=f"img/sdg/sdg-{int(goal.key):02d}.svg", targets=targets))
    return groups


@dataclass(frozen=True)
class GoalPathItem:
    area: Option | None
    path: list[Option]


def find_entry(page: Page, token: str) -> Project | None:
    candidates = code_candidates(token)
    if not candidates:
        return None
    return base_queryset(page_locale(page)).filter(code__in=candidates).select_related("image").order_by("code").first()


def _relation_rows(project: Project) -> list[RelationRow]:
    """Relations, reports, links, documents and related entries of an entry in one query.

    A padded UNION ALL with the columns of `RelationRow`.
    """
    text = CharField()
    # Typed NULLs: PostgreSQL takes a UNION's column types from the first SELECT and will not
    # match an untyped NULL (text) with the reports' dates.
    null_text = Cast(Value(None), TextField())
    null_date = Cast(Value(None), DateField())
    null_number = Cast(Value(None), IntegerField())

    def kind(name: str) -> Value:
        return Value(name, output_field=text)

    parts = []
    for name, relation, column in [
        ("goal", "goals", "goal_id"),
        ("theme", "themes", "theme_id"),
        ("department", "partner_departments", "department_id"),
        ("municipality", "municipalities", "municipality_id"),
        ("funding", "funding_programmes", "fundingprogramme_id"),
        ("sdg", "sdg_targets", "sdgtarget_id"),
    ]:
        through = getattr(Project, relation).through.objects.filter(project_id=project.pk)
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
    rows = [RelationRow(*row) for row in first.union(*rest, all=True)]
    # Entries sharing a goal can run into the thousands; the page shows the first few by number,
    # so only those are kept (and cached).
    related = sorted((row for row in rows if row.kind == "related"), key=lambda row: code_sort_key(row.text_a or ""))
    return [row for row in rows if row.kind != "related"] + related[:RELATED_LIMIT]


def live_relations(project: Project) -> EntryRelations:
    # Its own reports and links, and other entries' numbers and titles (the structure): kept while
    # other entries only report (`cms.cache.entry_versioned`).
    rows = cache.entry_versioned(
        "catalogue:entry", project.pk, build=lambda: _relation_rows(project), timeout=ENTRY_TIMEOUT
    )
    return EntryRelations.from_rows(rows)


def preview_relations(project: Project) -> EntryRelations:
    """The same payload from an unsaved entry (a preview), read from its in-memory relations."""
    relations = EntryRelations()
    relations.ids.update(
        {
            "goal": [goal.pk for goal in project.goals.all()],
            "theme": [theme.pk for theme in project.themes.all()],
            "department": [department.pk for department in project.partner_departments.all()],
            "municipality": [place.pk for place in project.municipalities.all()],
            "funding": [programme.pk for programme in project.funding_programmes.all()],
            "sdg": [target.pk for target in project.sdg_targets.all()],
        }
    )
    relations.reports = [
        RelationRow(
            "report", report.pk, report.date, report.progress, report.status_id, report.traffic_light, report.text, ""
        )
        for report in project.reports.all()
    ]
    relations.links = [
        RelationRow("link", link.pk, None, 0, None, link.title, link.url, None) for link in project.links.all()
    ]
    return relations


def cached_indicators(project: Project, ids: list[int], locale: Locale) -> list[IndicatorSeries]:
    return cache.entry_versioned(
        "catalogue:indicators", project.pk, locale.pk, build=lambda: indicators(ids, locale), timeout=ENTRY_TIMEOUT
    )


def indicators(ids: list[int], locale: Locale) -> list[IndicatorSeries]:
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
    found: dict[tuple[Any, int], IndicatorSeries] = {}
    for pk, key, locale_id, title, unit, direction, base, base_year, target, target_year, source, date, value in rows:
        series = found.setdefault(
            (key, locale_id),
            IndicatorSeries(pk, title, unit, direction, base, base_year, target, target_year, source),
        )
        if date is not None:
            series.values.append(Measurement(date=date, year=date.year, value=value))
    chosen: dict[Any, IndicatorSeries] = {}
    for (key, locale_id), series in found.items():
        if key not in chosen or locale_id == locale.pk:
            chosen[key] = series
            series.lang = "" if locale_id == locale.pk else settings.LANGUAGE_CODE
    return sorted(chosen.values(), key=lambda series: series.title)


def _order(row: RelationRow) -> tuple[int, int]:
    return (row.number or 0, row.pk)


def _labels(lookup: Lookup, facet: str, ids: list[int]) -> list[Option]:
    return [lookup.by_id[facet][pk] for pk in ids if pk in lookup.by_id[facet]]


def entry_context(project: Project, lookup: Lookup, *, base_url: str, preview: bool = False) -> dict[str, Any]:
    """Everything the entry template shows, for a live entry or an unsaved preview."""
    relations = preview_relations(project) if preview else live_relations(project)
    ids = relations.ids

    goal_paths = []
    for goal_id in sorted(ids.get("goal", []), key=lambda pk: getattr(lookup.by_id["goal"].get(pk), "key", "")):
        area, path = lookup.goal_path(goal_id)
        if path:
            goal_paths.append(GoalPathItem(area=area, path=path))

    lights: dict[str | None, Any] = dict(TrafficLight.choices)
    reports = sorted(
        (
            ReportItem(
                pk=row.pk,
                date=row.date,
                progress=row.number or 0,
                status=lookup.by_id["status"].get(row.status_id),
                traffic_light=row.text_a or "",
                light_label=str(lights.get(row.text_a, row.text_a)),
                text=row.text_b or "",
                period=row.text_c or "",
            )
            for row in relations.reports
            if row.date is not None
        ),
        key=lambda report: report.date,
        reverse=True,
    )
    links = [LinkItem(title=row.text_a or "", url=row.text_b or "") for row in sorted(relations.links, key=_order)]
    documents = []
    for row in sorted(relations.documents, key=_order):
        file = row.text_c or ""
        documents.append(
            LinkItem(
                title=row.text_a or row.text_b or "",
                url=reverse("wagtaildocs_serve", args=[row.pk, file.rsplit("/", 1)[-1]]),
                extension=file.rsplit(".", 1)[-1].upper() if "." in file else "",
            )
        )
    related = [
        RelatedItem(
            code=row.text_a or "",
            title=row.text_b or "",
            url=entry_path(base_url, row.text_a or "", row.text_b or "", row.text_c or ""),
        )
        for row in sorted(relations.related, key=lambda row: code_sort_key(row.text_a or ""))[:RELATED_LIMIT]
    ]
    return {
        "project": project,
        "goal_paths": goal_paths,
        "themes": _labels(lookup, "theme", ids.get("theme", [])),
        "status": lookup.by_id["status"].get(project.status_id),
        "lead": lookup.by_id["department"].get(project.lead_department_id),
        "partners": _labels(lookup, "department", ids.get("department", [])),
        "municipalities": sorted(_labels(lookup, "municipality", ids.get("municipality", [])), key=lambda o: o.label),
        "programmes": _labels(lookup, "funding", ids.get("funding", [])),
        "sdgs": sdg_groups(lookup, ids.get("sdg", [])),
        "reports": reports,
        "links": links,
        "documents": documents,
        "indicators": [] if preview else cached_indicators(project, ids.get("indicator", []), lookup.locale),
        "related": related,
        "catalogue_url": base_url,
        "feed_url": f"{base_url}feed/eintrag/{code_token(project.code)}/" if base_url else "",
        "relation_ids": ids,
    }
