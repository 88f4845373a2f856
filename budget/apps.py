from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = "Haushalt"

    def ready(self) -> None:
        # These build on the models, which exist only once the app registry is ready: the
        # receivers, and the catalogue facets the budget contributes.
        from . import facets, signals  # noqa: F401

        facets.register()
