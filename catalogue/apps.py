from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Projektkatalog"

    def ready(self):
        # These build on the models, which exist only once the app registry is ready: the
        # receivers, the permission rules the entry queryset asks, and the public views the
        # page types route to.
        from . import permissions, signals  # noqa: F401
        from .public import routes

        routes.register()
