"""Full-text search with Pagefind: one run over the finished site, in every language.

Pagefind reads each page's `<html lang>` and writes one index per language into one bundle
(`pagefind/` at the site root); the search page of each language loads that bundle, and Pagefind's
interface picks the index of the page's language, so each language searches only itself.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"
ENTRY = "pagefind-entry.json"  # lists the languages in the order Pagefind's threads finished them


class SearchIndexError(Exception):
    pass


_BACKGROUND: list[subprocess.Popen[bytes]] = []  # `mkdocs serve`'s Pagefind run, while it lasts


def _command(site_dir: Path) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR]
    return [*command, "--exclude-selectors", ".headerlink", "--silent"]


def index_site(site_dir: Path) -> None:
    """Index every page of the site; a `SearchIndexError` with Pagefind's output when it fails."""
    result = subprocess.run(_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({result.returncode}): {result.stdout.strip()}")
    entry = site_dir / OUTPUT_SUBDIR / ENTRY
    if entry.is_file():  # the same site gives the same bytes (SOURCE_DATE_EPOCH builds are byte-identical)
        data = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def index_site_later(site_dir: Path) -> None:
    """`mkdocs serve`: index the site in the background. MkDocs holds every request until a rebuild ends, so the
    changed page is served without waiting for the index (the preview's search finds the change a moment later);
    a run still going is stopped first, as its pages are being replaced. Pagefind's errors go to the terminal."""
    stop_indexing()
    _BACKGROUND.append(subprocess.Popen(_command(site_dir), stdout=subprocess.DEVNULL))


def stop_indexing() -> None:
    """Stop the background run, if any (before the next one, and before `mkdocs serve` removes its site)."""
    while _BACKGROUND:
        process = _BACKGROUND.pop()
        if process.poll() is None:
            process.terminate()
        process.wait()


atexit.register(stop_indexing)
