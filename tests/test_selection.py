"""'Mijn selectie' in Chromium: the toggle on the catalogue and practice pages (a button with aria-pressed, kept in
localStorage), the selection page (/selectie/, /en/selection/) with the chosen practices fetched from their own
pages, its shared link (?ids=), its print layout (each practice on its own page), hostile links and no JavaScript."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = "#hb-selection-practices[data-state=ready]"
TITLES = {
    "alpha-praktijk": "Alfa, een brug tussen school en jeugdwerk",
}


def ready(page: Any) -> None:
    page.wait_for_selector(READY, state="attached")


def shown_ids(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(".hb-selection__item", "items => items.map(item => item.id.slice(5))"))


def toggle(page: Any, practice_id: str) -> Any:
    return page.locator(f'button[data-select="{practice_id}"]')


def test_add_two_from_the_catalogue_see_both_remove_one_and_reload(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/")
    for practice_id in ("alpha-praktijk", "gamma-practice"):
        button = toggle(page, practice_id)
        assert button.get_attribute("aria-pressed") == "false"
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
    assert page.locator(".hb-select-bar [data-selection-count]").inner_text() == "(2)"
    page.locator(".hb-select-bar a").click()
    page.wait_for_url("**/selectie/")
    ready(page)
    assert shown_ids(page) == ["alpha-praktijk", "gamma-practice"]
    assert page.locator("#hb-s-alpha-praktijk h2").first.inner_text() == TITLES["alpha-praktijk"]  # the page's h1, one level down
    assert page.locator("#hb-selection-toc a").all_inner_texts()[0] == TITLES["alpha-praktijk"]
    link = page.locator("#hb-selection-link").input_value()
    assert link.endswith("/selectie/?ids=alpha-praktijk,gamma-practice")
    page.locator('#hb-s-alpha-praktijk button[data-remove="alpha-praktijk"]').click()
    assert shown_ids(page) == ["gamma-practice"]
    page.reload()
    ready(page)
    assert shown_ids(page) == ["gamma-practice"]  # kept in the browser
    assert page.evaluate("() => localStorage.getItem('hb-selection')") == '["gamma-practice"]'
    page.goto(f"{site_url}/praktijken/gamma-practice/")
    assert toggle(page, "gamma-practice").get_attribute("aria-pressed") == "true"  # the same choice on the practice page


def test_a_shared_link_shows_its_practices_in_a_fresh_browser(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site_url}/en/selection/?ids=beta-praktijk,alpha-praktijk")
        ready(page)
        assert shown_ids(page) == ["beta-praktijk", "alpha-praktijk"]  # in the link's order
        assert page.locator("#hb-selection-shared").is_visible()
        assert not page.locator("[data-remove]").first.is_visible()  # someone else's selection: nothing to remove
        assert page.evaluate("() => localStorage.getItem('hb-selection')") is None  # nothing kept unasked
        assert page.locator("#hb-s-beta-praktijk .hb-card").count() == 1
        page.locator("#hb-selection-keep").click()
        assert page.evaluate("() => localStorage.getItem('hb-selection')") == '["beta-praktijk","alpha-praktijk"]'
        assert page.url.endswith("/en/selection/")
    finally:
        context.close()


def test_print_puts_each_practice_on_its_own_page(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/selectie/?ids=alpha-praktijk,beta-praktijk,gamma-practice")
    ready(page)
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(".hb-selection__item", "items => items.map(item => getComputedStyle(item).breakBefore)")
    assert breaks == ["page", "page", "page"]
    for selector in (".hb-selection__tools", ".hb-selection__intro", "[data-remove]", ".md-header", ".md-sidebar--primary"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert page.locator("#hb-selection-contents").is_visible()  # the short contents list stays
    assert page.locator("#hb-s-alpha-praktijk details").first.evaluate("details => details.open")  # the whole card on paper
    pdf = page.pdf(format="A4")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 4  # the contents, then each practice from a new page


HOSTILE = [
    "<img src=x onerror=alert(1)>,alpha-praktijk",
    '"><script>alert(1)</script>',
    "../../bijdragen,alpha-praktijk",
    "onbekend,alpha-praktijk,alpha-praktijk",
    "beta-praktijk," + ",".join(f"x{number}" for number in range(10_000)),  # cut at 20,000 characters, never parsed whole
]


@pytest.mark.parametrize("ids", HOSTILE, ids=["img", "script", "path", "unknown-and-repeated", "10000-ids"])
def test_a_hostile_link_does_nothing_harmful(page: Any, site_url: str, ids: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/selectie/?ids={quote(ids, safe=',')}")
    ready(page)
    expected = [practice_id for practice_id in ("alpha-praktijk", "beta-praktijk") if practice_id in ids.split(",")]
    assert shown_ids(page) == expected
    assert dialogs == []
    assert page.locator("#hb-selection script, #hb-selection img[src=x]").count() == 0
    assert page.locator("#hb-selection-skipped").is_visible()
    fetched = [url for url in requested if "/praktijken/" in url and url.endswith("/")]
    assert sorted(fetched) == sorted(f"{site_url}/praktijken/{practice_id}/" for practice_id in expected)


def test_without_javascript_the_page_says_what_it_needs(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/selectie/?ids=alpha-praktijk")
        assert "heeft JavaScript nodig" in page.locator(".hb-selection__noscript").inner_text()
        assert not page.locator("#hb-selection-app").is_visible()
        page.goto(f"{site_url}/praktijken/")
        assert not toggle(page, "alpha-praktijk").is_visible()  # no control that would do nothing
    finally:
        context.close()


def test_the_toggle_and_the_selection_page_with_the_keyboard(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/praktijken/alpha-praktijk/")
    button = toggle(page, "alpha-praktijk")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('data-select')") == "alpha-praktijk":
            break
    else:
        pytest.fail("the selection button cannot be reached with Tab")
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Space")
    page.goto(f"{site_url}/selectie/")
    ready(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('data-remove')") == "alpha-praktijk":
            break
    else:
        pytest.fail("the remove button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert shown_ids(page) == []
    assert page.locator("#hb-selection-empty").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "hb-selection-empty"  # focus is not lost


def test_the_language_selector_pairs_the_two_selection_pages(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/selectie/")
    assert page.locator('.md-select a[hreflang="en"]').get_attribute("href") == "../en/selection/"
    page.goto(f"{site_url}/en/selection/")
    assert page.locator('.md-select a[hreflang="nl"]').get_attribute("href") == "../../selectie/"
    assert page.locator("h1").inner_text() == "My selection"
