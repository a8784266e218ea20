"""Fixtures: the valid fixture content, the built fixture site, a local web server and a browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from handbook.gate import Content, load_content
from static_host import serve_gzip
from support import VALID, Built, assemble_site, clear_plugin_cache, free_port, mkdocs_build, valid_layout

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


@pytest.fixture(autouse=True)
def fresh_mkdocs_plugins() -> None:
    """Each test's builds start with new plugin objects, as a new `mkdocs build` process would: MkDocs keeps
    the plugins that have startup or shutdown events for the next `load_config` of the process (for
    `mkdocs serve`), and a kept handbook plugin remembers its role in the last parallel build."""
    clear_plugin_cache()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A buildable site with the valid fixture practices, for the hostile corpus: tests change copies of it."""
    return assemble_site(tmp_path_factory.mktemp("hostile") / "template", VALID)


@pytest.fixture(scope="session")
def valid_content() -> Content:
    content = load_content(valid_layout())
    assert [problem.format() for problem in content.problems] == []
    return content


SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14: the fixture site is built reproducibly (tests/test_reproducible.py)


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
        return {"SITE_URL": f"http://127.0.0.1:{self.port}/", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site assembled from the repository's templates and docs with the valid fixture practices, built once
    (in this process, with PDFs, search and the parallel language build: as `mkdocs build` builds it)."""
    root = assemble_site(tmp_path_factory.mktemp("fixture-site"), VALID)
    port, temporary = free_port(), tmp_path_factory.mktemp("fixture-tmp")
    before = stamps(root / "docs")
    env = {"SITE_URL": f"http://127.0.0.1:{port}/", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    return BuiltSite(root, mkdocs_build(root, TMPDIR=str(temporary), **env), port, temporary, before)


@pytest.fixture(scope="session")
def built_site(fixture_build: BuiltSite) -> BuiltSite:
    """The fixture site, for tests that need it built (they error out with the build log otherwise)."""
    if fixture_build.result.returncode != 0:
        pytest.fail(f"mkdocs build of the fixture site failed:\n{fixture_build.output[-4000:]}")
    return fixture_build


@pytest.fixture(scope="session")
def sequential_site(tmp_path_factory: pytest.TempPathFactory, built_site: BuiltSite) -> Path:
    """The fixture site built by i18n's own sequential build, without PDFs and search (for the same address as
    the fixture site): the built site folder."""
    root = assemble_site(tmp_path_factory.mktemp("sequential") / "site-src", VALID)
    result = mkdocs_build(root, HANDBOOK_PARALLEL="false", HANDBOOK_PDF="false", HANDBOOK_SEARCH="false", **built_site.env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return root / "site"


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built fixture site served on 127.0.0.1 at the port it was built for, with gzip as a static host serves it."""
    with serve_gzip(built_site.site, built_site.port) as url:
        yield url


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
