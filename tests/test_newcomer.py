"""The newcomer's path: `handbook new`, fill in, `handbook check` passes, the build shows the practice."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import REPO, VALID, Built, assemble_site, free_port, handbook_check, handbook_command, mkdocs_build, subprocess_env

SECTIONS_NL = {
    "Context": "In de wijk ontbrak een plek waar jongeren terechtkonden met vragen over hun plaats in de buurt.",
    "Doelstellingen": "Jongeren een vaste, vertrouwde plek geven en signalen van uitsluiting vroeg opvangen.",
    "Aanpak": "Twee jeugdwerkers openen drie avonden per week het jeugdhuis en werken samen met de school.",
    "Resultaten en evaluatie": "Er is nog geen evaluatie; het bereik wordt per maand bijgehouden.",
    "Geleerde lessen": "Vertrouwen groeit traag; houd de openingsuren stabiel, ook in de vakanties.",
    "Overdraagbaarheid": "Een kleinere gemeente kan starten met één avond per week en een gedeelde jeugdwerker.",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return assemble_site(tmp_path / "site", VALID)


def new_command(site: Path) -> list[str]:
    """`handbook new` with the newcomer's answers (the arguments, without the command)."""
    return [
        "new", "--no-input", "--root", str(site), "--languages", "nl",
        "--title-nl", "Buurtgerichte jeugdwerking", "--municipality", "Lier", "--theme", "jeugdwerk", "--level", "primary",
    ]  # fmt: skip


@pytest.mark.slow
def test_new_scaffold_is_checked_until_filled_in_and_then_builds(site: Path) -> None:
    created = handbook_command(*new_command(site))
    assert created.returncode == 0, created.stderr
    folder = site / "practices" / "buurtgerichte-jeugdwerking"
    assert created.stdout.split() == [
        "practices/buurtgerichte-jeugdwerking/practice.yml",
        "practices/buurtgerichte-jeugdwerking/nl.md",
    ]
    assert "> Guiding question: …" not in created.stderr and "'> Richtvraag: …'" in created.stderr
    assert "## Aanpak\n\n> Richtvraag: Wat gebeurt er concreet" in (folder / "nl.md").read_text(encoding="utf-8")

    unfilled = handbook_check(site)
    assert unfilled.returncode == 1
    assert "practices/buurtgerichte-jeugdwerking/practice.yml" in unfilled.stdout
    assert "field 'elements of the Mechelen approach' (pillars): fill in this field" in unfilled.stdout
    assert "Traceback" not in unfilled.stdout + unfilled.stderr

    fill_in(folder)

    filled = handbook_check(site)
    assert filled.returncode == 0, filled.stdout + filled.stderr

    built = mkdocs_build(site, HANDBOOK_SEARCH="false")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "site" / "praktijken" / "buurtgerichte-jeugdwerking" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Buurtgerichte jeugdwerking</h1>" in page
    assert "Twee jeugdwerkers openen drie avonden per week" in page
    assert 'Lopend (bevestigd in <time datetime="2026">2026</time>), volgens <a href="#bron-1">bron 1</a>.' in page
    english = (site / "site" / "en" / "praktijken" / "buurtgerichte-jeugdwerking" / "index.html").read_text(encoding="utf-8")
    assert "This practice has not yet been described in English." in english


def test_new_refuses_an_unknown_theme_with_a_hint_and_never_overwrites(site: Path) -> None:
    wrong = handbook_command(*new_command(site)[:-4], "--theme", "jeugwerk")
    assert wrong.returncode != 0
    assert "unknown themes value 'jeugwerk'; did you mean 'jeugdwerk'?" in wrong.stderr
    assert not (site / "practices" / "buurtgerichte-jeugdwerking").exists()
    assert handbook_command(*new_command(site)).returncode == 0
    again = handbook_command(*new_command(site))
    assert again.returncode == 1
    assert "already exists" in again.stderr


# --- the documented flow on a fresh clone, command for command ------------------------------------------


