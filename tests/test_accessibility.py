"""Accessibility of the built fixture site in a real browser: axe-core (WCAG 2.1 A/AA) on every built page
and on every page type in its interactive states (filtered catalogue, search results) in both languages, no
failed request and no console error on any page, and the catalogue filters, the search and the language
switcher with the keyboard alone.

axe-core comes from npm (`npm ci`, see package.json); exceptions only through tests/waivers.yml.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import BuiltSite
from gates import html_files, load_waivers
from support import REPO, SettledPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULT = ".pagefind-ui__result"

# The pages in their interactive states, in both languages: the filtered catalogue and search results (axe
# checks every built page as it loads in `test_axe_and_no_failed_request_on_every_built_page`).
PAGES = [
    "/praktijken/?theme=jeugdwerk&level=primary", "/en/praktijken/?theme=jeugdwerk&level=primary",
    "/zoeken/?q=school", "/en/zoeken/?q=school",
    "/selectie/?ids=alpha-praktijk,gamma-practice", "/en/selection/?ids=beta-praktijk",
]  # fmt: skip


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (scripts/test.sh does)")
    return AXE.read_text(encoding="utf-8")


def open_page(page: Any, site_url: str, path: str) -> None:
    page.goto(f"{site_url}{path}")
    if "?q=" in path:  # the search results are rendered by Pagefind's UI
        page.wait_for_selector(RESULT)
        page.wait_for_function("() => !document.querySelector('.pagefind-ui__loading')")
    if "ids=" in path:  # the selection page has fetched the practices' pages
        page.wait_for_selector("#hb-selection-practices[data-state=ready]", state="attached")


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    page.evaluate(axe_source)  # through DevTools: the page's Content-Security-Policy would refuse a <script> tag
    assert page.evaluate("() => typeof axe") == "object"
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return list(result["violations"])


def describe(violations: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{rule} at {selector}: {help_text}" for rule, selector, help_text in violations)


def page_path(built_site: BuiltSite, html: Any) -> str:
    """The address of a built HTML file: /x/ for x/index.html, /404.html for 404.html."""
    relative = "/" + html.relative_to(built_site.site).as_posix()
    return relative.removesuffix("index.html")


SHARDS = 4  # the built pages in four parts, so that two workers (pytest-xdist) share them


@pytest.mark.parametrize("shard", range(SHARDS))
def test_axe_and_no_failed_request_on_every_built_page(
    page: Any, built_site: BuiltSite, site_url: str, axe_source: str, shard: int
) -> None:
    """Every HTML page the build wrote, in both languages (not a sample; every SHARDS-th from `shard` here): no
    axe violation, no request that fails (such as Material's language selector asking for a sitemap.xml that
    is not there) and no console error."""
    waivers = load_waivers()
    failed: list[str] = []
    errors: list[str] = []
    current = {"path": ""}
    page.on(
        "response",
        lambda response: failed.append(f"{current['path']}: {response.status} {response.url}") if response.status >= 400 else None,
    )
    page.on("requestfailed", lambda request: failed.append(f"{current['path']}: {request.failure} {request.url}"))
    page.on("console", lambda message: errors.append(f"{current['path']}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{current['path']}: {error}"))
    found: list[tuple[str, str, str]] = []
    paths = [page_path(built_site, html) for html in html_files(built_site.site)]
    assert len(paths) > 30 and "/en/" in paths and "/404.html" in paths
    paths = paths[shard::SHARDS]
    settled = SettledPage(page)
    for path in paths:
        current["path"] = path
        settled.goto(f"{site_url}{path}")
        found += [
            (violation["id"], " ".join(map(str, node["target"])), f"{path}: {violation['help']}")
            for violation in axe_violations(page, axe_source)
            for node in violation["nodes"]
        ]
    unwaived = [entry for entry in found if not waivers.waives_axe(entry[0], entry[1])]
    assert unwaived == [], f"axe-core on {len(paths)} pages:\n{describe(unwaived)}"
    assert failed == [], "failed requests:\n" + "\n".join(failed)
    assert errors == [], "console errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("path", ["/praktijken/alpha-praktijk/", "/en/praktijken/beta-praktijk/", "/en/", "/404.html"])
def test_language_selector_finds_its_sitemaps(page: Any, site_url: str, path: str) -> None:
    """Material's language selector fetches sitemap.xml next to every <link rel="alternate"> (the page in the
    other language, the feed); each of those requests is answered."""
    answers: dict[str, int] = {}
    page.on(
        "response",
        lambda response: (
            answers.__setitem__(urlsplit(response.url).path, response.status) if response.url.endswith("sitemap.xml") else None
        ),
    )
    SettledPage(page).goto(f"{site_url}{path}")
    alternates = page.eval_on_selector_all("link[rel=alternate]", "links => links.map(link => new URL('sitemap.xml', link.href).pathname)")
    assert alternates, "no alternate links"
    assert {alternate: answers.get(alternate) for alternate in alternates} == dict.fromkeys(alternates, 200)


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violation(page: Any, site_url: str, axe_source: str, path: str) -> None:
    open_page(page, site_url, path)
    if path.startswith("/praktijken/?") or path.startswith("/en/praktijken/?"):
        assert page.locator('input[name="theme"][value="jeugdwerk"]').is_checked()  # the filters are applied
    waivers = load_waivers()
    found = [
        (violation["id"], " ".join(map(str, node["target"])), f"{violation['help']} ({violation['helpUrl']})")
        for violation in axe_violations(page, axe_source)
        for node in violation["nodes"]
    ]
    unwaived = [entry for entry in found if not waivers.waives_axe(entry[0], entry[1])]
    assert unwaived == [], f"axe-core ({', '.join(AXE_TAGS)}) on {path}:\n{describe(unwaived)}"


def test_axe_finds_a_planted_violation(page: Any, site_url: str, axe_source: str) -> None:
    """The gate is alive: an image without alt text and a low-contrast text are reported."""
    open_page(page, site_url, "/")
    page.evaluate(
        """() => document.querySelector('article').insertAdjacentHTML('beforeend',
            '<img src="data:," id="planted-img"><p id="planted-text" style="color:#ccc;background:#fff">grijs</p>')"""
    )
    found = {(violation["id"], node["target"][0]) for violation in axe_violations(page, axe_source) for node in violation["nodes"]}
    assert {("image-alt", "#planted-img"), ("color-contrast", "#planted-text")} <= found


# --- keyboard -----------------------------------------------------------------------------------------


def tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches `selector` (and fail if it never does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement && document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def assert_focus_visible(page: Any) -> None:
    """The focused element shows a focus indicator: an outline or a box shadow under :focus-visible."""
    style = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {visible: element.matches(':focus-visible'), outline: style.outlineStyle, width: style.outlineWidth,
                    shadow: style.boxShadow, element: element.outerHTML.slice(0, 120)};
        }"""
    )
    assert style["visible"], style
    has_outline = style["outline"] != "none" and style["width"] not in ("0px", "")
    assert has_outline or style["shadow"] != "none", f"no visible focus: {style}"


