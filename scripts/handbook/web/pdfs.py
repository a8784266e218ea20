"""The site's PDF handbooks: each language's handbooks, rendered once per build in a process pool while
that language's pages are built, and published next to their pages.

A language's pages show only that language's PDFs, so each language build starts its own: the
sequential build renders every PDF once, and so does `handbook build`, whose language builds run side by side.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from handbook.cache import safe_folder
from handbook.gate import Content, Settings
from handbook.messages import _
from handbook.pdf.render import PdfError, PdfJobs, PdfOptions
from handbook.urls import handout_name, pdf_filename, published_pdf_path


class SitePdfs:
    """One language's PDFs, being rendered into the cache folder until `publish` copies them into the site."""

    def __init__(self, settings: Settings, content: Content, language: str, progress: Callable[[str], None]) -> None:
        """Start the handbooks of `language`, and the handout of each study day (a handbook with a programme), from
        the cache when unchanged; for the site's `site_url` (the build's, so the same as the pages'): a local or
        empty address makes them drafts. A handout's key is (`handout_name(id)`, language)."""
        options, cache = PdfOptions.of(settings, progress=progress), safe_folder(settings.root, settings.options.pdf_cache)
        if cache is None:
            raise PdfError(_("{folder} is a link or not a folder: remove it, the build makes it", folder=settings.options.pdf_cache))
        handout = replace(options, handout=True)
        documents = [(book, book.id, options) for book in content.handbooks]
        documents += [(book, handout_name(book.id), handout) for book in content.handbooks if book.definition.programme]
        self.targets = {(name, language): (book.id, chosen.handout) for book, name, chosen in documents}
        self.jobs: PdfJobs = PdfJobs(
            {
                (name, language): (book, content.practices, content.vocabularies, cache / pdf_filename(name, language), chosen)
                for book, name, chosen in documents
            }
        )

    def sizes(self) -> dict[tuple[str, str], int]:
        """(handbook id, language) → size in bytes: what the handbook pages show (waits for the renders)."""
        return {key: result.size for key, result in self.jobs.results().items()}

    def publish(self, site_dir: Path) -> None:
        for (name, language), result in self.jobs.results().items():
            handbook_id, handout = self.targets[name, language]
            target = published_pdf_path(site_dir, handbook_id, language, handout=handout)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result.path, target)

    def cancel(self) -> None:
        self.jobs.cancel()
