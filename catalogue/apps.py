from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Projektkatalog"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
