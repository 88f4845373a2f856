"""The catalogue of the fictional Landkreis Lindenau, built from demo/data/{taxonomy,entries,indicators}.yaml.

Every object is looked up by code or slug before it is created, so running it twice changes
nothing. `build_taxonomy` is shared with `seed_catalogue`, which needs the same vocabulary.
"""

import datetime
import html
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, ModelLogEntry, Revision

from catalogue.models import (
    Area,
    Department,
    FundingProgramme,
    Goal,
    Indicator,
    IndicatorValue,
    Municipality,
    Project,
    SdgTarget,
    Status,
    StatusReport,
    Theme,
)
from catalogue.permissions import DEPARTMENT_GROUP_PREFIX
from cms import cache
from demo import data
from demo.translation import translate


def locales() -> tuple[Locale, Locale]:
    return (
        Locale.objects.get_or_create(language_code="de")[0],
        Locale.objects.get_or_create(language_code="en")[0],
    )


def _get_or_create(model: type[models.Model], lookup: dict[str, Any], defaults: dict[str, Any]) -> Any:
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **defaults)
        instance.full_clean()
        instance.save()
    return instance


def _by_key(model: type[models.Model], key: str, specs: list[dict[str, Any]], locale: Locale) -> dict[str, Any]:
    """{spec[key]: object} for plain vocabulary whose fields are named as in the data file."""
    found = {}
    for spec in data.german(specs):
        fields = dict(spec)
        value = fields.pop(key)
        found[value] = _get_or_create(model, {key: value, "locale": locale}, fields)
    return found


def build_taxonomy(locale: Locale) -> dict[str, dict[str, Any]]:
    """Create the strategy's vocabulary in `locale` if missing, and return it by natural key."""
    spec = data.load("taxonomy")
    areas = {}
    for area in data.german(spec["areas"]):
        fields = dict(area)
        code = fields.pop("code")
        areas[code] = _get_or_create(Area, {"code": code, "locale": locale}, {**fields, "order": int(code)})
    goals: dict[str, Goal] = {}
    for order, goal in enumerate(data.german(spec["goals"])):
        goals[goal["code"]] = _get_or_create(
            Goal,
            {"code": goal["code"], "locale": locale},
            {
                "area": areas[goal["code"].split(".")[0]],
                "parent": goals.get(goal.get("parent")),
                "title": goal["title"],
                "order": order,
            },
        )
    themes = _by_key(Theme, "slug", spec["themes"], locale)
    departments: dict[str, Department] = {}
    for department in spec["departments"]:
        fields = dict(department)
        short_name = fields.pop("short_name")
        parent = fields.get("parent")
        fields["parent"] = departments.get(parent) if parent else None
        created = _get_or_create(Department, {"short_name": short_name, "locale": locale}, fields)
        group, _ = Group.objects.get_or_create(name=f"{DEPARTMENT_GROUP_PREFIX}{short_name}")
        created.groups.add(group)
        departments[short_name] = created
    municipalities = {
        place["ags"]: _get_or_create(
            Municipality, {"ags": place["ags"]}, {"name": place["name"], "slug": slugify(place["name"])}
        )
        for place in spec["municipalities"]
    }
    return {
        "areas": areas,
        "goals": goals,
        "themes": themes,
        "departments": departments,
        "municipalities": municipalities,
        "statuses": _by_key(Status, "slug", spec["statuses"], locale),
        "programmes": _by_key(FundingProgramme, "slug", spec["funding_programmes"], locale),
    }


class PublishedEntry(NamedTuple):
    """An entry saved as published, with the content of its revision and the moment it went live."""

    entry: Project
    content: dict[str, Any]
    published_at: datetime.datetime


def create_entry(
    taxonomy: dict[str, dict[str, Any]],
    spec: dict[str, Any],
    locale: Locale,
    parent: Project | None = None,
    published: list[PublishedEntry] | None = None,
    sdg_targets: list[SdgTarget] | None = None,
) -> Project:
    """Create one entry of entries.yaml, live, with its reports, unless its code exists already.

    The entry is saved once, as published; its revision and publish log entry are written by
    `record_publishing` for all entries at once (`published` collects them), or here when no list is given.
    """
    existing = Project.objects.filter(code=spec["code"], locale=locale).first()
    if existing is not None:
        return existing
    now = timezone.now()
    fields = data.german(spec)
    goals = [taxonomy["goals"][code] for code in fields.pop("goals")]
    lead = taxonomy["departments"][fields.pop("lead")]
    reports = fields.pop("reports")
    places = {place.name: place for place in taxonomy["municipalities"].values()}
    relations = {
        "themes": [taxonomy["themes"][slug] for slug in fields.pop("themes", [])],
        "municipalities": [places[name] for name in fields.pop("municipalities", [])],
        "funding_programmes": [taxonomy["programmes"][slug] for slug in fields.pop("funding_programmes", [])],
        "sdg_targets": sdg_targets or [],
    }
    fields.pop("parent", None)
    paragraphs = fields.pop("description")
    entry = Project(
        **fields,
        parent=parent,
        locale=locale,
        description="".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs),
        lead_department=lead,
        contact_email=lead.email,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
    )
    # Parental relations wait on the unsaved entry and are written by its one save.
    entry.goals.set(goals)
    for name, related in relations.items():
        getattr(entry, name).set(related)
    entry.full_clean()
    entry.save()
    # In one insert, without the per-report receiver that bumps the cache (record_publishing bumps it
    # once); newest first, the order in which saving them with the entry wrote them.
    reports = sorted(reports, key=lambda report: report["date"], reverse=True)
    StatusReport.objects.bulk_create(
        StatusReport(
            project=entry,
            date=report["date"],
            reporting_period=report["period"],
            status=taxonomy["statuses"][report["status"]],
            traffic_light=report["light"],
            progress=report["progress"],
            text=report["text"],
            department=lead,
        )
        for report in reports
    )
    # The revision holds the entry as saved, before the newest report is applied to the live row,
    # as one saved before publishing does.
    record = PublishedEntry(entry, entry.serializable_data(), now)
    # What publishing does through its `published` receiver (catalogue/signals.py).
    entry.apply_latest_report()
    if published is None:
        record_publishing([record])
    else:
        published.append(record)
    entry.refresh_from_db()
    return entry


