"""End to end: `mkdocs build --strict` of a site assembled from the repository with the fixture practices."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BuiltSite, stamps
from handbook.content.model import PracticeFacts
from handbook.urls import OVERVIEW_PAGES
from handbook.views.labels import label
from support import BAD, EDIT_URL, VALID, assemble_site, mkdocs_build

pytestmark = pytest.mark.slow

IDS = ["alpha-praktijk", "beta-praktijk", "gamma-practice"]


def html(site: Path, relative: str) -> str:
    return (site / relative / "index.html").read_text(encoding="utf-8")


def html_lang(text: str) -> str:
    match = re.search(r"<html\b[^>]*\blang=\"([^\"]+)\"", text)
    assert match, "no <html lang>"
    return match.group(1)


def test_build_succeeds(fixture_build: BuiltSite) -> None:
    assert fixture_build.result.returncode == 0, fixture_build.output[-4000:]
    assert "Traceback" not in fixture_build.output
    assert "WARNING" not in fixture_build.output


def test_the_build_leaves_nothing_in_the_temporary_folder(built_site: BuiltSite) -> None:
    """The fixture site is built with its own TMPDIR (the parallel build's private folder, the PDFs' work): empty after."""
    assert list(built_site.temporary.iterdir()) == []


@pytest.mark.parametrize("practice_id", IDS)
def test_every_practice_has_a_page_in_both_languages(built_site: BuiltSite, practice_id: str) -> None:
    assert (built_site.site / "praktijken" / practice_id / "index.html").is_file()
    assert (built_site.site / "en" / "praktijken" / practice_id / "index.html").is_file()


@pytest.mark.parametrize(
    ("relative", "lang"),
    [
        ("", "nl"), ("en", "en"),
        ("praktijken/alpha-praktijk", "nl"), ("en/praktijken/alpha-praktijk", "en"),
        ("praktijken/gamma-practice", "nl"), ("en/praktijken/beta-praktijk", "en"),
        ("praktijken", "nl"), ("en/praktijken", "en"),
        ("zoeken", "nl"), ("en/zoeken", "en"),
    ],
)  # fmt: skip
def test_html_lang_is_the_page_language(built_site: BuiltSite, relative: str, lang: str) -> None:
    assert html_lang(html(built_site.site, relative)) == lang


def test_practice_page_shows_its_own_text(built_site: BuiltSite) -> None:
    nl = html(built_site.site, "praktijken/alpha-praktijk")
    en = html(built_site.site, "en/praktijken/alpha-praktijk")
    assert "Alfa, een brug tussen school en jeugdwerk" in nl
    assert "Doelstellingen" in nl and "Aims" not in nl
    assert "Alpha, a bridge between school and youth work" in en
    assert 'id="aims"' in en
    for text in (nl, en):
        assert label("fallback_notice", "en") not in text and label("fallback_notice", "nl") not in text
    assert "Willebroek" in nl  # the metadata card
    assert "Youth work" in en


def test_fallback_pages_show_the_notice_and_the_other_text(built_site: BuiltSite) -> None:
    beta_en = html(built_site.site, "en/praktijken/beta-praktijk")
    assert label("fallback_notice", "en") in beta_en
    assert "Beta, ondersteuning van ouders" in beta_en
    assert '<div class="hb-body" lang="nl"' in beta_en  # the Dutch text is marked as Dutch on an English page
    gamma_nl = html(built_site.site, "praktijken/gamma-practice")
    assert label("fallback_notice", "nl") in gamma_nl
    assert "Gamma, case consultation under professional secrecy" in gamma_nl
    assert '<div class="hb-body" lang="en"' in gamma_nl
    assert label("fallback_notice", "en") not in html(built_site.site, "praktijken/beta-praktijk")


def test_edit_link_points_at_the_shown_text(built_site: BuiltSite) -> None:
    assert f'href="{EDIT_URL}/alpha-praktijk/nl.md"' in html(built_site.site, "praktijken/alpha-praktijk")
    assert f'href="{EDIT_URL}/alpha-praktijk/en.md"' in html(built_site.site, "en/praktijken/alpha-praktijk")
    assert f'href="{EDIT_URL}/beta-praktijk/nl.md"' in html(built_site.site, "en/praktijken/beta-praktijk")


def test_language_switcher_links_the_same_practice(built_site: BuiltSite) -> None:
    nl = html(built_site.site, "praktijken/alpha-praktijk")
    assert re.search(r'<a href="\.\./\.\./en/praktijken/alpha-praktijk/" hreflang="en"', nl)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("data/practices.json", {"alpha-praktijk": ("nl", False), "beta-praktijk": ("nl", False), "gamma-practice": ("en", True)}),
        ("en/data/practices.json", {"alpha-praktijk": ("en", False), "beta-praktijk": ("nl", True), "gamma-practice": ("en", False)}),
    ],
)
def test_published_data(built_site: BuiltSite, data: str, expected: dict[str, tuple[str, bool]]) -> None:
    records = json.loads((built_site.site / data).read_text(encoding="utf-8"))
    assert len(records) == 3
    assert {record["id"]: (record["language"], record["fallback"]) for record in records} == expected
    prefix = "/en" if data.startswith("en/") else ""
    assert [record["url"] for record in records] == [f"{prefix}/praktijken/{practice_id}/" for practice_id in IDS]
    assert all(set(PracticeFacts.model_fields) <= set(record) for record in records)


def test_published_schemas(built_site: BuiltSite) -> None:
    for folder in ("data", "en/data"):
        schema = json.loads((built_site.site / folder / "practice.schema.json").read_text(encoding="utf-8"))
        assert schema["title"] == "Practice facts (practice.yml)"
        assert "jeugdwerk" in schema["properties"]["themes"]["items"]["enum"]
        assert (built_site.site / folder / "practice-text.schema.json").is_file()


def search_bundle(site: Path, language: str) -> Path:
    """The Pagefind bundle that the search page of `language` loads."""
    relative = "zoeken" if language == "nl" else f"{language}/zoeken"
    page = site / relative / "index.html"
    match = re.search(r'data-bundle="([^"]+)"', page.read_text(encoding="utf-8"))
    assert match, f"no Pagefind bundle on {relative}"
    return (page.parent / match.group(1)).resolve()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_index_per_language(built_site: BuiltSite, language: str) -> None:
    """One bundle for the site (Pagefind splits it by `<html lang>`), with an index of each language's pages."""
    bundle = search_bundle(built_site.site, language)
    assert bundle == (built_site.site / "pagefind").resolve()
    assert (bundle / f"wasm.{language}.pagefind").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"][language]["page_count"] >= 3 + 3  # practices and hand-written pages


