"""The design system: colour tokens that keep their contrast whatever the county colour, one joined
stylesheet that matches its sources, the tokens in the page shell, and the pattern library only where
it is switched on."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from cms import design_system
from cms.colours import brand_tokens, contrast_ratio, parse_hex, text_safe
from cms.models import SiteSettings

WHITE = (255, 255, 255)
TEXT = parse_hex("#1b1b1b")

# Light, mid and dark county colours, and the extremes.
COLOURS = ["#f2c14e", "#ffff00", "#7fb800", "#e4003a", "#1a5f7a", "#003366", "#ffffff", "#000000"]


@pytest.mark.parametrize("colour", COLOURS)
def test_every_derived_colour_keeps_its_contrast(colour):
    tokens = brand_tokens(colour)
    brand_text, tint = parse_hex(tokens.brand_text), parse_hex(tokens.brand_tint)
    assert contrast_ratio(brand_text, WHITE) >= 4.5
    assert contrast_ratio(brand_text, tint) >= 4.5
    assert contrast_ratio(TEXT, tint) >= 4.5
    assert contrast_ratio(parse_hex(tokens.on_brand), parse_hex(tokens.brand)) >= 4.5
    assert tokens.brand == colour


def test_a_light_county_colour_is_darkened_only_as_far_as_needed():
    yellow = parse_hex("#f2c14e")
    assert contrast_ratio(yellow, WHITE) < 2
    darker = text_safe(yellow)
    assert 4.5 <= contrast_ratio(darker, WHITE) < 4.8
    # Still a yellow-brown: red above green above blue, as in the county's colour.
    assert darker[0] > darker[1] > darker[2]
    assert brand_tokens("#f2c14e").on_brand == "#000000"


def test_a_dark_county_colour_is_kept_as_it_is():
    tokens = brand_tokens("#1a5f7a")
    assert tokens.brand_text == "#1a5f7a"
    assert tokens.on_brand == "#ffffff"
    assert contrast_ratio(parse_hex("#1a5f7a"), WHITE) == pytest.approx(7.0, abs=0.1)


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio((0, 0, 0), WHITE) == pytest.approx(21)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1)
    assert contrast_ratio(parse_hex("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("setting", ["", "not a colour", "#12345", None])
def test_an_unusable_setting_falls_back_to_the_default_colour(setting):
    assert brand_tokens(setting).brand == "#1a5f7a"


def test_the_joined_stylesheet_matches_its_sources():
    assert design_system.BUNDLE.read_text(encoding="utf-8") == design_system.bundle(), "run python -m cms.design_system"
    names = [path.name for path in design_system.sources()]
    assert names[0] == "tokens.css"
    for component in ["card", "status_badge", "traffic_light", "progress_bar", "key_figure", "chart_frame"]:
        assert f"{component}.css" in names
    for component in ["filter_disclosure", "pagination", "notice"]:
        assert f"{component}.css" in names


def _root_style(html):
    soup = BeautifulSoup(html, "html.parser")
    style = soup.select_one("head style[nonce]")
    return style, soup


def test_pages_carry_the_tokens_of_the_site_colour_in_the_nonced_style(client, site):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.brand_colour = "#f2c14e"
    settings.save()
    response = client.get("/")
    style, soup = _root_style(response.content.decode())
    nonce = style["nonce"]
    assert nonce and nonce in response.headers["Content-Security-Policy"]
    properties = dict(re.findall(r"(--[a-z-]+): (#[0-9a-f]{6})", style.string))
    assert properties["--brand"] == "#f2c14e"
    assert contrast_ratio(parse_hex(properties["--brand-text"]), WHITE) >= 4.5
    assert properties["--on-brand"] == "#000000"
    assert soup.select_one('link[href$="css/design-system.css"]') is not None


def test_pattern_library_shows_every_component_and_state(client, site):
    response = client.get("/muster/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    badges = [badge.get_text(" ", strip=True) for badge in html.select("#pattern-status ~ ul .status-badge")]
    assert badges == [
        "Idee",
        "in Planung",
        "in Umsetzung",
        "abgeschlossen",
        "verstetigt",
        "zurückgestellt",
        "entfallen",
        "noch kein Bericht",
    ]
    lights = [light.get_text(strip=True) for light in html.select("#pattern-light ~ ul .traffic-light")]
    assert lights == ["im Plan", "gefährdet", "kritisch", "unbekannt"]
    bars = html.select("#pattern-progress ~ ul progress")
    assert [bar["value"] for bar in bars] == ["0", "50", "100"]
    assert all(bar["aria-label"] == "Fortschritt" for bar in bars)
    assert html.select_one("#pattern-progress ~ ul .progress-figure--none").get_text() == "kein Fortschritt berechenbar"
    assert [t.get_text(strip=True) for t in html.select("#pattern-progress ~ ul .progress-figure__text")] == [
        "0 %",
        "50 %",
        "100 %",
    ]
    assert len(html.select(".key-figures__item")) == 3
    frames = html.select("figure.chart-frame")
    assert [frame.select_one("details").has_attr("open") for frame in frames] == [False, True]
    assert all(frame.select("details table tbody tr") for frame in frames)
    navs = html.select("nav.pagination")
    assert [[link["rel"][0] for link in nav.select("a")] for nav in navs] == [["next"], ["prev", "next"], ["prev"]]
    assert [nav.select_one("[aria-current=page]").get_text() for nav in navs] == [
        "Seite 1 von 5",
        "Seite 3 von 5",
        "Seite 5 von 5",
    ]
    kinds = [notice.select_one(".notice__kind").get_text() for notice in html.select(".notice")]
    assert kinds == ["Information:", "Erledigt:", "Hinweis:", "Fehler:", "Information:"]
    assert html.select_one("details.filter-disclosure fieldset input[checked]") is not None


def test_pattern_library_in_english(client, site):
    response = client.get("/en/muster/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.html["lang"] == "en"
    assert html.h1.get_text() == "Pattern library"
    lights = [light.get_text(strip=True) for light in html.select("#pattern-light ~ ul .traffic-light")]
    assert lights == ["on track", "at risk", "off track", "unknown"]
    assert html.select_one("nav.pagination [aria-current=page]").get_text() == "Page 1 of 5"


@pytest.mark.parametrize("path", ["/muster/", "/en/muster/"])
def test_pattern_library_is_not_served_where_switched_off(client, site, settings, path):
    settings.PATTERN_LIBRARY = False
    settings.DEBUG = False
    assert client.get(path).status_code == 404


def test_pattern_library_is_served_in_debug_mode_even_without_the_setting(client, site, settings):
    settings.PATTERN_LIBRARY = False
    settings.DEBUG = True
    assert client.get("/muster/").status_code == 200
