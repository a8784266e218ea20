"""`mkdocs serve --dirty` (scripts/serve.sh): a rebuild after an edit builds the edited practice's pages and what
shows it (web/dirty.py), and no other practice page; added and removed practices appear and disappear; broken
content is the error page and the next save recovers. In this process, with MkDocs' `build` as `mkdocs serve
--dirty` calls it (the plugin kept from one build to the next); the served preview itself: test_serve.py."""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from handbook.dev.bench import synthetic_practices
from support import VALID, VOCABULARIES, assemble_site, clear_plugin_cache, environment

pytestmark = pytest.mark.slow  # each test builds a site in process, again after each save

SERVE_URL = "http://127.0.0.1:8000/"


class Preview:
    """The site in `root` built into `site` as `mkdocs serve --dirty` builds it, build after build."""

    def __init__(self, root: Path, site: Path) -> None:
        self.root, self.site = root, site
        clear_plugin_cache()
        self.config = self._config()
        self.config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = self.config.plugins["handbook"]

    def _config(self) -> object:
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def build(self) -> dict[str, int]:
        """Build again (the first time: everything); the mtime of every page written, by path under the site."""
        config = self.config if self.config is not None else self._config()
        self.config = None  # type: ignore[assignment]  # each rebuild loads the config again, as serve does
        build(config, serve_url=SERVE_URL, dirty=True)  # type: ignore[arg-type]
        return self.mtimes()

    def mtimes(self) -> dict[str, int]:
        return {path.relative_to(self.site).as_posix(): path.stat().st_mtime_ns for path in self.site.rglob("index.html")}

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    root = assemble_site(tmp_path / "root", VALID)
    synthetic_practices(root / "practices", VOCABULARIES, 12)
    (root / "practices" / "terminology.yml").unlink(missing_ok=True)  # the synthetic English uses terms it refuses
    monkeypatch.setattr(sys, "argv", ["mkdocs", "serve", "--dirty"])  # what mkdocs-static-i18n reads for its further language
    logger = logging.getLogger("mkdocs")
    with environment(NO_MKDOCS_2_WARNING="1", HANDBOOK_PDF="false", HANDBOOK_SEARCH="false"):
        yield Preview(root, tmp_path / "site")
    logger.handlers = [handler for handler in logger.handlers if type(handler).__name__ != "CountHandler"]
    clear_plugin_cache()


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {path for path, mtime in after.items() if before.get(path) != mtime}


def practice_page(practice_id: str, language: str = "nl") -> str:
    return f"{'' if language == 'nl' else language + '/'}praktijken/{practice_id}/index.html"


DEPENDENTS = {  # besides the edited practice's pages: what shows every practice, in both languages
    f"{prefix}{page}"
    for prefix in ("", "en/")
    for page in ("index.html", "praktijken/index.html", "praktijken/dekking/index.html", "praktijken/vertaalstatus/index.html")
}


def test_an_edit_rebuilds_the_practice_and_what_shows_it_and_no_other_practice_page(preview: Preview) -> None:
    first = preview.build()
    assert practice_page("praktijk-00003") in first and practice_page("beta-praktijk", "en") in first
    text = preview.root / "practices" / "beta-praktijk" / "nl.md"
    text.write_text(text.read_text(encoding="utf-8").replace("open spreekuur", "open spreekuurwoord"), encoding="utf-8")
    second = preview.build()
    rebuilt = changed(first, second)
    assert "spreekuurwoord" in preview.page(practice_page("beta-praktijk"))
    assert "spreekuurwoord" in preview.page(practice_page("beta-praktijk", "en"))  # the English page falls back to the Dutch text
    site = preview.plugin.pages
    assert site is not None
    showing = {practice for practice, related in site.related.items() if any(other == "beta-praktijk" for other, _ in related)}
    assert showing, "the fixture relates no practice to beta-praktijk"
    expected = {practice_page(practice, language) for practice in {"beta-praktijk", *showing} for language in ("nl", "en")}
    practice_pages = {practice_page(practice.id, language) for practice in site.content.practices for language in ("nl", "en")}
    assert expected <= rebuilt  # the practice, and every practice page that lists it among its related practices
    assert rebuilt >= DEPENDENTS  # the home page's newest, the catalogue, coverage and translation status
    not_rebuilt = practice_pages - expected
    assert not_rebuilt and not (rebuilt & not_rebuilt), f"rebuilt without a reason: {sorted(rebuilt & not_rebuilt)}"
    assert "praktijken/velden/index.html" not in rebuilt  # the fields' reference shows the vocabularies only
    assert not changed(second, preview.build())  # nothing changed: nothing is built


