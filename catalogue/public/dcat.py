"""The county's open data described in DCAT-AP.de, for GovData and the Land portals that harvest it.

`/dcat/catalog.ttl` (Turtle), `.jsonld` (JSON-LD) and `.rdf` (RDF/XML) describe one catalogue
with the datasets of the strategy: the project catalogue (distributions CSV, XLSX, JSON and the
API), the indicators with their measured values and, once there are any, the status reports.
URIs are built from the default site's root URL and the fixed dataset names below, so they stay
the same whatever host a harvester uses. Built with rdflib and cached per data version.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from wagtail.models import Locale, Site

from catalogue.imports import LICENCE_NAME, LICENCE_URI, LICENCE_URL
from catalogue.models import Indicator, IndicatorValue, OpenDataSettings, Project, StatusReport
from cms import cache
from cms.models import SiteSettings

from .goals import catalogue_page

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"

FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml; charset=utf-8"),
}
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "dcatde": DCATDE, "dcatap": DCATAP, "foaf": FOAF, "vcard": VCARD}


@dataclass(frozen=True)
class Distribution:
    name: str
    title_de: str
    title_en: str
    url: str
    file_type: str
    media_type: str
    download: bool = True


@dataclass
class Dataset:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    keywords: list[str]
    themes: list[str]
    landing_page: str
    issued: datetime.datetime | datetime.date | None
    modified: datetime.datetime | datetime.date | None
    distributions: list[Distribution] = field(default_factory=list)


@dataclass(frozen=True)
class Publisher:
    name: str
    homepage: str
    email: str
    contributor_id: str
    geocoding: str
    geocoding_level: str
    source_note: str


def _literal(moment: datetime.datetime | datetime.date) -> Literal:
    if isinstance(moment, datetime.datetime):
        return Literal(timezone.localtime(moment).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(moment.isoformat(), datatype=XSD.date)


def _api_distribution(url: str) -> Distribution:
    return Distribution("api", "Programmierschnittstelle", "API", url, "JSON", "application/json", download=False)


def _datasets(root: str) -> list[Dataset]:
    """What the county publishes: only what its public site shows (live entries of a public catalogue)."""
    locale = Locale.get_default()
    page = catalogue_page(locale.pk)
    if page is None:
        return []
    catalogue_url = page.get_full_url()
    live = Project.objects.filter(live=True, locale=locale)
    dates = live.aggregate(issued=Min("first_published_at"), modified=Max("last_published_at"))
    api = f"{root}/api/v3/catalogue"
    datasets = [
        Dataset(
            name="projektkatalog",
            title={"de": "Projektkatalog der Kreisentwicklungsstrategie", "en": "Project catalogue of the strategy"},
            description={
                "de": "Alle veröffentlichten Projekte und Maßnahmen der Strategie mit Handlungsfeld, Zielen, "
                "federführender Stelle, Gemeinden, Zeitplan, Kosten, Förderung, Status, Ampel, Fortschritt "
                "und SDG-Unterzielen.",
                "en": "Every published project and measure of the strategy with its area, goals, lead "
                "department, municipalities, schedule, costs, funding, status, traffic light, progress "
                "and SDG targets.",
            },
            keywords=["Kreisentwicklung", "Strategie", "Projekte", "Maßnahmen", "Nachhaltigkeit", "SDG"],
            themes=["GOVE", "REGI"],
            landing_page=catalogue_url,
            issued=dates["issued"],
            modified=dates["modified"],
            distributions=[
                Distribution("csv", "CSV", "CSV", f"{catalogue_url}export/csv/", "CSV", "text/csv"),
                Distribution(
                    "xlsx",
                    "Excel (XLSX)",
                    "Excel (XLSX)",
                    f"{catalogue_url}export/xlsx/",
                    "XLSX",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                Distribution("json", "JSON", "JSON", f"{catalogue_url}export/json/", "JSON", "application/json"),
                _api_distribution(f"{api}/entries/"),
            ],
        ),
    ]
    if Indicator.objects.exists():
        values = IndicatorValue.objects.aggregate(first=Min("date"), last=Max("date"))
        datasets.append(
            Dataset(
                name="indikatoren",
                title={"de": "Indikatoren der Kreisentwicklungsstrategie", "en": "Indicators of the strategy"},
                description={
                    "de": "Die Indikatoren der Strategie mit Ausgangs- und Zielwert und allen gemessenen Werten.",
                    "en": "The strategy's indicators with baseline, target and every measured value.",
                },
                keywords=["Kreisentwicklung", "Indikatoren", "Monitoring"],
                themes=["GOVE", "REGI"],
                landing_page=catalogue_url,
                issued=values["first"] or dates["issued"],
                # Indicators without a measurement yet change with the strategy they belong to.
                modified=values["last"] or dates["modified"],
                distributions=[_api_distribution(f"{api}/indicators/")],
            )
        )
    reports = StatusReport.objects.filter(project__in=live.values("pk")).aggregate(first=Min("date"), last=Max("date"))
    if reports["last"] is not None:
        datasets.append(
            Dataset(
                name="statusberichte",
                title={"de": "Statusberichte zu den Projekten", "en": "Status reports on the projects"},
                description={
                    "de": "Die veröffentlichten Statusberichte der Fachbereiche zu ihren Projekten und Maßnahmen.",
                    "en": "The departments' published status reports on their projects and measures.",
                },
                keywords=["Kreisentwicklung", "Statusbericht", "Umsetzung"],
                themes=["GOVE"],
                landing_page=catalogue_url,
                issued=reports["first"],
                modified=reports["last"],
                distributions=[
                    _api_distribution(f"{api}/reports/"),
                    Distribution(
                        "atom", "Atom-Feed", "Atom feed", f"{catalogue_url}feed/", "ATOM", "application/atom+xml"
                    ),
                ],
            )
        )
    return datasets


def _publisher(site: Site, root: str) -> Publisher:
    settings = SiteSettings.for_site(site)
    open_data = OpenDataSettings.for_site(site)
    name = settings.county_name or site.site_name
    return Publisher(
        name=name,
        homepage=f"{root}/",
        email=settings.contact_email,
        contributor_id=open_data.contributor_id,
        geocoding=open_data.political_geocoding_uri,
        geocoding_level=open_data.political_geocoding_level_uri,
        source_note=f"Quelle: {name}, {root}/; Lizenz: {LICENCE_NAME} ({LICENCE_URL})",
    )


def build_graph(site: Site) -> Graph:
    """The catalogue as an RDF graph."""
    root = site.root_url.rstrip("/")
    publisher = _publisher(site, root)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    catalog = URIRef(f"{root}/dcat/catalog")
    agent = URIRef(f"{root}/dcat/catalog#herausgeber")
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(publisher.name, lang="de")))
    graph.add((agent, FOAF.homepage, URIRef(publisher.homepage)))
    if publisher.email:
        graph.add((agent, FOAF.mbox, URIRef(f"mailto:{publisher.email}")))

    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"{publisher.name}: Zukunftsprofil – offene Daten", lang="de")))
    graph.add((catalog, DCTERMS.title, Literal(f"{publisher.name}: Zukunftsprofil – open data", lang="en")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Offene Daten zur Kreisentwicklungsstrategie: Projekte, Indikatoren, Statusberichte.", lang="de"),
        )
    )
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Open data on the county's development strategy: projects, indicators, reports.", lang="en"),
        )
    )
    graph.add((catalog, DCTERMS.publisher, agent))
    graph.add((catalog, FOAF.homepage, URIRef(publisher.homepage)))
    graph.add((catalog, DCTERMS.license, URIRef(LICENCE_URI)))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef("http://publications.europa.eu/resource/authority/data-theme")))
    for code in ("DEU", "ENG"):
        graph.add((catalog, DCTERMS.language, LANGUAGE[code]))
    if publisher.geocoding:
        graph.add((catalog, DCTERMS.spatial, URIRef(publisher.geocoding)))

    service = URIRef(f"{root}/dcat/catalog#api")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("Programmierschnittstelle (API v3)", lang="de")))
    graph.add((service, DCTERMS.title, Literal("Application programming interface (API v3)", lang="en")))
    graph.add((service, DCAT.endpointURL, URIRef(f"{root}{reverse('wagtailapi_v3:api-root')}")))
    graph.add((service, DCAT.endpointDescription, URIRef(f"{root}{reverse('wagtailapi_v3:openapi-json')}")))
    graph.add((service, DCTERMS.license, URIRef(LICENCE_URI)))
    graph.add((service, DCTERMS.publisher, agent))

    datasets = _datasets(root)
    if datasets:
        graph.add((catalog, DCAT.service, service))
    published = [dataset.modified for dataset in datasets if isinstance(dataset.modified, datetime.datetime)]
    if published:
        graph.add((catalog, DCTERMS.modified, _literal(max(published))))
    for dataset in datasets:
        _add_dataset(graph, catalog, agent, service, publisher, root, dataset)
    return graph


def _add_dataset(
    graph: Graph,
    catalog: URIRef,
    agent: URIRef,
    service: URIRef,
    publisher: Publisher,
    root: str,
    dataset: Dataset,
) -> None:
    node = URIRef(f"{root}/dcat/catalog#{dataset.name}")
    graph.add((catalog, DCAT.dataset, node))
    graph.add((service, DCAT.servesDataset, node))
    graph.add((node, RDF.type, DCAT.Dataset))
    for language, text in dataset.title.items():
        graph.add((node, DCTERMS.title, Literal(text, lang=language)))
    for language, text in dataset.description.items():
        graph.add((node, DCTERMS.description, Literal(text, lang=language)))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="de")))
    for theme in dataset.themes:
        graph.add((node, DCAT.theme, THEME[theme]))
    graph.add((node, DCTERMS.identifier, Literal(str(node))))
    graph.add((node, DCTERMS.publisher, agent))
    graph.add((node, DCATDE.maintainer, agent))
    graph.add((node, DCAT.landingPage, URIRef(dataset.landing_page)))
    graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY.CONT))
    graph.add((node, DCTERMS.language, LANGUAGE.DEU))
    graph.add((node, DCTERMS.license, URIRef(LICENCE_URI)))
    if publisher.contributor_id:
        graph.add((node, DCATDE.contributorID, URIRef(publisher.contributor_id)))
    if publisher.geocoding:
        graph.add((node, DCATDE.politicalGeocodingURI, URIRef(publisher.geocoding)))
        graph.add((node, DCATDE.politicalGeocodingLevelURI, URIRef(publisher.geocoding_level)))
        graph.add((node, DCTERMS.spatial, URIRef(publisher.geocoding)))
    if publisher.email:
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(publisher.name)))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email}")))
    if dataset.issued is not None:
        graph.add((node, DCTERMS.issued, _literal(dataset.issued)))
    if dataset.modified is not None:
        graph.add((node, DCTERMS.modified, _literal(dataset.modified)))
    for distribution in dataset.distributions:
        part = URIRef(f"{root}/dcat/catalog#{dataset.name}-{distribution.name}")
        graph.add((node, DCAT.distribution, part))
        graph.add((part, RDF.type, DCAT.Distribution))
        graph.add((part, DCTERMS.title, Literal(distribution.title_de, lang="de")))
        graph.add((part, DCTERMS.title, Literal(distribution.title_en, lang="en")))
        graph.add((part, DCAT.accessURL, URIRef(distribution.url)))
        if distribution.download:
            graph.add((part, DCAT.downloadURL, URIRef(distribution.url)))
        else:
            graph.add((part, DCAT.accessService, service))
        graph.add((part, DCTERMS.format, FILE_TYPE[distribution.file_type]))
        graph.add((part, DCAT.mediaType, URIRef(f"{MEDIA_TYPE}{distribution.media_type}")))
        graph.add((part, DCTERMS.license, URIRef(LICENCE_URI)))
        graph.add((part, DCATDE.licenseAttributionByText, Literal(publisher.source_note, lang="de")))
        if dataset.modified is not None:
            graph.add((part, DCTERMS.modified, _literal(dataset.modified)))


def _default_site(request: HttpRequest) -> Site:
    site = Site.objects.filter(is_default_site=True).first() or Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def catalog_view(request: HttpRequest, extension: str) -> HttpResponse:
    if extension not in FORMATS or request.method not in ("GET", "HEAD"):
        raise Http404
    rdf_format, content_type = FORMATS[extension]
    site = _default_site(request)

    def serialise() -> str:
        return build_graph(site).serialize(format=rdf_format, auto_compact=True)

    body = cache.versioned("catalogue:dcat", site.pk, site.root_url, extension, build=serialise, timeout=cache.HOUR)
    response = HttpResponse(body, content_type=content_type)
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
