"""A smoke test of the site benchmark, not a performance gate: `handbook bench` runs on a small synthetic
site (N=10: both builds, in processes of their own, and Pagefind) and prints its ratio for the test log.
Only that it completes and reports a ratio is asserted: on a shared 2-core machine the ratio at 100
practices was seen anywhere from 1.1 to 2.0, so no bound would be both honest and stable. The PDF
benchmark's smoke test is in tests/test_pdf.py (N=2). The N=1,000 figures are measured by hand
(PERFORMANCE.md)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from support import REPO, handbook_command

pytestmark = pytest.mark.slow


def test_the_site_benchmark_runs_in_small_mode(capsys: pytest.CaptureFixture[str], record_property: Any) -> None:
    result = handbook_command("bench", "-n", "10", "--root", REPO)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert re.search(r"^practices: 10 {2}pages: 20$", result.stdout, re.MULTILINE), result.stdout
    ratio = re.search(r"^ratio: (\d+\.\d+)", result.stdout, re.MULTILINE)
    assert ratio, result.stdout
    record_property("bench_ratio", float(ratio[1]))
    with capsys.disabled():
        print(f"\nhandbook bench -n 10:\n{result.stdout.rstrip()}")


def test_the_check_benchmark_runs_in_small_mode() -> None:
    """`handbook bench --check`: cold, unchanged and after one edit, each with its time (a smoke test, no bound)."""
    result = handbook_command("bench", "--check", "-n", "3", "--root", REPO)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert re.search(r"^practices: 3$", result.stdout, re.MULTILINE), result.stdout
    for row in ("cold \\(empty cache\\)", "nothing changed", "after one edit"):
        assert re.search(rf"^  {row}: +\d+\.\d+ s wall, \d+\.\d+ s CPU$", result.stdout, re.MULTILINE), result.stdout
