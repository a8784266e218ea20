"""The handbook offline: the manifests, the service worker's list and version (handbook/web/offline.py), and in
Chromium: opened once, the handbook opens, navigates and searches without a network, and a new build replaces the
old copy."""

from __future__ import annotations

import base64
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import BuiltSite
from handbook.web import offline
from handbook.web.csp import HANDBOOK_WORKER_FILE, WORKER_FILES, worker_sources
from support import REPO, VALID, assemble_site, free_port, mkdocs_build, serve_folder

browser_test = [pytest.mark.browser, pytest.mark.slow]


def build_of(site: Path) -> dict[str, Any]:
    """The `BUILD` value the build wrote into the site's worker."""
    text = (site / HANDBOOK_WORKER_FILE).read_text(encoding="utf-8")
    head, _, code = text.partition("\n")
    assert head.startswith("var BUILD = ") and head.endswith(";")
    assert code == offline.WORKER_SOURCE.read_text(encoding="utf-8")  # the code is the package's, unchanged
    value: dict[str, Any] = json.loads(head[len("var BUILD = ") : -1])
    return value


# --- the build's files --------------------------------------------------------------------------------


@pytest.mark.slow  # the fixture site's build
def test_each_language_has_a_manifest_with_its_name_and_the_logo_icons(built_site: BuiltSite) -> None:
    names = {"nl": "Handboek integrale lokale aanpak van radicalisering", "en": "Handbook on the integral local approach to radicalisation"}
    for language, folder in (("nl", ""), ("en", "en/")):
        manifest = json.loads((built_site.site / folder / "manifest.webmanifest").read_text(encoding="utf-8"))
        assert manifest["name"] == names[language] and manifest["lang"] == language
        assert manifest["start_url"] == f"/{folder}" and manifest["scope"] == "/"
        assert manifest["theme_color"] == offline.THEME_COLOR and manifest["display"] == "standalone"
        for icon in manifest["icons"]:
            assert (built_site.site / icon["src"].lstrip("/")).is_file(), icon
        assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
        assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
        page = (built_site.site / folder / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="manifest" href="manifest.webmanifest" data-hb-worker="{"../" if folder else ""}offline-worker.js">' in page


@pytest.mark.slow  # the fixture site's build
def test_the_worker_lists_each_languages_pages_index_and_pdfs_and_the_shared_files(built_site: BuiltSite) -> None:
    build = build_of(built_site.site)
    assert build["date"] == "2023-11-14" and build["defaultLanguage"] == "nl"  # SOURCE_DATE_EPOCH
    assert build["languages"]["nl"]["line"] == "Offline kopie van 14 november 2023"
    assert build["languages"]["en"]["line"] == "Offline copy of 14 November 2023"
    nl, en = build["languages"]["nl"]["files"], build["languages"]["en"]["files"]
    assert {"./", "praktijken/", "praktijken/alpha-praktijk/", "zoeken/", "data/practices.json", "manifest.webmanifest"} <= set(nl)
    assert {"en/", "en/praktijken/", "en/praktijken/alpha-praktijk/", "en/zoeken/", "en/data/practices.json"} <= set(en)
    assert not any(name.startswith("en/") for name in nl) and all(name.startswith(("en/", "pagefind/", "studiedagen/")) for name in en)
    assert {"sitemap.xml", "praktijken/sitemap.xml", "en/praktijken/sitemap.xml"} <= set(build["shared"])  # every language's
    # Each language's Pagefind index, and its PDFs (published next to the Dutch page, named by language).
    assert any(re.fullmatch(r"pagefind/fragment/nl_\w+\.pf_fragment", name) for name in nl)
    assert not any("/en_" in name or ".en_" in name for name in nl) and any(name.startswith("pagefind/index/en_") for name in en)
    assert "studiedagen/studiedag-mechelen-2015/studiedag-mechelen-2015-nl.pdf" in nl
    assert "studiedagen/studiedag-mechelen-2015/studiedag-mechelen-2015-en.pdf" in en
    shared = set(build["shared"])
    assert {
        "assets/handbook.css",
        "assets/handbook.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
    } <= shared
    assert any(re.fullmatch(r"assets/stylesheets/main\.\w+\.min\.css", name) for name in shared)
    everything = [*shared, *nl, *en]
    assert not [name for name in everything if name.endswith(".map") or "/lunr/" in name or name == HANDBOOK_WORKER_FILE]
    assert len(everything) == len(set(everything))
    for name in everything:  # every listed file exists (a page as its folder)
        assert (built_site.site / (f"{name}index.html" if name.endswith("/") else name)).is_file(), name


@pytest.mark.slow  # the fixture site's build
def test_the_version_is_a_digest_of_the_site_and_the_pdf_budget_holds(
    tmp_path: Path, built_site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    first = offline.write_worker(site)
    assert first.version == build_of(built_site.site)["version"]  # the build's, computed again from the same files
    assert offline.write_worker(site).version == first.version  # the worker itself is not part of the digest
    page = site / "over" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>Nieuw.</p></article>"), encoding="utf-8")
    assert offline.write_worker(site).version != first.version
    # The documents of a language (PDFs, templates as .docx/.odt) are kept smallest first while they fit the budget.
    documents = sorted(offline.offline_copy(site).languages["nl"].documents)
    assert any(name.endswith(".pdf") for _, name in documents)
    monkeypatch.setattr(offline, "DOCUMENT_BUDGET", documents[0][0] + documents[1][0])
    kept = offline.offline_copy(site).languages["nl"].files
    assert [name for _, name in documents if name in kept] == [documents[0][1], documents[1][1]]


def test_the_pages_stay_within_their_budget_at_1000_practices(tmp_path: Path) -> None:
    """A site of 1,000 practice pages of 34 kB (the synthetic practices' size): every page that is not a practice's,
    then the practice pages in the catalogue's order (data/practices.json, not the folders' order) while they fit
    `PAGE_BUDGET`, each with its sitemap; the others are in no list (kept once opened)."""
    ids = [f"p{number:04d}" for number in range(1000)][::-1]  # the catalogue's order: not the folders' order
    shell = {"": 40_000, "praktijken/": 1_500_000, "zoeken/": 20_000, "praktijken/dekking/": 60_000, "over/": 30_000}
    for folder, size in shell.items():
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_bytes(b"x" * size)
        (tmp_path / folder / "sitemap.xml").write_bytes(b"s" * 700)
    for practice_id in ids:
        folder = tmp_path / "praktijken" / practice_id
        folder.mkdir()
        (folder / "index.html").write_bytes(b"p" * 34_000)
        (folder / "sitemap.xml").write_bytes(b"s" * 700)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "practices.json").write_text(json.dumps([{"id": practice_id} for practice_id in ids]), encoding="utf-8")
    copy = offline.offline_copy(tmp_path)
    nl = copy.languages["nl"]
    room = offline.PAGE_BUDGET - sum(shell.values())
    expected = room // (34_000 + 700)
    assert 200 < expected < 300
    assert {"./", "praktijken/", "zoeken/", "praktijken/dekking/", "over/"} <= set(nl.files)  # every other page
    practices = [name for name in nl.files if name.startswith("praktijken/p")]
    assert practices == [
        item for practice_id in ids[:expected] for item in (f"praktijken/{practice_id}/", f"praktijken/{practice_id}/sitemap.xml")
    ]
    pages = sum((tmp_path / name / "index.html").stat().st_size for name in nl.files if name.endswith("/"))
    assert pages + 700 * expected <= offline.PAGE_BUDGET
    everything = {*copy.shared.files, *nl.files, *copy.languages["en"].files}
    assert not any(practice_id in name for practice_id in ids[expected:] for name in everything)  # kept once opened
    assert {"sitemap.xml", "praktijken/sitemap.xml", "zoeken/sitemap.xml"} <= set(copy.shared.files)  # the other pages': every language's
    assert nl.kept_practices() == expected and f"({len(nl.files)} files; {expected} of 1000 practice pages)" in copy.summary()


def test_the_worker_value_is_ascii_json_whatever_the_files_are_called(tmp_path: Path) -> None:
    (tmp_path / "praktijken" / "caf\u00e9\u2028x").mkdir(parents=True)
    (tmp_path / "praktijken" / "caf\u00e9\u2028x" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    script = offline.worker_script(offline.offline_copy(tmp_path), "")
    assert script.isascii() and script.count("\n") == 1  # no content can end the line or the value
    assert "praktijken/caf\\u00e9\\u2028x/" in script


def test_worker_src_lists_the_service_worker_and_pagefinds_by_path() -> None:
    assert worker_sources("https://example.org/handboek") == " ".join(f"https://example.org/handboek/{name}" for name in WORKER_FILES)
    assert HANDBOOK_WORKER_FILE in WORKER_FILES and "'self'" not in worker_sources("https://example.org/")


# --- in Chromium --------------------------------------------------------------------------------------


def kept(page: Any, language: str, version: str | None = None) -> None:
    """Wait until the worker controls the page and its one cache (of `version`, if given) holds `language` whole: the
    mark the worker writes once it has checked that every file of the language is in the cache."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    check = """async ([language, version]) => {
        const names = (await caches.keys()).filter((name) => name.startsWith("hb-offline-"));
        if (names.length !== 1 || (version && names[0] !== "hb-offline-" + version)) return false;
        const cache = await caches.open(names[0]);
        return Boolean(await cache.match(new URL("offline-worker.js?kept=" + language, location.origin).href));
    }"""
    deadline = time.monotonic() + 60
    while not page.evaluate(check, [language, version]):  # evaluate awaits the promise (wait_for_function would not)
        assert time.monotonic() < deadline, f"the worker did not keep {language} within 60 s: {cache_names(page)}"
        page.wait_for_timeout(100)


def until(page: Any, script: str, what: str, seconds: float = 30) -> None:
    """Wait until the (async) `script` is true in the page: `evaluate` awaits its promise, `wait_for_function` would not."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        page.wait_for_timeout(100)


def cache_names(page: Any) -> list[str]:
    names: list[str] = page.evaluate("async () => (await caches.keys()).filter((name) => name.startsWith('hb-offline-'))")
    return names


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(service_workers="allow")
    try:
        yield context
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_once_opened_the_handbook_opens_navigates_and_searches_offline(context: Any, site_url: str, built_site: BuiltSite) -> None:
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{site_url}/")
    kept(page, "nl")
    version = build_of(built_site.site)["version"]
    assert cache_names(page) == [f"hb-offline-{version}"]
    assert page.locator("#hb-offline").count() == 0  # online: no line

    context.set_offline(True)
    page.goto(f"{site_url}/praktijken/alpha-praktijk/")
    assert page.locator("h1").first.inner_text().strip() != ""
    page.wait_for_selector("#hb-offline")
    assert page.inner_text("#hb-offline") == "Offline kopie van 14 november 2023"
    page.goto(f"{site_url}/praktijken/?kind=practice")  # the catalogue, with a filter in its address
    page.wait_for_function("() => document.getElementById('hb-results').textContent.trim() !== ''")
    assert page.locator("#hb-list > :not([hidden])").count() >= 1
    page.goto(f"{site_url}/zoeken/?q=jeugdwerkers")
    page.wait_for_function(
        "() => !document.querySelector('.pagefind-ui__loading') && document.querySelectorAll('.pagefind-ui__result-link').length > 0"
    )
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(link => link.getAttribute('href'))")
    assert "/praktijken/alpha-praktijk/" in hrefs
    pdf = "/studiedagen/studiedag-mechelen-2015/studiedag-mechelen-2015-nl.pdf"  # within the budget: kept at install
    assert page.evaluate("async (url) => { const r = await fetch(url); return [r.status, (await r.arrayBuffer()).byteLength]; }", pdf) == [
        200,
        (built_site.site / pdf.lstrip("/")).stat().st_size,
    ]
    # A page of the other language was never opened: not kept, so it fails as any page without a network.
    assert page.evaluate("async () => { try { await fetch('/en/over/'); return 'served'; } catch (e) { return 'failed'; } }") == "failed"

    # Back online, an English page makes the worker keep English too; then it searches offline as well.
    context.set_offline(False)
    page.goto(f"{site_url}/en/")
    kept(page, "en")
    context.set_offline(True)
    page.goto(f"{site_url}/en/zoeken/?q=playground")
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result-link').length > 0")
    assert page.inner_text("#hb-offline") == "Offline copy of 14 November 2023"
    assert not [error for error in errors if "Content Security Policy" in error or "Refused" in error], errors


def moved(site: Path, port: int, target: Path, new_port: int) -> None:
    """A copy of the built site for another port of 127.0.0.1 (its policy and links name the address), with its worker."""
    shutil.copytree(site, target)
    for path in target.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".webmanifest"}:
            path.write_bytes(path.read_bytes().replace(f"127.0.0.1:{port}".encode(), f"127.0.0.1:{new_port}".encode()))
    offline.write_worker(target)


@pytest.mark.browser
@pytest.mark.slow
def test_a_new_build_replaces_the_old_copy(context: Any, built_site: BuiltSite, tmp_path: Path) -> None:
    port = free_port()
    site = tmp_path / "site"
    moved(built_site.site, built_site.port, site, port)
    old = build_of(site)["version"]
    with serve_folder(site, port) as url:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/")
        kept(page, "nl")
        assert cache_names(page) == [f"hb-offline-{old}"]
        home = site / "index.html"
        home.write_text(home.read_text(encoding="utf-8").replace("</article>", "<p id='hb-new'>Nieuw.</p></article>", 1), encoding="utf-8")
        new = offline.write_worker(site).version
        assert new != old
        page.evaluate("async () => { const registration = await navigator.serviceWorker.ready; await registration.update(); }")
        kept(page, "nl", new)  # the new version's cache, whole, and the old one deleted
        context.set_offline(True)
        page.goto(f"{url}/")
        assert page.locator("#hb-new").count() == 1  # the new build's page, from the new copy
        page.wait_for_selector("#hb-offline")


@pytest.mark.browser
@pytest.mark.slow
def test_a_practice_page_beyond_the_budget_is_kept_once_opened(
    context: Any, built_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a page budget that holds the other pages and the catalogue's first practice only, the worker keeps that
    one at install; another practice page is not kept until the reader opens it, and then opens offline."""
    port = free_port()
    site = tmp_path / "site"
    moved(built_site.site, built_site.port, site, port)
    nl = offline.offline_copy(site).languages["nl"]
    first, second = nl.practices[:2]
    others = sum(size for folder, size in nl.pages.items() if folder not in nl.practices)
    monkeypatch.setattr(offline, "PAGE_BUDGET", others + nl.pages[first] + nl.sitemaps.get(first, 0))
    copy = offline.write_worker(site)
    assert copy.languages["nl"].kept_practices() == 1 and first in copy.languages["nl"].files
    assert second not in copy.languages["nl"].files
    with serve_folder(site, port) as url:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/")
        kept(page, "nl", copy.version)
        context.set_offline(True)
        page.goto(f"{url}/{first}")  # kept at install
        page.wait_for_selector("#hb-offline")
        with pytest.raises(Exception, match=r"net::ERR_(FAILED|INTERNET_DISCONNECTED)"):
            page.goto(f"{url}/{second}")  # not kept: fails as any page without a network
        context.set_offline(False)
        page.goto(f"{url}/{second}")  # opened: kept
        context.set_offline(True)
        page.goto(f"{url}/{second}")
        page.wait_for_selector("#hb-offline")
        assert page.locator("h1").first.inner_text().strip() != ""


@pytest.mark.browser
@pytest.mark.slow
def test_a_preview_at_the_same_address_drops_the_worker_and_its_copy(context: Any, built_site: BuiltSite, tmp_path: Path) -> None:
    """`mkdocs serve`'s pages link no manifest: opened where a build's worker was registered, they unregister it and
    delete its caches, so the preview never shows kept pages."""
    port = free_port()
    site = tmp_path / "site"
    moved(built_site.site, built_site.port, site, port)
    with serve_folder(site, port) as url:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/")
        kept(page, "nl")
        for path in site.rglob("index.html"):  # the pages as the preview writes them
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r'\s*<link rel="manifest"[^>]*>', "", text), encoding="utf-8")
        page.goto(f"{url}/over/")  # network first: the preview's page
        assert page.locator("link[rel=manifest]").count() == 0
        until(
            page,
            """async () => !(await navigator.serviceWorker.getRegistration())
                && (await caches.keys()).every((name) => !name.startsWith("hb-offline-"))""",
            "the worker unregistered and its cache deleted",
        )


@pytest.mark.browser
@pytest.mark.slow
def test_a_site_under_a_path_keeps_itself_under_that_path(context: Any, tmp_path: Path) -> None:
    """site_url with a path (as on GitHub Pages): the worker's scope is that path, and the copy works there."""
    port = free_port()
    root = assemble_site(tmp_path / "root", VALID)
    result = mkdocs_build(root, SITE_URL=f"http://127.0.0.1:{port}/handboek/", SOURCE_DATE_EPOCH="1700000000", HANDBOOK_PDF="false")
    assert result.returncode == 0, result.stderr[-3000:]
    served = tmp_path / "served"
    served.mkdir()
    (root / "site").rename(served / "handboek")
    with serve_folder(served, port) as url:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/handboek/en/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
        assert page.evaluate("async () => (await navigator.serviceWorker.ready).scope") == f"{url}/handboek/"
        check = """async () => {
            const names = (await caches.keys()).filter((name) => name.startsWith("hb-offline-"));
            return names.length === 1 && Boolean(await (await caches.open(names[0])).match(location.origin + "/handboek/offline-worker.js?kept=en"));
        }"""
        deadline = time.monotonic() + 60
        while not page.evaluate(check):
            assert time.monotonic() < deadline, cache_names(page)
            page.wait_for_timeout(100)
        context.set_offline(True)
        page.goto(f"{url}/handboek/en/zoeken/?q=playground")
        page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result-link').length > 0")
        hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(link => link.getAttribute('href'))")
        assert "/handboek/en/praktijken/alpha-praktijk/" in hrefs
        page.goto(f"{url}/handboek/en/praktijken/alpha-praktijk/")
        assert page.inner_text("#hb-offline") == "Offline copy of 14 November 2023"


@pytest.mark.browser
@pytest.mark.slow
def test_the_png_icons_are_the_logo(page: Any) -> None:
    """The stored icons are Chromium's rendering of overrides/assets/handbook-logo.svg (the maskable one on the logo's
    indigo, which fills the corners): regenerate them with tests/test_offline.py's `render_icon` when the logo changes."""
    from PIL import Image, ImageChops

    for name, size, background in (
        ("handbook-icon-192.png", 192, None),
        ("handbook-icon-512.png", 512, None),
        ("handbook-icon-maskable-512.png", 512, "#283593"),
    ):
        rendered = render_icon(page, size, background)
        stored = Image.open(REPO / "overrides" / "assets" / name).convert("RGBA")
        fresh = Image.open(__import__("io").BytesIO(rendered)).convert("RGBA")
        assert stored.size == fresh.size == (size, size)
        difference = ImageChops.difference(stored, fresh).getbbox()
        worst = max(max(channel) for channel in ImageChops.difference(stored, fresh).getextrema())
        assert difference is None or worst <= 16, (name, worst)


def render_icon(page: Any, size: int, background: str | None) -> bytes:
    """The logo as Chromium draws it at `size` pixels, on `background` (transparent when None)."""
    svg = (REPO / "overrides" / "assets" / "handbook-logo.svg").read_bytes()
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        f'<html><body style="margin:0;background:{background or "transparent"}"><img src="{source}" width="{size}" height="{size}" style="display:block"></body></html>'
    )
    page.wait_for_function("document.images[0].complete")
    data: bytes = page.screenshot(omit_background=background is None)
    return data


def test_a_preview_links_no_manifest_and_writes_no_manifest(tmp_path: Path) -> None:
    """Under `mkdocs serve` the pages link no manifest (so handbook.js registers no worker and drops an old one)."""
    assert offline.head("en", "serve") is None
    assert offline.head("en") == {"manifest": "en/manifest.webmanifest", "worker": HANDBOOK_WORKER_FILE, "theme_color": offline.THEME_COLOR}

    class Config:
        site_dir, site_url, site_name, site_description, theme = str(tmp_path), "https://example.org/h/", "H", "", {"language": "en"}

    offline.publish_manifest(Config(), "serve")
    assert not list(tmp_path.iterdir())
    offline.publish_manifest(Config(), "build")
    manifest = json.loads((tmp_path / "en" / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["scope"] == "/h/" and manifest["start_url"] == "/h/en/" and manifest["icons"][0]["src"] == "/h/assets/handbook-logo.svg"
