"""Demo content for the editorial side: a fictional county, its home page, legal pages and strategy.

Everything is looked up by slug before it is created, so running the demo twice changes nothing.
"""

import datetime
import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from catalogue.management.commands.setup_roles import setup_roles
from catalogue.models import Area, Status
from cms.models import SiteSettings
from demo.translation import translate
from home.models import ChapterPage, HomePage, StandardPage, StrategyPage

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


# --- The strategy: "Zukunftsprofil Lindenau 2030" -------------------------------------------

STRATEGY_SLUG = "zukunftsprofil"
STRATEGY = {
    "title": "Zukunftsprofil Lindenau 2030",
    "subtitle": "Kreisentwicklungskonzept des Landkreises Lindenau",
    "period": "2021–2030",
    "intro": (
        "Das Zukunftsprofil beschreibt, wie sich der Landkreis Lindenau bis 2030 entwickeln will: "
        "in sechs Handlungsfeldern, mit Zielen und einem Katalog konkreter Projekte."
    ),
    "summary": (
        "<p>Der Landkreis Lindenau wächst leicht, wird älter und steht im Wettbewerb um Fachkräfte. "
        "Das Zukunftsprofil bündelt die Antworten darauf: ein gemeinsames Leitbild, sechs Handlungsfelder "
        "und Projekte, deren Stand die Kreisverwaltung regelmäßig veröffentlicht.</p>"
    ),
}
STRATEGY_EN = {
    "Zukunftsprofil Lindenau 2030": "Lindenau Future Profile 2030",
    STRATEGY["subtitle"]: "District development strategy of the district of Lindenau",
    STRATEGY["intro"]: (
        "The Future Profile describes how the district of Lindenau wants to develop by 2030: "
        "in six areas of action, with goals and a catalogue of concrete projects."
    ),
    STRATEGY["summary"]: (
        "<p>The district of Lindenau is growing slightly, getting older and competing for skilled workers. "
        "The Future Profile brings together the answers: a shared vision, six areas of action and projects "
        "whose progress the district administration publishes regularly.</p>"
    ),
}

PROCESS_TEXT = (
    "<p>Im Frühjahr 2021 hat der Kreistag die Verwaltung beauftragt, ein Entwicklungskonzept für das "
    "kommende Jahrzehnt zu erarbeiten. Grundlage waren eine statistische Analyse, Gespräche mit den "
    "Gemeinden und vier offene Zukunftswerkstätten mit rund 600 Teilnehmenden.</p>"
)
PROCESS_TEXT_EN = (
    "<p>In spring 2021 the district council asked the administration to draw up a development concept for "
    "the coming decade. It rests on a statistical analysis, talks with the municipalities and four open "
    "future workshops with around 600 participants.</p>"
)
MILESTONES = [
    ("Frühjahr 2021", "Auftrag des Kreistags", "Beschluss, ein Kreisentwicklungskonzept zu erarbeiten.", "done"),
    ("Herbst 2021", "Analyse und SWOT", "Daten, Gutachten und Gespräche mit allen 24 Gemeinden.", "done"),
    ("2022", "Arbeitsgruppen und Werkstätten", "Sechs Arbeitsgruppen, vier Zukunftswerkstätten.", "done"),
    ("März 2023", "Beschluss des Kreistags", "Der Kreistag beschließt das Zukunftsprofil einstimmig.", "done"),
    ("seit 2023", "Umsetzung", "Projekte starten; die Fachbereiche berichten halbjährlich.", "current"),
    ("2026", "Erste Fortschreibung", "Bilanz und Anpassung der Ziele mit der Öffentlichkeit.", "planned"),
]
MILESTONES_EN = {
    "Frühjahr 2021": "Spring 2021",
    "Auftrag des Kreistags": "Mandate from the district council",
    "Beschluss, ein Kreisentwicklungskonzept zu erarbeiten.": "Decision to draw up a district development concept.",
    "Herbst 2021": "Autumn 2021",
    "Analyse und SWOT": "Analysis and SWOT",
    "Daten, Gutachten und Gespräche mit allen 24 Gemeinden.": "Data, studies and talks with all 24 municipalities.",
    "Arbeitsgruppen und Werkstätten": "Working groups and workshops",
    "Sechs Arbeitsgruppen, vier Zukunftswerkstätten.": "Six working groups, four future workshops.",
    "März 2023": "March 2023",
    "Beschluss des Kreistags": "Council decision",
    "Der Kreistag beschließt das Zukunftsprofil einstimmig.": (
        "The district council adopts the Future Profile unanimously."
    ),
    "seit 2023": "since 2023",
    "Umsetzung": "Implementation",
    "Projekte starten; die Fachbereiche berichten halbjährlich.": (
        "Projects start; departments report every six months."
    ),
    "Erste Fortschreibung": "First update",
    "Bilanz und Anpassung der Ziele mit der Öffentlichkeit.": "Review and adjustment of the goals with the public.",
}
GRAPHIC_ALT = (
    "Ablaufgrafik in fünf Schritten: Analyse, SWOT, Arbeitsgruppen, Kreistagsbeschluss, Umsetzung "
    "und Fortschreibung; die Umsetzung führt in einem Kreislauf zurück zur Analyse."
)
GRAPHIC_ALT_EN = (
    "Process diagram in five steps: analysis, SWOT, working groups, council decision, implementation and "
    "update; implementation leads back to analysis in a cycle."
)

