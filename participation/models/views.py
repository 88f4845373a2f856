"""What the public wing answers for the participation's page types, registered when the app is ready.

The page types declare their fields and routes; the answers live in `participation.public`,
which builds on these models, so the models never import it.
"""

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page


# The pages are typed as `Page`: naming the page types here would make the models import each other in a cycle.
class PublicViews(Protocol):
    def dialogue_index_context(self, page: Page, request: HttpRequest) -> dict[str, Any]: ...
    def dialogue_context(self, page: Page, request: HttpRequest) -> dict[str, Any]: ...
    def ideas(self, page: Page, request: HttpRequest) -> HttpResponse: ...
    def idea(self, page: Page, request: HttpRequest, pk: int) -> HttpResponse: ...
    def submit_idea(self, page: Page, request: HttpRequest) -> HttpResponse: ...
    def idea_thanks(self, page: Page, request: HttpRequest) -> HttpResponse: ...


_public_views: PublicViews | None = None


def register_public_views(views: PublicViews) -> None:
    global _public_views
    _public_views = views


def public_views() -> PublicViews:
    if _public_views is None:
        raise ImproperlyConfigured("participation.public has not registered its views (is the app ready?)")
    return _public_views
