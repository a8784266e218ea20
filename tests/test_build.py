"""`handbook build` (web/build.py): the languages built side by side give the site `mkdocs build` gives,
byte for byte but for one stated difference; a failing language build is a message, and nothing is left behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from handbook.cli.main import main
from handbook.pdf import render
from handbook.web.build import BuildOptions, build_site
from support import BAD, VALID, assemble_site

pytestmark = pytest.mark.slow

SITE_URL = "https://example.org/handboek/"
# The one difference: `mkdocs build` leaves the 404 page of the language it built last (mkdocs-static-i18n
# writes it in every language's build, at the root), `handbook build` the default language's.
DIFFERENT: set[str] = set()  # the same bytes, the 404 page included (the default language's in both)


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def html_lang(page: bytes) -> str:
    match = re.search(rb'<html lang="([a-z]+)"', page)
    assert match, "no <html lang>"
    return match.group(1).decode()


@pytest.fixture
def fake_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs without WeasyPrint (the language builds' processes are forked, so they render these too)."""
    monkeypatch.setattr(render, "render_pdf", lambda html, base_url, progress, image_folders=(): f"%PDF {len(html)}".encode())
    monkeypatch.setattr(render, "font_files", lambda: [])


def test_handbook_build_gives_the_files_of_mkdocs_build(tmp_path: Path, fake_pdfs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """With PDFs (both languages publish theirs next to the Dutch handbook pages) and one Pagefind index; the
    site address given in code, not in mkdocs.yml."""
    root = assemble_site(tmp_path / "site-src", VALID)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "plain"), site_url=SITE_URL))
    build_site(BuildOptions(str(root / "mkdocs.yml"), str(tmp_path / "side-by-side"), site_url=SITE_URL))
    plain, side_by_side = files(tmp_path / "plain"), files(tmp_path / "side-by-side")
    assert sorted(plain) == sorted(side_by_side)
    assert [name for name in plain if plain[name] != side_by_side[name]] == sorted(DIFFERENT)
    assert (html_lang(plain["404.html"]), html_lang(side_by_side["404.html"])) == ("nl", "nl")
    assert "studiedagen/studiedag-mechelen-2015/studiedag-mechelen-2015-en.pdf" in plain
    assert b'"scope": "/handboek/"' in plain["en/manifest.webmanifest"] and "offline-worker.js" in side_by_side  # written after the join
    assert not any(name.startswith("en/pagefind/") for name in plain), "one index, not one per language"
    assert b'href="https://example.org/handboek/en/praktijken/alpha-praktijk/"' in side_by_side["en/praktijken/alpha-praktijk/index.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plain", "side-by-side", "site-src"], "no folder left behind"


def test_a_failing_language_build_is_a_message_and_the_options_are_those_of_mkdocs_build(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken link on an English-only page: strict (the config's) fails in English only, as a message and
    without a traceback or a folder left; --no-strict builds it, into the folder -d names."""
    monkeypatch.setenv("HANDBOOK_PDF", "false")
    monkeypatch.setenv("HANDBOOK_SEARCH", "false")
    root = assemble_site(tmp_path / "site-src", VALID)
    (root / "docs" / "alleen-engels.en.md").write_text("# Only in English\n\nSee [the missing page](ontbreekt.md).\n", encoding="utf-8")
    assert main(["build", "-f", str(root / "mkdocs.yml")]) == 1
    output = capfd.readouterr().err
    assert "Traceback" not in output
    assert re.search(r"^WARNING -  \[en\] .*ontbreekt\.md", output, re.MULTILINE), output[-3000:]
    assert re.search(r"^ERROR   -  \[en\] Aborted with \d+ warnings in strict mode!$", output, re.MULTILINE), output[-3000:]
    assert "[nl]" not in output.split("ERROR")[-1]
    assert not list(root.glob(".site-languages-*")), "the private folder is removed"
    assert main(["build", "-f", str(root / "mkdocs.yml"), "--no-strict", "-q", "-d", str(tmp_path / "elders")]) == 0
    assert (tmp_path / "elders" / "en" / "alleen-engels" / "index.html").is_file()
    assert (tmp_path / "elders" / "index.html").is_file() and not (tmp_path / "elders" / "en" / "en").exists()


def test_a_content_problem_is_one_message_before_any_language_build(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """The content is loaded and checked once, before the language builds start."""
    root = assemble_site(tmp_path / "site-src", BAD / "unknown-vocabulary-with-hint")
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml")]) == 1
    output = capfd.readouterr().err
    assert "Traceback" not in output and "[nl" not in output and "[en" not in output
    assert output.count("practices/alpha-praktijk/practice.yml:6: field 'themes', 2nd value: unknown value 'jeugwerk'") == 1, output[-3000:]
    assert not list(root.glob(".site-languages-*")) and not (root / "site").exists()
