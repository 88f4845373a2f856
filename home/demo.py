"""Demo content for the editorial side: a fictional county, its home page and legal pages.

Everything is looked up by slug before it is created, so running the demo twice changes nothing.
"""

import io

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from cms.models import SiteSettings
from cms.translation import translate
from home.models import HomePage, StandardPage

COUNTY = "Landkreis Lindenau"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "zukunft-lindenau"  # noqa: S105 - demo login, printed on purpose

HOME_INTRO = (
    "Das Zukunftsprofil 2030 ist die gemeinsame Entwicklungsstrategie des Landkreises Lindenau. "
    "Hier lesen Sie, wohin sich der Landkreis entwickeln will, und verfolgen Maßnahme für Maßnahme, "
    "wie die Umsetzung vorankommt."
)
HOME_TEXT = (
    "<p>Über zwei Jahre haben Bürgerinnen und Bürger, Gemeinden, Wirtschaft, Vereine und die "
    "Kreisverwaltung an diesem Konzept gearbeitet. Es beschreibt sechs Handlungsfelder mit ihren "
    "Zielen und einen Katalog von Projekten, über deren Stand die Fachbereiche regelmäßig berichten.</p>"
)
HOME_EN = {
    "Zukunftsprofil Lindenau 2030": "Lindenau Future Profile 2030",
    HOME_INTRO: (
        "The Future Profile 2030 is the joint development strategy of the district of Lindenau. "
        "Read where the district wants to go and follow, measure by measure, how implementation is progressing."
    ),
    "Worum es geht": "What it is about",
    HOME_TEXT: (
        "<p>For two years, citizens, municipalities, businesses, associations and the district "
        "administration worked on this concept. It describes six areas of action with their goals and a "
        "catalogue of projects whose progress the departments report on regularly.</p>"
    ),
    "Gemeinsam gestalten wir die Zukunft unseres Landkreises.": "Together we shape the future of our district.",
    "Landrätin Dr. Miriam Albers": "District Administrator Dr Miriam Albers",
}

LEGAL_PAGES = [
    {
        "slug": "impressum",
        "title": "Impressum",
        "intro": "Angaben gemäß § 5 Digitale-Dienste-Gesetz.",
        "text": (
            "<p>Landkreis Lindenau, vertreten durch die Landrätin Dr. Miriam Albers, Kreishaus, "
            "Am Markt 1, 99999 Lindenau. Dies ist ein fiktiver Landkreis für Demonstrationszwecke.</p>"
        ),
        "en": {
            "title": "Legal notice",
            "intro": "Information according to section 5 of the German Digital Services Act.",
            "text": (
                "<p>District of Lindenau, represented by District Administrator Dr Miriam Albers, "
                "Kreishaus, Am Markt 1, 99999 Lindenau. This is a fictional district for demonstration.</p>"
            ),
        },
        "setting": "impressum_page",
    },
    {
        "slug": "datenschutz",
        "title": "Datenschutz",
        "intro": "Wie wir mit Ihren Daten umgehen.",
        "text": (
            "<p>Diese Website setzt keine Cookies zu Analysezwecken und bindet keine Inhalte Dritter ein. "
            "Beim Aufruf werden technisch notwendige Daten (IP-Adresse, Zeitpunkt, Seite) für sieben Tage "
            "in Server-Protokollen gespeichert.</p>"
        ),
        "en": {
            "title": "Privacy",
            "intro": "How we handle your data.",
            "text": (
                "<p>This website sets no analytics cookies and embeds no third-party content. Technically "
                "necessary data (IP address, time, page) is kept in server logs for seven days.</p>"
            ),
        },
        "setting": "privacy_page",
    },
    {
        "slug": "barrierefreiheit",
        "title": "Erklärung zur Barrierefreiheit",
        "intro": "Der Landkreis Lindenau ist bemüht, diese Website barrierefrei zugänglich zu machen.",
        "text": (
            "<p>Grundlage sind die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und die WCAG 2.1 "
            "auf Stufe AA. Barrieren melden Sie bitte an barrierefreiheit@lindenau.example.</p>"
        ),
        "en": {
            "title": "Accessibility statement",
            "intro": "The district of Lindenau strives to make this website accessible.",
            "text": (
                "<p>The basis is the German accessibility regulation (BITV 2.0) and WCAG 2.1 level AA. "
                "Please report barriers to barrierefreiheit@lindenau.example.</p>"
            ),
        },
        "setting": "accessibility_page",
    },
    {
        "slug": "leichte-sprache",
        "title": "Leichte Sprache",
        "intro": "Hier erklären wir das Zukunftsprofil in Leichter Sprache.",
        "text": (
            "<p>Der Landkreis Lindenau hat einen Plan gemacht. Der Plan heißt: Zukunfts-Profil. "
            "In dem Plan steht: So soll der Landkreis im Jahr 2030 sein.</p>"
        ),
        "en": None,
        "setting": "easy_language_page",
    },
]


