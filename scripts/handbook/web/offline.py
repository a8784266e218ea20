"""The handbook offline: a web app manifest per language and one service worker for the site.

Each language build writes its `manifest.webmanifest` (`write_manifest`: the handbook's name in that language,
its start page, the icons made from the logo, the theme's colours). Once the whole site is written and indexed,
`write_worker` writes `offline-worker.js` at the site's root: the worker's code (offline-worker.js in this
package) after a `BUILD` value the build computes from the finished site and nothing else: the version (a
digest of every file of the site, so any change of the site is a new worker, which the browser installs in
place of the old one), the date of the copy (SOURCE_DATE_EPOCH, else the day of the build) with the line that
says so in each language, and the files each language keeps: its pages within `PAGE_BUDGET` (every page that is
not a practice's, then the practice pages in the catalogue's order), its Pagefind index, its data, its PDFs and
templates to edit within `DOCUMENT_BUDGET`, and the files every language shares (`assets/`, Pagefind's scripts, the
sitemaps Material's language selector reads, but for those beside a practice page, which go with the page). A page
or document left out is kept once the reader opens it (offline-worker.js).

The page script (overrides/assets/handbook.js) registers the worker when the page links a manifest, which the
template does only in a build: `mkdocs serve` writes neither file, its pages link no manifest, and there the
script unregisters a worker an earlier build left at the same address (and deletes its caches), so a preview
never shows kept pages. The worker's name and its place in worker-src are handbook/web/csp.py's.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.messages import _, ngettext
from handbook.messages import current_language as current_message_language
from handbook.urls import DATA, DEFAULT_LANGUAGE, LANGUAGES, PRACTICES_JSON, language_prefix, practice_url
from handbook.views.labels import format_date, format_size, label
from handbook.web.csp import HANDBOOK_WORKER_FILE, site_path
from handbook.web.languages import current_language
from handbook.web.search import ENTRY, OUTPUT_SUBDIR

WORKER = HANDBOOK_WORKER_FILE  # at the site's root: its scope is the whole site
WORKER_SOURCE = Path(__file__).with_name("offline-worker.js")
MANIFEST = "manifest.webmanifest"  # in each language's folder
THEME_COLOR = "#4051b5"  # Material's indigo (theme.palette.primary in mkdocs.yml): the header's colour
BACKGROUND_COLOR = "#ffffff"
# The icons: the logo (overrides/assets/handbook-logo.svg) and PNG renderings of it, stored beside it
# (tests/test_offline.py renders the SVG in Chromium and compares). The maskable one fills the corners.
ICONS = (
    ("assets/handbook-logo.svg", "any", "image/svg+xml", "any"),
    ("assets/handbook-icon-192.png", "192x192", "image/png", "any"),
    ("assets/handbook-icon-512.png", "512x512", "image/png", "any"),
    ("assets/handbook-icon-maskable-512.png", "512x512", "image/png", "maskable"),
)
# The documents a language keeps at install (its PDFs, and its templates as .docx and .odt): smallest first while
# their sum stays within this budget (a phone on a data plan; the real site's documents take 1.7 MB a language,
# its pages 2.1 MB, its index 0.39 MB). A document beyond it is kept once opened.
DOCUMENTS = (".pdf", ".docx", ".odt")
DOCUMENT_BUDGET = 5_000_000
# The pages a language keeps at install: every page that is not a practice's (home, catalogue, search, the guide,
# the study days and overviews: 0.7 MB on the real site, 2.3 MB at 1,000 practices, the catalogue growing with
# them), then the practice pages in the catalogue's order (its data/practices.json: by title) while the sum stays
# within this budget, each with the sitemap beside it. A practice page beyond it is kept once opened. The real
# site's pages (2.1 MB a language, December 2026) are all kept; at 1,000 synthetic practices (34 kB a page) 219
# of them are (`handbook bench`'s site, 2 December 2026: README.md, "Offline").
PAGE_BUDGET = 10_000_000
ASSETS = "assets/"
NOT_KEPT_ASSETS = (
    "assets/javascripts/lunr/",
    "assets/javascripts/workers/",
    "assets/handbook-og.png",
)  # Material's search (off), link previews
PAGEFIND_SHARED = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-worker.js", ENTRY)  # what the search page loads


def copy_date() -> datetime.date:
    """The date of this copy of the site: SOURCE_DATE_EPOCH (a reproducible build), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return moment.date()


def head(language: str, command: str = "build") -> dict[str, str] | None:
    """What the pages' head links (main.html): the language's manifest, the worker, the theme colour; None under
    `mkdocs serve` (`command`), where neither file exists: a preview links no manifest, so it registers no worker."""
    if command == "serve":
        return None
    return {"manifest": f"{language_prefix(language)}{MANIFEST}", "worker": WORKER, "theme_color": THEME_COLOR}


