"""The MkDocs plugin: thin wiring between MkDocs events and the handbook's pure modules.

Event order (mkdocs-static-i18n runs its hooks at priority -100 and builds the other languages from
inside its `on_post_build` of the default language):

- `on_pre_build` (100): load and validate the content once per build cycle, fail with every problem,
  and write the generated pages into the gitignored folder (only changed files are written).
- `on_env` (0): let templates include Material's own partials as `material/...`.
- `on_page_context` (0): hand the practice, catalogue and coverage views to their templates.
- `on_post_build` (50): publish this language's data (before i18n starts the next language).
- `on_post_build` (-200): after every language is built, index the whole site with Pagefind.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import material
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from handbook.catalogue import related_practices
from handbook.content import Content, Layout, last_updated, load_content
from handbook.export import export_texts, write_export
from handbook.model import Practice
from handbook.pages import interface_labels, overview_pages, practice_pages, sync_folder
from handbook.problems import ContentError
from handbook.search import build_search_index
from handbook.views import catalogue_view, coverage_view, practice_view

log = get_plugin_logger(__name__)


class HandbookConfig(base.Config):  # type: ignore[no-untyped-call]
    practices = c.Type(str, default="practices")
    vocabularies = c.Type(str, default="practices/vocabularies.yml")
    handbooks = c.Type(str, default="handbooks")
    generated = c.Type(str, default="praktijken")  # folder under docs_dir, gitignored
    edit_url = c.Optional(c.Type(str))  # base URL of practices/ in the repository's web editor
    search = c.Type(bool, default=True)
    default_language = c.Type(str, default="nl")


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.content: Content | None = None
        self.by_id: dict[str, Practice] = {}
        self.related: dict[str, list[tuple[str, bool]]] = {}
        self.updated: dict[str, datetime.date] = {}

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

    @event_priority(100)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self._nested_build(config) and self.content is not None:
            return
        root = Path(config.config_file_path).parent
        layout = Layout(root, self.config.practices, self.config.handbooks, self.config.vocabularies)
        content = load_content(layout)
        if content.problems:
            raise PluginError(str(ContentError(content.problems, root)))
        self.content = content
        self.by_id = content.by_id()
        self.related = related_practices(content.practices)
        self.updated = last_updated(root, self.config.practices)
        report = sync_folder(Path(config.docs_dir) / self.config.generated, [*practice_pages(content.practices), *overview_pages()])
        if report.written or report.removed:
            log.info(f"Generated pages: {len(report.written)} written, {len(report.removed)} removed, {report.unchanged} unchanged")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        for folder in (self.config.practices, self.config.handbooks):
            if (root / folder).exists():
                server.watch(str(root / folder))
        return server

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        material_templates = Path(material.__file__).parent / "templates"
        assert env.loader is not None
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(material_templates)})])
        language = self._language(config)
        env.globals["hb"] = {key: texts[language] for key, texts in interface_labels().items()}
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        content = self.content
        if content is None:
            return context
        language = self._language(config)
        template = page.meta.get("template")
        if "practice" in page.meta:
            practices = self.by_id
            practice = practices[page.meta["practice"]]
            related = [(practices[other], declared) for other, declared in self.related.get(practice.id, []) if other in practices]
            context["practice"] = practice_view(  # type: ignore[typeddict-unknown-key]
                practice, content.vocabularies, language, related, self.updated.get(practice.id), self.config.edit_url
            )
        elif template == "catalogue.html":
            context["catalogue"] = catalogue_view(content.practices, content.vocabularies, language)  # type: ignore[typeddict-unknown-key]
        elif template == "coverage.html":
            context["coverage"] = coverage_view(content.practices, content.vocabularies, language)  # type: ignore[typeddict-unknown-key]
        return context

    @event_priority(50)
    def _on_post_build_export(self, *, config: MkDocsConfig) -> None:
        if self.content is None:
            return
        language = self._language(config)
        prefix = "" if language == self.config.default_language else language
        texts = export_texts(self.content.practices, self.content.vocabularies, language, self.config.default_language)
        write_export(Path(config.site_dir) / prefix, texts)

    @event_priority(-200)
    def _on_post_build_search(self, *, config: MkDocsConfig) -> None:
        if self._nested_build(config) or not self.config.search or os.environ.get("HANDBOOK_SEARCH") == "0":
            return
        build_search_index(Path(config.site_dir))

    on_post_build = CombinedEvent(_on_post_build_export, _on_post_build_search)
