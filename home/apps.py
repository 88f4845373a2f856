from django.apps import AppConfig, apps


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Seiten"

    def ready(self):
        from home.models import OPTIONAL_SUBPAGE_TYPES

        # Wagtail raises on page types that do not exist, and the catalogue's pages are built
        # in parallel; so they join the allowed subpage types only once their models exist.
        for model, names in OPTIONAL_SUBPAGE_TYPES.items():
            present = [name for name in names if _model_exists(name)]
            model.subpage_types = [*model.subpage_types, *present]


def _model_exists(name):
    try:
        apps.get_model(name)
    except LookupError:
        return False
    return True