def _logo_image():
    Image = get_image_model()
    existing = Image.objects.filter(title="Wappen Landkreis Lindenau").first()
    if existing:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (128, 144), "white")
    draw = ImageDraw.Draw(canvas)
    draw.polygon([(8, 8), (120, 8), (120, 80), (64, 136), (8, 80)], fill="#1a5f7a")
    draw.ellipse([(40, 32), (88, 80)], fill="#f2c14e")
    draw.rectangle([(60, 70), (68, 110)], fill="#f2c14e")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(title="Wappen Landkreis Lindenau", file=ImageFile(buffer, name="wappen-lindenau.png"))


def ensure_locales():
    german = Locale.objects.get_or_create(language_code="de")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    return german, english


def build_home(stdout=None):
    german, english = ensure_locales()
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=german)
    home = HomePage.objects.filter(locale=german).first()
    if home is None:
        # The welcome page Wagtail installs is replaced; its slug would clash with ours.
        for page in root.get_children().filter(locale=german).not_type(HomePage):
            if page.slug == "home":
                page.delete()
        home = HomePage(
            title="Zukunftsprofil Lindenau 2030",
            slug="home",
            intro=HOME_INTRO,
            body=[
                ("heading", {"text": "Worum es geht", "anchor": ""}),
                ("paragraph", HOME_TEXT),
                (
                    "quote",
                    {
                        "text": "Gemeinsam gestalten wir die Zukunft unseres Landkreises.",
                        "attribution": "Landrätin Dr. Miriam Albers",
                    },
                ),
            ],
            seo_title="Zukunftsprofil Lindenau 2030",
            locale=german,
        )
        root.add_child(instance=home)
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.hostname = site.hostname or "localhost"
    site.port = site.port or 80
    site.site_name = COUNTY
    site.save()

    if not home.has_translation(english):
        translate(home, english, HOME_EN)

    settings = SiteSettings.for_site(site)
    for spec in LEGAL_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                body=[("paragraph", spec["text"])],
                show_in_menus=False,
                locale=german,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        if spec["en"] and not page.has_translation(english):
            translate(
                page,
                english,
                {
                    spec["title"]: spec["en"]["title"],
                    spec["intro"]: spec["en"]["intro"],
                    spec["text"]: spec["en"]["text"],
                },
            )
        setattr(settings, spec["setting"], page)

    settings.county_name = COUNTY
    settings.tagline = "Zukunftsprofil 2030"
    settings.brand_colour = "#1a5f7a"
    settings.logo = _logo_image()
    settings.contact_address = "Kreisverwaltung Lindenau\nStabsstelle Kreisentwicklung\nAm Markt 1\n99999 Lindenau"
    settings.contact_email = "kreisentwicklung@lindenau.example"
    settings.contact_phone = "09999 123-0"
    settings.save()
    return home


def ensure_admin():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"email": "admin@lindenau.example", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_password(ADMIN_PASSWORD)
        user.save()
    return user
