"""Where the participation's pages are, per language: cached by name, dropped when such a page changes."""

from wagtail.models import Locale

from cms import cache

from .models import DialogueIndexPage, IdeaIndexPage

IDEA_PAGE = "participation:idea-page"
DIALOGUE_PAGE = "participation:dialogue-page"
ENTRY_IDEAS = "participation:entry-ideas"


def idea_page(locale: Locale) -> IdeaIndexPage | None:
    """The live, public ideas page of a language, or None."""
    found = cache.named(
        IDEA_PAGE, locale.pk, build=lambda: IdeaIndexPage.objects.live().public().filter(locale_id=locale.pk).first()
    )
    return found or None


def dialogue_page(locale: Locale) -> DialogueIndexPage | None:
    """The live, public list of Zukunftsdialoge of a language, or None."""
    found = cache.named(
        DIALOGUE_PAGE,
        locale.pk,
        build=lambda: DialogueIndexPage.objects.live().public().filter(locale_id=locale.pk).first(),
    )
    return found or None


def forget_pages() -> None:
    cache.forget_many(IDEA_PAGE, [(locale.pk,) for locale in Locale.objects.all()])
    cache.forget_many(DIALOGUE_PAGE, [(locale.pk,) for locale in Locale.objects.all()])