KEY_FIGURES = [
    ("128.400", "Einwohnerinnen und Einwohner", "Statistisches Landesamt, 31.12.2022"),
    ("24", "Städte und Gemeinden", "Kreisverwaltung Lindenau"),
    ("1.120 km²", "Fläche, davon 38 % Wald", "Statistisches Landesamt"),
    ("+4,2 %", "Beschäftigte seit 2015", "Bundesagentur für Arbeit"),
    ("47,8 Jahre", "Durchschnittsalter", "Statistisches Landesamt, 2022"),
]
KEY_FIGURES_EN = {
    "Einwohnerinnen und Einwohner": "Inhabitants",
    "Statistisches Landesamt, 31.12.2022": "State statistical office, 31 Dec 2022",
    "Städte und Gemeinden": "Towns and municipalities",
    "Kreisverwaltung Lindenau": "District administration of Lindenau",
    "Fläche, davon 38 % Wald": "Area, 38 % of it forest",
    "Statistisches Landesamt": "State statistical office",
    "Beschäftigte seit 2015": "Employees since 2015",
    "Bundesagentur für Arbeit": "Federal Employment Agency",
    "47,8 Jahre": "47.8 years",
    "Durchschnittsalter": "Average age",
    "Statistisches Landesamt, 2022": "State statistical office, 2022",
}
START_TEXT = (
    "<p>Lindenau liegt zwischen zwei Oberzentren und profitiert von einem starken Mittelstand. Zugleich "
    "altert die Bevölkerung, und in einigen Gemeinden fehlen Ärztinnen, Busverbindungen und schnelles Internet.</p>"
)
START_TEXT_EN = (
    "<p>Lindenau lies between two regional centres and benefits from strong small and medium-sized businesses. "
    "At the same time the population is ageing, and some municipalities lack doctors, bus links and fast internet.</p>"
)
VISION_TEXT = (
    "<p>2030 ist Lindenau ein Landkreis, in dem man gut arbeiten, lernen und alt werden kann: vernetzt, "
    "klimafreundlich und mit einer Verwaltung, die digital und nah bei den Menschen ist.</p>"
)
VISION_TEXT_EN = (
    "<p>In 2030 Lindenau is a district where people can work, learn and grow old well: connected, "
    "climate-friendly and with an administration that is digital and close to its people.</p>"
)
PARTICIPATION_TEXT = (
    "<p>Mitgewirkt haben die Gemeinden, Kammern, Vereine, Schulen, Unternehmen und viele Bürgerinnen und "
    "Bürger. Eine Lenkungsgruppe aus Kreistag und Verwaltung hat den Prozess gesteuert.</p>"
)
VISION_QUOTE = "Wir wollen, dass junge Menschen bleiben – und dass andere gern zu uns kommen."
VISION_QUOTE_EN = "We want young people to stay – and others to be glad to come to us."


