"""The MkDocs plugin: wiring between MkDocs events and the handbook's modules; each hook calls one of them.

State, one object per concern: `site` (the generated pages, `site_pages`), `pdfs` (`site_pdfs`),
`search` (Pagefind runs, `search`), `parallel` (the language builds, `parallel`) and `preview` (what
`mkdocs serve` shows while the content is broken, `preview`). What the plugin
reads from mkdocs-static-i18n is in `languages`. Event order and options: ARCHITECTURE.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import material
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from handbook.gate import Settings
from handbook.pdf.render import PRINT_DIR, PdfError
from handbook.problems import ContentError
from handbook.settings import HandbookConfig
from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES
from handbook.web import languages, templates
from handbook.web.csp import SitePolicy, site_path, site_policy, site_problems, with_csp
from handbook.web.export import publish_data
from handbook.web.head import FEED, page_sitemap, write_page_sitemap
from handbook.web.pagemeta import escape_page_meta
from handbook.web.pages import SitePages
from handbook.web.parallel import BuildSettings, LanguageBuildError, ParallelBuild
from handbook.web.pdfs import SitePdfs
from handbook.web.preview import Preview
from handbook.web.search import SearchIndexError, SearchIndexes

log = get_plugin_logger(__name__)
FAILURES = (ContentError, LanguageBuildError, PdfError, SearchIndexError, OSError)  # reported as messages, not tracebacks


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.command, self.dirty = "build", False
        self.parallel = ParallelBuild.for_process()
        self.site: SitePages | None = None
        self.pdfs: SitePdfs | None = None
        self.pdf_sizes: dict[tuple[str, str], int] | None = None  # None: a child has not received them yet
        self.search = SearchIndexes()
        self.preview = Preview()
        self.settings: Settings | None = None  # mkdocs.yml as MkDocs read it (`on_config`)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        self.preview.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if problem := languages.check_languages(config):
            raise PluginError(problem)
        # One `__md_scope` (Material's storage prefix) on every page, not each page's relative base URL: the
        # theme's inline scripts, and so the site's one policy, are then the same on every page (csp.py).
        config.extra.setdefault("scope", site_path(config.site_url))
        if self.parallel.role == "child" and self.parallel.language:
            self.parallel.apply_settings(config)
            languages.start_with(config, self.parallel.language)
        elif self._builds_in_parallel(config):
            with _as_message():  # right away: the children wait only for the content the parent shares
                self.parallel.start(BuildSettings.of(config, self.dirty), languages.further_languages(config), _report_child_line)
        self.settings = Settings.of(config)
        return config

    def _settings(self, config: MkDocsConfig) -> Settings:
        """The settings `on_config` made (made here if an event comes without it, as in a test)."""
        if self.settings is None:
            self.settings = Settings.of(config)
        return self.settings

    def _builds_in_parallel(self, config: MkDocsConfig) -> bool:
        wanted = self.config.parallel and self.command == "build" and config.config_file_path is not None
        return bool(wanted and self.parallel.role == "sequential" and not languages.in_nested_build(config))

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if languages.in_nested_build(config) and (self.site is not None or self.preview.broken):
            return  # a further language of the sequential build: the same pages (or the same problems)
        with _as_message():
            if self.parallel.role == "child":
                self.site = self.parallel.receive("pages")
                return
            settings = self._settings(config)
            self.site, self.preview.problems = None, []
            try:
                self.site = SitePages.generate(settings, log.info)
            except ContentError as error:
                if not self.preview.serving:
                    raise
                self.preview.content_failed(error, config)  # serve shows the problems and keeps serving
                return
            self.parallel.share("pages", self.site)
            wants_pdfs = settings.options.pdf and not self.preview.serving  # a preview renders no PDF (ARCHITECTURE.md)
            self.pdfs = SitePdfs.render(settings, self.site.content, log.info) if wants_pdfs else None
            self.pdf_sizes = self.pdfs.sizes() if self.pdfs else {}
            self.parallel.share("pdfs", self.pdf_sizes)

    @event_priority(50)  # before mkdocs-static-i18n (-100) sorts the files by language
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self.site.add_to(files, config.docs_dir, config.site_dir, config.use_directory_urls) if self.site else files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.site.source(page.file.abs_src_path) if self.site else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        escape_page_meta(page.meta)  # before any page is rendered: the navigation prints the others' titles
        return markdown

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        settings = self._settings(config)
        for folder in (settings.layout.practices_dir, settings.layout.handbooks_dir, settings.root / PRINT_DIR):
            if folder.exists():
                server.watch(str(folder))
        return server

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env = templates.configure(env, languages.current_language(config))
        repository = self._settings(config).repository
        env.globals["hb_repository"] = repository.links() if repository else None  # the Bijdragen page's links
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        if self.site is not None:
            language = languages.current_language(config)
            settings = self._settings(config)
            markdown = settings.markdown.contributed  # handbook introductions are contributed text
            views = self.site.context(page.meta, language, settings.edit_url, self._pdf_sizes, markdown, config.site_url or "/")
            context.update(views)  # type: ignore[typeddict-item]
        return context

    def _pdf_sizes(self) -> Mapping[tuple[str, str], int]:
        """The PDF sizes; a child waits for the parent to render them (only handbook pages need them)."""
        if self.pdf_sizes is None and self.parallel.role == "child":
            with _as_message():
                self.pdf_sizes = self.parallel.receive("pdfs")
        return self.pdf_sizes or {}

    @event_priority(-500)  # last: the policy lists the theme's inline scripts; any other one fails the build after it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        sitemap = page_sitemap(config.site_url or "/", page.url, languages.alternates(page), DEFAULT_LANGUAGE)
        write_page_sitemap(Path(config.site_dir), page.file.dest_uri, sitemap)  # what Material's language selector fetches
        if self.preview.broken:
            return self.preview.page(languages.current_language(config))
        return self._with_csp(output, config)

    @event_priority(-500)  # the 404 page is a theme template, not a page; sitemap.xml is left unchanged
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.preview.broken and template_name.endswith(".html"):
            return self.preview.page(None)  # the 404 page, which both languages share while serving
        return self._with_csp(output_content, config)

    def _with_csp(self, html: str, config: MkDocsConfig) -> str:
        """The site's one policy tag; what the page holds is checked after the build, on the file as written."""
        if self.command == "serve":  # serve injects an inline live-reload script
            return html
        return with_csp(html, _policy(config))

    @event_priority(50)  # before mkdocs-static-i18n (-100) would build the next language
    def _on_post_build_language(self, *, config: MkDocsConfig) -> None:
        """This language is written: publish its data and start indexing it."""
        if self.site is None:
            return
        language = languages.current_language(config)
        with _as_message():
            folder = publish_data(
                Path(config.site_dir), self.site.content.practices, self.site.content.vocabularies, language, config.site_url
            )
            (folder / FEED).write_text(self.site.feed(language, config.site_url or "/", str(config.site_name)), encoding="utf-8")
        if self._settings(config).options.search:
            self.search.start(folder, language, languages.build_languages(config))
        if self.parallel.role != "sequential":
            languages.stop_further_languages(config)  # child processes build them

    @event_priority(-200)
    def _on_post_build_site(self, *, config: MkDocsConfig) -> None:
        """Once, after the last language: gather the children's languages, finish the search indexes, publish the PDFs."""
        if self.parallel.role == "sequential" and languages.in_nested_build(config):
            return
        if self.parallel.role != "sequential":
            languages.allow_further_languages(config)
        with _as_message():
            if self.parallel.role == "parent":
                self.parallel.finish(Path(config.site_dir))
            self.search.finish()
            if self.pdfs is not None:
                self.pdfs.publish(Path(config.site_dir))
        if self.command == "build":  # every page this process wrote; a child checks its language before the parent takes it
            children = languages.further_languages(config) if self.parallel.role == "parent" else []
            problems = site_problems(Path(config.site_dir), _policy(config), children)
            if problems:
                raise PluginError("pages without the site's Content-Security-Policy, or with what it refuses:\n" + "\n".join(problems))

    on_post_build = CombinedEvent(_on_post_build_language, _on_post_build_site)

    def on_build_error(self, *, error: Exception) -> None:
        self.parallel.abandon()
        self.search.abandon()


@contextmanager
def _as_message() -> Iterator[None]:
    """Turn the failures the handbook reports itself into a `PluginError`: MkDocs shows its message, not a traceback."""
    try:
        yield
    except FAILURES as error:
        raise PluginError(str(error)) from None


def _policy(config: MkDocsConfig) -> SitePolicy:
    """The site's one policy (csp.site_policy, computed once): Material's fixed scripts with the site's scope, its
    bundle and the handbook's script files at the site's address, in every language."""
    folders = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]  # the same policy in every build
    return site_policy(Path(material.__file__).parent / "templates", str(config.extra["scope"]), config.site_url, folders)


def _report_child_line(language: str, line: str) -> None:
    """A warning or error of a child build, logged in the parent as it comes (strict mode counts it here too)."""
    level, _, message = line.partition(" - ")
    log.log(logging.ERROR if level.strip() == "ERROR" else logging.WARNING, f"[{language}] {message.strip() or line}")
