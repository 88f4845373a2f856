"""Dashboard panel: new ideas waiting for moderation, for those who may moderate them."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from participation.models import Idea


class PendingIdeasPanel(Component):
    name = "participation_pending_ideas"
    template_name = "participation/admin/panel_pending_ideas.html"
    order = 95

    def get_context_data(self, parent_context=None):
        pending = Idea.objects.filter(moderation=Idea.Moderation.PENDING).count()
        unanswered = Idea.objects.public().filter(answered_at__isnull=True).count()
        list_url = reverse("wagtailsnippets_participation_idea:list")
        return {
            "pending": pending,
            "unanswered": unanswered,
            "pending_url": f"{list_url}?{urlencode({'moderation': Idea.Moderation.PENDING})}",
            "unanswered_url": f"{list_url}?{urlencode({'moderation': Idea.Moderation.PUBLISHED, 'answer': 'missing'})}",
        }


def homepage_panels(request: HttpRequest, panels: list[Component]) -> None:
    if request.user.has_perm("participation.change_idea"):
        panels.append(PendingIdeasPanel())