def test_a_facts_edit_shows_on_the_page_and_in_the_catalogue(preview: Preview) -> None:
    first = preview.build()
    facts = preview.root / "practices" / "praktijk-00004" / "practice.yml"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    facts.write_text(
        "".join("organisation: Feitenbewerking\n" if line.startswith("organisation:") else line for line in lines), encoding="utf-8"
    )
    rebuilt = changed(first, preview.build())
    assert "Feitenbewerking" in preview.page(practice_page("praktijk-00004")) and practice_page("praktijk-00004", "en") in rebuilt
    assert practice_page("praktijk-00009") not in rebuilt or "praktijk-00004" in str(preview.plugin.pages.related["praktijk-00009"])  # type: ignore[union-attr]


def test_a_new_practice_appears_and_a_removed_one_disappears(preview: Preview) -> None:
    preview.build()
    catalogue = "praktijken/index.html"
    shutil.copytree(preview.root / "practices" / "praktijk-00002", preview.root / "practices" / "praktijk-00099")
    facts = preview.root / "practices" / "praktijk-00099" / "practice.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("id: praktijk-00002", "id: praktijk-00099"), encoding="utf-8")
    preview.build()
    assert (preview.site / practice_page("praktijk-00099")).is_file() and (preview.site / practice_page("praktijk-00099", "en")).is_file()
    assert "praktijk-00099" in preview.page(catalogue)
    shutil.rmtree(preview.root / "practices" / "praktijk-00099")
    preview.build()
    assert (
        not (preview.site / practice_page("praktijk-00099")).exists()
        and not (preview.site / practice_page("praktijk-00099", "en")).exists()
    )
    assert "praktijk-00099" not in preview.page(catalogue)


def test_broken_content_is_the_error_page_and_the_next_save_recovers(preview: Preview) -> None:
    preview.build()
    facts = preview.root / "practices" / "beta-praktijk" / "practice.yml"
    good = facts.read_text(encoding="utf-8")
    facts.write_text(
        good.replace("themes: [familieondersteuning, onderwijs]", "themes: [familieondersteuning, onderwjis]"), encoding="utf-8"
    )
    preview.build()
    assert "onderwjis" in preview.page("index.html") and "onderwjis" in preview.page("en/over/index.html")
    assert not (preview.site / practice_page("beta-praktijk")).exists()  # no generated page: the URL answers with the error page
    facts.write_text(good, encoding="utf-8")
    preview.build()
    assert "onderwjis" not in preview.page("index.html") and "onderwjis" not in preview.page("en/over/index.html")
    assert "Beta, ondersteuning van ouders" in preview.page(practice_page("beta-praktijk"))


def test_a_missing_guide_is_the_error_page_not_a_traceback_and_its_return_recovers(preview: Preview) -> None:
    """The Bijdragen pages include CONTRIBUTING.md by sections: without it the check reports the include, and no
    page's Markdown is rendered while the content is broken (pymdownx.snippets would stop the rebuild)."""
    preview.build()
    guide = preview.root / "CONTRIBUTING.md"
    text = guide.read_text(encoding="utf-8")
    guide.unlink()
    preview.build()
    assert "bijdragen.nl.md:9" in preview.page("bijdragen/index.html") and "handbook-content-problems" in preview.page("index.html")
    guide.write_text(text, encoding="utf-8")
    preview.build()
    assert "handbook-content-problems" not in preview.page("bijdragen/index.html")