def manifest(language: str, site_url: str | None, site_name: str, description: str) -> dict[str, object]:
    base = site_path(site_url)
    return {
        "id": f"{base}{language_prefix(language)}",
        "name": site_name,
        "short_name": label("app_short_name", language),
        "description": description,
        "lang": language,
        "dir": "ltr",
        "start_url": f"{base}{language_prefix(language)}",
        "scope": base,
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [{"src": f"{base}{src}", "sizes": sizes, "type": kind, "purpose": purpose} for src, sizes, kind, purpose in ICONS],
    }


def write_manifest(site_dir: Path, language: str, site_url: str | None, site_name: str, description: str) -> None:
    """This language's manifest, in its folder of the site."""
    path = site_dir / language_prefix(language) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest(language, site_url, site_name, description), ensure_ascii=False, indent=2)
    path.write_text(f"{text}\n", encoding="utf-8")


def publish_manifest(config: Any, command: str) -> None:
    """The manifest of the language being built, from its build config (mkdocs-static-i18n sets its site_name);
    none under `mkdocs serve` (`command`)."""
    if command != "serve":
        language, description = current_language(config), str(config.site_description or "")
        write_manifest(Path(config.site_dir), language, config.site_url, str(config.site_name), description)


@dataclass
class Kept:
    """The files one language keeps (paths from the site's root, a page as its folder: `praktijken/x/`) and their bytes."""

    files: list[str] = field(default_factory=list)
    size: int = 0
    documents: list[tuple[int, str]] = field(default_factory=list)  # (size, path) of every document of the language
    pages: dict[str, int] = field(default_factory=dict)  # every page of the language (its folder) and its size
    sitemaps: dict[str, int] = field(default_factory=dict)  # the sitemaps beside its practice pages, by the page's folder
    practices: list[str] = field(default_factory=list)  # its practice pages (folders) in the catalogue's order

    def add(self, path: str, size: int) -> None:
        self.files.append(path)
        self.size += size

    def kept_practices(self) -> int:
        """How many of its practice pages it keeps at install."""
        kept = set(self.files)
        return sum(folder in kept for folder in self.practices)


@dataclass(frozen=True)
class OfflineCopy:
    version: str
    date: datetime.date
    shared: Kept
    languages: dict[str, Kept]

    def summary(self) -> str:
        """'offline copy 3f2a…: shared 0.4 MB (69 files); nl 1.9 MB (52 files; 800 of 1000 practice pages); en …' for the
        build log, in the language of the messages."""
        ui = current_message_language()

        def files(kept: Kept) -> str:
            counted = ngettext("{count} file", "{count} files", len(kept.files))
            if kept.kept_practices() < len(kept.practices):
                counted += "; " + _("{kept} of {count} practice pages", kept=kept.kept_practices(), count=len(kept.practices))
            return counted

        parts = "; ".join(f"{language} {format_size(kept.size, ui)} ({files(kept)})" for language, kept in self.languages.items())
        return _(
            "offline copy {version}: shared {size} ({files}); {languages}",
            version=self.version,
            size=format_size(self.shared.size, ui),
            files=files(self.shared),
            languages=parts,
        )


def _language_of(relative: str) -> str:
    """The language whose folder holds the file (the default language's is the root); a PDF is its name's (`-en.pdf`)."""
    if relative.endswith(".pdf"):
        for language in LANGUAGES:
            if relative.endswith(f"-{language}.pdf"):
                return language
    first = relative.split("/", 1)[0]
    return next(
        (language for language in LANGUAGES if language != DEFAULT_LANGUAGE and f"{first}/" == language_prefix(language)), DEFAULT_LANGUAGE
    )


def _pagefind_files(site_dir: Path) -> tuple[set[str], dict[str, set[str]]]:
    """Pagefind's files the search page loads in every language, and those of each language's index (its entry file's)."""
    bundle = site_dir / OUTPUT_SUBDIR
    if not (bundle / ENTRY).is_file():
        return set(), {}
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    shared = {f"{OUTPUT_SUBDIR}/{name}" for name in PAGEFIND_SHARED if (bundle / name).is_file()}
    languages: dict[str, set[str]] = {}
    for language, index in entry.get("languages", {}).items():
        files = {f"{OUTPUT_SUBDIR}/pagefind.{index['hash']}.pf_meta", f"{OUTPUT_SUBDIR}/wasm.{index.get('wasm') or 'unknown'}.pagefind"}
        for folder in ("index", "fragment", "filter"):
            files.update(f"{OUTPUT_SUBDIR}/{folder}/{path.name}" for path in (bundle / folder).glob(f"{language}_*"))
        languages[str(language)] = {name for name in files if (site_dir / name).is_file()}
    return shared, languages


