"""Full-text search with Pagefind: one bundle per language, so each language searches only itself.

Each language's bundle sits in its own folder (`pagefind/` for the default language, `en/pagefind/`
for English) and is built in a background process as soon as that language's pages are written, so
indexing one language overlaps with building the next.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from handbook.urls import DEFAULT_LANGUAGE

OUTPUT_SUBDIR = "pagefind"


class SearchIndexError(Exception):
    pass


def pages_glob(other_languages: list[str]) -> str:
    """A Pagefind glob for every HTML page except those under the other languages' folders."""
    if not other_languages:
        return "**/*.html"
    patterns = ["*.html"]
    for code in other_languages:
        patterns += [f"[!{code[0]}]*/**/*.html", f"{code[0]}[!{code[1]}]*/**/*.html", f"{code}?*/**/*.html"]
    return "{" + ",".join(dict.fromkeys(patterns)) + "}"


def start_search_index(language_dir: Path, other_languages: list[str]) -> subprocess.Popen[str]:
    """Start indexing one language's pages in the background; `finish_search_index` waits for it."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(language_dir),
        "--output-subdir",
        OUTPUT_SUBDIR,
        "--glob",
        pages_glob(other_languages),
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_search_index(process: subprocess.Popen[str]) -> None:
    output, _ = process.communicate()
    if process.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({process.returncode}): {output.strip()}")


class SearchIndexes:
    """The Pagefind runs of one build: started per language as it is written, awaited once at the end."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[str]] = []

    def start(self, language_dir: Path, language: str, languages: Sequence[str]) -> None:
        """Index one language; the default language's folder holds the others' folders, which its index leaves out."""
        others = [code for code in languages if code != language] if language == DEFAULT_LANGUAGE else []
        self.running.append(start_search_index(language_dir, others))

    def finish(self) -> None:
        """Wait for every run; a `SearchIndexError` for the first that failed (after all have ended)."""
        running, self.running = self.running, []
        errors = []
        for process in running:
            try:
                finish_search_index(process)
            except SearchIndexError as error:
                errors.append(str(error))
        if errors:
            raise SearchIndexError("\n".join(errors))

    def abandon(self) -> None:
        running, self.running = self.running, []
        for process in running:
            if process.poll() is None:
                process.kill()
            process.communicate()
