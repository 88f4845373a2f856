"""Demo pages of the catalogue: the public index and one chapter page per area, in German and English."""

from wagtail.models import Locale

from catalogue.models import Area, AreaPage, CatalogueIndexPage
from demo.translation import translate

CATALOGUE = {
    "title": "Projektkatalog",
    "slug": "projektkatalog",
    "intro": "Alle Projekte und Maßnahmen des Zukunftsprofils: filtern, ansehen, herunterladen und abonnieren.",
}
CATALOGUE_EN = {
    "Projektkatalog": "Project catalogue",
    CATALOGUE["intro"]: "All projects and measures of the strategy: filter, read, download and subscribe.",
}
AREA_INTRO = "Was der Landkreis im Handlungsfeld „{title}“ erreichen will und wie weit die Umsetzung ist."
AREA_INTRO_EN = "What the county wants to achieve in “{title}”, and how far implementation has come."


def build_catalogue_pages(home, strategy=None):
    """Create the catalogue page under `home` and an area page per area; safe to run again."""
    german = home.locale
    english = Locale.objects.filter(language_code="en").first()
    catalogue = CatalogueIndexPage.objects.child_of(home).filter(slug=CATALOGUE["slug"]).first()
    if catalogue is None:
        catalogue = CatalogueIndexPage(
            title=CATALOGUE["title"], slug=CATALOGUE["slug"], intro=CATALOGUE["intro"], show_in_menus=True
        )
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    if english and not catalogue.has_translation(english):
        translate(catalogue, english, CATALOGUE_EN)

    parent = strategy or home
    leitbild = None
    if strategy is not None:
        leitbild = strategy.get_children().filter(title__startswith="Leitbild").first()
    anchor = leitbild
    for area in Area.objects.filter(locale=german).order_by("order", "code"):
        page = AreaPage.objects.child_of(parent).filter(area=area).first()
        if page is None:
            page = AreaPage(
                title=f"Handlungsfeld {area.code}: {area.title}",
                slug=f"handlungsfeld-{area.slug}",
                area=area,
                intro=AREA_INTRO.format(title=area.title),
            )
            parent.add_child(instance=page)
            page.save_revision().publish()
            if anchor is not None:
                page.move(anchor, pos="right")
                page = AreaPage.objects.get(pk=page.pk)
        anchor = page if leitbild is not None else anchor
        if english and not page.has_translation(english):
            english_area = area.get_translation_or_none(english) or area
            translate(
                page,
                english,
                {
                    page.title: f"Area {area.code}: {english_area.title}",
                    page.intro: AREA_INTRO_EN.format(title=english_area.title),
                },
            )
    return catalogue