def visible_items(page: Any) -> list[str]:
    return page.eval_on_selector_all("#hb-list > li:not([hidden]) .hb-list__title", "links => links.map(link => link.getAttribute('href'))")


def test_catalogue_filters_with_the_keyboard(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/")
    assert visible_items(page) == ["alpha-praktijk/", "beta-praktijk/", "gamma-practice/"]
    tab_to(page, 'details[data-facet="theme"] > summary')
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert page.locator('details[data-facet="theme"]').evaluate("details => details.open")
    tab_to(page, 'details[data-facet="theme"] input[value="onderwijs"]')
    assert_focus_visible(page)
    page.keyboard.press("Space")
    assert page.locator('input[name="theme"][value="onderwijs"]').is_checked()
    assert visible_items(page) == ["alpha-praktijk/", "beta-praktijk/"]
    assert parse_qs(urlsplit(page.url).query) == {"theme": ["onderwijs"]}
    assert page.locator("#hb-results").inner_text() == "2 van 3 praktijken"
    page.keyboard.press("Space")
    assert len(visible_items(page)) == 3


@pytest.mark.parametrize(("start", "expected"), [("/", "/zoeken/"), ("/en/", "/en/zoeken/")])
def test_header_search_with_the_keyboard(page: Any, site_url: str, start: str, expected: str) -> None:
    page.goto(f"{site_url}{start}")
    tab_to(page, "#hb-header-search-input")
    assert_focus_visible(page)
    page.keyboard.type("school")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{expected}?q=school")
    page.wait_for_selector(RESULT)
    assert urlsplit(page.url).path == expected


def test_language_switcher_with_the_keyboard(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/alpha-praktijk/")
    tab_to(page, '.md-header .md-select a[hreflang="en"]')
    assert_focus_visible(page)
    assert page.locator('.md-header .md-select a[hreflang="en"]').is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/praktijken/alpha-praktijk/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("selector", ["a.md-header__button.md-logo", ".md-content a[href]", "#hb-header-search-input"])
def test_focus_is_visible(page: Any, site_url: str, selector: str) -> None:
    page.goto(f"{site_url}/integrale-aanpak/")
    tab_to(page, selector)
    assert_focus_visible(page)


@pytest.mark.parametrize("path", ["/bijdragen/", "/en/bijdragen/"])
def test_contribute_mail_route_with_the_keyboard_and_axe(page: Any, site_url: str, axe_source: str, path: str) -> None:
    """The e-mail route of the Bijdragen page (the fixture site has an editors' address): its link and the
    questions to copy reached with Tab, opened with Enter, and no axe violation with the questions open."""
    page.goto(f"{site_url}{path}")
    link = page.locator('.hb-contribute-mail a[href^="mailto:"]')
    assert link.count() == 1 and link.get_attribute("href").startswith("mailto:redactie@handboek.example.be?subject=")
    tab_to(page, '.hb-contribute-mail a[href^="mailto:"]')
    assert_focus_visible(page)
    tab_to(page, ".hb-contribute-questions > summary")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    questions = page.locator(".hb-contribute-questions pre")
    questions.wait_for(state="visible")
    assert questions.inner_text().count("\n### ") > 20
    waivers = load_waivers()
    found = [
        (violation["id"], " ".join(map(str, node["target"])), violation["help"])
        for violation in axe_violations(page, axe_source)
        for node in violation["nodes"]
    ]
    unwaived = [entry for entry in found if not waivers.waives_axe(entry[0], entry[1])]
    assert unwaived == [], f"axe-core on {path} with the questions open:\n{describe(unwaived)}"


@pytest.mark.parametrize(
    ("language", "path", "source_url"),
    [
        ("en", "/en/praktijken/alpha-praktijk/", "/praktijken/alpha-praktijk/"),
        ("nl", "/praktijken/alpha-praktijk/", "/en/praktijken/alpha-praktijk/"),
    ],
)
def test_an_outdated_translation_tells_its_reader_accessibly(
    page: Any, template: Any, tmp_path: Any, axe_source: str, language: str, path: str, source_url: str
) -> None:
    """A copy of the fixture site in which alpha's `language` text translates an older revision of the other: the
    page says so in its own language, links the source text's page, and passes axe."""
    import re

    from hostile import copy_of
    from support import free_port, mkdocs_build, serve_folder

    root = copy_of(template, tmp_path)
    folder = root / "practices" / "alpha-praktijk"
    stamp = re.compile(r"^translation_of:.*\n", re.MULTILINE)
    source = "nl" if language == "en" else "en"
    (folder / f"{source}.md").write_text(stamp.sub("", (folder / f"{source}.md").read_text(encoding="utf-8")), encoding="utf-8")
    text = stamp.sub("", (folder / f"{language}.md").read_text(encoding="utf-8"))
    (folder / f"{language}.md").write_text(
        text.replace("\n---\n", f"\ntranslation_of: {{language: {source}, revision: 0123456789ab}}\n---\n", 1), encoding="utf-8"
    )
    port = free_port()
    built = mkdocs_build(root, HANDBOOK_PDF="false", HANDBOOK_SEARCH="false", SITE_URL=f"http://127.0.0.1:{port}/")
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    with serve_folder(root / "site", port) as url:
        page.goto(f"{url.rstrip('/')}{path}")
        notice = page.get_by_role("note").filter(has_text="vertaling" if language == "nl" else "translation")
        assert notice.inner_text().startswith("De tekst in het Engels werd aangepast" if language == "nl" else "The Dutch text was changed")
        link = notice.get_by_role("link")
        assert link.get_attribute("hreflang") == source
        assert axe_violations(page, axe_source) == []
        link.click()
        page.wait_for_url(f"{url.rstrip('/')}{source_url}")
        assert page.locator(".hb-outdated").count() == 0  # the source text has no notice