def test_search_indexes_of_both_languages_exist(built_site: BuiltSite) -> None:
    found = {path.relative_to(built_site.site).as_posix() for path in built_site.site.rglob("wasm.*.pagefind")}
    assert {"pagefind/wasm.nl.pagefind", "pagefind/wasm.en.pagefind"} <= found  # and Pagefind's fallback, wasm.unknown
    assert all(name.startswith("pagefind/") for name in found), "one bundle, at the site root"
    entry = json.loads((built_site.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"nl", "en"}


def test_no_reference_to_another_host_in_the_html(built_site: BuiltSite) -> None:
    for page in ("praktijken/alpha-praktijk", "en/praktijken/beta-praktijk", "praktijken", "zoeken", ""):
        text = html(built_site.site, page)
        tags = re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", text)
        loaded = [tag for tag in tags if not re.search(r'\brel="(?:canonical|alternate)"', tag)]  # links, not loads
        remote = [tag for tag in loaded if re.search(r'\b(?:src|href)="(?:https?:)?//', tag)]
        assert remote == [], page


def test_the_build_writes_nothing_into_docs(built_site: BuiltSite) -> None:
    """Generated pages live in memory: no source file is written, so `mkdocs serve` cannot loop."""
    assert not any(name.startswith(("praktijken/", "studiedagen/")) for name in built_site.docs_before)  # no images in the fixtures
    assert stamps(built_site.root / "docs") == built_site.docs_before
    pages = [path.relative_to(built_site.site).as_posix() for path in built_site.site.rglob("index.html")]
    assert "praktijken/alpha-praktijk/index.html" in pages and "en/studiedagen/index.html" in pages
    assert len([page for page in pages if page.startswith(("praktijken/", "en/praktijken/"))]) == 3 * 2 + len(OVERVIEW_PAGES) * 2


def test_build_fails_on_a_bad_vocabulary_value(tmp_path: Path) -> None:
    case = BAD / "unknown-vocabulary-with-hint"
    root = assemble_site(tmp_path / "site-src", case)
    result = mkdocs_build(root, HANDBOOK_SEARCH="false")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert f"practices/{expected[0]}" in output
    assert (
        "practices/alpha-praktijk/practice.yml:6: field 'themes[1]': unknown themes value 'jeugwerk'; did you mean 'jeugdwerk' (Youth work)?"
        in output
    )
    assert not (root / "site" / "praktijken").exists()


def test_build_fails_on_a_practice_added_later_with_a_bad_value(tmp_path: Path) -> None:
    """The valid set plus one broken practice: the build names the broken file only."""
    practices = tmp_path / "practices-src"
    shutil.copytree(VALID, practices)
    shutil.copytree(BAD / "retyped-boolean" / "alpha-praktijk", practices / "delta-praktijk")
    facts = practices / "delta-praktijk" / "practice.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("id: alpha-praktijk", "id: delta-praktijk"), encoding="utf-8")
    root = assemble_site(tmp_path / "site-src", practices)
    result = mkdocs_build(root, HANDBOOK_SEARCH="false")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "1 problem in the handbook content:" in output
    assert "practices/delta-praktijk/practice.yml:4: field 'organisation': YAML reads no as a boolean" in output


def test_practice_page_names_its_event_by_title(built_site: BuiltSite) -> None:
    nl = html(built_site.site, "praktijken/alpha-praktijk")
    assert "Studiedag lokale preventie en integrale aanpak van radicalisering" in nl
    assert "<li>studiedag-mechelen-2015</li>" not in nl


@pytest.mark.parametrize("language", ["nl", "en"])
def test_event_page_links_its_pdf_with_its_size(built_site: BuiltSite, language: str) -> None:
    from pypdf import PdfReader

    event = "studiedag-mechelen-2015"
    pdf = built_site.site / "studiedagen" / event / f"{event}-{language}.pdf"
    assert pdf.is_file()
    assert PdfReader(pdf).metadata.title.startswith("Studie" if language == "nl" else "Study day")
    prefix = "" if language == "nl" else "en/"
    page = html(built_site.site, f"{prefix}studiedagen/{event}")
    href = re.search(rf'href="([^"]*{event}-{language}\.pdf)"', page)
    assert href is not None
    page_dir = built_site.site / prefix / "studiedagen" / event
    assert (page_dir / href.group(1)).resolve() == pdf.resolve()
    assert re.search(r"PDF, \d+(,\d)? kB", page)


def test_pdfs_are_rendered_once_per_build_and_not_again_when_unchanged(built_site: BuiltSite) -> None:
    # The parent renders each handbook once per language; the child build of the other language reads the cache.
    output = built_site.output
    for language in ("nl", "en"):
        assert len(re.findall(rf"studiedag-mechelen-2015 \({language}\): assembling", output)) == 1
    cache = sorted((built_site.root / ".cache" / "pdf" / "site").glob("*.pdf"))
    assert [path.name for path in cache] == [
        "alle-praktijken-en.pdf", "alle-praktijken-nl.pdf", "studiedag-mechelen-2015-en.pdf", "studiedag-mechelen-2015-nl.pdf",
    ]  # fmt: skip


def test_without_pdfs_the_event_page_says_so(site_without_pdfs: Path) -> None:
    page = html(site_without_pdfs, "studiedagen/studiedag-mechelen-2015")
    assert "Het PDF-handboek is bij deze bouw van de site niet gemaakt" in page
    assert not list(site_without_pdfs.rglob("*.pdf"))


@pytest.mark.parametrize("case", ["script-in-body", "attr-list-onclick", "national-register-number", "image-without-alt"])
def test_build_fails_on_unsafe_content_and_personal_data(tmp_path: Path, case: str) -> None:
    folder = BAD.parent / "bad-safety" / case
    root = assemble_site(tmp_path / "site-src", folder)
    result = mkdocs_build(root, HANDBOOK_SEARCH="false", HANDBOOK_PDF="false")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert f"practices/{line}" in output
    assert "Traceback" not in output


def test_practice_page_and_catalogue_say_how_current_a_practice_is(built_site: BuiltSite) -> None:
    """The status line with its year and a link to the source's entry in the list; a method has none."""
    nl = html(built_site.site, "praktijken/alpha-praktijk")
    assert (
        '<p class="hb-status-note hb-status-note--unknown">Laatst bevestigd in <time datetime="2015-05-26">2015</time>, '
        'volgens <a href="#bron-1">bron 1</a>.</p>'
    ) in nl
    assert '<li id="bron-1">' in nl
    en = html(built_site.site, "en/praktijken/alpha-praktijk")
    assert 'Last confirmed in <time datetime="2015-05-26">2015</time>, according to <a href="#source-1">source 1</a>.' in en
    assert '<li id="source-1">' in en
    beta = html(built_site.site, "en/praktijken/beta-praktijk")
    assert 'Running (confirmed in <time datetime="2025">2025</time>), according to <a href="#source-2">source 2</a>.' in beta
    assert "hb-status-note" not in html(built_site.site, "praktijken/gamma-practice")
    catalogue = html(built_site.site, "praktijken")
    assert '<span class="hb-list__status">Laatst bevestigd in 2015</span>' in catalogue
    assert '<span class="hb-list__status">Lopend (bevestigd in 2025)</span>' in catalogue
    assert re.search(r'<input type="checkbox" name="status" value="unknown">\s*<span>Onbekend</span>', catalogue)
    assert 'data-status="unknown"' in catalogue


def test_the_home_page_lists_the_reviewed_practice_first_and_labels_every_draft(built_site: BuiltSite) -> None:
    home = (built_site.root / "site" / "index.html").read_text(encoding="utf-8")
    newest = home[home.index('<section class="hb-newest"') :]
    shown = [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<a class="hb-list__title"[^>]*>(.*?)</a>', newest, re.S)]
    assert shown[0] == "Beta, ondersteuning van ouders"  # the one reviewed fixture practice, though not the newest
    assert len(shown) > 1 and all(title.startswith("Nog niet nagekeken: ") for title in shown[1:])
    assert '<h2 id="hb-newest-title">Nieuwste praktijken</h2>' in newest
