from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .dashboard import homepage_panels
from .viewsets import ParticipationViewSetGroup

register_snippet(ParticipationViewSetGroup)
hooks.register("construct_homepage_panels", homepage_panels)
