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
from support import VALID, Built, assemble_site, free_port, mkdocs_build, valid_layout

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


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A buildable site with the valid fixture practices, for the hostile corpus: tests change copies of it."""
    return assemble_site(tmp_path_factory.mktemp("hostile") / "template", VALID)


@pytest.fixture(scope="session")
def valid_content() -> Content:
    content = load_content(valid_layout())
    assert [problem.format() for problem in content.problems] == []
    return content


@dataclass
class BuiltSite:
    root: Path  # the assembled sources
    result: Built
    port: int  # the site is built for http://127.0.0.1:<port>/ (absolute canonical and hreflang links) and served there
    temporary: Path  # the build's TMPDIR: empty again after the build

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site assembled from the repository's templates and docs with the valid fixture practices, built once."""
    root = assemble_site(tmp_path_factory.mktemp("fixture-site"), VALID)
    port, temporary = free_port(), tmp_path_factory.mktemp("fixture-tmp")
    return BuiltSite(root, mkdocs_build(root, SITE_URL=f"http://127.0.0.1:{port}/", TMPDIR=str(temporary)), port, temporary)


@pytest.fixture(scope="session")
def built_site(fixture_build: BuiltSite) -> BuiltSite:
    """The fixture site, for tests that need it built (they error out with the build log otherwise)."""
    if fixture_build.result.returncode != 0:
        pytest.fail(f"mkdocs build of the fixture site failed:\n{fixture_build.output[-4000:]}")
    return fixture_build


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built fixture site served on 127.0.0.1 at the port it was built for, with gzip as a static host serves it."""
    with serve_gzip(built_site.site, built_site.port) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}")
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