def documented_commands(language: str) -> list[str]:
    """The commands of CONTRIBUTING.md's "With git" steps (`Met git` in Dutch), in order, as written."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    heading = {"nl": "### Met git", "en": "### With git"}[language]
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def reuse_venv(clone: Path) -> None:
    """What `bash scripts/setup.sh` installs, without the long install: a venv in the clone that sees this
    checkout's installed packages and the clone's own `handbook` package, with the `handbook` and `mkdocs` commands."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True, timeout=120)
    site_packages = next((clone / ".venv" / "lib").glob("python3*/site-packages"))
    installed = next(path for path in map(Path, sys.path) if path.name == "site-packages" and (path / "mkdocs").is_dir())
    (site_packages / "handbook-clone.pth").write_text(
        f"{clone / 'scripts'}\nimport site; site.addsitedir({str(installed)!r})\n", encoding="utf-8"
    )
    scripts = {"handbook": "from handbook.cli.main import main", "mkdocs": "from mkdocs.__main__ import cli as main"}
    for name, entry in scripts.items():
        command = clone / ".venv" / "bin" / name
        command.write_text(f"#!{clone / '.venv' / 'bin' / 'python'}\nimport sys\n{entry}\nsys.exit(main())\n", encoding="utf-8")
        command.chmod(0o755)
    shutil.copy(clone / "requirements.txt", clone / ".venv" / ".installed-requirements.txt")  # as setup.sh records it


def interruptible() -> None:
    """Ctrl+C as in a terminal: a run started in the background by a shell (`.ci/run &`) ignores SIGINT, and its
    children inherit that (a shell cannot undo it), so the served preview would never hear the Ctrl+C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_the_documented_newcomer_flow_on_a_fresh_clone(tmp_path: Path) -> None:
    """git clone, then CONTRIBUTING's commands as written (the install reuses this venv), each in a shell
    where only the documented activation puts `handbook` and `mkdocs` on PATH."""
    clone = tmp_path / "handboek"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=120)
    commands = documented_commands("nl")
    assert commands[:2] == ["bash scripts/setup.sh", "source .venv/bin/activate"], commands
    reuse_venv(clone)
    env = {
        key: value
        for key, value in subprocess_env(HANDBOOK_SEARCH="false", HANDBOOK_LANG="nl").items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # nothing of this checkout's venv
    activate = commands[1]
    key = "buurtgerichte-jeugdwerking"
    for command in commands[2:]:
        command = command.replace("<sleutel>", key)
        if command == "scripts/serve.sh":
            port = free_port()
            log = tmp_path / "serve.log"
            with log.open("w") as output:
                server = subprocess.Popen(
                    ["bash", "-c", f"{activate} && exec {command} -a 127.0.0.1:{port}"],
                    cwd=clone, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=interruptible,
                )  # fmt: skip
                try:
                    assert wait_for_page(f"http://127.0.0.1:{port}/praktijken/{key}/", "Buurtgerichte jeugdwerking", server)
                finally:
                    os.killpg(server.pid, signal.SIGINT)  # Ctrl+C, as CONTRIBUTING says
                    server.wait(timeout=30)
            assert "end of life" not in log.read_text(encoding="utf-8")  # no box about Material the contributor cannot act on
            assert "pip" not in log.read_text(encoding="utf-8")  # a restart installs nothing
            continue
        done = subprocess.run(["bash", "-c", f"{activate} && {command}"], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
        if command.startswith("handbook new"):
            assert done.returncode == 0, done.stderr
            fill_in(clone / "practices" / key)
        else:
            assert done.returncode == 0, f"{command}:\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr


def fill_in(folder: Path) -> None:
    """Step 3: the contributor fills in the fields and the sections (Dutch; the English text is left out)."""
    facts = (folder / "practice.yml").read_text(encoding="utf-8")
    for old, new in (
        ("pillars: []", "pillars: [mensen-die-handelen]"),
        ("prevention_levels: []", "prevention_levels: [primary]"),
        ("target_groups: []", "target_groups: [jongeren]"),
        ("policy_domains: []", "policy_domains: [jeugd]"),
        ("evidence_level: ''", "evidence_level: not-evaluated"),
        ("organisation: ''", "organisation: Gemeente Lier"),
        ("status: ''", "status: running"),
        ("status_as_of: ''", "status_as_of: 2026"),
        ("status_source: ''", "status_source: 1"),
        ("- title: ''", "- title: Eigen beschrijving van de jeugddienst\n  publisher: Jeugddienst\n  published: '2026'"),
    ):
        facts = facts.replace(old, new)
    (folder / "practice.yml").write_text(facts, encoding="utf-8")
    text = (folder / "nl.md").read_text(encoding="utf-8")
    text = text.replace("summary: ''", "summary: Een jeugdhuis als vaste, vertrouwde plek voor jongeren in de wijk.")
    for heading, paragraph in SECTIONS_NL.items():  # each guiding question replaced by the contributor's text
        text = re.sub(rf"^## {heading}\n\n> Richtvraag: [^\n]*\n", f"## {heading}\n\n{paragraph}\n", text, flags=re.MULTILINE)
    assert "Richtvraag" not in text
    (folder / "nl.md").write_text(text, encoding="utf-8")
    assert not (folder / "en.md").exists()  # `handbook new` writes the message language's text only


def wait_for_page(url: str, text: str, server: subprocess.Popen[bytes], seconds: float = 180) -> bool:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        assert server.poll() is None, "mkdocs serve ended"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if text in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


# --- a scaffold in the contributor's language ----------------------------------------------------------


def scaffold(site: Path, *extra: str, **env: str) -> Built:
    return handbook_command(
        "new", "--no-input", "--root", site, "--title-nl", "Buurtgerichte jeugdwerking",
        "--municipality", "Lier", "--theme", "jeugdwerk", *extra, **env,
    )  # fmt: skip


@pytest.mark.parametrize(("language", "written"), [("nl", "nl.md"), ("en", "en.md")])
def test_new_writes_only_the_text_of_the_message_language_by_default(site: Path, language: str, written: str) -> None:
    created = handbook_command("new", "--no-input", "--root", site, "--id", "nieuw", "--municipality", "Lier", HANDBOOK_LANG=language)
    assert created.returncode == 0, created.stderr
    assert created.stdout.split() == ["practices/nieuw/practice.yml", f"practices/nieuw/{written}"]


@pytest.mark.parametrize(("title", "written"), [("--title-nl", "nl.md"), ("--title-en", "en.md")])
def test_new_writes_the_language_of_the_title_given(site: Path, title: str, written: str) -> None:
    """CONTRIBUTING's command with a Dutch title writes nl.md whatever the message language (and with an English one, en.md)."""
    for language in ("nl", "en"):
        created = handbook_command("new", "--no-input", "--root", site, title, f"Titel {language}", HANDBOOK_LANG=language)
        assert created.returncode == 0, created.stderr
        assert [Path(line).name for line in created.stdout.split()] == ["practice.yml", written]


