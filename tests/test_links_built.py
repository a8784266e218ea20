"""The link gate as CI runs it: `python -m handbook.web.linkcheck` over the built fixture site, both languages,
offline (internal links and anchors only; external links are checked by the scheduled workflow)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import BuiltSite
from gates import html_files, page_language
from handbook.web.linkcheck import main
from support import run

pytestmark = pytest.mark.slow


def test_no_broken_internal_link_or_anchor_in_either_language(built_site: BuiltSite) -> None:
    languages = {page_language(built_site.site, path) for path in html_files(built_site.site)}
    assert languages == {"nl", "en"}
    result = run([sys.executable, "-m", "handbook.web.linkcheck", built_site.site], cwd=built_site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = re.search(r"No broken links: (\d+) pages, (\d+) internal links", result.stderr)
    assert summary, result.stderr
    assert int(summary[1]) == len(html_files(built_site.site))
    assert int(summary[2]) > 500


def test_the_faults_seeded_into_a_built_page_are_found_and_nothing_else(
    built_site: BuiltSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The measured faults (ARCHITECTURE.md has the figures): a missing page, a missing anchor, the anchor of
    the other language's page, a missing PDF; a valid link into the other language, a mailto: and external
    links are not reported."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    dutch, english = (site / "integrale-aanpak" / "index.html"), (site / "en" / "integrale-aanpak" / "index.html")
    dutch_anchor = re.findall(r'<h2 id="([^"]+)"', dutch.read_text(encoding="utf-8"))[0]
    english_anchor = re.findall(r'<h2 id="([^"]+)"', english.read_text(encoding="utf-8"))[0]
    assert dutch_anchor != english_anchor
    seeded = f"""
<a href="../bestaat-niet/">a missing page</a>
<a href="../integrale-aanpak/#geen-anker">a missing anchor</a>
<a href="../en/integrale-aanpak/#{dutch_anchor}">the other language, this language's anchor</a>
<a href="../en/integrale-aanpak/#{english_anchor}">the other language, its anchor</a>
<a href="../studiedagen/studiedag-mechelen-2015/ontbreekt.pdf">a missing PDF</a>
<a href="mailto:info@example.org">mail</a>
<a href="https://example.invalid/extern">external</a>
"""
    page = site / "over" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", seeded + "</article>", 1), encoding="utf-8")
    assert main([str(site)]) == 1
    reported = [line.split(": broken link ")[1] for line in capsys.readouterr().out.splitlines()]
    assert reported == [
        "'../bestaat-niet/': no such page or file in the built site",
        "'../integrale-aanpak/#geen-anker': no anchor '#geen-anker' on integrale-aanpak/index.html",
        f"'../en/integrale-aanpak/#{dutch_anchor}': no anchor '#{dutch_anchor}' on en/integrale-aanpak/index.html",
        "'../studiedagen/studiedag-mechelen-2015/ontbreekt.pdf': no such page or file in the built site",
    ]
