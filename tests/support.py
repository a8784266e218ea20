"""Shared helpers of the test suite: paths, content roots, subprocesses and golden files."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import http.server
import io
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

import handbook.checks.trust
import handbook.gate
from handbook.checks.docs_check import docs_problems
from handbook.checks.terminology import page_problems
from handbook.content.model import LanguageVersion, Practice, PracticeFacts, PracticeText
from handbook.gate import Layout, Settings
from handbook.messages import current_language
from handbook.problems import Problem

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
VALID = FIXTURES / "practices" / "valid"
BAD = FIXTURES / "practices" / "bad"
GOLDEN = TESTS / "golden"
TERMINOLOGY = REPO / "practices" / "terminology.yml"
VOCABULARIES = REPO / "practices" / "vocabularies.yml"
HANDBOOKS = REPO / "handbooks"
EDIT_URL = "https://example.org/edit/main/practices"
PRINT_SITE_URL = "https://handboek.example.org/"  # a public address: the PDFs of the tests are not drafts
PRINT_EPOCH = 1432598400  # 2015-05-26T00:00:00Z: the edition of the PDFs of the tests

UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


@contextlib.contextmanager
def machine_turn(folder: Path, *, alone: bool) -> Iterator[None]:
    """A test's turn on the machine, among all the processes that share the run's `folder`: many at once, or an
    `alone` one by itself. Every other test holds `busy` shared while it runs, taking it through `gate`; an
    `alone` one holds `gate` exclusively from before it waits for `busy` until it ends, so that no test
    starts while it waits for the running ones to end.

    POSIX record locks (`lockf`), not `flock`: a process a test forks (a PDF process pool that outlives the
    test) does not inherit them, so it cannot keep `busy` held after the test and make an `alone` one wait
    for ever. They belong to the process: threads of one process never exclude each other."""
    with (folder / "gate.lock").open("a+") as gate, (folder / "busy.lock").open("a+") as busy:
        if alone:
            fcntl.lockf(gate, fcntl.LOCK_EX)
            fcntl.lockf(busy, fcntl.LOCK_EX)
        else:
            fcntl.lockf(gate, fcntl.LOCK_SH)
            fcntl.lockf(busy, fcntl.LOCK_SH)
            fcntl.lockf(gate, fcntl.LOCK_UN)
        yield  # the locks go when the files close


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def bad_cases() -> list[str]:
    return sorted(path.name for path in BAD.iterdir() if path.is_dir())


FIXTURE_EVENTS = ("studiedag-mechelen-2015",)  # the real handbooks that the fixture practices refer to


def content_root(root: Path, practices: Path, handbooks: Sequence[str] | None = FIXTURE_EVENTS) -> Path:
    """A content root as `Layout` expects it: practices/ (with the real vocabularies), handbooks/, an empty docs/ and,
    unless there is one, the site's mkdocs.yml (with the repository's theme folder).

    Only the real handbooks named in `handbooks` are copied (all of them for None), so that the expected
    problems of the fixtures ("known: ...") do not change when a handbook is added to the repository.
    """
    shutil.copytree(practices, root / "practices", ignore=shutil.ignore_patterns("expected*.txt"))
    if not (root / "mkdocs.yml").exists():  # what `handbook check --root` and `Settings.load` read: the site's own
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(config.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}"), encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    shutil.copy(VOCABULARIES, root / "practices" / "vocabularies.yml")
    shutil.copy(TERMINOLOGY, root / "practices" / "terminology.yml")
    if handbooks is None:
        shutil.copytree(HANDBOOKS, root / "handbooks")
    else:
        (root / "handbooks").mkdir()
        for name in handbooks:
            shutil.copy(HANDBOOKS / f"{name}.yml", root / "handbooks" / f"{name}.yml")
    return root


@functools.cache
def repo_settings() -> Settings:
    """The repository's own settings: its mkdocs.yml as MkDocs loads it (once per test process)."""
    return Settings.load(REPO / "mkdocs.yml")


def settings_for(content: Layout | Path) -> Settings:
    """The site's settings (the repository's mkdocs.yml) with its content where `content` says (a root: the default layout in it)."""
    return dataclasses.replace(repo_settings(), layout=content if isinstance(content, Layout) else Layout(content))