def test_new_writes_the_languages_asked_for(site: Path) -> None:
    created = scaffold(site, "--languages", "nl,en", HANDBOOK_LANG="nl")
    assert created.returncode == 0, created.stderr
    assert [Path(line).name for line in created.stdout.split()] == ["practice.yml", "nl.md", "en.md"]
    wrong = scaffold(site, "--languages", "fr", HANDBOOK_LANG="nl")
    assert (wrong.returncode, wrong.stderr.strip()) == (2, "handbook new: --languages neemt nl, en of nl,en")


def test_new_speaks_dutch_and_the_check_asks_to_replace_each_guiding_question(site: Path) -> None:
    created = scaffold(site, "--level", "primary", HANDBOOK_LANG="nl")
    assert created.returncode == 0, created.stderr
    assert created.stderr.strip().splitlines() == [
        "Onder elk hoofdstuk van nl.md staat de vraag die het beantwoordt, als een regel '> Richtvraag: …'. Vervang elk van "
        "die regels door uw tekst; `handbook check` wijst de regels aan die er nog staan.",
        "Voer daarna uit: handbook check practices/buurtgerichte-jeugdwerking",
    ]
    text = (site / "practices" / "buurtgerichte-jeugdwerking" / "nl.md").read_text(encoding="utf-8").splitlines()
    questions = [number for number, line in enumerate(text, 1) if line.startswith("> Richtvraag: ")]
    assert len(questions) == 6 and text[questions[2] - 3] == "## Aanpak"
    checked = handbook_command("check", "--lang", "nl", "--root", site, site / "practices" / "buurtgerichte-jeugdwerking")
    expected = [
        f"practices/buurtgerichte-jeugdwerking/nl.md:{number}: vervang de richtvraag door uw tekst (de regel die begint met "
        "'> Richtvraag:' is een hulp bij het schrijven en wordt niet gepubliceerd)"
        for number in questions
    ]
    reported = [line for line in checked.stdout.splitlines() if "richtvraag" in line]
    assert reported == expected  # all six, in the same run as the open fields of practice.yml
    assert any("practice.yml" in line for line in checked.stdout.splitlines())
    fill_in(site / "practices" / "buurtgerichte-jeugdwerking")
    assert handbook_command("check", "--lang", "nl", "--root", site).returncode == 0


