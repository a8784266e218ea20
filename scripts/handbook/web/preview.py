"""`mkdocs serve` as a preview: it never renders PDFs and never stops on content.

A content problem while serving does not end the server. The `path:line: message` lines go to the
terminal, every page of the preview (and its 404 page) becomes an error page in the page's language
that lists them, and the next save that fixes the content builds the real pages again (MkDocs' live
reload reloads the page the contributor is looking at). While the content is broken the generated pages
do not exist, so MkDocs' link and navigation checks are quietened for that build only: they would only
repeat the one real problem.
"""

from __future__ import annotations

import html
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from handbook.gate import ContentMemo, Settings
from handbook.pdf.render import PRINT_DIR
from handbook.problems import ContentError
from handbook.urls import LANGUAGES
from handbook.views.labels import label
from handbook.web.pages import GenerationMemo, SitePages
from handbook.web.search import stop_indexing


@dataclass
class Preview:
    """The state of one `mkdocs serve` build: the content problems it shows instead of the pages."""

    serving: bool = False
    problems: list[str] = field(default_factory=list)
    memo: ContentMemo = field(default_factory=ContentMemo)  # what each rebuild reuses of the last (`load_content`)
    generation: GenerationMemo = field(default_factory=GenerationMemo)  # and of the generated pages

    @property
    def broken(self) -> bool:
        return bool(self.problems)

    def watch(self, server: Any, settings: Settings) -> Any:
        """`mkdocs serve` also rebuilds on a change of the content's folders and the print templates; the search
        index made in the background is stopped when the server stops, before MkDocs removes the site."""
        for folder in (settings.layout.practices_dir, settings.layout.handbooks_dir, settings.root / PRINT_DIR):
            if folder.exists():
                server.watch(str(folder))
        shutdown = server.shutdown

        def stop(*args: Any, **kwargs: Any) -> Any:
            stop_indexing()
            return shutdown(*args, **kwargs)

        server.shutdown = stop
        return server

    def generate(self, settings: Settings, config: MkDocsConfig, report: Callable[[str], None]) -> SitePages | None:
        """The site's pages; when serving, None for content with problems, which this preview shows instead."""
        self.problems = []
        try:
            if self.serving:
                return SitePages.generate(settings, report, self.memo, self.generation)
            return SitePages.generate(settings, report)
        except ContentError as error:
            if not self.serving:
                raise
            self.content_failed(error, config)  # serve shows the problems and keeps serving
            return None

    def source(self, pages: SitePages | None, path: str | None) -> str | None:
        """The Markdown MkDocs renders for the page whose source is `path`: a generated page's from memory; while the
        content is broken, none of any page (each becomes the error page, and a page's own Markdown could stop the
        rebuild with a traceback, as an include of a missing CONTRIBUTING.md does)."""
        if self.broken:
            return ""
        return pages.source(path) if pages else None

    def content_failed(self, error: ContentError, config: MkDocsConfig) -> None:
        """Show the problems instead of stopping: in the terminal now, on every page of this build."""
        self.problems = [problem.format(error.root) for problem in error.problems]
        print(f"\n{error}\n", file=sys.stderr, flush=True)  # plain lines: not counted as warnings by strict mode
        _quieten_link_checks(config)

    def page(self, language: str | None) -> str:
        """The error page in `language`, or in both languages (None: the 404 page, shared by both)."""
        languages = [language] if language in LANGUAGES else list(LANGUAGES)
        items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in self.problems)
        parts = [
            f'<section lang="{lang}">\n<h1>{_text("title", lang)}</h1>\n'
            f"<p>{_text('lead', lang)}</p>\n<p>{_text('same', lang)}</p>\n</section>"
            for lang in languages
        ]
        return (
            f'<!doctype html>\n<html lang="{languages[0]}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{' / '.join(_text('title', lang) for lang in languages)}</title>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts)
            + f'\n<ul id="handbook-content-problems">\n{items}\n</ul>\n</main>\n</body>\n</html>\n'
        )


def _text(name: str, language: str) -> str:
    """One of the error page's texts (`preview_error_*` in interface.yml), escaped for HTML."""
    return html.escape(label(f"preview_error_{name}", language), quote=False)


def _quieten_link_checks(config: MkDocsConfig) -> None:
    """This build has no generated pages: the links to them are not the contributor's problem."""
    validation = config.validation
    for group in (validation.nav, validation.links):
        for name in ("omitted_files", "not_found", "absolute_links", "unrecognized_links", "anchors"):
            if name in group:
                group[name] = logging.DEBUG
