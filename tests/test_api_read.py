"""The read API: OpenAPI document, only public data at every depth, filters, paging, ETags, CORS, budgets."""

import datetime
import json
import re
from collections import deque

import pytest
from django.core.files.base import ContentFile
from django.utils.http import http_date
from openapi_spec_validator import validate
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from catalogue.models import IndicatorValue, Project, ProjectDocument, ProjectLink, SdgTarget, StatusReport
from home.models import HomePage, StandardPage
from tests.catalogue_public_data import build, catalogue_page
from tests.conftest import module_data
from tests.factories import IndicatorFactory, ProjectFactory, StatusFactory, german, publish_with_reports

pytestmark = pytest.mark.django_db

API = "/api/v3/catalogue"
SECRET = "GEHEIM"
CATALOGUE_ENDPOINTS = [
    "entries/",
    "reports/",
    "indicators/",
    "areas/",
    "goals/",
    "themes/",
    "departments/",
    "municipalities/",
    "statuses/",
    "sdgs/",
]


def get(client, path, **headers):
    return client.get(path, **headers)


def body(response):
    return json.loads(response.content)


def _build_data(site):
    result = build(12)
    result["page"] = catalogue_page()
    return result


_module_data, data = module_data(_build_data)


@pytest.fixture
def secrets(data):
    """Everything an anonymous caller must never see, each carrying SECRET in a text a response would show."""
    entries = data["entries"]
    status = data["statuses"][1]
    # A live entry with a change waiting for approval: new title, a report and an indicator value.
    waiting = publish_with_reports(entries[0], (datetime.date(2024, 1, 1), status, "on_track", 10))
    indicator = IndicatorFactory(title="Radwege", unit="km")
    indicator.projects.add(waiting)
    IndicatorValue.objects.create(indicator=indicator, date=datetime.date(2023, 12, 31), value=3)
    draft = waiting.get_latest_revision_as_object()
    draft.title = f"{SECRET} neuer Titel"
    draft.summary = f"{SECRET} neue Kurzbeschreibung"
    draft.reports.add(
        StatusReport(
            date=datetime.date(2025, 6, 1),
            status=status,
            progress=90,
            text=f"{SECRET} Bericht im Entwurf",
            pending_indicator_values={str(indicator.pk): "4711"},
        )
    )
    draft.save_revision()
    # An entry that was never published, with its report, link and document.
    document = get_document_model().objects.create(
        title=f"{SECRET} Dokument", file=ContentFile(b"x", name="geheim-entwurf.pdf")
    )
    hidden = ProjectFactory(code="9.9.99", title=f"{SECRET} Entwurfseintrag", live=False, goals=[data["goals"][0]])
    StatusReport.objects.create(project=hidden, date=datetime.date(2025, 1, 1), status=status, text=f"{SECRET} D")
    ProjectLink.objects.create(project=hidden, title=f"{SECRET} Link", url="https://example.org/geheim")
    ProjectDocument.objects.create(project=hidden, document=document, title=f"{SECRET} Anhang")
    indicator.projects.add(hidden)
    # Pages: a private one, a draft with a document in its body, a live one with a draft change.
    home = HomePage.objects.get(locale=german())
    private = StandardPage(title=f"{SECRET} Privatseite", slug="privat", intro=f"{SECRET} intern")
    home.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    chapter = StandardPage(title=f"{SECRET} Entwurfskapitel", slug="entwurf", live=False)
    chapter.body = [("downloads", {"documents": [{"document": document, "title": f"{SECRET} Download"}]})]
    home.add_child(instance=chapter)
    chapter.save_revision()
    public = StandardPage(title="Öffentliche Seite", slug="oeffentlich", intro="Stand heute")
    home.add_child(instance=public)
    public.save_revision().publish()
    public.title = f"{SECRET} Seitenentwurf"
    public.save_revision()
    return {
        "waiting": waiting,
        "hidden": hidden,
        "private": private,
        "chapter": chapter,
        "public": public,
        "indicator": indicator,
    }


def crawl(client, starts, limit=400):
    """GET every start URL and every API URL found in the answers, to any depth; returns {url: response}."""
    seen = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
            continue
        for path in re.findall(r'"https?://[^/"]+(/api/v3/[^"]+)"', response.content.decode()):
            if path not in seen:
                queue.append(path)
    return seen


def test_openapi_document_is_served_valid_and_names_the_catalogue(client, data):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    document = body(response)
    validate(document)
    paths = document["paths"]
    for endpoint in CATALOGUE_ENDPOINTS:
        assert f"{API}/{endpoint}" in paths
    assert f"{API}/entries/{{code}}/" in paths
    assert "post" in paths[f"{API}/manage/entries/{{code}}/reports/"]
    assert "/api/v3/pages/" in paths
    docs = client.get("/api/v3/docs/")
    assert docs.status_code == 200
    # The docs load Swagger UI from this site, not from a CDN.
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()
    assert "cdn" not in docs.content.decode()


