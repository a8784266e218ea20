"""Fixtures: the valid fixture content, the built fixture site, a local web server and a browser."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from handbook.gate import Content, load_content
from support import (
    PRINT_EPOCH,
    PRINT_SITE_URL,
    REPO,
    TESTS,
    VALID,
    Built,
    assemble_site,
    clear_plugin_cache,
    free_port,
    machine_turn,
    mkdocs_build,
    settings_for,
    subprocess_env,
    valid_layout,
)

# The expected messages of the tests are English; tests of the Dutch messages choose Dutch themselves.
# Set before any test runs, so that the commands and builds the tests start inherit it too.
os.environ["HANDBOOK_LANG"] = "en"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "content: checks of the repository's real content (practices/, docs/)")
    config.addinivalue_line("markers", "alone: a test whose figures depend on the CPU it gets: no other test of the run runs meanwhile")


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder: the same for every pytest-xdist worker (above the workers' own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# Started before any other test: the real content's build with its 88 PDFs (about 100 CPU-s, `repository_build`),
# which would otherwise start wherever its file falls in a worker's share and end the run late.
FIRST = ("tests/test_repository_content.py::test_repository_site_builds_strictly",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    first = [item for item in items if item.nodeid in FIRST]
    items[:] = first + [item for item in items if item.nodeid not in FIRST]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """An `alone` test runs while no other test of the run does, on any xdist worker, its fixtures included
    (`support.machine_turn`). Lighthouse's performance score on the search page was 91-93 alone and 63-78
    beside a worker rendering PDFs."""
    with machine_turn(run_folder(item.config._tmp_path_factory), alone=item.get_closest_marker("alone") is not None):  # type: ignore[attr-defined]
        return (yield)


T = TypeVar("T")


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(folder)` once for the whole test run, its result shared by every pytest-xdist worker (each waits
    for the one that makes it; without xdist, once per session). The result must pickle."""
    shared = run_folder(tmp_path_factory)
    result = shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if result.is_file():
            value: T = pickle.loads(result.read_bytes())
            return value
        folder = shared / name
        folder.mkdir()
        value = make(folder)
        result.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(autouse=True)
def fresh_mkdocs_plugins() -> None:
    """Each test's builds start with new plugin objects, as a new `mkdocs build` process would: MkDocs keeps
    the plugins that have startup or shutdown events for the next `load_config` of the process (for
    `mkdocs serve`), and a kept handbook plugin remembers the state of the last build."""
    clear_plugin_cache()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A buildable site with the valid fixture practices, for the hostile corpus: tests change copies of it."""
    return assemble_site(tmp_path_factory.mktemp("hostile") / "template", VALID)


@pytest.fixture(scope="session")
def valid_content() -> Content:
    content = load_content(settings_for(valid_layout()))
    assert [problem.format() for problem in content.problems] == []
    return content


SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14: the fixture site is built reproducibly (tests/test_reproducible.py)
EDITORS_EMAIL = "redactie@handboek.example.be"  # on tests/fixtures/practices/valid/contacts.yml: the Bijdragen page's e-mail route


def fixture_env(port: int) -> dict[str, str]:
    """The environment the fixture site is built with (besides the temporary folder): its address, its date and
    the editors' address."""
    return {"SITE_URL": f"http://127.0.0.1:{port}/", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "HANDBOOK_EDITORS_EMAIL": EDITORS_EMAIL}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `folder` with its modification time and inode."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.stat().st_ino) for path in sorted(folder.rglob("*"))}


