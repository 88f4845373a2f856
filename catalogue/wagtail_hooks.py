from wagtail.snippets.models import register_snippet

from .viewsets import StrategyViewSetGroup

register_snippet(StrategyViewSetGroup)
