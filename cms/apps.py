from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Zukunftsprofil"

    def ready(self):
        # Receivers need the models, which exist only once the app registry is ready.
        from cms import signals  # noqa: F401
