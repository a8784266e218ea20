"""The newcomer's path: `handbook new`, fill in, `handbook check` passes, the build shows the practice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support import VALID, assemble_site, check_command, mkdocs_build, run

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
    return [
        sys.executable, "-m", "handbook.cli", "new", "--no-input", "--root", str(site), "--languages", "nl",
        "--title-nl", "Buurtgerichte jeugdwerking", "--municipality", "Lier", "--theme", "jeugdwerk", "--level", "primary",
    ]  # fmt: skip


def test_new_scaffold_is_checked_until_filled_in_and_then_builds(site: Path) -> None:
    created = run(new_command(site), cwd=site)
    assert created.returncode == 0, created.stderr
    folder = site / "practices" / "buurtgerichte-jeugdwerking"
    assert created.stdout.split() == [
        "practices/buurtgerichte-jeugdwerking/practice.yml",
        "practices/buurtgerichte-jeugdwerking/nl.md",
    ]
    assert "## Aanpak: Wat gebeurt er concreet" in created.stderr

    unfilled = run(check_command(site), cwd=site)
    assert unfilled.returncode == 1
    assert "practices/buurtgerichte-jeugdwerking/practice.yml" in unfilled.stdout
    assert "field 'pillars': give at least one value" in unfilled.stdout
    assert "Traceback" not in unfilled.stdout + unfilled.stderr

    facts = (folder / "practice.yml").read_text(encoding="utf-8")
    facts = facts.replace("pillars: []", "pillars: [mensen-die-handelen]")
    facts = facts.replace("target_groups: []", "target_groups: [jongeren]")
    facts = facts.replace("policy_domains: []", "policy_domains: [jeugd]")
    facts = facts.replace("evidence_level: ''", "evidence_level: not-evaluated")
    facts = facts.replace("organisation: ''", "organisation: Gemeente Lier")
    facts = facts.replace(
        "- title: ''", "- title: Eigen beschrijving van de jeugddienst\n  publisher: Jeugddienst\n  published: '2026'"
    )
    (folder / "practice.yml").write_text(facts, encoding="utf-8")
    text = (folder / "nl.md").read_text(encoding="utf-8")
    text = text.replace("summary: ''", "summary: Een jeugdhuis als vaste, vertrouwde plek voor jongeren in de wijk.")
    for heading, paragraph in SECTIONS_NL.items():
        text = text.replace(f"## {heading}\n", f"## {heading}\n\n{paragraph}\n")
    (folder / "nl.md").write_text(text, encoding="utf-8")

    filled = run(check_command(site), cwd=site)
    assert filled.returncode == 0, filled.stdout + filled.stderr

    built = mkdocs_build(site, HANDBOOK_SEARCH="false")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "site" / "praktijken" / "buurtgerichte-jeugdwerking" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Buurtgerichte jeugdwerking</h1>" in page
    assert "Twee jeugdwerkers openen drie avonden per week" in page
    english = (site / "site" / "en" / "praktijken" / "buurtgerichte-jeugdwerking" / "index.html").read_text(encoding="utf-8")
    assert "This practice has not yet been described in English." in english


def test_new_refuses_an_unknown_theme_with_a_hint_and_never_overwrites(site: Path) -> None:
    wrong = run([*new_command(site)[:-4], "--theme", "jeugwerk"], cwd=site)
    assert wrong.returncode != 0
    assert "unknown themes value 'jeugwerk'; did you mean 'jeugdwerk'?" in wrong.stderr
    assert not (site / "practices" / "buurtgerichte-jeugdwerking").exists()
    assert run(new_command(site), cwd=site).returncode == 0
    again = run(new_command(site), cwd=site)
    assert again.returncode == 1
    assert "already exists" in again.stderr
