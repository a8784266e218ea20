"""The engine exit, proven: ProperDocs, the maintained continuation of MkDocs 1.x, builds the fixture site
unchanged, and the ProperDocs site passes the checks the MkDocs site passes (ARCHITECTURE.md, "The engine").

One ProperDocs build, as `properdocs build --strict`, in a subprocess: its command makes `import mkdocs` return
ProperDocs for the whole process (material and mkdocs-static-i18n included), which must not leak into the test
process. Every language must be built by ProperDocs, not by MkDocs: every page's generator tag says which
engine wrote it.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import material
import pytest

from conftest import BuiltSite
from gates import html_files, page_language
from handbook.web.csp import site_path, site_policy, site_problems
from handbook.web.linkcheck import BuiltPages, check_internal
from support import EDIT_URL, VALID, assemble_site, run

pytestmark = pytest.mark.slow

GENERATOR = re.compile(r'\n *<meta name="generator" content="([^"]*)">')
PRACTICES = ["alpha-praktijk", "beta-praktijk", "gamma-practice"]


@dataclass
class EngineBuild:
    root: Path
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture(scope="module")
def properdocs_site(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> EngineBuild:
    """The fixture site built by ProperDocs, for the address the MkDocs fixture build was built for."""
    root = assemble_site(tmp_path_factory.mktemp("properdocs") / "site-src", VALID)
    # The PDFs the MkDocs build rendered, found in the cache by content: rendering is not the engine's part.
    shutil.copytree(built_site.root / ".cache", root / ".cache")
    result = run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", root / "mkdocs.yml"],
        cwd=root,
        timeout=300,
        HANDBOOK_EDIT_URL=EDIT_URL,
        **built_site.env,  # its address and SOURCE_DATE_EPOCH: the same dates in the sitemap
    )
    output = result.stdout + result.stderr
    if "No module named properdocs" in output:
        pytest.fail("ProperDocs is missing: install requirements-dev.txt")
    assert result.returncode == 0, output[-4000:]
    return EngineBuild(root, output)


def without_generator(html: str) -> str:
    return GENERATOR.sub("", html, count=1)


def generator_of(html: str) -> str | None:
    found = GENERATOR.search(html)
    return found[1].split(",")[0] if found else None


def test_the_build_is_clean(properdocs_site: EngineBuild) -> None:
    assert "WARNING" not in properdocs_site.output and "Traceback" not in properdocs_site.output


def test_every_page_of_both_languages_is_written_by_properdocs(properdocs_site: EngineBuild) -> None:
    """The English half included (mkdocs-static-i18n builds it inside the first build, in the same engine)."""
    engine = f"mkdocs-ProperDocs {version('properdocs')}"  # Material's tag: "mkdocs-<engine's version>, mkdocs-material"
    site = properdocs_site.site
    written = {(page_language(site, path), generator_of(path.read_text(encoding="utf-8"))) for path in html_files(site)}
    assert written == {("nl", engine), ("en", engine)}


def test_the_same_files_as_the_mkdocs_build(built_site: BuiltSite, properdocs_site: EngineBuild) -> None:
    def files(site: Path) -> set[str]:
        return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}

    assert files(properdocs_site.site) == files(built_site.site)


def test_every_page_is_the_mkdocs_page_but_for_the_generator_tag(built_site: BuiltSite, properdocs_site: EngineBuild) -> None:
    pages = html_files(built_site.site)
    assert len(pages) > 20
    differ = [
        name
        for path in pages
        if without_generator((properdocs_site.site / (name := path.relative_to(built_site.site).as_posix())).read_text(encoding="utf-8"))
        != without_generator(path.read_text(encoding="utf-8"))
    ]
    assert differ == []


@pytest.mark.parametrize("data", ["data/practices.json", "en/data/practices.json", "sitemap.xml", "en/sitemap.xml"])
def test_the_published_data_is_the_mkdocs_data(built_site: BuiltSite, properdocs_site: EngineBuild, data: str) -> None:
    assert (properdocs_site.site / data).read_bytes() == (built_site.site / data).read_bytes()


# --- the built-site checks of the MkDocs build, on the ProperDocs site ---------------------------------------


def test_no_broken_internal_link_or_anchor(properdocs_site: EngineBuild) -> None:
    site = BuiltPages.read(properdocs_site.site)
    assert len(site.pages) > 20
    assert [link.format() for link in check_internal(site)] == []


def test_every_page_carries_exactly_its_policy(built_site: BuiltSite, properdocs_site: EngineBuild) -> None:
    """The check the build itself ends with (csp.site_problems), read again here over every page."""
    site_url = f"http://127.0.0.1:{built_site.port}/"
    policy = site_policy(Path(material.__file__).parent / "templates", site_path(site_url), site_url, ["en"])
    assert site_problems(properdocs_site.site, policy) == []


@pytest.mark.parametrize("practice_id", PRACTICES)
def test_every_practice_has_a_page_in_both_languages(properdocs_site: EngineBuild, practice_id: str) -> None:
    for relative, lang in ((f"praktijken/{practice_id}", "nl"), (f"en/praktijken/{practice_id}", "en")):
        html = (properdocs_site.site / relative / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<html\b[^>]*\blang="{lang}"', html), relative


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_search_index_per_language(properdocs_site: EngineBuild, language: str) -> None:
    search_page = properdocs_site.site / ("zoeken" if language == "nl" else f"{language}/zoeken") / "index.html"
    bundle = re.search(r'data-bundle="([^"]+)"', search_page.read_text(encoding="utf-8"))
    assert bundle, search_page
    folder = (search_page.parent / bundle[1]).resolve()
    assert (folder / f"wasm.{language}.pagefind").is_file()
    entry: dict[str, Any] = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"][language]["page_count"] >= 3 + 3  # practices and hand-written pages