def test_anonymous_answers_never_contain_drafts_or_private_data(client, secrets, data):
    starts = [f"{API}/{endpoint}" for endpoint in CATALOGUE_ENDPOINTS]
    starts += [f"{API}/entries/?locale=en", "/api/v3/pages/", "/api/v3/pages/?limit=100"]
    starts += [f"/api/v3/pages/{secrets['public'].pk}/?version=draft"]
    answers = crawl(client, starts)
    details = [url for url in answers if url.startswith(f"{API}/entries/") and "?" not in url]
    assert len(details) >= 11, "the crawl follows every entry's own API address"
    assert any(url.startswith("/api/v3/pages/") and url.rstrip("/").split("/")[-1].isdigit() for url in answers)
    for url, response in answers.items():
        assert response.status_code in (200, 404), (url, response.status_code)
        assert SECRET not in response.content.decode(), url
        assert "4711" not in response.content.decode(), url
    # Asked for directly, the hidden things are not there either.
    assert client.get(f"{API}/entries/9.9.99/").status_code == 404
    for page in (secrets["private"], secrets["chapter"]):
        assert client.get(f"/api/v3/pages/{page.pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{secrets['public'].pk}/?version=draft").json()["title"] == "Öffentliche Seite"
    waiting = client.get(f"{API}/entries/{secrets['waiting'].code}/").json()
    assert waiting["title"] == Project.objects.get(pk=secrets["waiting"].pk).title == "Anker Vorhaben 000"
    assert [report["progress"] for report in waiting["reports"]] == [10]
    assert [value["value"] for value in waiting["indicators"][0]["values"]] == ["3.0000"]
    # Internal fields of the models are not part of any answer.
    for name in ("pending_indicator_values", "author", "latest_revision", "locked", "weight", "live"):
        assert f'"{name}"' not in json.dumps(waiting)


def test_a_restricted_catalogue_page_hides_its_entries(client, data):
    PageViewRestriction.objects.create(page=data["page"], restriction_type="password", password="x")
    for endpoint in ("entries/", "reports/", "indicators/", f"entries/{data['entries'][1].code}/"):
        assert client.get(f"{API}/{endpoint}").status_code == 404, endpoint


def page_codes(client, query):
    html = client.get(f"/projektkatalog/{query}").content.decode()
    return re.findall(r'<span class="entry-card__code">([^<]+)</span>', html)


def api_codes(client, query):
    separator = "&" if query else "?"
    return [item["code"] for item in client.get(f"{API}/entries/{query}{separator}limit=100").json()["items"]]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?area=wirtschaft",
        "?goal=1.1",
        "?theme=klima&status=idee",
        "?department=fb-3",
        "?municipality=lindenau",
        "?municipality=lindenau&exclude_county_wide=1",
        "?traffic_light=at_risk&traffic_light=on_track",
        "?kind=measure&year=2023",
        "?priority=II",
        "?q=Radweg",
        "?sort=title",
        "?sort=updated",
        "?area=unbekannt",
    ],
)
def test_entries_take_the_catalogue_pages_parameters(client, data, query):
    assert api_codes(client, query) == page_codes(client, query)


def test_unknown_values_come_back_as_notes_and_absurd_requests_as_errors(client, data):
    answer = client.get(f"{API}/entries/?area=unbekannt&status=%00").json()
    assert len(answer["notes"]) == 2 and answer["count"] == 12
    assert client.get(f"{API}/entries/?" + "&".join(["area=x"] * 301)).status_code == 400
    assert client.get(f"{API}/entries/?locale=xx").status_code == 400
    assert client.get(f"{API}/entries/?limit=1000").status_code == 422
    assert client.get(f"{API}/entries/?offset=-1").status_code == 422


def test_paging_walks_the_whole_sorted_list(client, data):
    codes, url = [], f"{API}/entries/?limit=5&sort=title"
    while url:
        answer = client.get(url).json()
        assert answer["count"] == 12 and len(answer["items"]) <= 5
        codes += [item["code"] for item in answer["items"]]
        url = answer["next"]
    assert codes == [entry.code for entry in sorted(data["entries"], key=lambda entry: (entry.title, entry.code))]
    # `page` counts pages of `limit` entries, as on the catalogue page.
    assert [item["code"] for item in client.get(f"{API}/entries/?limit=5&page=2&sort=title").json()["items"]] == (
        codes[5:10]
    )
    last = client.get(f"{API}/entries/?limit=5&offset=10").json()
    assert last["next"] is None and last["previous"].endswith("limit=5&offset=5")


