"""`mkdocs serve --dirty` as the preview's fast path: after a save, only the pages whose output changes are built again.

MkDocs' dirty build (`mkdocs serve --dirty`; mkdocs-static-i18n passes it on to its further language builds)
builds a page only when `page.file.is_modified()` is true, which for an ordinary file means that its source
is newer than its output. The handbook's pages need more than that: a generated page has no source file
(its Markdown comes from memory), and what a page shows depends on the content through its template's view
(a practice page on its related practices, the catalogue on every practice). So each build gives every
documentation page an `is_modified()` of its own (after mkdocs-static-i18n made its language's files):

- the page's **key**: a digest of its Markdown (a generated page's, or a hand-written page's file stat) and of
  what its template's view is made from (`SitePages.view_key`), with what every page shows (the config file,
  the theme overrides);
- the page is modified when its key differs from the one its output was last built with in this process
  (`DirtyPages` lives in the plugin, which MkDocs keeps from one build to the next), or its output is missing.

The keys are taken only when a language's build ends (a failed build builds the same pages again next time).
A page that is not built keeps its output; its title, which other pages' navigation shows, is the one it had.
A generated page that is no longer generated (a practice removed or renamed) loses its output; so does every
generated page while the content is broken, when every page is the error page (`preview.py`).
Pages that are never built alone: those whose view is made from the whole content (the home page's newest
practices, the catalogue, coverage, translation status, fields, the study-day pages and their index) are
built again after every change of any practice, since each shows every practice or may.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import meta as mkdocs_meta

DIRTY_WARNING = "A 'dirty' build is being performed"  # mkdocs.commands.build's warning on every dirty build


def digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()


class QuietDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; in strict mode (mkdocs.yml) that warning would stop the build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def tree_stamp(folders: Iterable[str | Path]) -> str:
    """The names, sizes and times of every file under `folders`: what every page's template is made from."""
    stamps = []
    for folder in folders:
        for directory, _dirs, names in os.walk(folder):
            for name in sorted(names):
                stat = os.stat(os.path.join(directory, name))
                stamps.append(f"{directory}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*sorted(stamps))


class PageKeys(Protocol):
    """What a build's generated pages (`pages.SitePages`) tell: their Markdown by source path, and their views' keys."""

    sources: dict[str, str]

    def view_key(self, meta: Mapping[str, Any]) -> str: ...


@dataclass
class DirtyPages:
    """The keys of the pages written by this serve process, by output path; see the module's docstring."""

    enabled: bool = False  # `mkdocs serve --dirty`; otherwise every method does nothing
    keys: dict[str, str] = field(default_factory=dict)  # output path → key it was built with
    titles: dict[str, str | None] = field(default_factory=dict)  # output path → its page's title
    outputs: set[str] = field(default_factory=set)  # the generated pages' outputs, written by the last build
    _pending: dict[str, str] = field(default_factory=dict)
    _pending_outputs: set[str] = field(default_factory=set)
    _templates: dict[tuple[str, int, int], dict[str, object]] = field(default_factory=dict)  # a hand-written page's meta
    built: list[str] = field(default_factory=list)  # the outputs this build wrote (for the log)
    _titled: bool = False  # this language's pages of the navigation not built have their titles

    @classmethod
    def serving(cls, enabled: bool) -> DirtyPages:
        """The state of a new `mkdocs serve --dirty` (or, not `enabled`, of any other command)."""
        if enabled:
            logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyWarning())
        return cls(enabled)

    def decide(self, nav: Navigation, files: Files, config: MkDocsConfig, site: PageKeys | None, broken: bool, first: bool) -> Navigation:
        """Give every documentation page of this language's `files` (none read yet) its `is_modified()`; `first`: the
        build's first language (what a failed build left undone is forgotten). `nav` is returned as it is."""
        if not self.enabled:
            return nav
        if first:
            self._pending, self._pending_outputs, self.built = {}, set(), []
        if self.keys:  # a rebuild: a page not built again has no anchors to check the links of the others against
            config.validation.links.anchors = logging.DEBUG
        self._titled = False
        common = digest(tree_stamp([config.config_file_path or "", *([config.theme.custom_dir] if config.theme.custom_dir else [])]))
        sources = site.sources if site else {}
        view_key: Callable[[Mapping[str, Any]], str] = site.view_key if site else (lambda meta: "")
        for file in files.documentation_pages():
            dest = file.abs_dest_path
            if broken:
                modified = True
            else:
                text = sources.get(str(file.abs_src_path))
                if text is not None:
                    self._pending_outputs.add(dest)
                    key = digest(common, text, view_key(_generated_meta(text)))
                else:
                    key = digest(common, *self._source_stamp(file), view_key(self._meta(file)))
                self._pending[dest] = key
                modified = self.keys.get(dest) != key or not os.path.isfile(dest)
            _set_modified(file, modified)
        return nav

    def _source_stamp(self, file: File) -> tuple[int, int]:
        stat = os.stat(str(file.abs_src_path))
        return stat.st_size, stat.st_mtime_ns

    def _meta(self, file: File) -> dict[str, object]:
        """A hand-written page's front matter (what says which view its template gets), read again only when it changed."""
        path = str(file.abs_src_path)
        stamp = (path, *self._source_stamp(file))
        if stamp not in self._templates:
            with open(path, encoding="utf-8-sig", errors="replace") as source:
                _body, data = mkdocs_meta.get_data(source.read())
            self._templates[stamp] = dict(data)
        return self._templates[stamp]

    def page_built(self, page: Page, nav: Navigation) -> None:
        """`page` is being built. A page of the navigation not built this time has not been read: before this
        language's first page is rendered, it gets the title its output was built with (the navigation shows it)."""
        if not self.enabled:
            return
        if not self._titled:
            self._titled = True
            for other in nav.pages:
                if other.markdown is None and other.file.abs_dest_path in self.titles:
                    other.title = self.titles[other.file.abs_dest_path]  # MkDocs' title is a weak_property
        self.titles[page.file.abs_dest_path] = page.title
        self.built.append(page.file.abs_dest_path)

    def site_built(self, broken: bool, report: Callable[[str], None]) -> None:
        """The whole site is written: its pages' keys hold; the outputs of generated pages no longer generated go."""
        if not self.enabled:
            return
        self.keys.update(self._pending)
        self._pending.clear()
        current = set() if broken else self._pending_outputs
        removed = sorted(self.outputs - current)
        for path in removed:
            _remove_output(Path(path))
            self.keys.pop(path, None)
        if broken:
            self.keys.clear()
        self.outputs, self._pending_outputs = current, set()
        report(f"{len(self.built)} pages built, {len(removed)} removed")
        self.built = []


def _generated_meta(text: str) -> dict[str, object]:
    """The front matter of a generated page (`views.pages.page`: `key: JSON` lines), read without YAML."""
    meta: dict[str, object] = {}
    if not text.startswith("---\n"):
        return meta
    for line in text[4 : text.find("\n---\n", 3)].splitlines():
        key, _, value = line.partition(": ")
        try:
            meta[key] = json.loads(value)
        except ValueError:
            meta[key] = value
    return meta


def _set_modified(file: File, modified: bool) -> None:
    """What MkDocs asks before it reads and builds a page in a dirty build (`commands/build.py`)."""
    file.is_modified = (lambda: True) if modified else (lambda: False)  # type: ignore[method-assign]


def _remove_output(path: Path) -> None:
    """A removed page's output, its one-page sitemap and its folder when that is left empty."""
    for target in (path, path.with_name("sitemap.xml")):
        target.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty (the practice's images) or already gone
        path.parent.rmdir()
