"""Receivers of the shell: cached locales and site settings, and the site version of cached responses.

Whole public responses are cached under the site version (`cms.cache`): anything a public page
shows besides catalogue data (which has its own data version) bumps it: publishing, unpublishing,
moving, saving or deleting a page, view restrictions, sites, locales, images and documents, and every
model of the project's own apps (site settings, and whatever apps are added later), so a new app's
data cannot go stale in cached pages. The catalogue is left out: its receivers bump the data version.
"""

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django_tasks.signals import task_finished
from redis.exceptions import RedisError
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import cache
from cms.models import SiteSettings

logger = logging.getLogger(__name__)

# Apps whose changes reach public pages through their own version, or never.
OWN_VERSION_APPS = {"catalogue"}


@receiver([post_save, post_delete], sender=Locale)
def forget_locales(**kwargs):
    cache.forget_locales()


@receiver([post_save, post_delete], sender=SiteSettings)
def forget_site_settings(sender, instance, **kwargs):
    cache.forget_site_settings([instance.site_id])


@receiver([post_save, post_delete], sender="wagtailimages.Image")
def forget_site_settings_with_logo(sender, instance, **kwargs):
    # The settings carry the logo, which may be this image.
    cache.forget_site_settings(list(SiteSettings.objects.values_list("site_id", flat=True)))


def site_changed(**kwargs):
    cache.bump_site_after_commit()


def page_changed(sender, instance, **kwargs):
    # Any page row, of any app: a live page saved without publishing (scripts, builders) changes too.
    if isinstance(instance, Page):
        cache.bump_site_after_commit()


page_published.connect(site_changed, dispatch_uid="cms-site-version-published")
page_unpublished.connect(site_changed, dispatch_uid="cms-site-version-unpublished")
post_page_move.connect(site_changed, dispatch_uid="cms-site-version-moved")
post_save.connect(page_changed, dispatch_uid="cms-site-version-page-saved")
post_delete.connect(page_changed, dispatch_uid="cms-site-version-page-deleted")
for model in (PageViewRestriction, Site, Locale, "wagtailimages.Image", "wagtaildocs.Document"):
    for signal in (post_save, post_delete):
        signal.connect(site_changed, sender=model, dispatch_uid=f"cms-site-version-{model}-{signal}")


@receiver(task_finished)
def search_index_changed(sender, task_result, **kwargs):
    # The search index is updated by the task worker after the change that already bumped the
    # version: search results cached in between would keep the old index.
    # Its own version: an entry's page shows no search results and stays cached (cms.cache).
    if task_result.task.module_path.startswith("modelsearch."):
        cache.bump_search_version()


def _project_models():
    """Models of the apps in this repository (not third-party ones), except those with their own version."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if config.label in OWN_VERSION_APPS or root not in path.parents or "site-packages" in path.parts:
            continue
        yield from config.get_models()


for model in _project_models():
    for signal in (post_save, post_delete):
        signal.connect(site_changed, sender=model, dispatch_uid=f"cms-site-version-{model._meta.label}-{signal}")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            site_changed, sender=field.remote_field.through, dispatch_uid=f"cms-site-version-{field}-m2m"
        )


@receiver(post_migrate)
def forget_what_an_older_release_cached(sender, **kwargs):
    """`migrate` runs on every update (`make prod`, compose's migrate service): the shared cache then
    holds responses, fragments and derived data the previous release built, with its templates and
    in its shapes. Moving every version on makes all of it unreachable; the task worker rebuilds
    the derived data.
    """
    if sender.label != "cms":
        return
    try:
        cache.bump_data_version()
        cache.bump_site_version()
        cache.bump_search_version()
        cache.forget_locales()
        cache.forget_site_settings(list(Site.objects.values_list("pk", flat=True)))
    except RedisError:
        # Migrating must not depend on the cache; the app servers will not start without it anyway.
        logger.warning("The shared cache could not be told about the update: cached pages may be of the old release.")
