"""The plugin's event wiring on the fixture site: in-process builds, options, and failures as messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from handbook.gate import Settings
from support import BAD, VALID, assemble_site, mkdocs_build


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble_site(tmp_path_factory.mktemp("plugin") / "site-src", VALID)


@pytest.mark.slow
def test_a_programmatic_build_without_a_config_file(site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`build()` of a config made in code (no config file): the plugin used to fail at Path(None)."""
    monkeypatch.setenv("HANDBOOK_PDF", "false")
    monkeypatch.setenv("HANDBOOK_SEARCH", "false")
    text = (site_root / "mkdocs.yml").read_text(encoding="utf-8").replace("!relative $config_dir", f'"{site_root}"')
    (site_root / "absolute.yml").write_text(text, encoding="utf-8")  # MkDocs' own `!relative` needs a config file
    config = load_config(str(site_root / "absolute.yml"), site_dir=str(tmp_path / "site"))
    config.config_file_path = None  # type: ignore[assignment]
    build(config)
    site = tmp_path / "site"
    assert (site / "praktijken" / "alpha-praktijk" / "index.html").is_file()
    assert (site / "en" / "praktijken" / "alpha-praktijk" / "index.html").is_file()
    assert (site / "en" / "data" / "practices.json").is_file()
    assert not list(site.rglob("*.pdf")) and not (site / "pagefind").exists()


def test_the_switches_are_typed_options(site_root: Path) -> None:
    config = load_config(str(site_root / "mkdocs.yml"))
    handbook = config.plugins["handbook"].config
    assert (handbook.pdf, handbook.search) == (True, True)
    result = mkdocs_build(site_root, "-d", str(site_root / "out"), HANDBOOK_PDF="nee")
    assert result.returncode == 1
    assert "Expected type: <class 'bool'>" in result.stderr and "Traceback" not in result.stderr
    assert not (site_root / "out").exists()


def test_a_content_problem_is_a_message(tmp_path: Path) -> None:
    root = assemble_site(tmp_path / "site-src", BAD / "unknown-vocabulary-with-hint")
    result = mkdocs_build(root, HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert output.count("practices/alpha-praktijk/practice.yml:6: field 'themes', 2nd value: unknown value 'jeugwerk'") == 1
    assert "Traceback" not in output


def test_a_build_with_other_languages_than_the_labels_is_refused(site_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "other"
    shutil.copytree(site_root, root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("- locale: en", "- locale: fr"), encoding="utf-8")
    with pytest.raises(Abort):
        build(load_config(str(config), site_dir=str(tmp_path / "site")))


def test_the_handbook_command_reads_the_content_paths_from_the_plugin_options(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - search\n  - handbook:\n      practices: inhoud\n      vocabularies: inhoud/woorden.yml\n"
        "      pdf: !ENV [X, true]\n",
        encoding="utf-8",
    )
    layout = Settings.load(tmp_path / "mkdocs.yml").layout
    assert (layout.practices_dir, layout.vocabularies_file, layout.handbooks_dir, layout.docs_dir) == (
        tmp_path / "inhoud",
        tmp_path / "inhoud" / "woorden.yml",
        tmp_path / "handbooks",
        tmp_path / "docs",
    )


@pytest.mark.slow
def test_a_programmatic_site_url_reaches_the_english_build(site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site address given in code rather than in mkdocs.yml is also the further language's."""
    monkeypatch.setenv("HANDBOOK_PDF", "false")
    monkeypatch.setenv("HANDBOOK_SEARCH", "false")
    config = load_config(str(site_root / "mkdocs.yml"), site_dir=str(tmp_path / "site"), site_url="https://example.org/handboek/")
    build(config)
    records = json.loads((tmp_path / "site" / "en" / "data" / "practices.json").read_text(encoding="utf-8"))
    assert {record["url"].split("praktijken/")[0] for record in records} == {"/handboek/en/"}
    assert 'rel="canonical" href="https://example.org/handboek/en/praktijken/alpha-praktijk/"' in (
        tmp_path / "site" / "en" / "praktijken" / "alpha-praktijk" / "index.html"
    ).read_text(encoding="utf-8")
