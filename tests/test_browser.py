"""Real-browser tests (Playwright + Debian Chromium) against the built fixture site, served on 127.0.0.1."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from support import SettledPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RESULT = ".pagefind-ui__result"
RESULT_LINK = ".pagefind-ui__result-link"


def search(page: Any, site_url: str, path: str, query: str) -> list[str]:
    """Open a search page with `?q=`, wait for Pagefind's results and return their link paths."""
    page.goto(f"{site_url}{path}?q={query}")
    page.wait_for_selector(RESULT, timeout=15_000)
    page.wait_for_function(
        "() => !document.querySelector('.pagefind-ui__loading') && document.querySelectorAll('.pagefind-ui__result-link').length > 0"
    )
    hrefs = page.eval_on_selector_all(RESULT_LINK, "links => links.map(link => link.getAttribute('href'))")
    return [urlsplit(href).path for href in hrefs]


# --- search -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "query"),
    [
        ("/", "jeugdwerkers"),
        ("/en/", "playground"),
        ("/", "scholen"),  # the text says 'school': Dutch stemming
        ("/en/", "families"),  # the text says 'family': English stemming
    ],
)
def test_search_finds_pages_of_its_own_language_only(page: Any, site_url: str, prefix: str, query: str) -> None:
    paths = search(page, site_url, f"{prefix}zoeken/", query)
    assert f"{prefix}praktijken/alpha-praktijk/" in paths
    assert all(path.startswith("/en/") == (prefix == "/en/") for path in paths), paths


@pytest.mark.parametrize(
    ("path", "expected"), [("/zoeken/", "/praktijken/alpha-praktijk/"), ("/en/zoeken/", "/en/praktijken/alpha-praktijk/")]
)
def test_metadata_is_searchable(page: Any, site_url: str, path: str, expected: str) -> None:
    """'Willebroek' is written only in practice.yml (municipalities), not in the text."""
    assert search(page, site_url, path, "Willebroek") == [expected]


def test_a_fallback_text_is_not_indexed_as_the_page_language(page: Any, site_url: str) -> None:
    """beta-praktijk has Dutch text only: its body is found in Dutch, not in the English index."""
    assert "/praktijken/beta-praktijk/" in search(page, site_url, "/zoeken/", "spreekuur")
    page.goto(f"{site_url}/en/zoeken/?q=spreekuur")
    # The message also shows while Pagefind loads and searches ("Searching for spreekuur …"): wait for its answer.
    page.wait_for_function(
        "() => { const message = document.querySelector('.pagefind-ui__message');"
        " return message !== null && /(No results|results?) for \\[?spreekuur\\]?$/.test(message.textContent.trim()); }",
        timeout=15_000,
    )
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__loading')")
    links = page.eval_on_selector_all(RESULT_LINK, "links => links.map(link => new URL(link.href).pathname)")
    assert not [link for link in links if "beta-praktijk" in link], links  # the Dutch text is not in the English index


# --- language switch ----------------------------------------------------------------------------------


