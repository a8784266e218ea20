"""`handbook build`: one ordinary MkDocs build per language, side by side in a process pool, joined into the site.

A plain `mkdocs build` builds the languages one after the other (mkdocs-static-i18n builds each further
language inside the first build). Here each language is its own `mkdocs.commands.build.build` of the
config loaded with `mkdocs.config.load_config`, in its own process and its own folder; then the default
language's folder becomes the site, each further language's folder is moved into it, and Pagefind
indexes the finished site once. The content is loaded, checked and its pages generated once, in this
process, before the language builds are forked from it (at 1,000 practices loading costs about as much
CPU as a plain build of the whole site); each language build renders only its own language's PDFs, so
every PDF is rendered once. The folders are made next to the site (a move, not a copy) and removed whatever happens;
a failing language build is its messages, never a traceback.
"""

from __future__ import annotations

import gzip
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils import clean_directory

from handbook.messages import _
from handbook.problems import ContentError
from handbook.settings import Settings
from handbook.urls import DEFAULT_LANGUAGE, language_prefix
from handbook.web import languages
from handbook.web.offline import write_worker
from handbook.web.pages import forget_preloaded, preload
from handbook.web.search import SearchIndexError, index_site

SITEMAP = "sitemap.xml"  # written by every language build; mkdocs-static-i18n's template lists the languages built


@dataclass(frozen=True)
class BuildOptions:
    """What `mkdocs build` takes on its command line, as `handbook build` takes it (None: the config file's)."""

    config_file: str | None = None
    site_dir: str | None = None
    strict: bool | None = None
    site_url: str | None = None
    level: int = logging.INFO  # the messages shown: INFO, or WARNING with -q, DEBUG with -v

    def load(self, **overrides: Any) -> Any:
        """The MkDocs config with these options (a `MkDocsException` for a bad config file)."""
        values = {"site_dir": self.site_dir, "strict": self.strict, "site_url": self.site_url, **overrides}
        return load_config(self.config_file, **values)


class SiteBuildError(Exception):
    """A language build, the join or the search index failed; the message says what, per language."""


def build_site(options: BuildOptions) -> Path:
    """Build every language side by side into the config's site_dir; a `SiteBuildError` with the messages."""
    try:
        config = options.load()
    except MkDocsException as error:
        raise SiteBuildError(str(error)) from None
    if problem := languages.check_languages(config):
        raise SiteBuildError(problem)
    site_dir = Path(config.site_dir)
    order = sorted(languages.build_languages(config), key=lambda language: language != DEFAULT_LANGUAGE)  # the default first
    handbook = config.plugins.get("handbook")
    search = bool(handbook and handbook.config.search)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _terminate_as_exit(), _staging(site_dir) as staging:
        try:
            if handbook is not None:
                _preload(config)
            failures = _build_languages(options, order, staging)
        finally:
            forget_preloaded()
        if failures:
            raise SiteBuildError("\n".join(failures))
        _join(site_dir, [staging / language for language in order], order)
        try:
            if search:
                index_site(site_dir)
            if handbook is not None:
                logging.getLogger("mkdocs.plugins.handbook").info(write_worker(site_dir).summary())  # last: a digest of the site
        except (SearchIndexError, OSError) as error:
            raise SiteBuildError(str(error)) from None
    return site_dir


def _preload(config: Any) -> None:
    """Load, check and generate the pages once, here: the language builds are forked from this process and find them."""
    try:
        preload(Settings.of(config), logging.getLogger("mkdocs.plugins.handbook").info)
    except Exception as error:  # a content problem (every one, with its file and line) or another failure: a message
        raise SiteBuildError(str(error) if isinstance(error, ContentError) else f"{type(error).__name__}: {error}") from None


def _build_languages(options: BuildOptions, order: Sequence[str], staging: Path) -> list[str]:
    """Every language's build in a pool (at most one process per core); what failed, once for the languages it failed in."""
    failures: dict[str, list[str]] = {}
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None  # see _preload
    with ProcessPoolExecutor(max_workers=min(len(order), os.cpu_count() or 1), mp_context=context) as pool:
        futures = {language: pool.submit(build_language, options, language, str(staging / language)) for language in order}
        for language, future in futures.items():
            try:
                failure = future.result()
            except BrokenProcessPool:
                failure = _("the build process ended unexpectedly")
            if failure:
                failures.setdefault(failure, []).append(language)
    return [f"[{', '.join(languages)}] {failure}" for failure, languages in failures.items()]


