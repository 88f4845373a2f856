"""The DCAT-AP.de catalogue: parses in every format, has every required property, stable URIs, only public data."""

import datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from wagtail.models import PageViewRestriction, Site

from catalogue.models import OpenDataSettings, Project
from tests.catalogue_public_data import build, catalogue_page
from tests.factories import IndicatorFactory, ProjectFactory, StatusFactory, publish_with_reports

pytestmark = pytest.mark.django_db

SHAPES = Graph().parse(Path(__file__).parent / "data" / "dcat_ap_de_required.ttl")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/landkreisBeispiel"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/districtKey/09184"
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


@pytest.fixture
def data(site):
    result = build(6)
    result["page"] = catalogue_page()
    status = StatusFactory()
    publish_with_reports(result["entries"][0], (datetime.date(2024, 3, 1), status, "on_track", 10))
    indicator = IndicatorFactory(title="Radwege", unit="km")
    indicator.values.create(date=datetime.date(2024, 12, 31), value=4)
    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contributor_id = CONTRIBUTOR
    settings.political_geocoding_uri = GEOCODING
    settings.save()
    return result


def catalogue(client, extension="ttl", **headers):
    response = client.get(f"/dcat/catalog.{extension}", **headers)
    assert response.status_code == 200
    return response, Graph().parse(data=response.content, format=FORMATS[extension])


def test_every_format_parses_to_the_same_graph(client, data):
    graphs = {extension: catalogue(client, extension)[1] for extension in FORMATS}
    assert len(graphs["ttl"]) > 50
    assert {extension: len(graph) for extension, graph in graphs.items()} == dict.fromkeys(FORMATS, len(graphs["ttl"]))
    response, _graph = catalogue(client, "jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    assert client.get("/dcat/catalog.xml").status_code == 404


def test_catalogue_has_every_required_dcat_ap_de_property(client, data):
    _response, graph = catalogue(client)
    conforms, _report, text = validate(graph, shacl_graph=SHAPES, inference="rdfs")
    assert conforms, text
    datasets = {str(node).rsplit("#", 1)[1] for node in graph.subjects(RDF.type, DCAT.Dataset)}
    assert datasets == {"projektkatalog", "indikatoren", "statusberichte"}
    project = URIRef(f"{Site.objects.get(is_default_site=True).root_url}/dcat/catalog#projektkatalog")
    assert (project, DCATDE.contributorID, URIRef(CONTRIBUTOR)) in graph
    assert (project, DCATDE.politicalGeocodingURI, URIRef(GEOCODING)) in graph
    formats = {
        str(graph.value(part, DCTERMS.format)).rsplit("/", 1)[1] for part in graph.objects(project, DCAT.distribution)
    }
    assert formats == {"CSV", "XLSX", "JSON"}
    urls = {str(graph.value(part, DCAT.accessURL)) for part in graph.objects(project, DCAT.distribution)}
    assert any(url.endswith("/projektkatalog/export/csv/") for url in urls)
    assert any(url.endswith("/api/v3/catalogue/entries/") for url in urls)
    for part in graph.subjects(RDF.type, DCAT.Distribution):
        assert (part, DCTERMS.license, URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")) in graph
        assert str(graph.value(part, DCATDE.licenseAttributionByText)).startswith("Quelle: ")


def test_datasets_without_data_are_left_out(client, site):
    build(2)
    catalogue_page()
    _response, graph = catalogue(client)
    datasets = {str(node).rsplit("#", 1)[1] for node in graph.subjects(RDF.type, DCAT.Dataset)}
    assert datasets == {"projektkatalog"}


def test_the_shapes_catch_a_missing_required_property(client, data):
    """The structural check can fail: without a contributor id or a licence the catalogue does not conform."""
    _response, graph = catalogue(client)
    without_contributor = Graph()
    for triple in graph:
        if triple[1] != DCATDE.contributorID:
            without_contributor.add(triple)
    assert not validate(without_contributor, shacl_graph=SHAPES, inference="rdfs")[0]
    without_licence = Graph()
    for triple in graph:
        if triple[1] != DCTERMS.license:
            without_licence.add(triple)
    assert not validate(without_licence, shacl_graph=SHAPES, inference="rdfs")[0]
    wrong_theme = Graph()
    for subject, predicate, value in graph:
        wrong_theme.add((subject, predicate, Literal("Verwaltung") if predicate == DCAT.theme else value))
    assert not validate(wrong_theme, shacl_graph=SHAPES, inference="rdfs")[0]


def test_uris_are_stable_whatever_host_asks(client, data):
    first = set(catalogue(client, HTTP_HOST="testserver")[1].subjects(RDF.type, DCAT.Dataset))
    second = set(catalogue(client, HTTP_HOST="127.0.0.1")[1].subjects(RDF.type, DCAT.Dataset))
    assert first == second
    root = Site.objects.get(is_default_site=True).root_url
    assert all(str(node).startswith(f"{root}/dcat/catalog#") for node in first)


def test_modification_date_follows_publishing_and_drafts_stay_out(client, data):
    Project.objects.update(last_published_at=timezone.make_aware(datetime.datetime(2024, 5, 1, 12, 0)))
    cache.clear()
    _response, graph = catalogue(client)
    project = next(node for node in graph.subjects(RDF.type, DCAT.Dataset) if str(node).endswith("#projektkatalog"))
    before = graph.value(project, DCTERMS.modified).toPython()
    assert before == timezone.make_aware(datetime.datetime(2024, 5, 1, 12, 0))
    ProjectFactory(code="9.9.09", title="Entwurf", live=False)
    assert catalogue(client)[1].value(project, DCTERMS.modified).toPython() == before
    entry = data["entries"][2]
    entry.title = "Neu veröffentlicht"
    entry.save_revision().publish()
    after = catalogue(client)[1].value(project, DCTERMS.modified).toPython()
    assert after > before


def test_a_private_catalogue_page_publishes_no_datasets(client, data):
    PageViewRestriction.objects.create(page=data["page"], restriction_type="password", password="x")
    _response, graph = catalogue(client)
    assert not set(graph.subjects(RDF.type, DCAT.Dataset))
    assert set(graph.subjects(RDF.type, DCAT.Catalog))


def test_catalogue_is_readable_from_other_sites_and_names_its_licence(client, data):
    response, _graph = catalogue(client, HTTP_ORIGIN="https://www.govdata.de")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"'
