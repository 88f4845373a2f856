"""The English message catalogue: complete, placeholder-safe, and actually served under /en/."""

import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %s / %d, {name} / {0}; a literal percent sign (%%) is not a placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][\w-]*")


def placeholders(text):
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalogue():
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run `make messages` and translate it"
    return polib.pofile(str(PO_PATH))


def pairs(entry):
    """(source, translation) pairs of an entry: one, or one per plural form."""
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return [(entry.msgid, forms.get(0, ""))] + [(entry.msgid_plural, forms[n]) for n in sorted(forms) if n > 0]
    return [(entry.msgid, entry.msgstr)]


def test_catalogue_is_complete_and_not_fuzzy(catalogue):
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert len(catalogue.translated_entries()) > 0
    assert not catalogue.metadata_is_fuzzy


def test_plural_entries_have_both_english_forms(catalogue):
    assert "nplurals=2" in catalogue.metadata.get("Plural-Forms", "")
    for entry in catalogue:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_placeholders_and_html(catalogue):
    broken = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        for source, translation in pairs(entry):
            if placeholders(source) != placeholders(translation):
                broken.append(("placeholders", source, translation))
            if HTML_TAG.findall(source) != HTML_TAG.findall(translation):
                broken.append(("HTML", source, translation))
    assert not broken, "\n".join(repr(item) for item in broken)


@pytest.fixture
def compiled_catalogue():
    """Compile the .po as `make compilemessages` does, and drop translations Django has cached."""
    from django.utils.translation.reloader import translation_file_changed

    from cms import compilemessages

    compilemessages.main()
    translation_file_changed(sender=None, file_path=PO_PATH.with_suffix(".mo"))
    yield


def shell_texts(response):
    page = BeautifulSoup(response.content, "html.parser")
    return (
        page,
        [a.get_text(strip=True) for a in page.select(".skip-links a")],
        [a.get_text(strip=True) for a in page.select("footer nav a")],
    )


@pytest.mark.django_db
def test_english_shell_is_english_and_german_shell_german(client, site, compiled_catalogue):
    english = client.get("/en/")
    assert english.status_code == 200
    page, skip_links, footer_links = shell_texts(english)
    assert page.html["lang"] == "en"
    assert skip_links == ["Skip to content", "Skip to search", "Skip to navigation"]
    assert "Legal notice" in footer_links
    assert "Privacy" in footer_links
    assert "Accessibility statement" in footer_links
    assert page.select_one("#site-search-q")["placeholder"] == "Search …"
    assert page.select_one(".site-search button").get_text(strip=True) == "Search"
    assert "Zum Inhalt springen" not in english.content.decode()

    german = client.get("/")
    assert german.status_code == 200
    page, skip_links, footer_links = shell_texts(german)
    assert page.html["lang"] == "de"
    assert skip_links == ["Zum Inhalt springen", "Zur Suche springen", "Zur Navigation springen"]
    assert "Impressum" in footer_links
    assert "Legal notice" not in footer_links
    assert "Skip to content" not in german.content.decode()


@pytest.mark.django_db
def test_english_404_page_is_english(client, site, compiled_catalogue):
    response = client.get("/en/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# `{% translate "…" %}` with a plain literal (no `as`, no context), the common form in our templates.
TEMPLATE_LITERAL = re.compile(r"""\{%\s*(?:translate|trans)\s+"((?:[^"\\]|\\.)+)"(?:\s+as\s+\w+)?\s*%\}""")
PROJECT_TEMPLATE_DIRS = [
    "templates",
    "catalogue",
    "home",
    "cms",
    "participation",
    "budget",
    "reporting",
    "accessibility",
]


def template_literals():
    """Every plain `{% translate "…" %}` literal in the project's templates, with where it stands."""
    base = Path(settings.BASE_DIR)
    found = {}
    for folder in PROJECT_TEMPLATE_DIRS:
        for path in sorted((base / folder).rglob("*.html")):
            for literal in TEMPLATE_LITERAL.findall(path.read_text(encoding="utf-8")):
                found.setdefault(literal.replace('\\"', '"'), str(path.relative_to(base)))
    return found


def test_every_template_string_is_in_the_catalogue(catalogue):
    """A string that was never extracted shows German on the English site although the catalogue is 'complete'."""
    known = {entry.msgid for entry in catalogue if not entry.obsolete and not entry.msgctxt}
    literals = template_literals()
    assert len(literals) > 300
    missing = {text: where for text, where in literals.items() if text not in known}
    assert not missing, f"not in locale/en (run `make messages` and translate): {missing}"
