"""Demo pages of the catalogue: the public index and one chapter page per area, in German and English.

Their texts are in demo/data/site.yaml (`catalogue`, `area_pages`).
"""

from wagtail.models import Locale, Page

from catalogue.models import Area, AreaPage, CatalogueIndexPage
from demo import data
from demo.translation import translate


def build_catalogue_pages(home: Page, strategy: Page | None = None) -> CatalogueIndexPage:
    """Create the catalogue page under `home` and an area page per area; safe to run again."""
    site_data = data.load("site")
    german = home.locale
    english = Locale.objects.filter(language_code="en").first()
    texts = data.german(site_data["catalogue"])
    catalogue = CatalogueIndexPage.objects.child_of(home).filter(slug=texts["slug"]).first()
    if catalogue is None:
        catalogue = CatalogueIndexPage(**texts, show_in_menus=True)
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    if english and not catalogue.has_translation(english):
        translate(catalogue, english, data.english(site_data["catalogue"]))

    template = site_data["area_pages"]
    parent = strategy or home
    anchor = None
    if strategy is not None:
        anchor = strategy.get_children().filter(slug=template["after"]).first()
    after_chapter = anchor is not None
    for area in Area.objects.filter(locale=german).order_by("order", "code"):
        page = AreaPage.objects.child_of(parent).filter(area=area).first()
        if page is None:
            page = AreaPage(
                title=template["title"]["de"].format(code=area.code, title=area.title),
                slug=template["slug"].format(slug=area.slug),
                area=area,
                intro=template["intro"]["de"].format(title=area.title),
            )
            parent.add_child(instance=page)
            page.save_revision().publish()
            if anchor is not None:
                page.move(anchor, pos="right")
                page = AreaPage.objects.get(pk=page.pk)
        anchor = page if after_chapter else anchor
        if english and not page.has_translation(english):
            english_area = area.get_translation_or_none(english) or area
            translate(
                page,
                english,
                {
                    page.title: template["title"]["en"].format(code=area.code, title=english_area.title),
                    page.intro: template["intro"]["en"].format(title=english_area.title),
                },
            )
    return catalogue
