"""The MkDocs plugin: wiring between MkDocs events and the handbook's stages; each hook calls one of them.

State: settings, the generated pages (`site`), this language's PDF jobs (`pdfs`), the pages given their
policy (`checked`), `mkdocs serve`'s `preview`, and `depth`: mkdocs-static-i18n builds each further language
inside the first build, and the site is indexed once the outermost ends. Events and options: ARCHITECTURE.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import material
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from handbook.markdown_render import MKDOCS_DEFAULT_EXTENSIONS, MarkdownSettings, markdown_settings_of
from handbook.pdf.render import PRINT_DIR, PdfError
from handbook.problems import ContentError
from handbook.repository import Repository
from handbook.urls import DEFAULT_LANGUAGE, LANGUAGES
from handbook.web import languages, templates
from handbook.web.csp import CspError, Where, output_digest, script_files, script_sources, site_problems, theme_scripts, with_csp
from handbook.web.head import page_sitemap, write_page_sitemap
from handbook.web.options import HandbookConfig, site_layout, site_root
from handbook.web.pagemeta import escape_page_meta
from handbook.web.pages import SitePages
from handbook.web.pdfs import SitePdfs
from handbook.web.preview import Preview
from handbook.web.search import SearchIndexError, index_site

log = get_plugin_logger(__name__)


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.command, self.depth = "build", 0
        self.site: SitePages | None = None
        self.pdfs: SitePdfs | None = None
        self.checked: set[str] = set()  # digests of the pages this process gave their policy (not read again after the build)
        self.markdown = MarkdownSettings(MKDOCS_DEFAULT_EXTENSIONS)  # for contributed text: the site's, without snippets
        self.preview = Preview()
        self.repository: Repository | None = None  # from the `repository` option, or the repository being built
        self.editor: str | None = None  # base URL of practices/ in the web editor: `edit_url`, else the repository's

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.depth = command, 0
        self.preview.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if problem := languages.check_languages(config):
            raise PluginError(problem)
        self.markdown = markdown_settings_of(config).without("pymdownx.snippets")  # handbook introductions are contributed text
        self.repository = Repository.configured(self.config.repository)
        self.editor = self.config.edit_url or (self.repository.editor(self.config.practices) if self.repository else None)
        return config

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.depth += 1  # MkDocs keeps this plugin from one build to the next (it has on_startup): state is per build
        language, root = languages.current_language(config), site_root(config)
        with _as_message():
            if self.depth == 1:  # the outermost build; a further language built inside it has the same pages
                self.site = self.preview.generate(site_layout(config, self.config), Path(config.docs_dir), config, log.info)
            self.pdfs = None
            if self.site is not None and self.config.pdf and not self.preview.serving:  # a preview renders no PDF (ARCHITECTURE.md)
                self.pdfs = SitePdfs(root, self.site.content, language, root / self.config.pdf_cache, config.site_url or "", log.info)

    @event_priority(50)  # before mkdocs-static-i18n (-100) sorts the files by language
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self.site.add_to(files, config.docs_dir, config.site_dir, config.use_directory_urls) if self.site else files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.site.source(page.file.abs_src_path) if self.site else None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        escape_page_meta(page.meta)  # before any page is rendered: the navigation prints the others' titles
        return markdown

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for folder in [site_root(config) / name for name in (self.config.practices, self.config.handbooks, PRINT_DIR)]:
            if folder.exists():
                server.watch(str(folder))
        return server

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env = templates.configure(env, languages.current_language(config))
        env.globals["hb_repository"] = self.repository.links() if self.repository else None  # the Bijdragen page's links
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        if self.site is not None:
            sizes = self.pdfs.sizes if self.pdfs else dict  # the first handbook page waits for this language's PDFs
            with _as_message():
                views = self.site.context(page.meta, languages.current_language(config), self.editor, sizes, self.markdown, config.site_url or "/")
            context.update(views)  # type: ignore[typeddict-item]
        return context

    @event_priority(-500)  # last: the policy lists the theme's inline scripts; any other one fails the build
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        sitemap = page_sitemap(config.site_url or "/", page.url, languages.alternates(page), DEFAULT_LANGUAGE)
        write_page_sitemap(Path(config.site_dir), page.file.dest_uri, sitemap)  # what Material's language selector fetches
        if self.preview.broken:
            return self.preview.page(languages.current_language(config))
        return self._with_csp(output, page.file.src_uri, config, page.file.dest_uri)

    @event_priority(-500)  # the 404 page is a theme template, not a page; sitemap.xml is left unchanged
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.preview.broken and template_name.endswith(".html"):
            return self.preview.page(None)  # the 404 page, which both languages share while serving
        return self._with_csp(output_content, template_name, config, template_name)

    def _with_csp(self, html: str, name: str, config: MkDocsConfig, dest: str) -> str:
        if self.command == "serve":  # serve injects an inline live-reload script
            return html
        try:
            output = with_csp(html, theme_scripts(config.theme.dirs), _script_files(config), Where(dest, _base(config), _sources(config)))
        except CspError as error:
            raise PluginError(f"{name}: {error}") from None
        self.checked.add(output_digest(output))
        return output

    @event_priority(50)  # before mkdocs-static-i18n (-100) builds the next language
    def _on_post_build_language(self, *, config: MkDocsConfig) -> None:
        """This language is written: publish its data, its feed and its PDFs."""
        if self.site is None:
            return
        language, site_dir = languages.current_language(config), Path(config.site_dir)
        with _as_message():
            self.site.publish(site_dir, language, config.site_url, str(config.site_name))
            if self.pdfs is not None:
                self.pdfs.publish(site_dir)

    @event_priority(-200)  # after mkdocs-static-i18n (-100), which builds the further languages in its own hook
    def _on_post_build_site(self, *, config: MkDocsConfig) -> None:
        """Once, when the outermost build ends: index the finished site, check that every page has its policy."""
        self.depth -= 1
        if self.depth > 0:
            return
        if self.config.search and self.site is not None:
            with _as_message():
                index_site(Path(config.site_dir))
        if self.command == "build":  # every page this process wrote
            children: list[str] = []
            problems = site_problems(
                Path(config.site_dir),
                theme_scripts(config.theme.dirs),
                self.checked,
                children,
                _script_files(config),
                _base(config),
                _sources(config),
            )
            if problems:
                raise PluginError("pages without the Content-Security-Policy:\n" + "\n".join(problems))

    on_post_build = CombinedEvent(_on_post_build_language, _on_post_build_site)

    def on_build_error(self, *, error: Exception) -> None:
        self.depth = 0
        if self.pdfs is not None:
            self.pdfs.cancel()


@contextmanager
def _as_message() -> Iterator[None]:
    """Turn the failures the handbook reports itself into a `PluginError`: MkDocs shows its message, not a traceback."""
    try:
        yield
    except (ContentError, PdfError, SearchIndexError, OSError) as error:
        raise PluginError(str(error)) from None


def _script_files(config: MkDocsConfig) -> frozenset[str]:
    """The script files a page may load (csp.script_files): Material's bundle and the handbook's own files."""
    return script_files(Path(material.__file__).parent / "templates")


def _sources(config: MkDocsConfig) -> str:
    """script-src's sources: the listed script files at the site's address, in every language (csp.script_sources)."""
    folders = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]  # the same policy in every build
    return script_sources(config.site_url, _script_files(config), folders)


def _base(config: MkDocsConfig) -> str:
    """The path of the site's address, from which an absolute `src` is read (`/` without a site_url)."""
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else f"{path}/"
