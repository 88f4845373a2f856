from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Zukunftsprofil"

    def ready(self):
        from cms import locales  # noqa: F401  (connects the cache invalidation signals)
