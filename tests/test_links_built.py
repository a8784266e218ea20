"""The link gate as CI runs it: `python -m handbook.web.linkcheck` over the built fixture site, both languages,
offline (internal links and anchors only; external links are checked by the scheduled workflow)."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import BuiltSite
from gates import html_files, page_language
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