def record_publishing(published: list[PublishedEntry]) -> None:
    """The revision and the `wagtail.publish` log entry Wagtail's publishing writes, in bulk."""
    content_type = ContentType.objects.get_for_model(Project)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(record.entry.pk),
            created_at=record.published_at,
            content=record.content,
            object_str=str(record.entry),
        )
        for record in published
    )
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(record.entry.pk),
            label=str(record.entry),
            action="wagtail.publish",
            data={},
            timestamp=record.published_at,
            revision=revision,
            content_changed=True,
        )
        for record, revision in zip(published, revisions, strict=True)
    )
    for record, revision in zip(published, revisions, strict=True):
        Project.objects.filter(pk=record.entry.pk).update(latest_revision=revision, live_revision=revision)
        record.entry.latest_revision = record.entry.live_revision = revision
    # Publishing one by one bumps the catalogue's data version for each entry.
    cache.bump_now_and_after_commit()


def build_entries(taxonomy: dict[str, dict[str, Any]], locale: Locale) -> dict[str, Project]:
    """The entries by code, parents before their measures as in the data file."""
    entries: dict[str, Project] = {}
    published: list[PublishedEntry] = []
    # The SDG targets the open data step links (demo/builders/opendata.py) are there from the start,
    # so that step finds them linked instead of publishing every entry (and its translation) again.
    entry_sdgs = data.load("opendata")["entry_sdgs"]
    targets = {target.code: target for target in SdgTarget.objects.all()}
    for spec in data.load("entries")["entries"]:
        parent = entries.get(spec.get("parent"))
        wanted = [targets[code] for code in entry_sdgs.get(spec["code"], []) if code in targets]
        entries[spec["code"]] = create_entry(
            taxonomy, spec, locale, parent=parent, published=published, sdg_targets=wanted
        )
    if published:
        record_publishing(published)
    return entries


def build_indicators(taxonomy: dict[str, dict[str, Any]], entries: dict[str, Project], locale: Locale) -> None:
    for spec in data.load("indicators")["indicators"]:
        if Indicator.objects.filter(title=spec["title"], locale=locale).exists():
            continue
        fields = dict(spec)
        goals, codes, values = fields.pop("goals"), fields.pop("entries"), fields.pop("values")
        for name in ("baseline_value", "target_value"):
            fields[name] = Decimal(str(fields[name]))
        indicator = Indicator(**fields, locale=locale)
        for year, value in values.items():
            indicator.values.add(IndicatorValue(date=datetime.date(year, 12, 31), value=Decimal(str(value))))
        indicator.full_clean()
        indicator.save()
        indicator.goals.set([taxonomy["goals"][code] for code in goals])
        indicator.projects.set([entries[code] for code in codes])


def _translate_if_missing(instance: Any, english: Locale, strings: dict[str, str]) -> Any:
    if instance.has_translation(english):
        return instance.get_translation(english)
    return translate(instance, english, strings)


def build_translations(taxonomy: dict[str, dict[str, Any]], entries: dict[str, Project], english: Locale) -> None:
    spec = data.load("taxonomy")
    for kind, key, items in (
        ("areas", "code", spec["areas"]),
        ("goals", "code", spec["goals"]),
        ("statuses", "slug", spec["statuses"]),
    ):
        for item in items:
            _translate_if_missing(taxonomy[kind][item[key]], english, data.english(item))
    for item in data.load("entries")["entries"]:
        if strings := data.english(item):
            _translate_if_missing(entries[item["code"]], english, strings)


@transaction.atomic
def build_catalogue(stdout=None) -> dict[str, dict[str, Any]]:
    german, english = locales()
    taxonomy = build_taxonomy(german)
    entries = build_entries(taxonomy, german)
    build_indicators(taxonomy, entries, german)
    build_translations(taxonomy, entries, english)
    if stdout is not None:
        count = len(data.load("indicators")["indicators"])
        stdout.write(f"Catalogue: {len(taxonomy['goals'])} goals, {len(entries)} entries, {count} indicators.")
    return taxonomy
