"""The MkDocs plugin: thin wiring between MkDocs events and the handbook's pure modules.

mkdocs-static-i18n runs its hooks at priority -100 and builds the other languages one by one from
inside its `on_post_build` of the default language. For `mkdocs build` this plugin builds them in
parallel instead (see `parallel.py`): it is then the *parent*, building the default language while a
*child* process per further language builds that one; `mkdocs serve` stays *sequential*.

Event order:
- `on_startup`: remember the command (parallel builds for `build` only).
- `on_config` (0, before i18n): in a child, make i18n start with the child's language; in the parent,
  start the children.
- `on_pre_build` (100): load and validate the content once per build cycle, fail with every problem,
  generate the pages (in memory; practice images are written to a gitignored folder) and the PDFs.
- `on_files` (50, before i18n sorts files by language): add the generated pages as files under docs/.
- `on_page_read_source` (0): give MkDocs the text of a generated page.
- `on_env` (0): let templates include Material's own partials as `material/...`; interface labels.
- `on_page_context` (0): hand the practice and overview views to their templates.
- `on_post_page` (-500, after every other plugin has changed the page), `on_post_template` (-500, the
  404 page): add the Content-Security-Policy meta tag with the hashes of the page's inline scripts (not
  for `mkdocs serve`, whose live-reload script is inline).
- `on_post_build` (50): publish this language's data and start indexing it with Pagefind, before i18n
  would start the next language (which parent and child stop it from doing).
- `on_post_build` (-200): once: gather the children's languages and wait for every search index.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import material
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from handbook.catalogue import related_practices
from handbook.content import Content, Layout, last_updated, load_content
from handbook.csp import with_csp
from handbook.export import export_texts, write_export
from handbook.feed import atom_feed, newest_entries
from handbook.handbooks import (
    PdfInfo,
    event_pages,
    event_titles,
    event_view,
    events_index_pages,
    events_index_view,
    pdf_filename,
    pdf_href,
)
from handbook.head import FEED, absolute, head_meta, page_sitemap, write_page_sitemap
from handbook.markdown_render import markdown_settings
from handbook.model import Practice
from handbook.pages import inline_code, interface_labels, overview_pages, practice_pages, sync_folder
from handbook.parallel import (
    LanguageBuild,
    LanguageBuildError,
    abandon,
    child_language,
    finish_language_build,
    new_state_folder,
    parallel_enabled,
    receive,
    share,
    shared_state_folder,
    start_language_build,
)
from handbook.pdf import PRINT_DIR, PdfOptions, PdfResult, build_handbook_pdfs, pdfs_enabled, published_pdf_path
from handbook.problems import ContentError
from handbook.search import finish_search_index, start_search_index
from handbook.views import catalogue_view, coverage_view, fields_view, practice_view, translation_status_view

log = get_plugin_logger(__name__)

OverviewView = Callable[[Content, str], dict[str, Any]]


class HandbookConfig(base.Config):  # type: ignore[no-untyped-call]
    practices = c.Type(str, default="practices")
    vocabularies = c.Type(str, default="practices/vocabularies.yml")
    handbooks = c.Type(str, default="handbooks")
    generated = c.Type(str, default="praktijken")  # folder under docs_dir, gitignored
    events = c.Type(str, default="studiedagen")  # folder under docs_dir for event pages, gitignored
    pdf_cache = c.Type(str, default=".cache/pdf/site")  # where the site's PDFs are rendered, gitignored
    edit_url = c.Optional(c.Type(str))  # base URL of practices/ in the repository's web editor
    search = c.Type(bool, default=True)
    default_language = c.Type(str, default="nl")


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    # Generated overview pages: template → (name in the template context, view of the content).
    overview_views: ClassVar[dict[str, tuple[str, OverviewView]]] = {
        "catalogue.html": ("catalogue", lambda content, lang: catalogue_view(content.practices, content.vocabularies, lang)),
        "coverage.html": ("coverage", lambda content, lang: coverage_view(content.practices, content.vocabularies, lang)),
        "translation-status.html": ("translation_status", lambda content, lang: translation_status_view(content.practices, lang)),
        "fields.html": ("fields", lambda content, lang: fields_view(content.vocabularies, lang)),
    }

    def __init__(self) -> None:
        self.content: Content | None = None
        self.by_id: dict[str, Practice] = {}
        self.related: dict[str, list[tuple[str, bool]]] = {}
        self.updated: dict[str, datetime.date] = {}
        self.indexing: list[subprocess.Popen[str]] = []  # Pagefind runs in the background
        self.command = "build"
        self.pdfs: dict[tuple[str, str], PdfResult] = {}  # rendered by the parent (or sequential build)
        self.pdf_sizes: dict[tuple[str, str], int] | None = None  # None: a child has not received them yet
        self.language_builds: list[LanguageBuild] = []
        self.state: Path | None = None  # the parent's folder for results shared with the children
        self.pages: dict[str, str] = {}  # generated page (path under docs/) → its Markdown
        self.sources: dict[str, str] = {}  # absolute source path of a generated page → its Markdown

    def _i18n(self, config: MkDocsConfig) -> Any:
        return config.plugins.get("i18n")

    def _language(self, config: MkDocsConfig) -> str:
        i18n = self._i18n(config)
        language = getattr(i18n, "current_language", None) if i18n else None
        return str(language or config.theme.get("language") or self.config.default_language)

    def _nested_build(self, config: MkDocsConfig) -> bool:
        """True while mkdocs-static-i18n builds a further language inside the first build."""
        i18n = self._i18n(config)
        return bool(i18n and getattr(i18n, "building", False))

    def _role(self) -> str:
        """'child' (builds one further language), 'parent' (default language, children run) or 'sequential'."""
        if child_language():
            return "child"
        return "parent" if self.language_builds else "sequential"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        i18n = self._i18n(config)
        language = child_language()
        if language and i18n is not None and i18n.current_language is None:
            i18n.current_language = language
        self._start_language_builds(config)  # right away: they wait only for the content we share
        return config

    def _start_language_builds(self, config: MkDocsConfig) -> None:
        i18n = self._i18n(config)
        if self.command != "build" or i18n is None or not parallel_enabled() or self.language_builds:
            return
        site_dir = Path(config.site_dir)
        self.state = new_state_folder(site_dir)
        for language in i18n.build_languages:
            if language != i18n.default_language:
                log.info(f"Building '{language}' in parallel")
                build = start_language_build(Path(config.config_file_path), site_dir, language, bool(config.strict), self.state)
                self.language_builds.append(build)

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self._nested_build(config) and self.content is not None:
            return
        shared = shared_state_folder()
        if self._role() == "child" and shared is not None:
            content, related, updated, self.pages = receive(shared, "content")
            self._use(content, related, updated)
            return
        root = Path(config.config_file_path).parent
        layout = Layout(root, self.config.practices, self.config.handbooks, self.config.vocabularies)
        content = load_content(layout)
        if content.problems:
            raise PluginError(str(ContentError(content.problems, root)))
        self._use(content, related_practices(content.practices), last_updated(root, self.config.practices))
        generated = {
            self.config.generated: [*practice_pages(content.practices), *overview_pages()],
            self.config.events: [*event_pages(content.handbooks), *events_index_pages()],
        }
        self.pages = {
            f"{folder}/{file.path}": file.content for folder, files in generated.items() for file in files if isinstance(file.content, str)
        }
        for folder, files in generated.items():  # images are real files, written only when changed
            report = sync_folder(Path(config.docs_dir) / folder, [file for file in files if isinstance(file.content, bytes)])
            if report.written or report.removed:
                log.info(f"{folder}/: {len(report.written)} files written, {len(report.removed)} removed")
        if self.state is not None:
            share(self.state, "content", (content, self.related, self.updated, self.pages))
        self.pdfs = self._build_pdfs(root, content) if pdfs_enabled() else {}
        self.pdf_sizes = {key: result.size for key, result in self.pdfs.items()}
        if self.state is not None:
            share(self.state, "pdfs", self.pdf_sizes)

    @event_priority(50)  # before mkdocs-static-i18n (-100) sorts the files by language
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages as documentation files under docs/; their text comes from memory."""
        self.sources = {}
        for src_uri, text in self.pages.items():
            file = File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
            self.sources[str(file.abs_src_path)] = text
            files.append(file)
        return files

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.sources.get(str(page.file.abs_src_path))

    def _use(self, content: Content, related: dict[str, list[tuple[str, bool]]], updated: dict[str, datetime.date]) -> None:
        self.content, self.related, self.updated = content, related, updated
        self.by_id = content.by_id()

    def _build_pdfs(self, root: Path, content: Content) -> dict[tuple[str, str], PdfResult]:
        """Every handbook in both languages, from the cache when unchanged."""
        cache = root / self.config.pdf_cache
        options = PdfOptions.for_root(root, progress=log.info)
        return build_handbook_pdfs(
            content.handbooks,
            content.practices,
            content.vocabularies,
            options,
            lambda handbook, language: cache / pdf_filename(handbook, language),
        )

    def _sizes_of_pdfs(self) -> dict[tuple[str, str], int]:
        """The PDF sizes; a child waits for the parent to render them (only event pages need them)."""
        shared = shared_state_folder()
        if self.pdf_sizes is None and shared is not None:
            self.pdf_sizes = receive(shared, "pdfs")
        return self.pdf_sizes or {}

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        for folder in (self.config.practices, self.config.handbooks, PRINT_DIR):
            if (root / folder).exists():
                server.watch(str(root / folder))
        return server

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        material_templates = Path(material.__file__).parent / "templates"
        assert env.loader is not None
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(material_templates)})])
        language = self._language(config)
        env.globals["hb"] = {key: texts[language] for key, texts in interface_labels().items()}
        env.filters["hb_code"] = inline_code
        env.globals["hb_head_meta"] = head_meta
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        content = self.content
        if content is None:
            return context
        language = self._language(config)
        template = page.meta.get("template")
        if "practice" in page.meta:
            practice = self.by_id[page.meta["practice"]]
            related = [(self.by_id[other], declared) for other, declared in self.related.get(practice.id, []) if other in self.by_id]
            context["practice"] = practice_view(  # type: ignore[typeddict-unknown-key]
                practice,
                content.vocabularies,
                language,
                related,
                self.updated.get(practice.id),
                self._edit_url(),
                event_titles(content.handbooks, language),
            )
        elif "event" in page.meta:
            handbook = next(handbook for handbook in content.handbooks if handbook.id == page.meta["event"])
            size = self._sizes_of_pdfs().get((handbook.id, language))
            pdf = PdfInfo(pdf_href(handbook.id, language, self.config.default_language), size) if size is not None else None
            settings = markdown_settings(Path(config.config_file_path))
            context["event"] = event_view(handbook, self.by_id, content.vocabularies, language, pdf, settings)  # type: ignore[typeddict-unknown-key]
        elif template == "home.html":
            context["newest"] = newest_entries(content.practices, self.updated, language, self.config.default_language, config.site_url or "/", 5)  # type: ignore[typeddict-unknown-key]
        elif template == "events.html":
            context["events"] = events_index_view(content.handbooks, language, self._sizes_of_pdfs())  # type: ignore[typeddict-unknown-key]
        elif template in self.overview_views:
            name, view = self.overview_views[template]
            context[name] = view(content, language)  # type: ignore[literal-required]
        return context

    @event_priority(-500)  # last: the policy hashes the inline scripts of the final page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        links = [{"lang": lang, "link": file.url} for lang, file in getattr(page.file, "alternates", {}).items()]
        sitemap = page_sitemap(config.site_url or "/", page.url, links, self.config.default_language)
        write_page_sitemap(Path(config.site_dir), page.file.dest_uri, sitemap)  # what Material's language selector fetches
        return output if self.command == "serve" else with_csp(output)  # serve injects an inline live-reload script

    @event_priority(-500)  # the 404 page is a theme template, not a page; sitemap.xml is left unchanged
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return output_content if self.command == "serve" else with_csp(output_content)

    def _edit_url(self) -> str | None:
        """Configured, or on GitHub Actions derived from the repository being built."""
        if self.config.edit_url:
            return str(self.config.edit_url)
        server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
        if server and repository:
            return f"{server}/{repository}/edit/{os.environ.get('GITHUB_REF_NAME') or 'main'}/{self.config.practices}"
        return None

    def _search_enabled(self) -> bool:
        return self.config.search and os.environ.get("HANDBOOK_SEARCH") != "0"

    @event_priority(50)
    def _on_post_build_export(self, *, config: MkDocsConfig) -> None:
        """Publish this language's data and start indexing its pages (before i18n builds the next)."""
        if self.content is None:
            return
        language = self._language(config)
        prefix = "" if language == self.config.default_language else language
        base = urlsplit(config.site_url or "/").path or "/"  # the site may live under a path, as on GitHub Pages
        texts = export_texts(self.content.practices, self.content.vocabularies, language, self.config.default_language, base)
        language_dir = Path(config.site_dir) / prefix
        write_export(language_dir, texts)
        (language_dir / FEED).write_text(self._feed(config, language, f"{prefix}/" if prefix else ""), encoding="utf-8")
        if self._search_enabled():
            i18n = self._i18n(config)
            languages = [str(code) for code in getattr(i18n, "build_languages", [])] if i18n else []
            others = [code for code in languages if code != language] if not prefix else []
            self.indexing.append(start_search_index(language_dir, others))
        i18n = self._i18n(config)
        if i18n is not None and self._role() != "sequential":
            i18n.building = True  # the other languages are built by child processes, not by i18n

    def _feed(self, config: MkDocsConfig, language: str, prefix: str) -> str:
        assert self.content is not None
        site_url, labels = config.site_url or "/", interface_labels()
        entries = newest_entries(self.content.practices, self.updated, language, self.config.default_language, site_url)
        return atom_feed(entries, title=labels["feed_title"][language], subtitle=str(config.site_name), language=language,
                         feed_url=absolute(site_url, prefix + FEED), catalogue_url=absolute(site_url, f"{prefix}praktijken/"), author=str(config.site_name))

    @event_priority(-200)
    def _on_post_build_search(self, *, config: MkDocsConfig) -> None:
        """Once, after the last language: gather the children's languages and wait for every index."""
        if self._role() == "sequential" and self._nested_build(config):
            return
        builds, self.language_builds = self.language_builds, []
        if builds:
            self._i18n(config).building = False
        try:
            for build in builds:
                for line in finish_language_build(build, Path(config.site_dir)):
                    log.warning(f"[{build.language}] {line}")
        except LanguageBuildError as error:
            for build in builds:
                abandon(build)
            raise PluginError(str(error)) from None
        finally:
            self._remove_state()
        indexing, self.indexing = self.indexing, []
        for process in indexing:
            finish_search_index(process)
        if self._role() != "child":
            for (handbook_id, language), result in self.pdfs.items():
                target = published_pdf_path(Path(config.site_dir), handbook_id, language)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(result.path, target)

    on_post_build = CombinedEvent(_on_post_build_export, _on_post_build_search)

    def on_build_error(self, *, error: Exception) -> None:
        builds, self.language_builds = self.language_builds, []
        for build in builds:
            abandon(build)
        self._remove_state()

    def _remove_state(self) -> None:
        if self.state is not None:
            shutil.rmtree(self.state, ignore_errors=True)
            self.state = None