def root_settings(root: Path) -> Settings:
    """What `handbook check --root root` works with: root/mkdocs.yml loaded by MkDocs, else the site's settings with the default layout in `root`."""
    return Settings.load(root / "mkdocs.yml") if (root / "mkdocs.yml").is_file() else settings_for(root)


def valid_layout() -> Layout:
    """The valid fixture practices, read in place (read-only) with the real vocabularies and handbooks."""
    return Layout(
        root=REPO,
        practices=VALID.relative_to(REPO).as_posix(),
        handbooks="handbooks",
        vocabularies="practices/vocabularies.yml",
    )


def assemble_site(root: Path, practices: Path) -> Path:
    """A buildable copy of the site with `practices` as its practices (generated pages left out)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "print", root / "print")
    shutil.copytree(REPO / "docs", root / "docs", ignore=_ignore_generated)
    # Snippets (`--8<--`) are read from the repository root, e.g. CONTRIBUTING.md.
    for markdown in REPO.glob("*.md"):
        shutil.copy(markdown, root / markdown.name)
    content_root(root, practices, handbooks=None)
    return root


def _ignore_generated(folder: str, names: Iterable[str]) -> list[str]:
    return ["praktijken"] if Path(folder).resolve() == (REPO / "docs").resolve() else []


def run(command: Sequence[str | os.PathLike[str]], cwd: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def mkdocs_build_command(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the site in `root` as a command, in a process of its own: for what only the
    command shows (its options, its exit code, what it prints when the build fails before it starts)."""
    return run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", root / "mkdocs.yml", *args],
        cwd=root,
        timeout=300,
        HANDBOOK_EDIT_URL=EDIT_URL,
        **env,
    )


@dataclass
class Built:
    """What an in-process build or command returned, in the form of a finished command: exit code and output."""

    returncode: int
    stdout: str
    stderr: str


class _Log(logging.Handler):
    """MkDocs' log as `mkdocs build` prints it: `LEVEL    -  message` lines."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


@contextlib.contextmanager
def environment(**env: str | None) -> Iterator[None]:
    """`os.environ` with `env` (None: without that variable) for as long as the context lasts (TMPDIR also
    for `tempfile`), then as it was."""
    saved = {name: os.environ.get(name) for name in env}
    saved_tempdir = tempfile.tempdir
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if env.get("TMPDIR"):
        tempfile.tempdir = env["TMPDIR"]
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        tempfile.tempdir = saved_tempdir


def clear_plugin_cache() -> None:
    """Forget the plugin objects MkDocs keeps for the next `load_config` of this process (those with startup
    or shutdown events, for `mkdocs serve`'s rebuilds)."""
    getattr(MkDocsConfig.plugins, "plugin_cache").clear()  # noqa: B009


def mkdocs_build(root: Path, *args: str, **env: str) -> Built:
    """`mkdocs build --strict` of the site in `root`, in this process: `load_config` and `build` as the
    command calls them (startup and shutdown events included), with `env` in the environment meanwhile.

    A build that fails as MkDocs reports failures (`Abort`: a `BuildError` such as the plugin's messages, a
    warning in strict mode, a bad setting) exits 1 with its log; any other exception is a traceback in the
    output (the tests assert there is none), as the command would print it."""
    options: dict[str, str] = {}
    if args:
        assert len(args) == 2 and args[0] == "-d", f"only -d DIR is supported, not {args}"
        options["site_dir"] = args[1]
    logger = logging.getLogger("mkdocs")
    handler = _Log()
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # as the command: mkdocs' log is its output, not pytest's
    logger.addHandler(handler)
    returncode, error = 0, ""
    clear_plugin_cache()  # a build here starts with new plugins, as `mkdocs build` does
    try:
        with environment(**{"NO_MKDOCS_2_WARNING": "1", "HANDBOOK_EDIT_URL": EDIT_URL, **env}):
            try:
                config = load_config(str(root / "mkdocs.yml"), strict=True, **options)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    build(config)
                finally:
                    config.plugins.on_shutdown()
            except (Abort, ConfigurationError) as failure:
                returncode, error = 1, f"{type(failure).__name__}: {failure}"
            except Exception:
                returncode, error = 1, traceback.format_exc()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    return Built(returncode, "", "\n".join([*handler.lines, error]))


def check_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "handbook.cli", "check", "--lang", "en", "--root", str(root)]


