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
    "/selectie/?ids=alpha-praktijk,beta-praktijk,gamma-practice", "/en/selection/",
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


@pytest.mark.parametrize("path", ["/bijdragen/", "/en/bijdragen/"])
def test_contribute_mail_questions_open_without_sideways_scrolling(phone: Any, site_url: str, path: str) -> None:
    """The e-mail route's questions, opened, wrap at the smallest width (their long lines are in a <pre>)."""
    phone.set_viewport_size({"width": WIDTHS[-1], "height": 844})
    SettledPage(phone).goto(f"{site_url}{path}")
    phone.locator(".hb-contribute-questions > summary").click()
    phone.locator(".hb-contribute-questions pre").wait_for(state="visible")
    widths = phone.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(["
        "document.documentElement.scrollWidth, document.querySelector('.hb-contribute-questions pre').scrollWidth,"
        "document.querySelector('.hb-contribute-questions pre').clientWidth]))))"
    )
    assert widths[0] <= WIDTHS[-1] and widths[1] <= widths[2], f"page, questions' scroll and client width: {widths}"


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
    assert page.locator("#hb-card-details").evaluate("details => details.open"), "the whole card on paper"
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


# --- the catalogue: quality filters, order, download -------------------------------------------------------


def listed(page: Any) -> list[str]:
    return page.eval_on_selector_all("#hb-list > li:not([hidden])", "items => items.map(item => item.dataset.id)")


def test_quality_filters_count_and_narrow(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/?review=reviewed")
    page.wait_for_function("() => document.querySelector('#hb-results').textContent.trim() === '1 van 3 praktijken'")
    assert listed(page) == ["beta-praktijk"]
    evidence = page.locator('details[data-facet="evidence"]')
    assert evidence.locator("summary").inner_text().startswith("Evaluatie")
    option = evidence.locator('input[value="not-evaluated"]').locator("xpath=..").text_content() or ""
    assert " ".join(option.split()) == "Geen evaluatie bekend (1)"  # the count among the listed (reviewed) practices
    assert page.locator('details[data-facet="review"] input[value="reviewed"]').is_checked()
    page.locator('details[data-facet="status"] > summary').click()
    page.locator('details[data-facet="status"] input[value="unknown"]').check()  # reviewed and unknown: none
    page.wait_for_function("() => document.querySelector('#hb-results').textContent.trim() === '0 van 3 praktijken'")


def test_the_sort_control_orders_the_list_and_keeps_its_choice_in_the_url(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/?theme=onderwijs")
    control = page.get_by_label("Sorteren op")  # a visible label names it
    assert control.is_visible() and control.input_value() == "title"
    assert listed(page) == ["alpha-praktijk", "beta-praktijk"]
    control.focus()
    page.keyboard.press("ArrowDown")  # the keyboard alone: title → newest first
    page.wait_for_url("**/praktijken/?theme=onderwijs&sort=newest")
    assert listed(page) == ["alpha-praktijk", "beta-praktijk"]  # alpha's sources were read on the day beta was reviewed: title order
    page.keyboard.press("ArrowDown")
    page.wait_for_url("**/praktijken/?theme=onderwijs&sort=reviewed")
    assert listed(page) == ["beta-praktijk", "alpha-praktijk"]  # the reviewed one first
    page.goto(f"{site_url}/en/praktijken/?sort=newest")
    assert page.get_by_label("Sort by").input_value() == "newest"
    assert listed(page) == ["gamma-practice", "alpha-praktijk", "beta-praktijk"]
    page.get_by_label("Sort by").select_option("title")
    page.wait_for_url(f"{site_url}/en/praktijken/")
    assert listed(page) == ["alpha-praktijk", "beta-praktijk", "gamma-practice"]


def test_without_javascript_the_sort_control_leaves_the_full_list(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/praktijken/?sort=reviewed")
        assert listed(page) == ["alpha-praktijk", "beta-praktijk", "gamma-practice"]
        assert page.get_by_label("Sorteren op").is_visible()
        assert page.locator("#hb-download").get_attribute("href") == "../data/practices.csv"
    finally:
        context.close()


def read_csv(download: Any) -> list[list[str]]:
    import csv
    import io
    from pathlib import Path

    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), data[:20]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_link_downloads_the_listed_results(browser: Any, site_url: str) -> None:
    """With filters the file is made in the browser from the site's CSV (the policy allows it: no violation in
    Chromium); without them it is the site's file itself."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    try:
        page.goto(f"{site_url}/en/praktijken/?level=secondary&sort=reviewed")
        page.wait_for_function("() => document.querySelector('#hb-results').textContent.trim() === '2 of 3 practices'")
        with page.expect_download() as made:
            page.get_by_role("link", name="Download these results as CSV").click()
        assert made.value.url.startswith("blob:") and made.value.suggested_filename == "practices.csv"
        header, *rows = read_csv(made.value)
        assert header[:4] == ["id", "title", "summary", "url"] and "review.status" in header
        assert [row[0] for row in rows] == ["beta-praktijk", "alpha-praktijk"]  # the list's order
        assert rows[1][3] == "/en/praktijken/alpha-praktijk/"
        page.goto(f"{site_url}/praktijken/")
        with page.expect_download() as whole:
            page.locator("#hb-download").click()
        assert whole.value.url == f"{site_url}/data/practices.csv"
        assert [row[0] for row in read_csv(whole.value)[1:]] == ["alpha-praktijk", "beta-praktijk", "gamma-practice"]
        assert violations == []
    finally:
        context.close()


def test_apply_filters_on_a_phone_closes_the_panel_and_shows_the_count(phone: Any, site_url: str) -> None:
    phone.goto(f"{site_url}/praktijken/")
    panel = phone.locator("#hb-filter-panel")
    panel.locator("summary.hb-filter-panel__summary").click()
    phone.locator('details[data-facet="evidence"] > summary').click()
    phone.locator('details[data-facet="evidence"] input[value="not-evaluated"]').check()
    phone.get_by_role("button", name="Filters toepassen").click()
    phone.wait_for_function("() => !document.getElementById('hb-filter-panel').open")
    assert phone.evaluate("() => document.activeElement.id") == "hb-results"
    assert phone.locator("#hb-results").inner_text() == "2 van 3 praktijken"
    box = phone.locator("#hb-list > li:not([hidden])").first.bounding_box()
    assert box is not None and 0 <= box["y"] < 844 - 40, f"the first result starts at {box}"
    assert phone.url.endswith("/praktijken/?evidence=not-evaluated")


def test_on_a_desk_the_results_start_on_the_first_screen_with_two_groups_open(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/praktijken/")
    for facet in ("theme", "evidence"):
        page.locator(f'details[data-facet="{facet}"] > summary').click()
    page.wait_for_function("() => document.querySelectorAll('details[data-facet][open]').length === 2")
    top = page.locator("#hb-list > li").first.evaluate("item => item.getBoundingClientRect().top + window.scrollY")
    assert top + 60 < 900, f"the first result starts {top} px down the page"


# --- a practice page on a phone ---------------------------------------------------------------------------


def test_a_practice_page_starts_its_text_on_the_first_phone_screen(phone: Any, site_url: str) -> None:
    phone.goto(f"{site_url}/praktijken/alpha-praktijk/")
    context = phone.locator("#context").bounding_box()
    assert context is not None and context["y"] + context["height"] < 844, f"'Context' starts at {context}"
    sections = phone.get_by_role("navigation", name="Op deze pagina").get_by_role("link")
    assert sections.all_inner_texts()[:2] == ["Context", "Doelstellingen"] and sections.last.inner_text() == "Bronnen"
    card = phone.locator("#hb-card-details")
    assert not card.evaluate("details => details.open")
    assert phone.locator(".hb-card__short").inner_text().startswith("Praktijk Mechelen, Willebroek · Evaluatie: Geen evaluatie bekend")
    card.locator("summary").click()  # the full card, one tap away
    assert phone.locator(".hb-card__row dt").first.is_visible()
    phone.reload()
    assert not card.evaluate("details => details.open")
    phone.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # printing from a phone: the whole card
    assert card.evaluate("details => details.open")


def test_a_practice_page_on_a_desk_shows_the_full_card(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/en/praktijken/alpha-praktijk/")
    assert page.locator("#hb-card-details").evaluate("details => details.open")
    assert page.locator(".hb-card__row dt", has_text="Lead organisation").is_visible()


# --- search results --------------------------------------------------------------------------------------


def search_results(page: Any, url: str) -> list[dict[str, Any]]:
    page.goto(url)
    page.wait_for_function(
        "() => !document.querySelector('.pagefind-ui__loading') && document.querySelectorAll('.pagefind-ui__result').length > 0"
    )
    return search_results_shown(page)


def search_results_shown(page: Any) -> list[dict[str, Any]]:
    """The results the search page shows: their address, excerpt and tags."""
    return page.eval_on_selector_all(
        ".pagefind-ui__result",
        """results => results.map(r => ({
            url: r.querySelector('.pagefind-ui__result-link').getAttribute('href'),
            excerpt: r.querySelector('.pagefind-ui__result-excerpt').textContent,
            tags: [...r.querySelectorAll('.pagefind-ui__result-tag')].map(t => t.textContent.trim()),
        }))""",
    )


@pytest.mark.parametrize(
    ("path", "url", "tags", "clear"),
    [
        ("/zoeken/", "/praktijken/alpha-praktijk/", ["Gemeenten: Mechelen, Willebroek", "Soort: Praktijk"], "Wissen"),
        ("/en/zoeken/", "/en/praktijken/alpha-praktijk/", ["Municipalities: Mechelen, Willebroek", "Type: Practice"], "Clear"),
    ],
)
def test_search_results_show_text_with_kind_and_municipality(
    page: Any, site_url: str, path: str, url: str, tags: list[str], clear: str
) -> None:
    (result,) = search_results(page, f"{site_url}{path}?q=Willebroek")
    assert result["url"] == url
    assert sorted(result["tags"]) == tags
    assert "Context" in result["excerpt"] and "Preventieniveaus" not in result["excerpt"] and "Prevention levels" not in result["excerpt"]
    assert page.locator(".pagefind-ui__search-clear").inner_text() == clear  # the site's words, not Pagefind's "Reset"


@pytest.mark.parametrize(
    ("query", "label", "also"),
    [
        ("vertrouwensband", "Een hechte vertrouwensband met het middenveld", "/praktijken/alpha-praktijk/"),  # alpha's text has it
        ("familieondersteuning", "Familieondersteuning", None),
    ],
)
def test_a_practice_found_only_by_a_label_of_its_card_shows_its_summary(
    page: Any, site_url: str, query: str, label: str, also: str | None
) -> None:
    """beta-praktijk's pillar and theme are labels of its card, not words of its text: its page is found by them
    (its search words, views/practice.search_words), below a practice whose text has the word, and its result
    shows its summary, not the line of labels, and no tag for the summary."""
    results = search_results(page, f"{site_url}/zoeken/?q={query}")
    urls = [result["url"] for result in results]
    assert "/praktijken/beta-praktijk/" in urls, urls
    beta = results[urls.index("/praktijken/beta-praktijk/")]
    assert beta["excerpt"].startswith("Een testpraktijk waarin een gezinscoach ouders ondersteunt"), beta["excerpt"]
    assert label not in beta["excerpt"] and "Ouders en gezinnen" not in beta["excerpt"]
    assert sorted(beta["tags"]) == ["Gemeenten: Vilvoorde", "Soort: Praktijk"]
    if also:
        assert urls.index(also) < urls.index("/praktijken/beta-praktijk/")
        text = results[urls.index(also)]["excerpt"]
        assert query in text.lower() and "Jongeren, Scholen" not in text  # an excerpt of its text


def test_a_practice_is_found_by_a_partner_its_text_does_not_name(page: Any, site_url: str) -> None:
    """alpha-praktijk's partner CLB is on its card only (its text does not name it): its page is found by it, with
    its summary as the excerpt (views/practice.search_words), below the framework pages whose text has the word
    (the reader loads more results to reach it)."""
    results = search_results(page, f"{site_url}/zoeken/?q=CLB")
    while "/praktijken/alpha-praktijk/" not in [result["url"] for result in results] and page.locator(".pagefind-ui__button").count():
        shown = len(results)
        page.locator(".pagefind-ui__button").click()
        page.wait_for_function(  # more results, all loaded (a placeholder has no link yet)
            f"() => document.querySelectorAll('.pagefind-ui__result').length > {shown} && !document.querySelector('.pagefind-ui__loading')"
        )
        results = search_results_shown(page)
    urls = [result["url"] for result in results]
    assert "/praktijken/alpha-praktijk/" in urls, urls
    alpha = results[urls.index("/praktijken/alpha-praktijk/")]
    assert "Lokale politie" not in alpha["excerpt"] and alpha["excerpt"], alpha


def test_the_card_is_not_indexed_as_text(page: Any, site_url: str) -> None:
    """'Redactiestatus' and 'Dragende organisatie' are labels of the card only: no practice is found by them."""
    for query in ("Redactiestatus", "Dragende organisatie"):
        page.goto(f"{site_url}/zoeken/?q={query}")
        page.wait_for_function(
            "() => !document.querySelector('.pagefind-ui__loading') && /resulta(at|ten) voor|Geen resultaten/"
            ".test((document.querySelector('.pagefind-ui__message') || {}).textContent || '')"
        )
        links = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")
        assert [link for link in links if "/praktijken/" in link] == [], (query, links)
