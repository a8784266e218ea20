"""Shared helpers of the test suite: paths, content roots, subprocesses and golden files."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from handbook.content.model import LanguageVersion, Practice, PracticeFacts, PracticeText
from handbook.gate import Layout, Settings

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

UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


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


def mkdocs_build(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the site in `root` (run from `root`: snippets are read relative to it)."""
    return run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", root / "mkdocs.yml", *args],
        cwd=root,
        timeout=300,
        HANDBOOK_EDIT_URL=EDIT_URL,
        **env,
    )


def check_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "handbook.cli", "check", "--lang", "en", "--root", str(root)]


def assert_golden(relative: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<relative>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / relative
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"missing golden file {path}; run the tests with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
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
