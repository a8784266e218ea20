"""Lighthouse 12 (npm, pinned; Debian Chromium, launched once for all pages by tests/lighthouse-run.mjs) on every
page type (home, catalogue, a practice, search, the selection, an event page, the Bijdragen page with its e-mail route
to the editors; search and the selection in English too,
the pages whose content depends on the language's own index and list: the others share their templates), served with
gzip and cache headers as a static host serves them (the session's site server, see tests/static_host.py).
Mobile emulation with Lighthouse's simulated throttling.

Accessibility, best practices and SEO must score 100, performance at least 90. Simulated throttling scales
the CPU time the page took here, so the test runs `alone` (no other test of the run meanwhile: beside a
worker rendering PDFs the search page scored 63-78, alone 91-93); a run on a host that measured slower than
the CPU slowdown assumes is run again with the slowdown calibrated to it (tests/lighthouse-run.mjs, as
Lighthouse's throttling guide advises: on a loaded CI machine the English search page scored 81, 87 and 96 at
4x); and a page below 90 is measured twice more and judged by the median of its three runs, as Lighthouse's
variability guide advises."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import CHROMIUM
from support import REPO, run

RUNNER = REPO / "tests" / "lighthouse-run.mjs"
PAGES = [
    "/",
    "/praktijken/",
    "/praktijken/alpha-praktijk/",
    "/zoeken/?q=school",
    "/selectie/?ids=alpha-praktijk,beta-praktijk",
    "/studiedagen/studiedag-mechelen-2015/",
    "/bijdragen/",
    "/en/zoeken/?q=school",
    "/en/selection/?ids=alpha-praktijk,gamma-practice",
]  # fmt: skip: every page type; in English too the two whose content the language changes (its own index, its own list)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
RUNS = 3  # of a page below the performance minimum, judged by their median


def scores(report: dict[str, Any]) -> dict[str, Any]:
    """The category scores of a report, the audits that fail a category other than performance, and the TBT."""
    failed = [
        f"{category}: {ref['id']}"
        for category in CATEGORIES[1:]
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
    ]
    found = {category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES}
    return {
        **found,
        "failed": failed,
        "tbt": round(report["audits"]["total-blocking-time"]["numericValue"]),
        "cpu": f"{report['configSettings']['throttling']['cpuSlowdownMultiplier']:.1f}x at BenchmarkIndex {report['environment']['benchmarkIndex']:.0f}",
    }


def lighthouse(site_url: str, paths: list[str], folder: Path) -> list[dict[str, Any]]:
    """The `scores` of each page, from one Chromium."""
    folder.mkdir()
    result = run(["node", RUNNER, CHROMIUM, folder, ",".join(CATEGORIES), *(f"{site_url}{path}" for path in paths)], cwd=REPO, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return [scores(json.loads((folder / f"report-{index}.json").read_text(encoding="utf-8"))) for index in range(len(paths))]


def test_median_takes_the_middle_run() -> None:
    runs = [{"performance": 95, "tbt": 100}, {"performance": 71, "tbt": 900}, {"performance": 88, "tbt": 300}]
    assert median_run(runs) == {"performance": 88, "tbt": 300}


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median performance score (an odd number of runs)."""
    return sorted(runs, key=lambda found: found["performance"])[len(runs) // 2]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.alone
@pytest.mark.skipif(os.environ.get("HANDBOOK_LIGHTHOUSE") == "0", reason="HANDBOOK_LIGHTHOUSE=0")
def test_lighthouse_scores(site_url: str, tmp_path: Path) -> None:
    if not (REPO / "node_modules" / "lighthouse").is_dir() or shutil.which("node") is None:
        pytest.fail("Lighthouse is missing: run `npm ci` (scripts/test.sh does)")
    figures = dict(zip(PAGES, lighthouse(site_url, PAGES, tmp_path / "first"), strict=True))
    slow = [path for path, found in figures.items() if found["performance"] < MINIMUM["performance"]]
    if slow:
        again = [lighthouse(site_url, slow, tmp_path / f"run-{number}") for number in range(1, RUNS)]
        for index, path in enumerate(slow):  # the other categories do not vary: the first run's stand
            runs = [figures[path], *(again_run[index] for again_run in again)]
            middle = median_run(runs)
            figures[path] = {
                **figures[path],
                "performance": middle["performance"],
                "tbt": middle["tbt"],
                "cpu": middle["cpu"],
                "runs": [found["performance"] for found in runs],
            }
    print("Lighthouse:", json.dumps(figures, indent=1))  # the figures, for the log (pytest -s or on failure)
    low = {
        path: {category: found[category] for category, minimum in MINIMUM.items() if found[category] < minimum}
        for path, found in figures.items()
    }
    assert {path: found for path, found in low.items() if found} == {}, json.dumps(figures, indent=1)
