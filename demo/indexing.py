"""Search indexing in one pass after the demo is built, instead of one index task per save."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.signal_handlers import post_save_signal_handler

from cms import cache


@contextmanager
def search_index_rebuilt_once() -> Iterator[None]:
    """Save without indexing inside the block, then rebuild every search index once in bulk.

    The demo saves each object several times (create, relations, revisions, publish); indexing each
    save through the task backend cost as much as building the rest of the catalogue.
    """
    models = [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    call_command("update_index", verbosity=0)
    # Per-save indexing bumps it when each index task finishes (cms/signals.py); the rebuild runs no task.
    cache.bump_search_version()
