"""mkdocs.yml read once, by MkDocs: the settings the plugin and the `handbook` command share.

A file MkDocs refuses is one `mkdocs.yml:line: message` in every command, never a traceback; every content
folder can be moved by its option and is then checked, built and guarded exactly as the default one; a
value MkDocs resolves (`!ENV`) is the same for the check and the build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from handbook.cli.main import main
from handbook.gate import Layout, Settings, load_content
from handbook.messages import use_language
from handbook.settings import SettingsError
from support import REPO, VALID, content_root

MINIMAL = "site_name: t\nstrict: true\nplugins:\n  - handbook\n"


def minimal_root(tmp_path: Path, config: str | None = MINIMAL) -> Path:
    """The fixture practices with a small mkdocs.yml (`config`; None: no mkdocs.yml) and an empty docs/."""
    root = content_root(tmp_path / "root", VALID)
    if config is None:
        (root / "mkdocs.yml").unlink()
    else:
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


# --- the settings ------------------------------------------------------------------------------------


def test_the_repository_settings_are_mkdocs_own() -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    settings = Settings.load(REPO / "mkdocs.yml")
    assert settings == Settings.of(config)
    assert settings.layout == Layout(REPO)
    assert settings.markdown.extensions == tuple(config.markdown_extensions)  # MkDocs' own three first
    assert settings.markdown.extensions[:3] == ("toc", "tables", "fenced_code")
    assert [Path(path) for path in settings.markdown.configs["pymdownx.snippets"]["base_path"]] == [
        REPO
    ]  # `!relative $config_dir`, as text
    assert "pymdownx.snippets" not in settings.markdown.contributed.extensions
    assert settings.site_url == config.site_url


def test_a_site_without_the_plugin_has_the_default_options(tmp_path: Path) -> None:
    root = minimal_root(tmp_path, "site_name: t\n")
    settings = Settings.load(root / "mkdocs.yml")
    assert settings.layout == Layout(root)
    assert (settings.options.pdf, settings.options.search) == (True, True)


def test_the_edit_url_comes_from_the_option_else_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    root = minimal_root(
        tmp_path, "site_name: t\nplugins:\n  - handbook:\n      practices: inhoud\n      repository: https://example.org/o/r/\n"
    )
    settings = Settings.load(root / "mkdocs.yml")
    assert settings.repository is not None and settings.repository.url == "https://example.org/o/r"
    assert settings.edit_url == "https://example.org/o/r/edit/main/inhoud"
    (root / "mkdocs.yml").write_text(MINIMAL.replace("- handbook", "- handbook:\n      edit_url: https://example.org/e"), encoding="utf-8")
    assert Settings.load(root / "mkdocs.yml").edit_url == "https://example.org/e"


# --- a broken mkdocs.yml: one message, never a traceback ----------------------------------------------

BROKEN = {
    "yaml": ("site_name: t\nplugins:\n  - handbook:\n      pdf: : ja\n", "mkdocs.yml:4: the site's settings are not valid YAML: "),
    "unknown-option": (
        "site_name: t\nstrict: true\ngeen_optie: 1\n",
        "mkdocs.yml:3: MkDocs refuses the setting 'geen_optie': Unrecognised configuration name: geen_optie",
    ),
    "unknown-plugin-option": (
        "site_name: t\nstrict: true\nplugins:\n  - handbook:\n      geen_optie: 1\n",
        "mkdocs.yml:3: MkDocs refuses the setting 'plugins': Plugin 'handbook' option 'geen_optie': Unrecognised configuration name",
    ),
    "invalid-option": (
        "site_name: t\nplugins:\n  - handbook:\n      pdf: nee\n",
        "mkdocs.yml:2: MkDocs refuses the setting 'plugins': Plugin 'handbook' option 'pdf': Expected type: <class 'bool'>",
    ),
    "unknown-plugin": (
        "site_name: t\nplugins:\n  - geen-plugin\n",
        "mkdocs.yml:2: MkDocs refuses the setting 'plugins': The \"geen-plugin\" plugin is not installed",
    ),
    "unknown-extension": (
        "site_name: t\nmarkdown_extensions:\n  - geen.extensie\n",
        "mkdocs.yml:2: MkDocs refuses the setting 'markdown_extensions': Failed to load extension 'geen.extensie'",
    ),
    "missing-docs": ("site_name: t\ndocs_dir: nergens\n", "mkdocs.yml:2: MkDocs refuses the setting 'docs_dir': The path "),
    "missing-file": (None, "mkdocs.yml:1: the site's settings file does not exist"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_mkdocs_yml_is_one_message_of_handbook_check(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, expected = BROKEN[case]
    root = minimal_root(tmp_path, config)
    assert main(["check", "--lang", "en", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), out
    assert err.strip() == "1 problem found." and "Traceback" not in out + err


@pytest.mark.parametrize("command", [["status"], ["new", "--id", "x", "--no-input"], ["pdf", "--all"], ["from-issue", "nergens.md"]])
def test_a_broken_mkdocs_yml_is_one_message_of_every_command(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = minimal_root(tmp_path, BROKEN["unknown-plugin"][0])
    assert main([*command, "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("mkdocs.yml:2: ") and "geen-plugin" in err and "Traceback" not in out + err
    assert not (root / "practices" / "x").exists()


def test_the_message_is_in_the_contributors_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = minimal_root(tmp_path, BROKEN["unknown-plugin"][0])
    assert main(["check", "--lang", "nl", "--root", str(root)]) == 1
    assert capsys.readouterr().out.startswith("mkdocs.yml:2: MkDocs weigert de instelling 'plugins': ")
    use_language(None)


def test_mkdocs_says_nothing_of_its_own_while_loading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """MkDocs logs a refused option; the settings keep that from the terminal and report it once, as a problem."""
    root = minimal_root(tmp_path, BROKEN["unknown-option"][0])
    with pytest.raises(SettingsError) as error:
        Settings.load(root / "mkdocs.yml")
    assert [problem.line for problem in error.value.problems] == [3]
    assert capsys.readouterr() == ("", "")


def test_a_warning_passes_when_mkdocs_lets_it(tmp_path: Path) -> None:
    """Not strict: MkDocs only warns of an unknown option, and builds; so does the check."""
    root = minimal_root(tmp_path, "site_name: t\ngeen_optie: 1\nplugins:\n  - handbook\n")
    assert Settings.load(root / "mkdocs.yml").layout.practices == "practices"


# --- every content folder moved by its option -------------------------------------------------------

MOVED = {"practices": "inhoud/praktijken", "handbooks": "inhoud/bundels", "vocabularies": "inhoud/woorden.yml", "docs": "paginas"}


def moved_site(tmp_path: Path) -> Path:
    """A buildable site (the fixture practices, one handbook) with every content folder somewhere else, set by its option."""
    root = content_root(tmp_path / "moved", VALID)
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "print", root / "print")
    generated = ["praktijken", "studiedagen"]  # the build writes these (their images)
    shutil.copytree(
        REPO / "docs", root / "docs", ignore=lambda folder, names: generated if Path(folder) == REPO / "docs" else [], dirs_exist_ok=True
    )
    for markdown in REPO.glob("*.md"):
        shutil.copy(markdown, root / markdown.name)
    (root / "inhoud").mkdir()
    (root / "practices").rename(root / MOVED["practices"])
    (root / MOVED["practices"] / "vocabularies.yml").rename(root / MOVED["vocabularies"])
    (root / "handbooks").rename(root / MOVED["handbooks"])
    (root / "docs").rename(root / MOVED["docs"])
    options = "".join(f"      {name}: {MOVED[name]}\n" for name in ("practices", "handbooks", "vocabularies"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs\n", f"docs_dir: {MOVED['docs']}\n").replace("  - handbook:\n", "  - handbook:\n" + options)
    assert config.count("inhoud/") == 3
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def harm(root: Path) -> None:
    """A hostile file in each moved folder."""
    os.symlink("/etc/passwd", root / MOVED["practices"] / "alpha-praktijk" / "kaart.png")
    (root / MOVED["docs"] / "pagina.html").write_bytes(b"<script>window.__pwned=1</script>")
    os.symlink("/etc/passwd", root / MOVED["handbooks"] / "geheim.yml")


@pytest.mark.slow
def test_every_content_folder_moves_by_its_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDBOOK_SEARCH", "false")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1432598400")
    root = moved_site(tmp_path)
    settings = Settings.load(root / "mkdocs.yml")
    assert settings.layout == Layout(root, MOVED["practices"], MOVED["handbooks"], MOVED["vocabularies"], MOVED["docs"])
    assert not any((root / name).exists() for name in ("practices", "handbooks", "docs"))  # nothing reads the defaults

    assert main(["check", "--lang", "en", "--root", str(root)]) == 0, capsys.readouterr().out
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    site = tmp_path / "site"
    assert (site / "praktijken" / "alpha-praktijk" / "index.html").is_file()
    assert (site / "en" / "praktijken" / "alpha-praktijk" / "index.html").is_file()
    assert (site / "sjablonen" / "doorverwijsnota" / "index.html").is_file()  # a page of the moved docs_dir
    assert sorted(path.name for path in site.rglob("*.pdf")) == ["studiedag-mechelen-2015-en.pdf", "studiedag-mechelen-2015-nl.pdf"]

    text = root / MOVED["practices"] / "beta-praktijk" / "nl.md"
    original = text.read_text(encoding="utf-8")
    text.write_text(original.replace("## Context\n\n", "## Context\n\n![kaart](https://example.org/k.png)\n\n"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--lang", "en", "--root", str(root)]) == 1
    assert (
        f"store the image in the practice folder {MOVED['practices']}/beta-praktijk/ " in capsys.readouterr().out
    )  # the moved folder's name
    text.write_text(original, encoding="utf-8")

    harm(root)
    assert main(["check", "--lang", "en", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    for path in (f"{MOVED['practices']}/alpha-praktijk/kaart.png", f"{MOVED['docs']}/pagina.html", f"{MOVED['handbooks']}/geheim.yml"):
        assert any(line.startswith(f"{path}:1: ") for line in out.splitlines()), (path, out)
    assert [problem.format(root) for problem in load_content(settings).problems] == out.splitlines()  # the build's gate: the same
    with pytest.raises(Abort):
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "refused")))
    assert not (tmp_path / "refused" / "pagina.html").exists()


# --- !ENV in a Markdown extension's option ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("separator", ["_", None])
def test_an_env_value_of_an_extension_option_is_the_same_for_check_and_build(
    separator: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`toc: separator: !ENV [...]` makes the id of `## Geleerde lessen` `geleerde_lessen` (else `geleerde-lessen`):
    a link to `#geleerde_lessen` passes both the check and the (strict) build, or neither."""
    monkeypatch.setenv("HANDBOOK_SEARCH", "false")
    monkeypatch.setenv("HANDBOOK_PDF", "false")
    if separator is None:
        monkeypatch.delenv("HB_TOC_SEPARATOR", raising=False)
    else:
        monkeypatch.setenv("HB_TOC_SEPARATOR", separator)
    root = moved_site(tmp_path)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - toc:\n      permalink: true\n" in text
    config.write_text(
        text.replace(
            "  - toc:\n      permalink: true\n", '  - toc:\n      permalink: true\n      separator: !ENV [HB_TOC_SEPARATOR, "-"]\n'
        ),
        encoding="utf-8",
    )
    practice = root / MOVED["practices"] / "alpha-praktijk" / "nl.md"
    body = practice.read_text(encoding="utf-8")
    practice.write_text(body.replace("## Context\n\n", "## Context\n\nZie de [lessen](#geleerde_lessen).\n\n"), encoding="utf-8")

    assert Settings.load(config).markdown.configs["toc"]["separator"] == (separator or "-")
    checked = main(["check", "--lang", "en", "--root", str(root)])
    out = capsys.readouterr().out
    if separator == "_":
        assert checked == 0, out
        build(load_config(str(config), site_dir=str(tmp_path / "site")))
        assert 'id="geleerde_lessen"' in (tmp_path / "site" / "praktijken" / "alpha-praktijk" / "index.html").read_text(encoding="utf-8")
    else:
        assert checked == 1 and "'#geleerde_lessen' points to no heading" in out, out
        with pytest.raises(Abort):
            build(load_config(str(config), site_dir=str(tmp_path / "site")))
