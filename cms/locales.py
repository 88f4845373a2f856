"""The site's locales, cached: they change almost never and every page needs them."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale

CACHE_KEY = "cms:locales:v1"


def locales_by_code():
    rows = cache.get(CACHE_KEY)
    if rows is None:
        rows = list(Locale.objects.values_list("pk", "language_code"))
        cache.set(CACHE_KEY, rows, None)
    return {code: Locale(pk=pk, language_code=code) for pk, code in rows}


@receiver([post_save, post_delete], sender=Locale)
def forget_locales(**kwargs):
    cache.delete(CACHE_KEY)