def test_every_answer_carries_the_licence(client, data):
    for endpoint in CATALOGUE_ENDPOINTS + [f"entries/{data['entries'][2].code}/"]:
        response = client.get(f"{API}/{endpoint}")
        assert response.status_code == 200, endpoint
        licence = response.json()["license"]
        assert licence["url"] == "https://www.govdata.de/dl-de/by-2-0"
        assert licence["uri"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        assert licence["source_note"].startswith("Quelle: ")
        assert response["Link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"'


def test_unchanged_answers_are_304_without_a_query_and_change_with_the_data(
    client, data, django_assert_num_queries, django_assert_max_num_queries
):
    url = f"{API}/entries/?area=wirtschaft"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # HEAD gives the validators without the body.
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == etag and not head.content
    assert int(head["Content-Length"]) == len(first.content)
    # Another address is another answer, and so is the same path on another host (links carry it).
    assert client.get(f"{API}/entries/?area=mobilitaet", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get(url, HTTP_HOST="127.0.0.1", HTTP_IF_NONE_MATCH=etag).status_code == 200

    entry = data["entries"][0]
    entry.title = "Neuer Titel"
    entry.save_revision().publish()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_cors_lets_any_site_read_but_not_write(client, data):
    response = client.get(f"{API}/entries/", HTTP_ORIGIN="https://www.gemeinde-beispiel.de")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        f"{API}/entries/",
        HTTP_ORIGIN="https://www.gemeinde-beispiel.de",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    # A browser on another site may not send a token: neither POST nor Authorization is admitted.
    write = client.options(
        f"{API}/manage/entries/1.1.000/reports/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert "POST" not in write["Access-Control-Allow-Methods"]
    assert "Authorization" not in write["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/projektkatalog/")


def test_entry_detail_carries_what_the_entry_page_shows(client, data):
    entry = data["entries"][3]
    entry.sdg_targets.set(SdgTarget.objects.filter(code__in=["7.2", "13.1"]))
    ProjectLink.objects.create(project=entry, title="Mehr", url="https://example.org/mehr")
    publish_with_reports(entry, (datetime.date(2024, 5, 1), data["statuses"][0], "at_risk", 30))
    answer = client.get(f"{API}/entries/{entry.code}/").json()
    assert answer["code"] == entry.code and f"/eintrag/{entry.code.replace('.', '-')}/" in answer["url"]
    assert [target["code"] for target in answer["sdg_targets"]] == ["7.2", "13.1"]
    assert answer["links"] == [{"title": "Mehr", "url": "https://example.org/mehr"}]
    assert answer["reports"][0]["traffic_light"] == {"key": "at_risk", "label": "gefährdet"}
    assert answer["goals"][0]["key"] == entry.goals.get().code
    english = client.get(f"{API}/entries/{entry.code}/?locale=en")
    assert english.status_code == 404  # no English catalogue page in this small site
    listed = client.get(f"{API}/entries/?sdg=7").json()
    assert [item["code"] for item in listed["items"]] == [entry.code]


def test_labels_follow_the_locale_parameter_not_the_browser(client, data):
    german_answer = client.get(f"{API}/statuses/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert german_answer["items"][0]["name"] == data["statuses"][0].name
    sdgs = client.get(f"{API}/sdgs/?locale=en").json()["items"]
    assert sdgs[6]["name"] == "Affordable and clean energy" and len(sdgs[6]["targets"]) == 5
    assert client.get(f"{API}/sdgs/").json()["items"][6]["name"] == "Bezahlbare und saubere Energie"


def warm_list_budget(client, django_assert_max_num_queries):
    client.get(f"{API}/entries/?sort=title")
    for query in (
        "",
        "?area=wirtschaft&status=idee",
        "?municipality=lindenau&exclude_county_wide=1&limit=100",
        "?q=Radweg",
    ):
        with django_assert_max_num_queries(12):
            assert client.get(f"{API}/entries/{query}").status_code == 200


def test_list_budget_with_few_entries(client, site, django_assert_max_num_queries):
    build(5)
    catalogue_page()
    warm_list_budget(client, django_assert_max_num_queries)


def test_list_budget_with_more_entries(client, site, django_assert_max_num_queries):
    build(60)
    catalogue_page()
    warm_list_budget(client, django_assert_max_num_queries)


@pytest.mark.parametrize("count", [3, 40])
def test_detail_budget(client, site, count, django_assert_max_num_queries):
    entries = build(count)["entries"]
    catalogue_page()
    status = StatusFactory()
    entry = publish_with_reports(entries[1], (datetime.date(2024, 1, 1), status, "on_track", 10))
    client.get(f"{API}/entries/{entries[0].code}/")
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}/entries/{entry.code}/").status_code == 200


def test_reports_list_only_published_reports_of_live_entries(client, secrets, data):
    reports = client.get(f"{API}/reports/?limit=100").json()
    assert reports["count"] == StatusReport.objects.filter(project__live=True).count() == 1
    assert reports["items"][0]["entry"] == secrets["waiting"].code
    only = client.get(f"{API}/reports/?status={data['statuses'][0].slug}").json()
    assert only["count"] == 0
    assert Project.objects.filter(live=False).exists()
