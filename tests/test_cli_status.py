"""`handbook status` speaks the language of the messages, as `handbook check` does (issue 23): its table (with the
translation status page's words), its summary, `--stamp`'s lines and its refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support import VALID, content_root, handbook_command

TABLES = {
    "nl": [
        "praktijk        nl                  en",
        "alpha-praktijk  brontekst           actueel",
        "beta-praktijk   brontekst           ontbreekt",
        "gamma-practice  ontbreekt           brontekst",
        "",
        "3 praktijken: 1 volledig, 2 met een ontbrekende, verouderde of niet geregistreerde vertaling (0 verouderd).",
    ],
    "en": [
        "practice        nl            en",
        "alpha-praktijk  source text   up to date",
        "beta-praktijk   source text   missing",
        "gamma-practice  missing       source text",
        "",
        "3 practices: 1 complete, 2 with a missing, outdated or unrecorded translation (0 outdated).",
    ],
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("how", ["--lang", "HANDBOOK_LANG"])
def test_status_table_in_the_message_language(language: str, how: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    if how == "--lang":
        run = handbook_command("status", "--lang", language, "--root", root)
    else:
        run = handbook_command("status", "--root", root, HANDBOOK_LANG=language)
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert run.stdout.splitlines() == TABLES[language]


def test_status_follows_a_dutch_locale_and_defaults_to_dutch(tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    unset = {"HANDBOOK_LANG": None, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    assert handbook_command("status", "--root", root, **unset, LANG="").stdout.splitlines() == TABLES["nl"]
    assert handbook_command("status", "--root", root, **unset, LANG="nl_BE.UTF-8").stdout.splitlines() == TABLES["nl"]
    assert handbook_command("status", "--root", root, **unset, LANG="en_GB.UTF-8").stdout.splitlines() == TABLES["en"]


@pytest.mark.parametrize(
    ("language", "outdated", "stamped", "current"),
    [
        ("nl", "alpha-praktijk  brontekst           verouderd", "vastgelegd", "was al actueel"),
        ("en", "alpha-praktijk  source text   outdated", "stamped", "already current"),
    ],
)
def test_stamp_in_the_message_language(language: str, outdated: str, stamped: str, current: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    nl = root / "practices" / "alpha-praktijk" / "nl.md"
    nl.write_text(nl.read_text(encoding="utf-8").replace("## Context\n\n", "## Context\n\nEen nieuwe zin.\n\n", 1), encoding="utf-8")
    assert outdated in handbook_command("status", "--lang", language, "--root", root).stdout.splitlines()
    first = handbook_command("status", "--lang", language, "--root", root, "--stamp", "alpha-praktijk:en")
    assert (first.returncode, first.stdout) == (0, f"practices/alpha-praktijk/en.md: {stamped}\n")
    again = handbook_command("status", "--lang", language, "--root", root, "--stamp", "alpha-praktijk:en")
    assert (again.returncode, again.stdout) == (0, f"practices/alpha-praktijk/en.md: {current}\n")


@pytest.mark.parametrize(
    ("language", "target", "message"),
    [
        ("nl", "alpha-praktijk:fr", "handbook status: geen tekst 'fr' voor praktijk 'alpha-praktijk' (schrijf SLEUTEL:TAAL)"),
        ("en", "nergens:en", "handbook status: no text 'en' for practice 'nergens' (write ID:LANG)"),
        ("nl", "beta-praktijk:nl", "handbook status: praktijk 'beta-praktijk' heeft geen andere taal om uit te vertalen"),
    ],
)
def test_stamp_refusals_in_the_message_language(language: str, target: str, message: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    run = handbook_command("status", "--lang", language, "--root", root, "--stamp", target)
    assert (run.returncode, run.stdout, run.stderr.strip()) == (1, "", message)


@pytest.mark.slow
def test_a_closed_pipe_ends_the_table_without_a_traceback(tmp_path: Path) -> None:
    """`handbook status | head -1`: the reader has gone before the table is written; the command ends quietly."""
    import subprocess
    import sys

    from support import REPO, subprocess_env

    root = content_root(tmp_path / "root", VALID)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes a line
    process = subprocess.run(
        [sys.executable, "-m", "handbook.cli", "status", "--root", str(root)],
        stdout=write, stderr=subprocess.PIPE, text=True, env=subprocess_env(), cwd=REPO, check=False, timeout=120,
    )  # fmt: skip
    os.close(write)
    assert "Traceback" not in process.stderr, process.stderr
    assert process.returncode == 0, process.stderr
