"""The site's PDFs: each language's handbooks, the handout of each study day and the PDF of each practice,
rendered once per build in one process pool while that language's pages are built, and published next to
their pages.

A language's pages show only that language's PDFs, so each language build starts its own: the
sequential build renders every PDF once, and so does `handbook build`, whose language builds run side by side.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from handbook.cache import safe_folder
from handbook.gate import Content, Settings
from handbook.messages import _
from handbook.pdf.render import PdfError, PdfJobOf, PdfJobs, PdfKey, PdfOptions, PdfResult, practice_key, practice_pdf_jobs
from handbook.urls import (
    PRACTICES,
    handout_name,
    pdf_filename,
    practice_pdf_filename,
    published_pdf_path,
    published_practice_pdf_path,
)


class Generated(Protocol):
    """What the PDFs are made from of a build's generated pages (`web.pages.SitePages`)."""

    content: Content
    updated: dict[str, datetime.date]


class SitePdfs:
    """One language's PDFs, being rendered into the cache folder until `publish` copies them into the site."""

    @classmethod
    def of(
        cls, settings: Settings, pages: Generated | None, language: str, progress: Callable[[str], None], site_name: str, preview: bool
    ) -> SitePdfs | None:
        """This language's PDFs started; None without pages, with `pdf: false` or for a preview, which renders no PDF."""
        if pages is None or not settings.options.pdf or preview:
            return None
        return cls(settings, pages.content, language, progress, pages.updated, site_name)

    def __init__(
        self,
        settings: Settings,
        content: Content,
        language: str,
        progress: Callable[[str], None],
        updated: Mapping[str, datetime.date] | None = None,
        site_name: str = "",
    ) -> None:
        """Start the handbooks of `language`, the handout of each study day (a handbook with a programme) and the
        PDF of each practice, from the cache when unchanged; for the site's `site_url` (the build's, so the same as
        the pages'): a local or empty address makes them drafts. A handout's key is (`handout_name(id)`, language);
        `updated`: each practice's last change, the edition of its PDF."""
        options, cache = PdfOptions.of(settings, progress=progress), safe_folder(settings.root, settings.options.pdf_cache)
        if cache is None:
            raise PdfError(_("{folder} is a link or not a folder: remove it, the build makes it", folder=settings.options.pdf_cache))
        options = replace(options, site_name=site_name)
        handout = replace(options, handout=True)
        documents = [(book, book.id, options) for book in content.handbooks]
        documents += [(book, handout_name(book.id), handout) for book in content.handbooks if book.definition.programme]
        self.targets = {(name, language): (book.id, chosen.handout) for book, name, chosen in documents}
        handbooks: dict[PdfKey, PdfJobOf] = {
            (name, language): (book, content.practices, content.vocabularies, cache / pdf_filename(name, language), chosen)
            for book, name, chosen in documents
        }
        practice_output = lambda practice_id, language: cache / PRACTICES / practice_pdf_filename(practice_id, language)  # noqa: E731
        self.practice_keys = {practice_key(practice.id, language): (practice.id, language) for practice in content.practices}
        # One pool for all: the handbooks and handouts first (the longest jobs), then the practices.
        self.jobs: PdfJobs = PdfJobs(
            {**handbooks, **practice_pdf_jobs(content.practices, content.vocabularies, options, practice_output, [language], updated)}
        )

    def _results(self) -> dict[tuple[str, str], PdfResult]:
        return self.jobs.results()

    def sizes(self) -> dict[tuple[str, str], int]:
        """(handbook id or handout name, language) → size in bytes: what the handbook pages show (waits for the renders)."""
        return {key: result.size for key, result in self._results().items() if key in self.targets}

    def practice_sizes(self) -> dict[tuple[str, str], int]:
        """(practice id, language) → size in bytes of the practice's PDF: what its page shows (waits for the renders)."""
        return {self.practice_keys[key]: result.size for key, result in self._results().items() if key in self.practice_keys}

    def publish(self, site_dir: Path) -> None:
        for key, result in self._results().items():
            if key in self.practice_keys:
                target = published_practice_pdf_path(site_dir, *self.practice_keys[key])
            else:
                handbook_id, is_handout = self.targets[key]
                target = published_pdf_path(site_dir, handbook_id, key[1], handout=is_handout)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result.path, target)

    def cancel(self) -> None:
        self.jobs.cancel()
