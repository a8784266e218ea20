"""The site's PDF handbooks: every handbook in every language, rendered once per build and published next to its page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handbook.gate import Content, Settings
from handbook.pdf.render import PdfOptions, PdfResult, build_handbook_pdfs
from handbook.urls import pdf_filename, published_pdf_path


@dataclass
class SitePdfs:
    """The rendered PDFs (in the cache folder until `publish` copies them into the site)."""

    results: dict[tuple[str, str], PdfResult]

    @classmethod
    def render(cls, settings: Settings, content: Content, progress: Callable[[str], None]) -> SitePdfs:
        """Every handbook in both languages, into the `pdf_cache` folder, from the cache when unchanged; for the
        site's `site_url` (the build's, so the same as the pages'): a local or empty address makes them drafts."""
        options = PdfOptions.of(settings, progress=progress)
        cache = settings.pdf_cache
        results = build_handbook_pdfs(
            content.handbooks,
            content.practices,
            content.vocabularies,
            options,
            lambda handbook_id, language: cache / pdf_filename(handbook_id, language),
        )
        return cls(results)

    def sizes(self) -> dict[tuple[str, str], int]:
        """(handbook id, language) → size in bytes: what the handbook pages show."""
        return {key: result.size for key, result in self.results.items()}

    def publish(self, site_dir: Path) -> None:
        for (handbook_id, language), result in self.results.items():
            target = published_pdf_path(site_dir, handbook_id, language)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(result.path, target)
