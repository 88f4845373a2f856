"""Wagtail's database search backend, with every word of a query matched as a word beginning.

German readers type a part of a compound and expect the compound ("Klima" finds
"Klimaschutz", "Rad" finds "Radweg"). The database backends of Wagtail (modelsearch) match
only the last word as a prefix; this wraps the backend of the current database so that every
word is matched that way, on PostgreSQL through its full-text search with the configured
(German) configuration (`'klima':*`), on SQLite through FTS5 (`"klima"*`). The index itself
is the backend's own.

Callers pass words only (`catalogue.public.text.words`), so no query syntax of either
database is ever reached by what a visitor types.
"""

from functools import cache
from typing import Any

from modelsearch.backends import database
from modelsearch.backends.base import BaseSearchBackend
from modelsearch.query import And, PlainText


class EveryWordIsAPrefix:
    """Mixed into a backend's query compiler: a plain query becomes one prefix query per word."""

    LAST_TERM_IS_PREFIX = True
    query: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.query, PlainText):
            terms = self.query.query_string.split()
            if len(terms) > 1:
                self.query = And([PlainText(term) for term in terms])


@cache
def _prefix_compiler(compiler: type) -> type:
    return type(f"Prefix{compiler.__name__}", (EveryWordIsAPrefix, compiler), {})


# The name Wagtail looks up in a backend module.
def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:
    backend = database.SearchBackend(params)
    backend.query_compiler_class = _prefix_compiler(backend.query_compiler_class)
    return backend