def handbook_command(*argv: str | os.PathLike[str], **env: str | None) -> Built:
    """The `handbook` command in this process (`handbook.cli.main.main`), with its output captured and `env`
    in the environment meanwhile: its exit code, what it printed, and a traceback if it raised one. The
    problems of the site's pages come from `docs_once`."""
    from handbook.cli.main import main
    from handbook.messages import use_language

    stdout, stderr = io.StringIO(), io.StringIO()
    with environment(**env), docs_once(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            returncode = main([str(part) for part in argv])
        except SystemExit as exit:  # as the interpreter ends a command: a message is printed and means 1
            if exit.code is None or isinstance(exit.code, int):
                returncode = exit.code or 0
            else:
                print(exit.code, file=sys.stderr)
                returncode = 1
        except Exception:
            returncode = 1
            traceback.print_exc()
        finally:
            use_language(None)  # `--lang` chooses the language for the process
    return Built(returncode, stdout.getvalue(), stderr.getvalue())


def handbook_check(root: Path, *paths: str | os.PathLike[str], **env: str | None) -> Built:
    """`handbook check --lang en --root ROOT [PATH …]` in this process."""
    return handbook_command("check", "--lang", "en", "--root", root, *paths, **env)


# --- the site's own pages, checked once per content -----------------------------------------------------
# Most cases of the hostile corpus change a practice, a study day or a vocabulary and leave docs/ as the
# template has it, yet the check renders its 39 pages each time (nine tenths of a case's time). `docs_once`
# keeps the problems of the pages (the trust check and the terminology check of docs/) per digest of
# everything they are checked from (docs/, CONTRIBUTING.md, mkdocs.yml, the contacts allow-list, the
# terminology rules, the message language): a case that changes any of them is checked in full.

_KEPT: dict[str, list[tuple[Path, int, str]]] = {}
_REAL_DOCS_PROBLEMS = docs_problems
_REAL_PAGE_PROBLEMS = page_problems


def _tree_digest(base: Path, paths: list[Path], *facts: object) -> str | None:
    """The digest of `facts` and of the files (names relative to `base`, contents); None when one is a link,
    a device or a pipe (what such a check finds is not kept)."""
    digest = hashlib.sha256(repr((current_language(), *facts)).encode())
    for path in paths:
        if path.is_symlink() or (path.exists() and not path.is_dir() and not path.is_file()):
            return None
        digest.update(f"\0{path.relative_to(base) if path.is_relative_to(base) else path}\0".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _kept(key: str | None, base: Path, check: Callable[[], list[Problem]]) -> list[Problem]:
    """The problems of `check()`, kept under `key` with their paths relative to `base`."""
    if key is not None and key in _KEPT:
        return [Problem(base / relative, line, message) for relative, line, message in _KEPT[key]]
    problems = check()
    if key is not None and all(problem.path.is_relative_to(base) for problem in problems):
        _KEPT[key] = [(problem.path.relative_to(base), problem.line, problem.message) for problem in problems]
    return problems


def _tree(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.is_dir() else []


def _docs_problems_once(check: Any) -> list[Problem]:
    root, docs = check.root, check.layout.docs_dir
    contacts = (sorted(check.contacts.emails), sorted(check.contacts.phones))
    where = docs.relative_to(root) if docs.is_relative_to(root) else docs
    markdown = repr(check.markdown).replace(str(root), "<root>")  # its paths (snippets' base) are the copy's own
    key = _tree_digest(root, [root / "CONTRIBUTING.md", root / "mkdocs.yml", *_tree(docs)], "trust", where, contacts, markdown)
    return _kept(key, root, lambda: list(_REAL_DOCS_PROBLEMS(check)))


def _page_problems_once(docs_dir: Path, rules: list[Any]) -> list[Problem]:
    written = [(rule.language, rule.pattern.pattern, rule.pattern.flags, sorted(rule.messages.items()), rule.line) for rule in rules]
    key = _tree_digest(docs_dir, _tree(docs_dir), "terminology", written)
    return _kept(key, docs_dir, lambda: list(_REAL_PAGE_PROBLEMS(docs_dir, rules)))


@contextlib.contextmanager
def docs_once() -> Iterator[None]:
    """`load_content` with the page checks of `_docs_problems_once` and `_page_problems_once` (only for as
    long as the context lasts)."""
    patches = [(handbook.checks.trust, "docs_problems", _REAL_DOCS_PROBLEMS, _docs_problems_once)]
    patches.append((handbook.gate, "page_problems", _REAL_PAGE_PROBLEMS, _page_problems_once))
    saved = []
    for module, name, real, once in patches:  # where `load_content` calls them
        current = getattr(module, name)
        assert current is real or current is once, f"{module.__name__} no longer calls {real.__module__}.{name}"
        saved.append(current)
        setattr(module, name, once)
    try:
        yield
    finally:
        for (module, name, _real, _once), current in zip(patches, saved, strict=True):
            setattr(module, name, current)


def assert_golden(relative: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<relative>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / relative
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"missing golden file {path}; run the tests with UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes().decode("utf-8")  # as written: the CSV's CRLF line ends are part of it
    assert actual == expected, f"{relative} differs from its golden file; if the change is intended, run UPDATE_GOLDEN=1"


def assert_golden_folder(relative: str, files: dict[str, str]) -> None:
    """Every file of a generated folder equals its golden copy, and the golden folder holds no extra file."""
    folder = GOLDEN / relative
    if UPDATE_GOLDEN and folder.is_dir():
        shutil.rmtree(folder)
    for name, text in files.items():
        assert_golden(f"{relative}/{name}", text)
    stored = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    assert stored == sorted(files), f"golden folder {relative} holds other files than were generated"


# --- synthetic practices for unit tests --------------------------------------------------------------

_FACTS = {
    "themes": ["onderwijs"],
    "pillars": ["integrale-aanpak"],
    "prevention_levels": ["primary"],
    "target_groups": ["jongeren"],
    "policy_domains": ["jeugd"],
    "kind": "method",  # a method needs no place, organisation or evaluation level
    "review": {"status": "draft"},
    "sources": [{"title": "Bron", "publisher": "VVSG", "published": "2015"}],
}


def make_practice(
    practice_id: str, languages: Sequence[str] = ("nl", "en"), titles: dict[str, str] | None = None, **facts: object
) -> Practice:
    """A practice built in memory; only the facts that matter for a test need to be given."""
    data = {"id": practice_id, **_FACTS, **facts}
    validated = PracticeFacts.model_validate(data)
    translations = {}
    for language in languages:
        title = (titles or {}).get(language, f"{practice_id} ({language})")
        text = PracticeText(title=title, summary=f"Samenvatting van {practice_id} in {language}.")
        body = f"## Context\n\nTekst van {practice_id} in {language}.\n"
        translations[language] = LanguageVersion(language, text, body, 5, Path(f"/x/{practice_id}/{language}.md"), "0" * 12)
    return Practice(validated, translations, Path(f"/x/{practice_id}"), {})


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def free_port() -> int:
    """A port that is free now on 127.0.0.1 (for a site that must know its address before it is served)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve_folder(folder: Path, port: int = 0, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1 and `port` (a free one by default), for as long as the context lasts."""
    with serve(functools.partial(handler, directory=str(folder)), port) as url:
        yield url


@contextlib.contextmanager
def serve(handler: Any, port: int = 0) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 and `port` (a free one by default) with `handler`, for as long as the context lasts."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class SettledPage:
    """A browser page whose requests are followed, so that a test waits for a real state instead of
    Playwright's "networkidle" (500 ms without a request, on every page): loaded, every `sitemap.xml` that
    Material's language selector asks for (one next to each `<link rel="alternate">`) answered, and no
    request in flight (leaving a page with one would abort it, which the failed-request gates report)."""

    def __init__(self, page: Any, timeout: float = 15) -> None:
        self.page, self.timeout = page, timeout
        self.pending: set[Any] = set()
        self.answered: set[str] = set()
        page.on("request", self._started)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)

    def _started(self, request: Any) -> None:
        self.pending.add(request)

    def _done(self, request: Any) -> None:
        self.pending.discard(request)
        self.answered.add(request.url)

    def goto(self, url: str) -> None:
        self.answered.clear()
        self.page.goto(url, wait_until="load")
        expected = set(
            self.page.eval_on_selector_all("link[rel=alternate]", "links => links.map(link => new URL('sitemap.xml', link.href).href)")
        )
        deadline = time.monotonic() + self.timeout
        while self.pending or not expected <= self.answered:
            if time.monotonic() > deadline:
                waiting = sorted({request.url for request in self.pending} | (expected - self.answered))
                raise AssertionError(f"{url}: still waiting after {self.timeout} s for {waiting}")
            self.page.wait_for_timeout(10)  # lets Playwright deliver the page's events