def _png(title, filename, size, draw_picture):
    """A generated PNG stored as a Wagtail image, found again by title."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", size, "white")
    draw_picture(ImageDraw.Draw(canvas), size)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=filename))


def _draw_process(draw, size):
    steps = ["Analyse", "SWOT", "Arbeitsgruppen", "Beschluss", "Umsetzung"]
    width = size[0] // len(steps)
    for i, step in enumerate(steps):
        x = i * width + 10
        draw.rounded_rectangle([(x, 60), (x + width - 30, 160)], radius=12, fill="#1a5f7a")
        draw.text((x + 12, 100), step, fill="white")
        if i < len(steps) - 1:
            draw.polygon([(x + width - 26, 100), (x + width - 12, 110), (x + width - 26, 120)], fill="#1b1b1b")
    draw.line([(size[0] - 80, 165), (size[0] - 80, 200), (60, 200), (60, 165)], fill="#f2c14e", width=6)
    draw.text((size[0] // 2 - 40, 206), "Fortschreibung", fill="#1b1b1b")


def _draw_cover(draw, size):
    draw.rectangle([(0, 0), size], fill="#e8f1f4")
    for i, colour in enumerate(["#1a5f7a", "#2f7d4f", "#f2c14e"]):
        top = size[1] - 120 + i * 40
        draw.polygon(
            [(0, top), (size[0] // 2, top - 90 + i * 20), (size[0], top), (size[0], size[1]), (0, size[1])], fill=colour
        )
    draw.ellipse([(size[0] - 220, 60), (size[0] - 120, 160)], fill="#f2c14e")


def _document(title, filename, data):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, file=ContentFile(data, name=filename))
    document.file_size = len(data)
    document.save()
    return document


def _pdf_document_bytes(text):
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (595, 842), "white")
    ImageDraw.Draw(canvas).text((60, 80), text, fill="black")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PDF")
    return buffer.getvalue()


def _chapters(process_graphic, documents, area_pages_exist, catalogue):
    """The chapters in order: slug, number, title, intro, body, English strings or None."""
    chapters = [
        {
            "slug": "auftrag-und-vorgehen",
            "title": "Auftrag und Vorgehen",
            "intro": "Wie das Zukunftsprofil entstanden ist und wer daran mitgearbeitet hat.",
            "body": [
                ("heading", {"text": "Der Auftrag", "anchor": "auftrag"}),
                ("paragraph", PROCESS_TEXT),
                ("heading", {"text": "Projektverlauf", "anchor": "projektverlauf"}),
                (
                    "timeline",
                    {"milestones": [{"date_label": d, "title": t, "text": x, "state": s} for d, t, x, s in MILESTONES]},
                ),
                (
                    "image",
                    {
                        "image": process_graphic,
                        "alt_text": GRAPHIC_ALT,
                        "caption": "Vom Auftrag zur Umsetzung: der Prozess des Zukunftsprofils.",
                        "credit": "Grafik: Kreisverwaltung Lindenau",
                    },
                ),
                ("heading", {"text": "Wer mitgewirkt hat", "anchor": ""}),
                (
                    "paragraph",
                    PARTICIPATION_TEXT,
                ),
                (
                    "quote",
                    {
                        "text": "Dieses Konzept gehört allen, die es mitgeschrieben haben.",
                        "attribution": "Landrätin Dr. Miriam Albers",
                    },
                ),
            ],
            "en": {
                "Auftrag und Vorgehen": "Mandate and approach",
                "Wie das Zukunftsprofil entstanden ist und wer daran mitgearbeitet hat.": (
                    "How the Future Profile came about and who worked on it."
                ),
                "Der Auftrag": "The mandate",
                PROCESS_TEXT: PROCESS_TEXT_EN,
                "Projektverlauf": "Process timeline",
                **MILESTONES_EN,
                GRAPHIC_ALT: GRAPHIC_ALT_EN,
                "Vom Auftrag zur Umsetzung: der Prozess des Zukunftsprofils.": (
                    "From mandate to implementation: the Future Profile process."
                ),
                "Grafik: Kreisverwaltung Lindenau": "Graphic: District administration of Lindenau",
                "Wer mitgewirkt hat": "Who took part",
                PARTICIPATION_TEXT: (
                    "<p>Municipalities, chambers, associations, schools, businesses and many citizens took part. "
                    "A steering group of council and administration guided the process.</p>"
                ),
                "Dieses Konzept gehört allen, die es mitgeschrieben haben.": (
                    "This concept belongs to everyone who helped write it."
                ),
                "Landrätin Dr. Miriam Albers": "District Administrator Dr Miriam Albers",
            },
        },
        {
            "slug": "ausgangslage",
            "title": "Ausgangslage",
            "intro": "Der Landkreis in Zahlen: Bevölkerung, Wirtschaft und Fläche.",
            "body": [
                ("heading", {"text": "Der Landkreis in Zahlen", "anchor": "zahlen"}),
                ("key_figures", {"figures": [{"value": v, "label": lb, "source": s} for v, lb, s in KEY_FIGURES]}),
                ("heading", {"text": "Entwicklungen", "anchor": ""}),
                ("paragraph", START_TEXT),
            ],
            "en": {
                "Ausgangslage": "Starting position",
                "Der Landkreis in Zahlen: Bevölkerung, Wirtschaft und Fläche.": (
                    "The district in figures: population, economy and area."
                ),
                "Der Landkreis in Zahlen": "The district in figures",
                **KEY_FIGURES_EN,
                "Entwicklungen": "Trends",
                START_TEXT: START_TEXT_EN,
            },
        },
        {
            "slug": "staerken-und-schwaechen",
            "title": "Stärken und Schwächen",
            "intro": "Die SWOT-Analyse fasst zusammen, worauf der Landkreis bauen kann und was ihn gefährdet.",
            "body": [
                ("heading", {"text": "SWOT-Analyse", "anchor": "swot"}),
                (
                    "swot",
                    {
                        "strengths": [
                            "Starker, familiengeführter Mittelstand",
                            "Hohe Lebensqualität und Natur",
                            "Aktives Vereinsleben",
                        ],
                        "weaknesses": [
                            "Lücken im Mobilfunk- und Glasfasernetz",
                            "Wenige Busverbindungen am Abend",
                            "Ärztemangel auf dem Land",
                        ],
                        "opportunities": [
                            "Erneuerbare Energien aus der Region",
                            "Homeoffice bringt Rückkehrende",
                            "Fördermittel für Digitalisierung",
                        ],
                        "risks": ["Fachkräftemangel", "Alternde Bevölkerung", "Steigende Kosten kommunaler Aufgaben"],
                    },
                ),
                (
                    "paragraph",
                    "<p>Die Analyse beruht auf Daten, einem Gutachten und den Ergebnissen der Werkstätten.</p>",
                ),
            ],
            "en": None,
        },
        {
            "slug": "leitbild",
            "title": "Leitbild 2030",
            "intro": "Wohin der Landkreis will: das gemeinsame Bild von Lindenau im Jahr 2030.",
            "body": [
                ("heading", {"text": "Unser Bild von 2030", "anchor": "leitbild"}),
                ("paragraph", VISION_TEXT),
                ("quote", {"text": VISION_QUOTE, "attribution": "Teilnehmerin der Zukunftswerkstatt Kirchberg"}),
            ],
            "en": {
                "Leitbild 2030": "Vision 2030",
                "Wohin der Landkreis will: das gemeinsame Bild von Lindenau im Jahr 2030.": (
                    "Where the district wants to go: the shared picture of Lindenau in 2030."
                ),
                "Unser Bild von 2030": "Our picture of 2030",
                VISION_TEXT: VISION_TEXT_EN,
                VISION_QUOTE: VISION_QUOTE_EN,
                "Teilnehmerin der Zukunftswerkstatt Kirchberg": "Participant in the Kirchberg future workshop",
            },
        },
    ]
    if not area_pages_exist:
        chapters.append(
            {
                "slug": "handlungsfelder",
                "title": "Handlungsfelder",
                "intro": "Sechs Handlungsfelder ordnen die Ziele und Projekte des Zukunftsprofils.",
                "body": [
                    ("heading", {"text": "Die sechs Handlungsfelder", "anchor": ""}),
                    (
                        "paragraph",
                        "<ul><li>Wirtschaft und Innovation</li><li>Bildung und Fachkräfte</li>"
                        "<li>Lebenswerter Landkreis</li><li>Infrastruktur und Mobilität</li>"
                        "<li>Umwelt- und Klimaschutz</li><li>Moderne Verwaltung</li></ul>",
                    ),
                ],
                "en": None,
            }
        )
    chapters += [
        {
            "slug": "umsetzung",
            "title": "Umsetzung",
            "intro": "Wie aus Zielen Projekte werden und wie Sie sich beteiligen können.",
            "body": [
                ("heading", {"text": "Zukunftsdialoge", "anchor": ""}),
                (
                    "paragraph",
                    "<p>Einmal im Jahr lädt der Landkreis in jeder Region zu einem Zukunftsdialog ein: "
                    "Die Fachbereiche berichten, was erreicht ist, und nehmen Ideen auf.</p>",
                ),
                (
                    "table",
                    {
                        "table_caption": "Zukunftsdialoge 2025",
                        "first_row_is_table_header": True,
                        "first_col_is_header": True,
                        "data": [
                            ["Region", "Ort", "Termin"],
                            ["Nord", "Kirchberg, Bürgerhaus", "12. März 2025, 18 Uhr"],
                            ["Mitte", "Lindenau, Kreishaus", "26. März 2025, 18 Uhr"],
                            ["Süd", "Talheim, Mehrzweckhalle", "9. April 2025, 18 Uhr"],
                        ],
                    },
                ),
                ("heading", {"text": "Ideen einreichen", "anchor": ""}),
                (
                    "call_to_action",
                    {
                        "title": "Ihre Idee für Lindenau",
                        "text": (
                            "Sie haben einen Vorschlag für ein Projekt? Schreiben Sie uns – jede Idee wird beantwortet."
                        ),
                        "link_page": None,
                        "link_url": "https://beteiligung.lindenau.example/ideen",
                        "link_text": "Idee einreichen",
                    },
                ),
                (
                    "contact_card",
                    {
                        "name": "Jana Beispiel",
                        "role": "Leiterin der Stabsstelle Kreisentwicklung",
                        "organisation": "Kreisverwaltung Lindenau",
                        "address": "Am Markt 1\n99999 Lindenau",
                        "phone": "09999 123-456",
                        "email": "kreisentwicklung@lindenau.example",
                    },
                ),
            ],
            "en": None,
        },
        {
            "slug": "fortschreibung",
            "title": "Fortschreibung",
            "intro": "Das Zukunftsprofil ist kein fertiges Buch: Es wird regelmäßig überprüft und fortgeschrieben.",
            "body": [
                ("heading", {"text": "Regelmäßige Fortschreibung", "anchor": ""}),
                (
                    "paragraph",
                    "<p>Alle drei Jahre zieht der Kreistag Bilanz. Ziele, die erreicht sind, werden ersetzt; "
                    "Projekte, die nicht vorankommen, werden überprüft.</p>",
                ),
                ("heading", {"text": "Häufige Fragen", "anchor": "fragen"}),
                (
                    "accordion",
                    {
                        "items": [
                            {
                                "title": "Wie oft wird berichtet?",
                                "body": "<p>Die Fachbereiche aktualisieren ihre Projekte mindestens halbjährlich.</p>",
                            },
                            {
                                "title": "Kann ich Ziele mitbestimmen?",
                                "body": "<p>Ja. Vor jeder Fortschreibung gibt es eine öffentliche Beteiligung.</p>",
                            },
                            {
                                "title": "Wo finde ich ältere Fassungen?",
                                "body": "<p>Alle beschlossenen Fassungen stehen unten zum Herunterladen bereit.</p>",
                            },
                        ]
                    },
                ),
                ("heading", {"text": "Dokumente", "anchor": "dokumente"}),
                (
                    "downloads",
                    {
                        "documents": [
                            {"document": document, "title": "", "description": description}
                            for document, description in documents
                        ]
                    },
                ),
            ],
            "en": None,
        },
        {
            "slug": "evaluation",
            "title": "Evaluationskonzept",
            "intro": "Woran wir messen, ob das Zukunftsprofil wirkt.",
            "body": [
                ("heading", {"text": "Status und Ampel", "anchor": ""}),
                (
                    "paragraph",
                    "<p>Jedes Projekt hat einen Status (von „Idee“ bis „verstetigt“) und eine Ampel, die zeigt, "
                    "ob es im Plan liegt. Kennzahlen mit Ausgangs- und Zielwert zeigen, ob die Ziele erreicht "
                    "werden.</p>",
                ),
                ("heading", {"text": "Ziele im Handlungsfeld Wirtschaft", "anchor": "ziele"}),
                ("goal_overview", {"area": catalogue["area"], "show_figures": True}),
                ("heading", {"text": "Projekte in Umsetzung", "anchor": "projekte"}),
                (
                    "project_list",
                    {
                        "area": None,
                        "goal": None,
                        "status": catalogue["status"],
                        "municipality": None,
                        "max_count": 5,
                    },
                ),
                ("heading", {"text": "Berichte", "anchor": ""}),
                (
                    "paragraph",
                    "<p>Die Kreisverwaltung veröffentlicht jährlich einen Umsetzungsbericht und legt ihn dem "
                    "Kreistag vor.</p>",
                ),
            ],
            "en": None,
        },
    ]
    for number, chapter in enumerate(chapters, start=1):
        chapter["number"] = str(number)
    return chapters


def build_strategy(stdout=None):
    """The demo strategy with its chapters, English translations and the approval workflow."""
    german, english = ensure_locales()
    home = HomePage.objects.get(locale=german)
    strategy = StrategyPage.objects.child_of(home).filter(slug=STRATEGY_SLUG).first()
    if strategy is None:
        strategy = StrategyPage(
            title=STRATEGY["title"],
            slug=STRATEGY_SLUG,
            subtitle=STRATEGY["subtitle"],
            period=STRATEGY["period"],
            council_decision=datetime.date(2023, 3, 22),
            intro=STRATEGY["intro"],
            summary=STRATEGY["summary"],
            cover_image=_png("Titelbild Zukunftsprofil", "zukunftsprofil-titel.png", (1200, 600), _draw_cover),
            show_in_menus=True,
            locale=german,
        )
        home.add_child(instance=strategy)
        strategy.save_revision().publish()
    if not strategy.has_translation(english):
        translate(strategy, english, STRATEGY_EN)

    graphic = _png("Prozessgrafik Zukunftsprofil", "prozess-zukunftsprofil.png", (1000, 240), _draw_process)
    documents = [
        (
            _document(
                "Zukunftsprofil 2030 – Beschlussfassung",
                "zukunftsprofil-2030.pdf",
                _pdf_document_bytes("Zukunftsprofil Lindenau 2030"),
            ),
            "Vom Kreistag am 22. März 2023 beschlossene Fassung.",
        ),
        (
            _document(
                "Kennzahlen der Ausgangslage",
                "kennzahlen-ausgangslage.csv",
                "".join(
                    f"{label};{value};{source}\n"
                    for value, label, source in [("Wert", "Kennzahl", "Quelle")] + KEY_FIGURES
                ).encode("utf-8"),
            ),
            "Die Zahlen aus Kapitel 2 als Tabelle (CSV).",
        ),
    ]
    area_pages_exist = _model_exists("catalogue.AreaPage")
    catalogue = {
        "area": Area.objects.filter(locale=german, slug="wirtschaft").first(),
        "status": Status.objects.filter(locale=german, slug="in-umsetzung").first(),
    }
    for spec in _chapters(graphic, documents, area_pages_exist, catalogue):
        chapter = ChapterPage.objects.child_of(strategy).filter(slug=spec["slug"]).first()
        if chapter is None:
            chapter = ChapterPage(
                title=spec["title"],
                slug=spec["slug"],
                number=spec["number"],
                intro=spec["intro"],
                body=spec["body"],
                locale=german,
            )
            strategy.add_child(instance=chapter)
            chapter.save_revision().publish()
        if spec["en"] and not chapter.has_translation(english):
            translate(chapter, english, spec["en"])

    ensure_strategy_workflow(strategy)
    if stdout:
        stdout.write(f"Strategy „{strategy.title}“ with {strategy.get_children().count()} chapters is ready.")
    return strategy


REVIEW_GROUP = "Fachliche Prüfung"
PRESS_GROUP = "Pressestelle"


def ensure_strategy_workflow(strategy):
    """The site's two-step approval (subject review, then press office) comes with the roles."""
    return setup_roles().page_workflow


