"""pa11y with HTML_CodeSniffer (WCAG 2 AA), a second, independent accessibility checker besides axe-core:
no error on any page type, in both languages. pa11y comes from npm (package-lock.json), Chromium from Debian."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CHROMIUM
from support import REPO, run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUNNER = REPO / "tests" / "pa11y-run.js"
PAGES = [
    "/", "/en/", "/integrale-aanpak/", "/en/integrale-aanpak/",
    "/praktijken/alpha-praktijk/", "/en/praktijken/alpha-praktijk/", "/en/praktijken/beta-praktijk/",
    "/praktijken/?theme=jeugdwerk", "/en/praktijken/", "/zoeken/?q=school", "/en/zoeken/?q=school",
    "/studiedagen/", "/studiedagen/studiedag-mechelen-2015/", "/en/studiedagen/studiedag-mechelen-2015/",
    "/praktijken/dekking/", "/praktijken/vertaalstatus/", "/en/praktijken/velden/", "/bijdragen/", "/en/bijdragen/", "/404.html",
    "/selectie/?ids=alpha-praktijk,beta-praktijk", "/en/selection/",
]  # fmt: skip


def test_pa11y_finds_no_error(site_url: str) -> None:
    if not (REPO / "node_modules" / "pa11y").is_dir() or shutil.which("node") is None:
        pytest.fail("pa11y is missing: run `npm ci` (scripts/test.sh does)")
    result = run(["node", RUNNER, CHROMIUM, *(f"{site_url}{path}" for path in PAGES)], cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    issues = json.loads(result.stdout)
    assert len(issues) == len(PAGES)
    errors = [
        f"{url.removeprefix(site_url)}: {issue['code']} at {issue['selector']}: {issue['message']}"
        for url, found in issues.items()
        for issue in found
        if issue["type"] == "error"
    ]
    assert errors == [], "pa11y (HTML_CodeSniffer, WCAG2AA):\n" + "\n".join(errors)
