"""What the participation's page types answer: registered with `participation.models` when the app is ready."""

from typing import Any

from django.http import HttpRequest, HttpResponse

from participation.models import DialogueIndexPage, DialoguePage, IdeaIndexPage
from participation.models.views import register_public_views

from . import dialogues, ideas


class ParticipationViews:
    def dialogue_index_context(self, page: DialogueIndexPage, request: HttpRequest) -> dict[str, Any]:
        return dialogues.dialogue_index_context(page, request)

    def dialogue_context(self, page: DialoguePage, request: HttpRequest) -> dict[str, Any]:
        return dialogues.dialogue_context(page, request)

    def ideas(self, page: IdeaIndexPage, request: HttpRequest) -> HttpResponse:
        return ideas.ideas(page, request)

    def idea(self, page: IdeaIndexPage, request: HttpRequest, pk: int) -> HttpResponse:
        return ideas.idea(page, request, pk)

    def submit_idea(self, page: IdeaIndexPage, request: HttpRequest) -> HttpResponse:
        return ideas.submit_idea(page, request)

    def idea_thanks(self, page: IdeaIndexPage, request: HttpRequest) -> HttpResponse:
        return ideas.thanks(page, request)


def register() -> None:
    register_public_views(ParticipationViews())