def _model_exists(name):
    try:
        apps.get_model(name)
    except LookupError:
        return False
    return True


HOME_POINTERS = [
    (
        "key_figures",
        {
            "figures": [
                {"value": "6", "label": "Handlungsfelder", "source": ""},
                {"value": "27", "label": "Ziele", "source": ""},
                {"value": "über 70", "label": "Projekte und Maßnahmen", "source": "Projektkatalog"},
            ]
        },
    ),
    (
        "call_to_action",
        {
            "title": "Das Zukunftsprofil lesen",
            "text": "Analyse, Leitbild, Handlungsfelder und Ziele: das Konzept Kapitel für Kapitel.",
            "link_text": "Zum Zukunftsprofil",
        },
    ),
    (
        "call_to_action",
        {
            "title": "Was passiert in meiner Gemeinde?",
            "text": "Alle Projekte und Maßnahmen mit ihrem Stand, filterbar nach Thema, Gemeinde und Status.",
            "link_text": "Zum Projektkatalog",
        },
    ),
]
HOME_POINTERS_EN = {
    "Handlungsfelder": "Areas of action",
    "Ziele": "Goals",
    "über 70": "more than 70",
    "Projekte und Maßnahmen": "Projects and measures",
    "Projektkatalog": "Project catalogue",
    "Das Zukunftsprofil lesen": "Read the Future Profile",
    "Analyse, Leitbild, Handlungsfelder und Ziele: das Konzept Kapitel für Kapitel.": (
        "Analysis, vision, areas of action and goals: the concept chapter by chapter."
    ),
    "Zum Zukunftsprofil": "To the Future Profile",
    "Was passiert in meiner Gemeinde?": "What is happening in my municipality?",
    "Alle Projekte und Maßnahmen mit ihrem Stand, filterbar nach Thema, Gemeinde und Status.": (
        "All projects and measures with their progress, filterable by topic, municipality and status."
    ),
    "Zum Projektkatalog": "To the project catalogue",
}


def link_home_to_strategy_and_catalogue(strategy, catalogue):
    """The home page points citizens to the strategy and the catalogue (once both exist)."""
    german, english = ensure_locales()
    home = HomePage.objects.get(locale=german)
    if any(block.block_type == "call_to_action" for block in home.body):
        return home
    strategy_block, catalogue_block = (dict(value) for name, value in HOME_POINTERS[1:])
    strategy_block["link_page"] = strategy
    catalogue_block["link_page"] = catalogue
    for name, value in [HOME_POINTERS[0], ("call_to_action", strategy_block), ("call_to_action", catalogue_block)]:
        home.body.append((name, value))
    home.save_revision().publish()
    translate(home, english, {**HOME_EN, **HOME_POINTERS_EN})
    return home
