from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "Beteiligung"

    def ready(self):
        # These build on the models, which exist only once the app registry is ready: the
        # receivers, and the public views the page types route to.
        from . import signals  # noqa: F401
        from .public import routes

        routes.register()
