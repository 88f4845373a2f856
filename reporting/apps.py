from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Berichtswesen"

    def ready(self) -> None:
        # The public views the report page routes to build on the models, which exist only once
        # the app registry is ready.
        from .public import routes

        routes.register()