def _practice_folders(data: bytes, language: str) -> list[str]:
    """The folders of the practice pages the language's catalogue lists, in its order; none if it does not read."""
    try:
        records = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    if not isinstance(records, list):
        return []
    ids = [record["id"] for record in records if isinstance(record, dict) and isinstance(record.get("id"), str)]
    return [practice_url(practice_id, language).lstrip("/") for practice_id in ids]


def offline_copy(site_dir: Path) -> OfflineCopy:
    """What the worker keeps of the finished site, and the site's version: a digest of all its files (the worker's aside)."""
    shared = Kept()
    kept: dict[str, Kept] = {str(language): Kept() for language in LANGUAGES}
    search_shared, search = _pagefind_files(site_dir)
    sitemaps: dict[str, int] = {}  # the sitemaps, by their folder
    digest = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site_dir).as_posix()
        if relative == WORKER:
            continue
        data = path.read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(hashlib.sha256(data).digest())
        language = _language_of(relative)
        if relative.startswith(ASSETS):
            if not relative.endswith(".map") and not relative.startswith(NOT_KEPT_ASSETS):
                shared.add(relative, len(data))
        elif relative in search_shared:
            shared.add(relative, len(data))
        elif path.name == "sitemap.xml":  # a page fetches its alternates': shared, but a practice page's goes with it
            sitemaps[relative[: -len("sitemap.xml")]] = len(data)
        elif relative.startswith(f"{OUTPUT_SUBDIR}/"):
            for index_language, files in search.items():
                if relative in files and index_language in kept:
                    kept[index_language].add(relative, len(data))
        elif relative.endswith(DOCUMENTS):
            kept[language].documents.append((len(data), relative))
        elif path.name == "index.html":
            kept[language].pages[relative[: -len("index.html")] or "./"] = len(data)
        elif path.name == MANIFEST or relative.startswith(f"{language_prefix(language)}{DATA}/"):
            kept[language].add(relative, len(data))
            if relative == f"{language_prefix(language)}{DATA}/{PRACTICES_JSON}":
                kept[language].practices = _practice_folders(data, language)
    for held in kept.values():
        practices = [folder for folder in held.practices if folder in held.pages]
        held.practices = practices
        for folder in sorted(set(sitemaps) & set(practices)):
            held.sitemaps[folder] = sitemaps.pop(folder)
        for folder in sorted(set(held.pages) - set(practices)):  # the pages that are not a practice's: all
            held.add(folder, held.pages[folder])
        budget = PAGE_BUDGET - sum(held.pages[folder] for folder in set(held.pages) - set(practices))
        for folder in practices:  # then the practice pages in the catalogue's order, while they fit
            size = held.pages[folder] + held.sitemaps.get(folder, 0)
            if size > budget:
                break
            held.add(folder, held.pages[folder])
            if folder in held.sitemaps:
                held.add(f"{folder}sitemap.xml", held.sitemaps[folder])
            budget -= size
    for folder, size in sorted(sitemaps.items()):  # the other pages' sitemaps: every language's
        shared.add(f"{folder}sitemap.xml", size)
    for held in kept.values():
        budget = DOCUMENT_BUDGET
        for size, relative in sorted(held.documents):
            if size <= budget:
                held.add(relative, size)
                budget -= size
    return OfflineCopy(digest.hexdigest()[:20], copy_date(), shared, kept)


def worker_script(copy: OfflineCopy, source: str) -> str:
    """The worker as written: `BUILD` (JSON, ASCII only: no content can end the value or the line) before the code."""
    build = {
        "version": copy.version,
        "date": copy.date.isoformat(),
        "defaultLanguage": DEFAULT_LANGUAGE,
        "shared": copy.shared.files,
        "languages": {
            language: {
                "folder": language_prefix(language),
                "line": label("offline_copy", language).replace("{date}", format_date(copy.date, language)),
                "files": kept.files,
            }
            for language, kept in copy.languages.items()
        },
    }
    return f"var BUILD = {json.dumps(build, ensure_ascii=True, sort_keys=True, separators=(',', ':'))};\n{source}"


def write_worker(site_dir: Path) -> OfflineCopy:
    """`offline-worker.js` at the root of the finished site (after the search index: it lists the index's files)."""
    copy = offline_copy(site_dir)
    (site_dir / WORKER).write_text(worker_script(copy, WORKER_SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    return copy
