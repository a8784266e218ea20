"""Full-text search with Pagefind: one run over the finished site, in every language.

Pagefind reads each page's `<html lang>` and writes one index per language into one bundle
(`pagefind/` at the site root); the search page of each language loads that bundle, and Pagefind's
interface picks the index of the page's language, so each language searches only itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"
ENTRY = "pagefind-entry.json"  # lists the languages in the order Pagefind's threads finished them


class SearchIndexError(Exception):
    pass


def index_site(site_dir: Path) -> None:
    """Index every page of the site; a `SearchIndexError` with Pagefind's output when it fails."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR]
    command += ["--exclude-selectors", ".headerlink", "--silent"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({result.returncode}): {result.stdout.strip()}")
    entry = site_dir / OUTPUT_SUBDIR / ENTRY
    if entry.is_file():  # the same site gives the same bytes (SOURCE_DATE_EPOCH builds are byte-identical)
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
