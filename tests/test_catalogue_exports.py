"""Exports and feed of the public catalogue: each gives back exactly the filtered entries."""

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
from openpyxl import load_workbook

from catalogue.imports import COLUMN_KEYS, headers
from tests.catalogue_public_data import build, catalogue_page
from tests.factories.catalogue import publish_with_reports

URL = "/projektkatalog/"
ATOM = "{http://www.w3.org/2005/Atom}"
FILTER = "?area=wirtschaft&kind=project"


@pytest.fixture
def data(site):
    result = build(24)
    result["page"] = catalogue_page()
    return result


def expected_codes(data):
    return sorted(
        e.code
        for e in data["entries"]
        if e.kind == "project" and any(g.area.slug == "wirtschaft" for g in e.goals.all())
    )


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_is_utf8_with_bom_semicolons_and_the_filtered_entries(client, data):
    response = client.get(URL + "export/csv/" + FILTER)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == headers()
    # The last line names the source and the licence, as Datenlizenz Deutschland asks.
    assert rows[-1][0].startswith("# Quelle: ") and "Datenlizenz Deutschland" in rows[-1][0]
    assert response["Link"] == '<https://www.govdata.de/dl-de/by-2-0>; rel="license"'
    assert sorted(row[0] for row in rows[1:-1]) == expected_codes(data)


def test_xlsx_has_the_filtered_entries_and_the_licence_in_its_properties(client, data):
    response = client.get(URL + "export/xlsx/" + FILTER)
    workbook = load_workbook(io.BytesIO(body(response)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers()
    assert sorted(row[0] for row in rows[1:]) == expected_codes(data)
    assert "Datenlizenz Deutschland" in workbook.properties.description
    note = workbook["Quelle und Lizenz"]["A1"].value
    assert note.startswith("Quelle: ") and "Datenlizenz Deutschland" in note


def test_json_has_licence_columns_and_the_filtered_entries(client, data):
    document = json.loads(body(client.get(URL + "export/json/" + FILTER)))
    assert document["license"]["name"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    assert [column["key"] for column in document["columns"]] == COLUMN_KEYS
    assert sorted(entry["code"] for entry in document["entries"]) == expected_codes(data)
    assert set(document["entries"][0]) == set(COLUMN_KEYS)


def test_exports_of_an_empty_selection_and_of_bad_input(client, data):
    document = json.loads(body(client.get(URL + "export/json/?area=wirtschaft&area=mobilitaet&q=gibtesnicht")))
    assert document["entries"] == []
    assert client.get(URL + "export/csv/?" + "&".join(["kind=project"] * 60)).status_code == 400
    assert client.get(URL + "export/csv/?status=%00").status_code == 200


def test_feed_is_atom_with_the_reports_of_the_filtered_entries(client, data):
    import datetime

    inside = [e for e in data["entries"] if e.code in expected_codes(data)][:2]
    outside = next(e for e in data["entries"] if e.code not in expected_codes(data))
    for number, entry in enumerate([*inside, outside]):
        publish_with_reports(entry, (datetime.date(2024, 3, 1 + number), data["statuses"][1], "on_track", 30))
    response = client.get(URL + "feed/" + FILTER)
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    titles = [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]
    assert sorted(title.split(" ")[0] for title in titles) == sorted(e.code for e in inside)
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]
    assert all(link.startswith("http://testserver/projektkatalog/eintrag/") for link in links)


def test_csv_and_json_exports_stream_rather_than_build_in_memory(client, data):
    assert client.get(URL + "export/csv/").streaming
    assert client.get(URL + "export/json/").streaming


def test_the_year_facet_counts_what_happened_over_what_was_planned(client, data):
    """An entry is active in a year when it had started by its end and had not ended before its start:
    dates that happened count over planned ones, a missing end means it still runs. The export (SQL)
    and the list (bit sets) agree."""
    import datetime

    from tests.factories import ProjectFactory

    day = datetime.date
    cases = {
        # code: (planned start, planned end, actual start, actual end), active in 2025?
        "9.1.01": ((day(2025, 3, 1), day(2025, 9, 1), day(2026, 2, 1), None), False),  # started late
        "9.1.02": ((day(2024, 3, 1), day(2026, 9, 1), None, day(2024, 12, 31)), False),  # ended early
        "9.1.03": ((day(2023, 3, 1), day(2024, 6, 1), None, day(2025, 1, 1)), True),  # ended on 1 January
        "9.1.04": ((day(2023, 3, 1), None, None, None), True),  # no end: continuous
        "9.1.05": ((day(2023, 3, 1), None, None, day(2024, 5, 1)), False),  # ended, no planned end
        "9.1.06": ((day(2026, 1, 1), day(2026, 9, 1), day(2025, 12, 31), None), True),  # started early
        "9.1.07": ((day(2023, 3, 1), day(2024, 12, 31), None, None), False),  # planned to end before
        "9.1.08": ((day(2027, 3, 1), day(2027, 9, 1), None, None), False),
    }
    for code, ((planned_start, planned_end, actual_start, actual_end), _active) in cases.items():
        entry = ProjectFactory(
            code=code,
            goals=[data["goals"][0]],
            planned_start=planned_start,
            planned_end=planned_end,
            actual_start=actual_start,
            actual_end=actual_end,
            continuous=planned_end is None,
        )
        entry.save()
    ours = {code for code, (_dates, active) in cases.items() if active}

    def exported(query):
        document = json.loads(body(client.get(URL + "export/json/?" + query)))
        return {entry["code"] for entry in document["entries"] if entry["code"].startswith("9.1.")}

    def listed(query):
        html = client.get(URL + "?" + query + "&per_page=100").content.decode()
        return {code for code in cases if f">{code}<" in html}

    assert exported("year=2025") == ours
    assert listed("year=2025") == ours
    # Two years: either of them.
    assert exported("year=2025&year=2027") == ours | {"9.1.08"}


def test_a_common_word_is_left_to_the_database_with_the_same_result(client, data, monkeypatch):
    """Beyond MAX_TEXT_MATCH_IDS matches the text filter lets the database match again instead of
    sending the ids: the export gives the same entries either way."""
    from catalogue.public import facets
    from tests.demo_snapshot import forget_cached_data

    query = "export/json/?q=Anker&area=wirtschaft"
    few = json.loads(body(client.get(URL + query)))["entries"]
    assert few
    expected = sorted(entry["code"] for entry in few)
    anker = sum(1 for entry in data["entries"] if "Anker" in entry.title)
    for limit in (anker - 1, anker):  # just beyond the limit, and exactly at it
        monkeypatch.setattr(facets, "MAX_TEXT_MATCH_IDS", limit)
        forget_cached_data()  # the export itself is cached
        entries = json.loads(body(client.get(URL + query)))["entries"]
        assert sorted(entry["code"] for entry in entries) == expected, limit
