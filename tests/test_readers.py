"""The handbook as a reader meets it, in Chromium: on a phone (no sideways scrolling, a readable header,
the catalogue's results on the first screen), on a desk, on paper (printing a practice), and through
search engines and feed readers (absolute canonical and hreflang links, Open Graph, the Atom feeds)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.request import urlopen

import pytest

from conftest import BuiltSite
from support import SettledPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_TYPES = [
    "/", "/en/", "/integrale-aanpak/", "/praktijken/", "/en/praktijken/?theme=jeugdwerk",
    "/praktijken/alpha-praktijk/", "/en/praktijken/beta-praktijk/", "/zoeken/?q=school",
    "/studiedagen/", "/studiedagen/studiedag-mechelen-2015/", "/en/studiedagen/studiedag-mechelen-2015/",
    "/praktijken/dekking/", "/praktijken/velden/", "/bijdragen/", "/404.html",
]  # fmt: skip
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


WIDTHS = (390, 360, 320)  # common phone widths, down to the smallest still sold


def test_no_sideways_scrolling_on_a_phone(phone: Any, site_url: str) -> None:
    """Every page type at every width: each page is loaded once and narrowed step by step (the layout follows
    the viewport as on a phone turned or resized: media queries and Material's resize handlers)."""
    wide = {}
    settled = SettledPage(phone)
    for path in PAGE_TYPES:
        phone.set_viewport_size({"width": WIDTHS[0], "height": 844})
        settled.goto(f"{site_url}{path}")
        for width in WIDTHS:
            phone.set_viewport_size({"width": width, "height": 844})
            scroll_width = phone.evaluate(
                "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(document.documentElement.scrollWidth))))"
            )
            if scroll_width > width:
                wide[f"{path} at {width} px"] = scroll_width
    assert wide == {}, "pages wider than the phone"


def test_header_title_and_search_are_readable_on_a_phone(phone: Any, site_url: str) -> None:
    phone.goto(f"{site_url}/praktijken/alpha-praktijk/")
    title = phone.locator(".md-header__topic:first-child .md-ellipsis")
    assert title.inner_text() == "Handboek integrale lokale aanpak van radicalisering"
    clipped = title.evaluate("e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1")
    assert not clipped, "the site title is cut off"
    assert phone.locator(".hb-header-search__button").is_visible()  # opens the search page and its full-width box
    phone.locator(".hb-header-search__button").click()
    phone.wait_for_url("**/zoeken/?q=")
    assert phone.locator("#hb-search input").is_visible()


def test_catalogue_results_on_the_first_phone_screen(phone: Any, site_url: str) -> None:
    phone.goto(f"{site_url}/praktijken/?theme=jeugdwerk&level=primary")
    panel = phone.locator("#hb-filter-panel")
    assert not panel.evaluate("details => details.open"), "the filter panel is closed on a phone"
    assert phone.locator("#hb-active-filters").inner_text() == "· 2 actief"
    first = phone.locator("#hb-list > li:not([hidden])").first
    box = first.bounding_box()
    assert box is not None and box["y"] < 844 - 40, f"the first result starts at {box}"
    panel.locator("summary.hb-filter-panel__summary").click()
    phone.locator('input[name="theme"][value="onderwijs"]').check()
    assert phone.locator("#hb-active-filters").inner_text() == "· 3 actief"


def test_catalogue_filters_open_on_a_desk_and_look_like_one_panel(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/en/praktijken/")
    assert page.locator("#hb-filter-panel").evaluate("details => details.open")
    heights = page.eval_on_selector_all(".hb-filters__actions .hb-button", "buttons => buttons.map(b => b.getBoundingClientRect().height)")
    assert len(heights) == 2 and heights[0] == heights[1], heights
    icon = page.locator('details[data-facet="theme"] > summary').evaluate("s => getComputedStyle(s, '::before').display")
    assert icon == "none", "no admonition icon on the facets"
    assert page.locator(".hb-feed-link").get_attribute("href") == "../feed.xml"


def test_printing_a_practice_gives_a_clean_page(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/alpha-praktijk/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".hb-header-search", ".md-footer"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert page.locator(".hb-card").evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    external = page.locator('.md-content a[href^="http"]').first
    shown = external.evaluate("a => getComputedStyle(a, '::after').content")
    assert external.get_attribute("href") in shown
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def head_of(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => ({
            canonical: document.querySelector('link[rel=canonical]').href,
            hreflang: Object.fromEntries([...document.querySelectorAll('link[rel=alternate][hreflang]')]
                .map(link => [link.hreflang, link.getAttribute('href')])),
            feed: document.querySelector('link[rel=alternate][type="application/atom+xml"]').getAttribute('href'),
            og: Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')].map(m => [m.getAttribute('property'), m.content])),
            description: document.querySelector('meta[name=description]').content,
            title: document.title,
        })"""
    )


def test_head_links_are_absolute_and_pages_can_be_shared(page: Any, built_site: BuiltSite, site_url: str) -> None:
    page.goto(f"{site_url}/en/praktijken/alpha-praktijk/")
    head = head_of(page)
    assert head["canonical"] == f"{site_url}/en/praktijken/alpha-praktijk/"
    assert head["hreflang"] == {
        "nl": f"{site_url}/praktijken/alpha-praktijk/",
        "en": f"{site_url}/en/praktijken/alpha-praktijk/",
        "x-default": f"{site_url}/praktijken/alpha-praktijk/",
    }
    assert head["feed"] == f"{site_url}/en/feed.xml"
    assert head["og"]["og:title"] == "Alpha, a bridge between school and youth work"
    assert head["og"]["og:locale"] == "en_GB"
    assert head["og"]["og:image"] == f"{site_url}/assets/handbook-og.png"
    assert head["description"].startswith("A test practice") and head["og"]["og:description"] == head["description"]
    assert head["title"] == "Alpha, a bridge between school and youth work - Handbook on the integral local approach to radicalisation"
    with urlopen(head["og"]["og:image"]) as response:
        assert response.headers["Content-Type"] == "image/png"


def test_one_site_title_per_language(page: Any, site_url: str) -> None:
    for path, title in [
        ("/", "Handboek integrale lokale aanpak van radicalisering"),
        ("/en/", "Handbook on the integral local approach to radicalisation"),
    ]:
        page.goto(f"{site_url}{path}")
        assert page.title() == title
        assert page.locator("h1").evaluate("h => h.firstChild.textContent.trim()") == title
        assert page.locator(".md-header__topic:first-child").inner_text().strip() == title
        assert page.locator(".hb-home > ul > li").count() == 5
        assert page.locator(".hb-newest .hb-list__item").count() >= 1


@pytest.mark.parametrize(("path", "language"), [("/feed.xml", "nl"), ("/en/feed.xml", "en")])
def test_atom_feed_per_language(site_url: str, path: str, language: str) -> None:
    with urlopen(f"{site_url}{path}") as response:
        feed = ET.fromstring(response.read())
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    prefix = "/en" if language == "en" else ""
    assert feed.findtext(f"{ATOM}id") == f"{site_url}{prefix}/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert {entry.findtext(f"{ATOM}id") for entry in entries} == {
        f"{site_url}{prefix}/praktijken/{practice}/" for practice in ("alpha-praktijk", "beta-praktijk", "gamma-practice")
    }
    dates = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert dates == sorted(dates, reverse=True)