def build_language(options: BuildOptions, language: str, site_dir: str) -> str | None:
    """In a pool process: one ordinary MkDocs build of `language` into `site_dir`; None, or what went wrong
    (its errors; MkDocs' info and warnings are shown as they come)."""
    errors = _log_to_stderr(language, options.level)
    try:
        config = options.load(site_dir=site_dir)
        handbook = config.plugins.get("handbook")
        if handbook is not None:
            handbook.config.search = False  # `build_site` indexes the joined site
            handbook.offline_worker = False  # and writes the service worker for it
        _select_language(config, language)
        build(config)
    except MkDocsException as error:  # its errors, else why it stopped ("Aborted with 1 warnings in strict mode!")
        return "\n".join(errors) or str(error).strip() or type(error).__name__
    except Exception as error:  # a message, not a traceback: the pool would print it without saying which language failed
        return "\n".join([*errors, f"{type(error).__name__}: {error}"])
    return None


def _select_language(config: Any, language: str) -> None:
    """Make this build `language` alone, at its place in the site, with every language in its selector and alternates.

    mkdocs-static-i18n builds its default language first and the others from inside that build, and has
    no option for building one further language alone: its documented per-language `build: false` is
    refused on the default language, and a language not built is left out of the language selector and
    the pages' alternates. So this sets what its own loop sets before each further language's build
    (`current_language`) and marks the build as one of that loop's (`building`), which makes it build no
    other language. The one place the handbook writes that plugin's state.
    """
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        i18n.current_language = language
        i18n.building = True


def _join(site_dir: Path, folders: Sequence[Path], order: Sequence[str]) -> None:
    """The default language's build becomes the site (emptied first, as `mkdocs build` does). A further
    language's build gives its folder, the files only it made (its PDFs, published next to the default
    language's handbook pages) and its entries of sitemap.xml; the rest of it is the same theme files."""
    clean_directory(str(site_dir))
    site_dir.mkdir(parents=True, exist_ok=True)
    first, *others = folders
    for entry in first.iterdir():
        os.replace(entry, site_dir / entry.name)
    for folder, language in zip(others, order[1:], strict=True):
        name = language_prefix(language).rstrip("/")
        if (site_dir / name).exists():
            shutil.rmtree(site_dir / name)
        os.replace(folder / name, site_dir / name)
        for path in sorted(path for path in folder.rglob("*") if path.is_file()):
            target = site_dir / path.relative_to(folder)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
        _join_sitemaps(site_dir / SITEMAP, folder / SITEMAP)


def _join_sitemaps(site: Path, further: Path) -> None:
    """Add a further language's `<url>` entries to the site's sitemap.xml (and its .gz), after the others'
    as in the sequential build, where mkdocs-static-i18n's template lists every language built so far."""
    if not (site.is_file() and further.is_file()):
        return
    text, added = site.read_text(encoding="utf-8"), further.read_text(encoding="utf-8")
    start, end = added.find("<url>"), added.rfind("</urlset>")
    if start < 0 or end < 0 or "</urlset>" not in text:
        return
    head, _, tail = text.rpartition("</urlset>")
    site.write_text(f"{head.rstrip()}\n    {added[start:end].strip()}\n</urlset>{tail}", encoding="utf-8")
    packed = site.with_name(f"{site.name}.gz")
    if packed.is_file():
        mtime = int.from_bytes(packed.read_bytes()[4:8], "little")  # the build's timestamp, kept
        with packed.open("wb") as file, gzip.GzipFile(fileobj=file, filename=str(packed), mode="wb", mtime=mtime) as gz:
            gz.write(site.read_bytes())


@contextmanager
def _staging(site_dir: Path) -> Iterator[Path]:
    """A private folder next to the site (so that joining is a move), removed whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-languages-", dir=site_dir.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) ends the build as an exit does, so that the private folder is removed."""
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL or sys.platform == "win32":
        yield
        return
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _exit_on_signal(number: int, frame: Any) -> None:
    raise SystemExit(128 + number)


def _log_to_stderr(language: str, level: int) -> list[str]:
    """MkDocs' messages of this process on stderr as `mkdocs build` shows them, marked with the language; its
    errors are kept in the list returned instead (the failure's message, shown once for the languages it is the same in)."""
    errors: list[str] = []
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"%(levelname)-7s -  [{language}] %(message)s"))

    def shown(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            errors.append(record.getMessage())
        return record.levelno < logging.ERROR

    handler.addFilter(shown)
    logger.handlers = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return errors
