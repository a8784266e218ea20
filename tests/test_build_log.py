"""The lines the handbook itself logs while the site is built (`handbook build`, `mkdocs build`) follow the language of
the messages, as `handbook check` does (issue 23): the images written, the PDFs' progress, the offline copy, the end of
`handbook build`. MkDocs' own lines and other plugins' stay as they are."""

from __future__ import annotations

import argparse
import datetime
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from handbook.cli import build as cli_build
from handbook.messages import use_language
from handbook.pdf.render import _LayoutProgress
from handbook.web.offline import Kept, OfflineCopy
from handbook.web.pages import SitePages, forget_preloaded
from support import VALID, content_root, settings_for


@pytest.fixture
def dutch() -> Iterator[None]:
    use_language("nl")
    yield
    use_language(None)


def _copy() -> OfflineCopy:
    shared = Kept(["index.html", *(f"a{number}.css" for number in range(68))], 621_000)
    return OfflineCopy(
        "fbebcc3233a48ac9fad9",
        datetime.date(2026, 12, 2),
        shared,
        {"nl": Kept(["praktijken/"], 1_300_000), "en": Kept(["en/", "en/praktijken/"], 1_340_000)},
    )


def test_the_offline_copy_line_in_english() -> None:
    assert _copy().summary() == "offline copy fbebcc3233a48ac9fad9: shared 621 kB (69 files); nl 1.3 MB (1 file); en 1.3 MB (2 files)"


def test_the_offline_copy_line_in_dutch(dutch: None) -> None:
    assert _copy().summary() == (
        "offline kopie fbebcc3233a48ac9fad9: gedeeld 621 kB (69 bestanden); nl 1,3 MB (1 bestand); en 1,3 MB (2 bestanden)"
    )


def _layout_lines() -> list[str]:
    lines: list[str] = []
    handler = _LayoutProgress(lines.append)
    for message in ("Step 5 - Creating layout - Page 50", "Step 5 - Creating layout - Repagination #1", "Step 6 - Drawing"):
        handler.emit(logging.LogRecord("weasyprint.progress", logging.INFO, __file__, 1, message, None, None))
    return lines


def test_the_pdf_layout_lines_in_english() -> None:
    assert _layout_lines() == ["layout: page 50 …", "layout: pass 1 for the page references …"]


def test_the_pdf_layout_lines_in_dutch(dutch: None) -> None:
    """WeasyPrint's own words ("Repagination") are not passed on: the line is the handbook's, in Dutch."""
    assert _layout_lines() == ["opmaak: pagina 50 …", "opmaak: ronde 1 voor de paginaverwijzingen …"]


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "praktijken/: 1 file written, 0 removed"), ("nl", "praktijken/: 1 bestand geschreven, 0 verwijderd")]
)
def test_the_images_written_line(language: str, expected: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    Image.new("RGB", (40, 20), "navy").save(root / "practices" / "alpha-praktijk" / "schema.png")
    lines: list[str] = []
    use_language(language)
    try:
        forget_preloaded()
        SitePages.generate(settings_for(root), lines.append)
    finally:
        use_language(None)
    assert lines == [expected]


@pytest.mark.parametrize(("language", "expected"), [("en", "INFO    -  Site built in {site}"), ("nl", "INFO    -  Site gebouwd in {site}")])
def test_the_end_of_handbook_build(
    language: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_build, "build_site", lambda options: tmp_path / "site")
    use_language(language)
    try:
        args = argparse.Namespace(quiet=False, verbose=False, config_file=None, site_dir=None, strict=None)
        assert cli_build.command_build(args) == 0
    finally:
        use_language(None)
    assert capsys.readouterr().err.strip() == expected.format(site=tmp_path / "site")