def test_a_guiding_question_in_fenced_code_or_in_other_words_is_not_reported(site: Path) -> None:
    scaffold(site, "--level", "primary", HANDBOOK_LANG="nl")
    folder = site / "practices" / "buurtgerichte-jeugdwerking"
    fill_in(folder)
    text = (folder / "nl.md").read_text(encoding="utf-8")
    (folder / "nl.md").write_text(
        text + "\n```text\n> Richtvraag: een voorbeeld\n```\n\n> De richtvraag was: wat werkt?\n", encoding="utf-8"
    )
    assert handbook_command("check", "--lang", "nl", "--root", site).returncode == 0
    (folder / "nl.md").write_text(text + "\n> **Guiding question:** what works?\n", encoding="utf-8")
    checked = handbook_command("check", "--lang", "en", "--root", site)
    assert checked.stdout.splitlines() == [
        f"practices/buurtgerichte-jeugdwerking/nl.md:{text.count(chr(10)) + 2}: replace the guiding question with your text "
        "(the line that starts with '> Guiding question:' is help for writing and is not published)"
    ]


@pytest.mark.parametrize("command", [[], ["check"], ["new"], ["pdf"], ["build"], ["from-issue"], ["status"], ["clean-image"]])
def test_every_help_follows_the_message_language(command: list[str]) -> None:
    shown = handbook_command(*command, "--help", HANDBOOK_LANG="nl")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("gebruik: handbook")
    assert "\nopties:\n" in shown.stdout and "toon deze hulp en stop" in shown.stdout
    assert "usage:" not in shown.stdout and "show this help" not in shown.stdout and "options:" not in shown.stdout
    english = handbook_command(*command, "--help", HANDBOOK_LANG="en")
    assert english.stdout.startswith("usage: handbook") and "\noptions:\n" in english.stdout
    usage = shown.stdout.split("\n\n", 1)[0]  # the placeholders of the arguments, too, are in Dutch
    english_placeholders = {"ROOT", "OUTPUT", "SITE_URL", "PATH", "FILE", "FOLDER", "COMMAND", "KEY", "TITLE", "LANGUAGES", "KIND"}
    english_placeholders |= {"MUNICIPALITY", "BODY_FILE", "TIMES", "ADDRESS", "REPEAT", "HANDBOOK", "LANG"}
    assert not set(re.findall(r"\b[A-Z][A-Z_]{2,}\b", usage)) & english_placeholders, usage


def test_check_help_follows_its_lang_option() -> None:
    assert handbook_command("check", "--lang", "nl", "--help", HANDBOOK_LANG="en").stdout.startswith("gebruik: handbook check")


def test_pdf_refuses_a_local_address_in_dutch(site: Path) -> None:
    refused = handbook_command(
        "pdf", site / "handbooks" / "studiedag-mechelen-2015.yml", "--lang", "nl", "--root", site, HANDBOOK_LANG="nl", SITE_URL=None
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "geweigerd: links en QR-codes zouden naar 'http://127.0.0.1:8000/' wijzen, en dat is niet de gepubliceerde site. "
        "Zet SITE_URL of --site-url op het openbare adres van de site, of voeg --draft toe voor een PDF met ONTWERP op de omslag."
    )
    missing = handbook_command("pdf", "--root", site, HANDBOOK_LANG="nl")
    assert (missing.returncode, missing.stderr.strip()) == (2, "handbook pdf: geef één HANDBOEK.yml (met --lang) of --all")


def test_a_mistyped_command_is_named_in_dutch() -> None:
    wrong = handbook_command("chek", HANDBOOK_LANG="nl")
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1].startswith("handbook: fout: argument OPDRACHT: ongeldige keuze: 'chek' (kies uit 'check', ")