def test_language_switch_keeps_the_practice(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/alpha-praktijk/")
    page.hover(".md-header .md-select")
    link = page.locator('.md-header .md-select a[hreflang="en"]')
    link.wait_for(state="visible")
    link.click()
    page.wait_for_url("**/en/praktijken/alpha-praktijk/")
    assert urlsplit(page.url).path == "/en/praktijken/alpha-praktijk/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == "Alpha, a bridge between school and youth work"


def switch_to_english(page: Any) -> None:
    page.hover(".md-header .md-select")
    link = page.locator('.md-header .md-select a[hreflang="en"]')
    link.wait_for(state="visible")
    link.click()


def test_language_switch_keeps_the_catalogue_filters(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/")
    page.locator('details[data-facet="theme"] > summary').click()
    page.locator('input[name="theme"][value="onderwijs"]').check()
    switch_to_english(page)
    page.wait_for_url("**/en/praktijken/?theme=onderwijs")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('input[name="theme"][value="onderwijs"]').is_checked()
    assert visible_items(page) == ["alpha-praktijk/", "beta-praktijk/"]


def test_language_switch_keeps_the_search_query(page: Any, site_url: str) -> None:
    search(page, site_url, "/zoeken/", "scholen")
    switch_to_english(page)
    page.wait_for_url("**/en/zoeken/?q=scholen")
    page.wait_for_function(
        "() => document.querySelector('#hb-search input') && document.querySelector('#hb-search input').value === 'scholen'"
    )


# --- catalogue filters --------------------------------------------------------------------------------


def visible_items(page: Any) -> list[str]:
    items = page.locator("#hb-list > li")
    return [items.nth(i).locator(".hb-list__title").get_attribute("href") for i in range(items.count()) if items.nth(i).is_visible()]


def count_of(page: Any, param: str, value: str) -> str:
    return str(page.locator(f'input[name="{param}"][value="{value}"] ~ [data-count]').text_content()).strip()


def test_checking_a_theme_filters_the_list(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/")
    assert visible_items(page) == ["alpha-praktijk/", "beta-praktijk/", "gamma-practice/"]
    assert count_of(page, "pillar", "integrale-aanpak") == "(1)"
    page.locator('details[data-facet="theme"] > summary').click()
    page.locator('input[name="theme"][value="onderwijs"]').check()
    assert visible_items(page) == ["alpha-praktijk/", "beta-praktijk/"]
    assert parse_qs(urlsplit(page.url).query) == {"theme": ["onderwijs"]}
    assert count_of(page, "pillar", "integrale-aanpak") == "(0)"  # gamma is filtered out
    assert count_of(page, "pillar", "vertrouwen-middenveld") == "(1)"
    assert count_of(page, "theme", "beroepsgeheim") == "(1)"  # options of the same facet add up (OR)
    assert page.locator("#hb-results").inner_text() == "2 van 3 praktijken"
    page.locator('input[name="theme"][value="onderwijs"]').uncheck()
    assert len(visible_items(page)) == 3
    assert urlsplit(page.url).query == ""


def test_filters_are_restored_from_the_url(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/?theme=onderwijs&pillar=vertrouwen-middenveld")
    assert page.locator('input[name="theme"][value="onderwijs"]').is_checked()
    assert page.locator('input[name="pillar"][value="vertrouwen-middenveld"]').is_checked()
    assert not page.locator('input[name="theme"][value="jeugdwerk"]').is_checked()
    assert visible_items(page) == ["beta-praktijk/"]
    assert page.locator("#hb-results").inner_text() == "1 van 3 praktijken"


def test_english_catalogue_filters_with_no_match(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/en/praktijken/?theme=tewerkstelling")
    assert visible_items(page) == []
    assert page.locator("#hb-empty").is_visible()
    assert page.locator("#hb-results").inner_text() == "0 of 3 practices"


def test_without_javascript_every_practice_is_listed(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/praktijken/?theme=onderwijs")
        assert visible_items(page) == ["alpha-praktijk/", "beta-praktijk/", "gamma-practice/"]
        assert page.locator("#hb-results").inner_text() == "3 van 3 praktijken"
    finally:
        context.close()


# --- privacy: nothing is requested from another host ---------------------------------------------------

PAGES = [
    "/", "/praktijken/alpha-praktijk/", "/praktijken/", "/praktijken/dekking/", "/zoeken/?q=school",
    "/en/", "/en/praktijken/beta-praktijk/", "/en/praktijken/", "/en/zoeken/?q=family",
]  # fmt: skip


def test_no_request_leaves_the_site(page: Any, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    settled = SettledPage(page)
    for path in PAGES:
        settled.goto(f"{site_url}{path}")
        if "?q=" in path:
            page.wait_for_selector(RESULT)
    network = [url for url in requests if urlsplit(url).scheme not in ("data", "blob")]
    assert len(network) > len(PAGES)
    foreign = sorted({url for url in network if urlsplit(url).hostname != "127.0.0.1"})
    assert foreign == []
