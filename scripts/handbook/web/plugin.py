"""The MkDocs plugin: wiring between MkDocs events and the handbook's stages; each hook calls one of them. State:
`settings`, the generated `pages`, this language's `pdfs`, `mkdocs serve`'s `preview` and `dirty` pages, and `depth`
(mkdocs-static-i18n builds each further language inside the first build). Events: ARCHITECTURE.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from handbook.settings import HandbookConfig, Settings
from handbook.urls import DEFAULT_LANGUAGE
from handbook.web import languages, offline, templates
from handbook.web.csp import config_policy, site_path, with_csp
from handbook.web.dirty import DirtyPages
from handbook.web.finish import NOT_FOUND, as_message, finish_site
from handbook.web.head import PageSitemaps, page_sitemap
from handbook.web.pagemeta import escape_page_meta
from handbook.web.pages import SitePages, contribute_links
from handbook.web.pdfs import SitePdfs
from handbook.web.preview import Preview

log = get_plugin_logger(__name__)


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.command, self.depth, self.sitemaps, self.preview, self.dirty = "build", 0, PageSitemaps(), Preview(), DirtyPages()
        self.pages: SitePages | None = None
        self.pdfs: SitePdfs | None = None
        self.settings: Settings | None = None  # mkdocs.yml as MkDocs read it (`on_config`)
        self.not_found: str | None = None  # the default language's 404 page, written last
        self.offline_worker = True  # write the service worker when the site ends; `handbook build` writes it after the join

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.depth, self.sitemaps = command, 0, PageSitemaps()
        self.preview.serving, self.dirty = command == "serve", DirtyPages.serving(dirty and command == "serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if problem := languages.check_languages(config):
            raise PluginError(problem)
        # One `__md_scope` (Material's storage prefix) on every page, not each page's relative base URL: the
        # theme's inline scripts, and so the site's one policy, are then the same on every page (csp.py).
        config.extra.setdefault("scope", site_path(config.site_url))
        self.settings = Settings.of(config)
        return config

    def _settings(self, config: MkDocsConfig) -> Settings:
        """The settings `on_config` made (made here if an event comes without it, as in a test)."""
        self.settings = self.settings or Settings.of(config)
        return self.settings

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.depth += 1  # MkDocs keeps this plugin from one build to the next (it has on_startup): state is per build
        language, settings = languages.current_language(config), self._settings(config)
        with as_message():
            if self.depth == 1:  # the outermost build; a further language built inside it has the same pages
                self.pages = self.preview.generate(settings, config, log.info)
            self.pdfs = SitePdfs.of(settings, self.pages, language, log.info, str(config.site_name), self.preview.serving)

    @event_priority(50)  # before mkdocs-static-i18n (-100) sorts the files by language
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self.pages.add_to_build(files, config) if self.pages else files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:  # serve --dirty: which pages to build
        return self.dirty.decide(nav, files, config, self.pages, self.preview.broken, first=self.depth == 1)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.preview.source(self.pages, page.file.abs_src_path)  # none while the content is broken

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        escape_page_meta(page.meta)  # before any page is rendered: the navigation prints the others' titles
        if self.pages is not None:  # after mkdocs-static-i18n paired the files, before its language selector reads them
            self.pages.pair_alternates(page.file, languages.current_language(config))
        return markdown

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        return self.preview.watch(server, self._settings(config))

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        language, content = languages.current_language(config), self.pages.content if self.pages else None
        env = templates.configure(env, language)  # with the Bijdragen page's links, and the offline head (none for a preview)
        env.globals.update(contribute_links(self._settings(config), content, language), hb_offline=offline.head(language, self.command))
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        self.dirty.page_built(page, nav)
        if self.pages is not None:
            with as_message():
                views = self.pages.page_context(page.meta, languages.current_language(config), self._settings(config), self.pdfs)
            context.update(views)  # type: ignore[typeddict-item]
        return context

    @event_priority(-500)  # last: the policy lists the theme's inline scripts; any other one fails the build
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        sitemap = page_sitemap(config.site_url or "/", page.url, languages.alternates(page), DEFAULT_LANGUAGE)
        self.sitemaps.add(Path(config.site_dir), page.file.dest_uri, sitemap)  # what Material's language selector fetches
        if self.preview.broken:
            return self.preview.page(languages.current_language(config))
        return output if self.command == "serve" else with_csp(output, config_policy(config))  # serve adds a live-reload script

    @event_priority(-500)  # the 404 page is a theme template, not a page; sitemap.xml is left unchanged
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.preview.broken and template_name.endswith(".html"):
            return self.preview.page(None)  # the 404 page, which both languages share while serving
        output = output_content if self.command == "serve" else with_csp(output_content, config_policy(config))
        if template_name == NOT_FOUND and languages.current_language(config) == DEFAULT_LANGUAGE:
            self.not_found = output  # each language writes the root's 404 page: the default language's stays
        return output

    @event_priority(50)  # before mkdocs-static-i18n (-100) builds the next language
    def _on_post_build_language(self, *, config: MkDocsConfig) -> None:
        """This language is written: publish its data, its feed and its PDFs."""
        self.sitemaps.write()
        with as_message():
            if self.pages is not None:
                self.pages.publish(Path(config.site_dir), languages.current_language(config), config.site_url, str(config.site_name))
            if self.pdfs is not None:
                self.pdfs.publish(Path(config.site_dir))
            offline.publish_manifest(config, self.command)  # none for a preview

    @event_priority(-200)  # after mkdocs-static-i18n (-100), which builds the further languages in its own hook
    def _on_post_build_site(self, *, config: MkDocsConfig) -> None:
        """Once, when the outermost build ends: index the finished site, check that every page has its policy."""
        self.depth -= 1
        if self.depth > 0:
            return
        self.dirty.site_built(self.preview.broken, log.info)
        search = self._settings(config).options.search and self.pages is not None
        with as_message():  # the policy of every page this process wrote (serve adds none)
            finish_site(config, self.command, self.not_found, search)
            if self.command == "build" and self.offline_worker:  # last: the worker's version is a digest of the finished site
                log.info(offline.write_worker(Path(config.site_dir)).summary())
        self.not_found = None

    on_post_build = CombinedEvent(_on_post_build_language, _on_post_build_site)

    def on_build_error(self, *, error: Exception) -> None:
        self.depth = 0
        if self.pdfs is not None:
            self.pdfs.cancel()
