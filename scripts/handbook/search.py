"""Full-text search with Pagefind: one index per `<html lang>`, so each language searches only itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"


class SearchIndexError(Exception):
    pass


def build_search_index(site_dir: Path) -> None:
    """Index the built site; Pagefind stems each language and writes a bundle under `pagefind/`."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT_SUBDIR,
        "--silent",
        "--exclude-selectors",
        ".headerlink",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
