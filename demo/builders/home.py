"""Demo content for the editorial side: a fictional county, its home page, legal pages and strategy.

The texts are in demo/data/site.yaml and demo/data/strategy.yaml. Everything is looked up by
slug before it is created, so running the demo twice changes nothing.
"""

from typing import Any

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site

from catalogue.management.commands.setup_roles import setup_roles
from catalogue.models import Area, Status
from cms.models import SiteSettings
from demo import data
from demo.builders import media
from demo.passwords import password_hash
from demo.translation import translate
from home.models import ChapterPage, HomePage, StandardPage, StrategyPage

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "zukunft-lindenau"  # noqa: S105 - demo login, printed on purpose
STRATEGY_SLUG = data.load("strategy")["page"]["slug"]


def ensure_locales() -> tuple[Locale, Locale]:
    german = Locale.objects.get_or_create(language_code="de")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    return german, english


def build_home(stdout=None) -> HomePage:
    site_data = data.load("site")
    german, english = ensure_locales()
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=german)
    home = HomePage.objects.filter(locale=german).first()
    if home is None:
        texts = data.german(site_data["home"])
        # The welcome page Wagtail installs is replaced; its slug would clash with ours.
        for page in root.get_children().filter(locale=german).not_type(HomePage):
            if page.slug == texts["slug"]:
                page.delete()
        home = HomePage(**{**texts, "body": data.stream(texts["body"])}, locale=german)
        root.add_child(instance=home)
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.hostname = site.hostname or "localhost"
    site.port = site.port or 80
    site.site_name = site_data["county"]
    site.save()

    if not home.has_translation(english):
        translate(home, english, data.english(site_data["home"]))

    settings = SiteSettings.for_site(site)
    for spec in site_data["standard_pages"]:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            texts = data.german(spec)
            page = StandardPage(
                title=texts["title"],
                slug=texts["slug"],
                intro=texts["intro"],
                body=[("paragraph", texts["text"])],
                show_in_menus=False,
                locale=german,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        strings = data.english(spec)
        if strings and not page.has_translation(english):
            translate(page, english, strings)
        setattr(settings, spec["setting"], page)

    settings.county_name = site_data["county"]
    for name, value in data.german(site_data["settings"], {"image": media.image}).items():
        setattr(settings, name, value)
    settings.save()
    return home


def ensure_admin():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"email": "admin@lindenau.example", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.password = password_hash(ADMIN_PASSWORD)
        user.save()
    return user


def _strategy_refs(locale: Locale) -> dict[str, Any]:
    """What the tags in strategy.yaml stand for."""
    return {
        "image": media.image,
        "document": media.document,
        "area": lambda slug: Area.objects.filter(locale=locale, slug=slug).first(),
        "status": lambda slug: Status.objects.filter(locale=locale, slug=slug).first(),
    }


def build_strategy(stdout=None) -> StrategyPage:
    """The demo strategy with its chapters, English translations and the approval workflow."""
    spec = data.load("strategy")
    german, english = ensure_locales()
    refs = _strategy_refs(german)
    home = HomePage.objects.get(locale=german)
    strategy = StrategyPage.objects.child_of(home).filter(slug=STRATEGY_SLUG).first()
    if strategy is None:
        strategy = StrategyPage(**data.german(spec["page"], refs), show_in_menus=True, locale=german)
        home.add_child(instance=strategy)
        strategy.save_revision().publish()
    if not strategy.has_translation(english):
        translate(strategy, english, data.english(spec["page"]))

    for number, chapter_spec in enumerate(spec["chapters"], start=1):
        chapter = ChapterPage.objects.child_of(strategy).filter(slug=chapter_spec["slug"]).first()
        if chapter is None:
            texts = data.german(chapter_spec, refs)
            chapter = ChapterPage(**{**texts, "body": data.stream(texts["body"])}, number=str(number), locale=german)
            strategy.add_child(instance=chapter)
            chapter.save_revision().publish()
        strings = data.english(chapter_spec)
        if strings and not chapter.has_translation(english):
            translate(chapter, english, strings)

    ensure_strategy_workflow(strategy)
    if stdout:
        stdout.write(f"Strategy „{strategy.title}“ with {strategy.get_children().count()} chapters is ready.")
    return strategy


def ensure_strategy_workflow(strategy):
    """The site's two-step approval (subject review, then press office) comes with the roles."""
    return setup_roles().page_workflow


def link_home_to_strategy_and_catalogue(strategy: StrategyPage, catalogue: Page) -> HomePage:
    """The home page points citizens to the strategy and the catalogue (once both exist)."""
    german, english = ensure_locales()
    home = HomePage.objects.get(locale=german)
    if any(block.block_type == "call_to_action" for block in home.body):
        return home
    site_data = data.load("site")
    pages = {"strategy": strategy, "catalogue": catalogue}
    for block in data.stream(data.german(site_data["home_pointers"], {"page": pages.__getitem__})):
        home.body.append(block)
    home.save_revision().publish()
    translate(home, english, data.english([site_data["home"], site_data["home_pointers"]]))
    return home
