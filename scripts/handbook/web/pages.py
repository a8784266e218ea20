"""One build's generated pages: the content loaded once, the Markdown of every generated page, and their template views.

The pages are handed to MkDocs as files under `docs/` whose text comes from memory (plain `File`
objects, which mkdocs-static-i18n sorts by language like any page). Only the practice images are
written, into the gitignored `docs/praktijken/<id>/`, and only when changed.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mkdocs.structure.files import File, Files

from handbook.checks.docs_check import TEMPLATE_PAGES
from handbook.content.model import Practice
from handbook.content.practice_links import folder_test
from handbook.gate import Content, ContentMemo, Layout, Settings, last_updated, load_content
from handbook.markdown_render import MarkdownSettings
from handbook.messages import ngettext
from handbook.pdf.render import Edition
from handbook.problems import ContentError
from handbook.urls import (
    DEFAULT_LANGUAGE,
    HANDBOOKS,
    LANGUAGES,
    PRACTICES,
    PRACTICES_FROM_SELECTION,
    SELECTION,
    handout_name,
    language_prefix,
    pdf_href,
    selection_from_practices,
    selection_page,
)
from handbook.views.catalogue import RELATEDNESS_WEIGHTS, related_practices
from handbook.views.handbooks import PdfInfo, handbook_pages, handbook_titles, handbook_view, handbooks_index_pages, handbooks_index_view
from handbook.views.pages import SELECTION_TEMPLATE, GeneratedFile, overview_pages, practice_pages, selection_pages, sync_folder
from handbook.views.practice import (
    catalogue_view,
    coverage_view,
    fields_view,
    practice_pdf_view,
    practice_view,
    selection_view,
    translation_status_view,
)
from handbook.views.proposal_form import mail_body, mailto
from handbook.web.dirty import digest, tree_stamp
from handbook.web.export import ExportMemo, publish_data
from handbook.web.feed import home_entries, home_view, language_feed, newest_entries
from handbook.web.head import FEED
from handbook.web.languages import current_language
from handbook.web.office import template_documents
from handbook.web.pdfs import SitePdfs

HOME_NEWEST = 5  # practices the home page shows as new

# Overview pages: template → (name in the template context, view of the content, its last changes and the language).
Updated = Mapping[str, datetime.date]
OVERVIEW_VIEWS: dict[str, tuple[str, Callable[[Content, Updated, str], dict[str, Any]]]] = {
    "catalogue.html": (
        "catalogue",
        lambda content, updated, language: catalogue_view(content.practices, content.vocabularies, language, updated),
    ),
    "coverage.html": ("coverage", lambda content, _updated, language: coverage_view(content.practices, content.vocabularies, language)),
    "translation-status.html": (
        "translation_status",
        lambda content, _updated, language: translation_status_view(content.practices, language),
    ),
    "fields.html": ("fields", lambda content, _updated, language: fields_view(content.vocabularies, language)),
}

# The templates of hand-written or generated pages whose view is made from the whole content (see `context`).
CONTENT_TEMPLATES = frozenset({"home.html", "handbooks.html", SELECTION_TEMPLATE, *OVERVIEW_VIEWS})

_PRELOADED: dict[Layout, SitePages] = {}  # see `preload`


def preload(settings: Settings, report: Callable[[str], None]) -> None:
    """Generate the pages now, for the next `SitePages.generate` of this layout in this process or in a process
    forked from it (`handbook build`: the content is loaded and checked once, before the language builds fork)."""
    _PRELOADED[settings.layout] = SitePages.generate(settings, report)


def forget_preloaded() -> None:
    _PRELOADED.clear()


@dataclass
class GenerationMemo:
    """What a long-running caller (`mkdocs serve`) keeps from one generation of the pages to the next, each part
    with what it was made from: a practice's pages (the same practice object, `load_content` with a memo, and the
    same folders under docs/), the related practices (the same relatedness facts of every practice), the templates'
    documents (the same template pages, config file and edition), each practice's digest (`SitePages.view_key`)
    and its published record (the same practice object, `export.ExportMemo`)."""

    pages: dict[str, tuple[Practice, str, list[GeneratedFile]]] = field(default_factory=dict)
    related: tuple[object, dict[str, list[tuple[str, bool]]]] | None = None
    documents: tuple[object, dict[tuple[str, str], bytes]] | None = None
    digests: dict[str, tuple[Practice, str]] = field(default_factory=dict)
    export: ExportMemo = field(default_factory=ExportMemo)  # each practice's published record

    def practice_pages(self, practices: Sequence[Practice], docs_dir: Path) -> list[GeneratedFile]:
        folders = digest(sorted(os.path.relpath(folder, docs_dir) for folder, _dirs, _names in os.walk(docs_dir)))
        files: list[GeneratedFile] = []
        for practice in practices:
            prior = self.pages.get(practice.id)
            if prior is None or prior[0] is not practice or prior[1] != folders:
                prior = self.pages[practice.id] = (practice, folders, practice_pages([practice], is_folder=folder_test(docs_dir)))
            files += prior[2]
        for gone in set(self.pages) - {practice.id for practice in practices}:
            del self.pages[gone]
        return files

    def related_practices(self, practices: Sequence[Practice]) -> dict[str, list[tuple[str, bool]]]:
        facts = [(p.id, p.facts.related, *(getattr(p.facts, name) for name in RELATEDNESS_WEIGHTS)) for p in practices]
        if self.related is None or self.related[0] != facts:
            self.related = (facts, related_practices(practices))
        return self.related[1]

    def template_documents(self, settings: Settings, moment: datetime.datetime) -> dict[tuple[str, str], bytes]:
        layout = settings.layout
        config = [settings.config_file] if settings.config_file else []
        key = (tree_stamp([layout.docs_dir / TEMPLATE_PAGES]), tree_stamp(config), moment)
        if self.documents is None or self.documents[0] != key:
            self.documents = (key, template_documents(layout.docs_dir, settings.markdown, moment, layout.root))
        return self.documents[1]

    def digest(self, practice: Practice) -> str:
        prior = self.digests.get(practice.id)
        if prior is None or prior[0] is not practice:
            prior = self.digests[practice.id] = (practice, digest(repr(practice)))
        return prior[1]


@dataclass
class SitePages:
    """The validated content with what is derived from it once per build; shared as a whole with child builds."""

    content: Content
    related: dict[str, list[tuple[str, bool]]]
    updated: dict[str, datetime.date]
    pages: dict[str, str]  # generated page (path under docs/) → its Markdown
    documents: dict[tuple[str, str], bytes] = field(default_factory=dict)  # the templates to edit (office.py), by language and path
    sources: dict[str, str] = field(default_factory=dict)  # absolute source path of a generated page → its Markdown
    generation: GenerationMemo | None = None  # kept between generations by `mkdocs serve`

    @classmethod
    def generate(
        cls, settings: Settings, report: Callable[[str], None], memo: ContentMemo | None = None, generation: GenerationMemo | None = None
    ) -> SitePages:
        """Load and validate the content (a `ContentError` with every problem), generate the pages, write the images;
        the pages `preload` made for this layout, if any (once). `memo`: see `load_content`; `generation`: what is
        reused of the last generation (`GenerationMemo`)."""
        if (preloaded := _PRELOADED.pop(settings.layout, None)) is not None:
            return preloaded
        layout, docs_dir = settings.layout, settings.layout.docs_dir
        content = load_content(settings, memo=memo)
        if content.problems:
            raise ContentError(content.problems, layout.root)
        own = (
            generation.practice_pages(content.practices, docs_dir)
            if generation
            else practice_pages(content.practices, is_folder=folder_test(docs_dir))
        )
        generated = {
            PRACTICES: [*own, *overview_pages()],
            HANDBOOKS: [*handbook_pages(content.handbooks), *handbooks_index_pages()],
        }
        pages = {
            f"{folder}/{file.path}": file.content for folder, files in generated.items() for file in files if isinstance(file.content, str)
        }
        pages.update({file.path: file.content for file in selection_pages() if isinstance(file.content, str)})
        for folder, files in generated.items():
            written = sync_folder(docs_dir / folder, [file for file in files if isinstance(file.content, bytes)])
            if written.written or written.removed:
                report(
                    ngettext(
                        "{folder}/: {count} file written, {removed} removed",
                        "{folder}/: {count} files written, {removed} removed",
                        len(written.written),
                        folder=folder,
                        removed=len(written.removed),
                    )
                )
        moment = Edition.of(layout).moment
        documents = (
            generation.template_documents(settings, moment)
            if generation
            else template_documents(docs_dir, settings.markdown, moment, layout.root)
        )
        related = generation.related_practices(content.practices) if generation else related_practices(content.practices)
        return cls(content, related, last_updated(layout.root, layout.practices), pages, documents, generation=generation)

    def view_key(self, meta: Mapping[str, Any]) -> str:
        """A digest of what `context` and the pages' globals make the view of the page with front matter `meta`
        from (in any language): equal keys, equal views (`dirty.py`). A practice page's: the practice, its related
        practices, its last change and the vocabularies and study days; a page that shows the whole content: all of
        it; any other page: the vocabularies (the Bijdragen page's message to the editors asks their questions)."""
        if "practice" in meta:
            practice_id = str(meta["practice"])
            related = [(self._digests.get(other), declared) for other, declared in self.related.get(practice_id, [])]
            return digest(self._digests.get(practice_id), related, self.updated.get(practice_id), self._shared)
        if meta.get("template") == "fields.html":
            return self._vocabularies
        if "handbook" in meta or meta.get("template") in CONTENT_TEMPLATES:
            return self._whole
        return self._vocabularies

    @cached_property
    def _digests(self) -> dict[str, str]:
        """Each practice's digest: of everything loaded from its files (its facts, texts, lines and folder)."""
        if self.generation is not None:
            return {practice.id: self.generation.digest(practice) for practice in self.content.practices}
        return {practice.id: digest(repr(practice)) for practice in self.content.practices}

    @cached_property
    def _vocabularies(self) -> str:
        return digest(repr(self.content.vocabularies))

    @cached_property
    def _shared(self) -> str:
        """What every practice page's view is also made from: the vocabularies and the study days."""
        return digest(self._vocabularies, repr(self.content.handbooks))

    @cached_property
    def _whole(self) -> str:
        return digest(self._shared, sorted(self._digests.items()), sorted(self.updated.items()))

    def add_to_build(self, files: Files, config: Any) -> Files:
        """`add_to` for the build of `config` (its folders, URL style and language)."""
        return self.add_to(files, config.docs_dir, config.site_dir, config.use_directory_urls, current_language(config))

    def add_to(self, files: Files, docs_dir: str, site_dir: str, use_directory_urls: bool, language: str | None = None) -> Files:
        """Add the generated pages as documentation files; `source` gives MkDocs their text. A page of one language
        only (the selection page, named per language) is added to that language's build only: mkdocs-static-i18n
        would otherwise publish it in the other language too, as a fallback under its name."""
        self.sources = {}
        only = {selection_page(other) for other in LANGUAGES if other != language} if language else set()
        for src_uri, text in self.pages.items():
            if src_uri in only:
                continue
            file = File(src_uri, docs_dir, site_dir, use_directory_urls)
            self.sources[str(file.abs_src_path)] = text
            files.append(file)
        return files

    @staticmethod
    def own_alternates(src_uri: str) -> dict[str, str] | None:
        """The versions in each language of a page named per language (the selection page), as site paths;
        mkdocs-static-i18n only pairs pages of the same name, and would point the language selector elsewhere."""
        if src_uri not in {selection_page(language) for language in LANGUAGES}:
            return None
        return {language: f"{language_prefix(language)}{SELECTION[language]}/" for language in LANGUAGES}

    def pair_alternates(self, file: File, language: str) -> None:
        """Give a page named per language its versions, as mkdocs-static-i18n's `file.alternates` (which its
        language selector and sitemap read): stand-ins with the other languages' URLs (no page of theirs is built here)."""
        if (own := self.own_alternates(file.src_uri)) is not None:
            file.alternates = {  # type: ignore[attr-defined]
                other: file if other == language else SimpleNamespace(url=url, page=None) for other, url in own.items()
            }

    def source(self, abs_src_path: str | None) -> str | None:
        return self.sources.get(str(abs_src_path))

    def feed(self, language: str, site_url: str, site_name: str) -> str:
        """The Atom feed of new and updated practices in `language`."""
        return language_feed(self.content.practices, self.updated, language, site_url, site_name)

    def publish(self, site_dir: Path, language: str, site_url: str | None, site_name: str) -> None:
        """Once `language` is written: its data files, its feed and its templates to edit, in its folder of the site."""
        memo = self.generation.export if self.generation else None
        folder = publish_data(site_dir, self.content.practices, self.content.vocabularies, language, site_url, memo)
        (folder / FEED).write_text(self.feed(language, site_url or "/", site_name), encoding="utf-8")
        for (document_language, path), data in self.documents.items():
            if document_language == language:
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                (folder / path).write_bytes(data)

    def page_context(self, meta: Mapping[str, Any], language: str, settings: Settings, pdfs: SitePdfs | None) -> dict[str, Any]:
        """`context` with the site's settings (its edit links, its Markdown for contributed text, a handbook's
        introduction without snippets, and its address) and this language's PDFs (the first page that shows a
        PDF's size waits for the renders)."""
        sizes, practice_sizes = (pdfs.sizes, pdfs.practice_sizes) if pdfs else (dict, dict)
        return self.context(
            meta, language, settings.edit_url, sizes, settings.markdown.contributed, settings.site_url or "/", practice_sizes
        )

    def context(
        self,
        meta: Mapping[str, Any],
        language: str,
        edit_url: str | None,
        pdf_sizes: Callable[[], Mapping[tuple[str, str], int]],
        markdown: MarkdownSettings,
        site_url: str = "/",
        practice_pdf_sizes: Callable[[], Mapping[tuple[str, str], int]] = dict,
    ) -> dict[str, Any]:
        """What the template of a generated page is given, by the page's front matter; nothing for other pages."""
        content = self.content
        template = meta.get("template")
        if "practice" in meta:
            practice = self.content.by_id()[meta["practice"]]
            related = [
                (self.content.by_id()[other], declared)
                for other, declared in self.related.get(practice.id, [])
                if other in self.content.by_id()
            ]
            titles = handbook_titles(content.handbooks, language)
            view = practice_view(practice, content.vocabularies, language, related, self.updated.get(practice.id), edit_url, titles)
            size = practice_pdf_sizes().get((practice.id, language))
            view["pdf"] = practice_pdf_view(practice.id, language, size) if size is not None else None
            view["selection_url"] = f"../{selection_from_practices(language)}"
            return {"practice": view}
        if "handbook" in meta:
            handbook = next(handbook for handbook in content.handbooks if handbook.id == meta["handbook"])
            size = pdf_sizes().get((handbook.id, language))
            pdf = PdfInfo(pdf_href(handbook.id, language), size) if size is not None else None
            handout_size = pdf_sizes().get((handout_name(handbook.id), language))
            handout = PdfInfo(pdf_href(handbook.id, language, handout=True), handout_size) if handout_size is not None else None
            return {"handbook": handbook_view(handbook, self.content.by_id(), content.vocabularies, language, pdf, markdown, handout)}
        if template == "home.html":
            entries = home_entries(newest_entries(content.practices, self.updated, language, DEFAULT_LANGUAGE, site_url), HOME_NEWEST)
            return {"newest": home_view(entries, content.vocabularies["review_statuses"], language)}
        if template == SELECTION_TEMPLATE:
            return {"selection": selection_view(content.practices, language, PRACTICES_FROM_SELECTION)}
        if template == "handbooks.html":
            return {"handbooks": handbooks_index_view(content.handbooks, language, pdf_sizes())}
        if template in OVERVIEW_VIEWS:
            name, view_of = OVERVIEW_VIEWS[template]
            overview = view_of(content, self.updated, language)
            if template == "catalogue.html":
                overview["selection_url"] = selection_from_practices(language)
            return {name: overview}
        return {}


def contribute_links(settings: Settings, content: Content | None, language: str) -> dict[str, Any]:
    """The Bijdragen page's ways in, for its template: `hb_repository` (the repository and its issue form) and
    `hb_mail` (a message to the editors' address with the form's questions in `language`, as a `mailto:` link
    and as text to copy); each None when its option is not set (or, for the mail, the content did not load)."""
    repository, address = settings.repository, settings.editors_email
    mail = None
    if address and content is not None and not content.problems:
        mail = {
            "address": address,
            "href": mailto(address, content.vocabularies, language),
            "body": mail_body(content.vocabularies, language),
        }
    return {"hb_repository": repository.links() if repository else None, "hb_mail": mail}
