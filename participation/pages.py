"""Where the participation's ideas page is, per language: cached by name, dropped when such a page changes."""

from wagtail.models import Locale

from cms import cache

from .models import IdeaIndexPage

IDEA_PAGE = "participation:idea-page"
ENTRY_IDEAS = "participation:entry-ideas"


def idea_page(locale: Locale) -> IdeaIndexPage | None:
    """The live, public ideas page of a language, or None."""
    found = cache.named(
        IDEA_PAGE, locale.pk, build=lambda: IdeaIndexPage.objects.live().public().filter(locale_id=locale.pk).first()
    )
    return found or None


def forget_pages() -> None:
    cache.forget_many(IDEA_PAGE, [(locale.pk,) for locale in Locale.objects.all()])
