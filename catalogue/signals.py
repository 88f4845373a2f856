"""Every receiver of the catalogue: the denormalised evaluation and the cache's data version.

Publishing an entry applies its newest report (and releases the indicator values reported
with it); unpublishing or deleting rolls progress up again; a change to indicators, their values
or the tolerance recomputes the lights taken from indicators; any change to entries, reports
or taxonomy bumps the data version that keys every cached catalogue figure (`cms.cache`).

A status report, or a publish that leaves the entry's structure as it was (number, title, address,
goals, parent, live), bumps only the versions of the entry's own pages besides the data version:
the pages of the other entries stay cached (docs/decisions/0007-entry-scoped-invalidation.md).
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, published, unpublished

from cms import cache

from .models import (
    Area,
    CatalogueIndexPage,
    CatalogueSettings,
    Department,
    FundingProgramme,
    Goal,
    ImportRun,
    Indicator,
    IndicatorValue,
    Municipality,
    OpenDataSettings,
    Project,
    SdgGoal,
    SdgTarget,
    Status,
    StatusReport,
    Theme,
    progress,
)

TAXONOMY = (
    Area,
    Goal,
    Theme,
    Department,
    Municipality,
    Status,
    FundingProgramme,
    Indicator,
    IndicatorValue,
    SdgGoal,
    SdgTarget,
)
# Settings shown on public pages (embeds' frame-ancestors, the DCAT catalogue's publisher): the
# catalogue is left out of the site version, so its settings bump the data version.
SETTINGS = (CatalogueSettings, OpenDataSettings)


@receiver(published, sender=Project)
def apply_report_on_publish(sender, instance, **kwargs):
    # Indicator values reported with a report become public with it, not before.
    for report in StatusReport.objects.filter(project=instance).exclude(pending_indicator_values={}):
        report.release_indicator_values()
    instance.apply_latest_report()


@receiver(unpublished, sender=Project)
def rollup_on_unpublish(sender, instance, **kwargs):
    if instance.parent_id:
        instance.parent.update_rollup()


@receiver(post_delete, sender=Project)
def rollup_on_delete(sender, instance, **kwargs):
    if instance.parent_id and Project.objects.filter(pk=instance.parent_id).exists():
        instance.parent.update_rollup()


@receiver(post_delete, sender=StatusReport)
def apply_report_on_delete(sender, instance, origin=None, **kwargs):
    # Deleting the entry itself cascades to its reports: nothing is left to update then.
    if isinstance(origin, Project):
        return
    project = Project.objects.filter(pk=instance.project_id, live=True).first()
    if project is not None:
        project.apply_latest_report()


FINGERPRINT = "catalogue:entry-structure"


def entry_family(project_ids: set[int]) -> set[int]:
    """The entries whose public pages show these entries' own data: themselves, their translations
    (which compare their texts with the source's), and the entries above them (whose progress rolls
    up), with those entries' translations."""
    found: set[int] = set()
    pending = set(project_ids)
    while pending:
        found |= pending
        rows = list(Project.objects.filter(pk__in=pending).values_list("translation_key", "parent_id"))
        keys = {key for key, _parent in rows}
        parents = {parent for _key, parent in rows if parent}
        related = Project.objects.filter(Q(translation_key__in=keys) | Q(pk__in=parents)).values_list("pk", flat=True)
        pending = set(related) - found
    return found


def structure_fingerprint(project: Project) -> tuple:
    """What other pages show of an entry: whether it is live, its number, title, address, parent and goals."""
    goals = sorted(Project.goals.through.objects.filter(project_id=project.pk).values_list("goal_id", flat=True))
    return (project.live, project.locale_id, project.code, project.title, project.slug, project.parent_id, goals)


@receiver(published, sender=Project)
def entry_published(sender, instance, **kwargs):
    fingerprint = structure_fingerprint(instance)
    if cache.swap(FINGERPRINT, instance.pk, value=fingerprint) == fingerprint:
        cache.bump_entries_now_and_after_commit(entry_family({instance.pk}))
    else:
        # New, renamed, moved or regrouped (or not known since the cache was emptied): other
        # entries' pages (related entries, the languages) and every list may show it.
        cache.bump_now_and_after_commit()


@receiver(post_save, sender=StatusReport)
@receiver(post_delete, sender=StatusReport)
def report_changed(sender, instance, **kwargs):
    cache.bump_entries_now_and_after_commit(entry_family({instance.project_id}))


@receiver(unpublished, sender=Project)
@receiver(post_delete, sender=Project)
def catalogue_changed(sender, **kwargs):
    cache.bump_now_and_after_commit()


@receiver(post_save, sender=ImportRun)
def catalogue_imported(sender, instance, **kwargs):
    # The importer writes entries in bulk, without the signals above; the bump waits for its
    # transaction, so no request caches the old rows under the new version.
    if instance.state == ImportRun.State.APPLIED:
        cache.bump_after_commit()
        # It also writes the reports' lights, over those computed from indicators.
        transaction.on_commit(progress.refresh_indicator_lights)


@receiver(post_save, sender=Indicator)
@receiver(post_delete, sender=Indicator)
@receiver(post_save, sender=IndicatorValue)
@receiver(post_delete, sender=IndicatorValue)
@receiver(m2m_changed, sender=Indicator.projects.through)
def indicator_lights_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        progress.refresh_indicator_lights()


@receiver(post_save, sender=CatalogueSettings)
def tolerance_changed(sender, **kwargs):
    cache.bump_now_and_after_commit()
    progress.refresh_indicator_lights()


for model in TAXONOMY + SETTINGS:
    post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-cache-{model.__name__}-save")
    post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-cache-{model.__name__}-delete")
# A restriction on the catalogue page changes whether it may be linked (see goals.catalogue_page).
for signal in (post_save, post_delete):
    signal.connect(catalogue_changed, sender=PageViewRestriction, dispatch_uid=f"catalogue-cache-restriction-{signal}")
page_published.connect(catalogue_changed, sender=CatalogueIndexPage, dispatch_uid="catalogue-cache-index")
page_unpublished.connect(catalogue_changed, sender=CatalogueIndexPage, dispatch_uid="catalogue-cache-index-unpublished")
