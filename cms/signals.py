"""Receivers of the shell: drop the cached locales and site settings when their rows change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale

from cms import cache
from cms.models import SiteSettings


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