@dataclass
class BuiltSite:
    root: Path  # the assembled sources
    result: Built
    port: int  # the site is built for http://127.0.0.1:<port>/ (absolute canonical and hreflang links) and served there
    temporary: Path  # the build's TMPDIR: empty again after the build
    docs_before: dict[str, tuple[int, int]]  # `stamps` of docs/ before the build

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    @property
    def env(self) -> dict[str, str]:
        """The environment the fixture site is built with (besides the temporary folder)."""
        return fixture_env(self.port)


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site assembled from the repository's templates and docs with the valid fixture practices, built once
    for the run (in-process, with PDFs and search: as `mkdocs build` builds it)."""

    def make(folder: Path) -> BuiltSite:
        root = assemble_site(folder / "root", VALID)
        port, temporary = free_port(), folder / "tmp"
        temporary.mkdir()
        before = stamps(root / "docs")
        return BuiltSite(root, mkdocs_build(root, TMPDIR=str(temporary), **fixture_env(port)), port, temporary, before)

    return once_per_run(tmp_path_factory, "fixture-site", make)


@pytest.fixture(scope="session")
def built_site(fixture_build: BuiltSite) -> BuiltSite:
    """The fixture site, for tests that need it built (they error out with the build log otherwise)."""
    if fixture_build.result.returncode != 0:
        pytest.fail(f"mkdocs build of the fixture site failed:\n{fixture_build.output[-4000:]}")
    return fixture_build


@pytest.fixture(scope="session")
def site_without_pdfs(tmp_path_factory: pytest.TempPathFactory, built_site: BuiltSite) -> Path:
    """The fixture site built without PDFs and search (for the same address as the fixture site), once for the
    run: the built site folder."""

    def make(folder: Path) -> Path:
        root = assemble_site(folder / "root", VALID)
        result = mkdocs_build(root, HANDBOOK_PDF="false", HANDBOOK_SEARCH="false", **built_site.env)
        assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
        return root / "site"

    return once_per_run(tmp_path_factory, "site-without-pdfs", make)


@dataclass
class RepositoryBuild:
    root: Path  # a copy of the repository's real practices, handbooks and docs
    result: Built

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture(scope="session")
def repository_build(tmp_path_factory: pytest.TempPathFactory) -> RepositoryBuild:
    """The repository's real content built once for the run (in-process, with its PDFs, without search), for the
    public address and edition the PDF tests print (support.PRINT_SITE_URL, PRINT_EPOCH): its build is a test
    (test_repository_content.py), its study-day PDFs are read by test_handout.py instead of rendered again."""

    def make(folder: Path) -> RepositoryBuild:
        root = assemble_site(folder / "repo", REPO / "practices")
        env = {"HANDBOOK_SEARCH": "false", "SITE_URL": PRINT_SITE_URL, "SOURCE_DATE_EPOCH": str(PRINT_EPOCH)}
        return RepositoryBuild(root, mkdocs_build(root, **env))

    return once_per_run(tmp_path_factory, "repository-site", make)


@dataclass(frozen=True)
class Server:
    pid: int
    url: str


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The built fixture site served on 127.0.0.1 at the port it was built for, with gzip as a static host serves
    it: by a process of its own, one for the run (every xdist worker's tests use it), that ends with the run
    (`pytest_unconfigure`, or by itself when the run's process is gone)."""

    def start(folder: Path) -> Server:
        run = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()  # the controller, or this process
        log = (folder / "server.log").open("w")
        process = subprocess.Popen(
            [sys.executable, str(TESTS / "static_host.py"), str(built_site.site), str(built_site.port), str(run)],
            stdout=subprocess.PIPE, stderr=log, text=True, env=subprocess_env(), start_new_session=True,
        )  # fmt: skip
        assert process.stdout is not None and process.stdout.readline().strip() == "serving", (folder / "server.log").read_text()
        return Server(process.pid, f"http://127.0.0.1:{built_site.port}")

    server = once_per_run(tmp_path_factory, "site-server", start)
    return server.url


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's site server ends with the run (in the xdist controller, or the one pytest process)."""
    if hasattr(config, "workerinput") or not hasattr(config, "_tmp_path_factory"):
        return
    pickled = config._tmp_path_factory.getbasetemp() / "site-server.pickle"
    if pickled.is_file():
        server: Server = pickle.loads(pickled.read_bytes())
        with contextlib.suppress(ProcessLookupError):
            os.kill(server.pid, signal.SIGTERM)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        import playwright.sync_api as playwright_api
    except ImportError:
        pytest.fail("Playwright is missing: run scripts/test.sh (or deselect the browser tests: -m 'not browser')")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/test.sh (or deselect the browser tests: -m 'not browser')")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
