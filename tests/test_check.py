"""Bad content is reported as exact `path:line: message` lines, by the loader and by `handbook check`.

Each folder under tests/fixtures/practices/bad/ is a small practices folder broken in one way, with the
exact expected problem lines in `expected.txt` (paths relative to that folder), in English (the tests run
with HANDBOOK_LANG=en, see conftest.py); a representative subset also has `expected.nl.txt`, the same
problems in Dutch.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from handbook.checks.guidance import guidance_line
from handbook.content.vocabulary import load_vocabularies
from handbook.contribute.scaffold import scaffold_text
from handbook.gate import Content, load_content
from handbook.messages import use_language
from support import (
    BAD,
    VALID,
    Built,
    bad_cases,
    check_command,
    content_root,
    handbook_check,
    handbook_command,
    settings_for,
    subprocess_env,
)

CASES = bad_cases()

REQUIRED_CASES = {
    "yaml-syntax", "not-a-mapping", "duplicate-key", "anchor-alias", "retyped-boolean", "retyped-float",
    "unquoted-date-in-string", "not-utf8", "empty-file", "missing-required-field", "unknown-field-with-hint",
    "unknown-vocabulary-with-hint", "wrong-type", "end-before-start", "malformed-id", "id-does-not-match-folder",
    "duplicate-id", "neutral-field-in-language-file", "contradicting-translations", "unknown-related",
    "unknown-event", "missing-section", "sections-out-of-order", "h1-in-body",
    # the common YAML mistakes, each with its hint
    "yaml-indentation", "yaml-field-under-value", "yaml-tab", "yaml-colon-in-value", "yaml-unclosed-quote",
    "yaml-unclosed-quote-before-quotes",  # issue 23: named where it opens, in practice.yml and in a front matter
    "one-round",  # issue 23: a practice.yml that does not parse, and the sections and summary of its texts, in one run
    "front-matter-not-closed",
    # how current a practice is: a recent source for 'running', a status source that exists
    "running-without-recent-source", "status-source-does-not-exist",
}  # fmt: skip
DUTCH_CASES = sorted(case for case in CASES if (BAD / case / "expected.nl.txt").is_file())


def expected_lines(case: str, language: str = "en") -> list[str]:
    """The expected problems of a case, with paths as `handbook check` prints them (from the repo root)."""
    name = "expected.txt" if language == "en" else f"expected.{language}.txt"
    lines = (BAD / case / name).read_text(encoding="utf-8").splitlines()
    return [f"practices/{line}" for line in lines if line.strip()]


def test_every_kind_of_bad_input_has_a_case() -> None:
    assert set(CASES) >= REQUIRED_CASES, sorted(REQUIRED_CASES - set(CASES))
    for case in CASES:
        assert expected_lines(case), f"{case}/expected.txt lists no problem"


@pytest.mark.parametrize("case", CASES)
def test_loader_reports_exactly_the_expected_problems(case: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, BAD / case)
    content = load_content(settings_for(root))
    assert [problem.format(root) for problem in content.problems] == expected_lines(case)


def test_dutch_variants_cover_the_yaml_hints() -> None:
    assert {"yaml-syntax", "yaml-indentation", "yaml-field-under-value", "yaml-tab", "yaml-colon-in-value"} <= set(DUTCH_CASES)
    assert {"yaml-unclosed-quote", "front-matter-not-closed", "unknown-vocabulary-with-hint", "terminology"} <= set(DUTCH_CASES)
    assert {"yaml-unclosed-quote-before-quotes", "one-round"} <= set(DUTCH_CASES)


@pytest.mark.parametrize("case", DUTCH_CASES)
def test_loader_reports_the_problems_in_dutch(case: str, tmp_path: Path) -> None:
    root = content_root(tmp_path, BAD / case)
    use_language("nl")
    try:
        content = load_content(settings_for(root))
    finally:
        use_language(None)
    assert [problem.format(root) for problem in content.problems] == expected_lines(case, "nl")
    assert len(content.problems) == len(expected_lines(case))  # the same problems as in English


@pytest.mark.parametrize("case", ["yaml-colon-in-value", "unknown-vocabulary-with-hint"])
@pytest.mark.parametrize("how", ["--lang", "LANG"])
def test_check_command_speaks_dutch(case: str, how: str, tmp_path: Path) -> None:
    """`--lang nl`, or a Dutch locale without HANDBOOK_LANG: the lines of `expected.nl.txt`, and the count in Dutch."""
    root = content_root(tmp_path, BAD / case)
    if how == "--lang":
        run = handbook_command("check", "--lang", "nl", "--root", root)
    else:
        run = handbook_command("check", "--root", root, HANDBOOK_LANG=None, LANGUAGE="", LC_ALL="", LC_MESSAGES="", LANG="nl_BE.UTF-8")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout.splitlines() == expected_lines(case, "nl")
    assert run.stderr.strip() == "1 probleem gevonden."


def test_the_check_command_runs_as_a_command(tmp_path: Path) -> None:
    """`python -m handbook.cli check` in a process of its own (the other tests call it in this process)."""
    root = content_root(tmp_path, BAD / "yaml-colon-in-value")
    run = subprocess.run(check_command(root), env=subprocess_env(), cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert (run.returncode, run.stdout.splitlines()) == (1, expected_lines("yaml-colon-in-value")), run.stderr
    assert run.stderr.strip() == "1 problem found."


def test_loader_accepts_the_valid_fixture(tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    content = load_content(settings_for(root))
    assert content.problems == []
    assert sorted(content.by_id()) == ["alpha-praktijk", "beta-praktijk", "gamma-practice"]
    languages = {practice.id: sorted(practice.translations) for practice in content.practices}
    assert languages == {"alpha-praktijk": ["en", "nl"], "beta-praktijk": ["nl"], "gamma-practice": ["en"]}


def test_translation_revision_in_the_fixture_is_current(valid_content: Content) -> None:
    alpha = valid_content.by_id()["alpha-praktijk"]
    origin = alpha.translations["en"].text.translation_of
    assert origin is not None and origin.language == "nl"
    assert origin.revision == alpha.translations["nl"].revision == "8c98120b9906"


# --- `handbook check` as a command (in this process: `handbook.cli.main.main`) ------------------------


@pytest.fixture(scope="module")
def check_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    roots = {case: content_root(tmp_path_factory.mktemp(case), BAD / case) for case in CASES}
    roots["valid"] = content_root(tmp_path_factory.mktemp("valid"), VALID)
    return {name: handbook_check(root) for name, root in roots.items()}


@pytest.mark.parametrize("case", CASES)
def test_check_command_fails_with_the_expected_lines(case: str, check_runs: dict[str, Built]) -> None:
    run = check_runs[case]
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.splitlines() == expected_lines(case)
    count = len(expected_lines(case))
    assert run.stderr.strip() == f"{count} problem{'s' if count != 1 else ''} found."


def test_check_command_passes_on_the_valid_fixture(check_runs: dict[str, Built]) -> None:
    run = check_runs["valid"]
    assert "Traceback" not in run.stdout + run.stderr
    assert (run.returncode, run.stdout) == (0, ""), run.stdout + run.stderr
    assert run.stderr.strip() == "All good: 3 practices checked."


def test_one_round_checks_the_texts_of_a_practice_left_out(tmp_path: Path) -> None:
    """Issue 23: while practice.yml does not parse, the texts of the practice are still checked in the same run, each
    file read once: their sections (`one-round`), their terms and their safety (added here)."""
    root = content_root(tmp_path, BAD / "one-round")
    nl = root / "practices" / "alpha-praktijk" / "nl.md"
    text = nl.read_text(encoding="utf-8")
    nl.write_text(
        text.replace("## Context\n\n", "## Context\n\nDe wijkagent <script>alert(1)</script> kent de jongeren.\n\n", 1), encoding="utf-8"
    )
    line = nl.read_text(encoding="utf-8").splitlines().index("De wijkagent <script>alert(1)</script> kent de jongeren.") + 1
    lines = [problem.format(root) for problem in load_content(settings_for(root)).problems]
    at = f"practices/alpha-praktijk/nl.md:{line}: "
    assert any(found.startswith(at) and "'wijkagent'" in found for found in lines), lines
    assert any(found.startswith(at) and "unsafe content" in found for found in lines), lines
    opened = (
        (root / "practices" / "alpha-praktijk" / "practice.yml")
        .read_text(encoding="utf-8")
        .splitlines()
        .index('organisation: "Stad Mechelen')
    )
    assert any(found.startswith(f"practices/alpha-praktijk/practice.yml:{opened + 1}: ") for found in lines), lines
    assert any("section '## Aanpak' is empty" in found for found in lines), lines


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "section '## Points of attention' is empty: answer its guiding question here, 'What should a municipality watch out "
         "for? Editorial advice, worded as such, based on the sources cited.'"),
        ("nl", "hoofdstuk '## Points of attention' is leeg: beantwoord hier de richtvraag 'Waar moet een gemeente op letten? "
         "Redactioneel advies, als zodanig verwoord, op basis van de vermelde bronnen.'"),
    ],
)  # fmt: skip
def test_an_empty_section_says_what_to_write(language: str, expected: str, tmp_path: Path) -> None:
    """Issue 23: an empty section repeats its guiding question (a method's fifth section has its own), in the language of
    the messages, for the heading as the text's language writes it; the same question `handbook new` writes under it."""
    root = content_root(tmp_path, VALID)
    en = root / "practices" / "gamma-practice" / "en.md"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.replace("Write down the working agreements before the first case is discussed.\n", "", 1), encoding="utf-8")
    line = text.splitlines().index("## Points of attention") + 1
    use_language(language)
    try:
        lines = [problem.format(root) for problem in load_content(settings_for(root)).problems]
    finally:
        use_language(None)
    assert lines == [f"practices/gamma-practice/en.md:{line}: {expected}"]
    question = expected.rsplit(" '", 1)[1].removesuffix("'")
    scaffold = scaffold_text(load_vocabularies(root / "practices" / "vocabularies.yml"), language, kind="method")
    assert guidance_line(language, question) in scaffold.splitlines()


def test_a_practice_left_out_is_not_also_missing_where_it_is_named(tmp_path: Path) -> None:
    """One round without echoes: alpha's practice.yml does not parse, and beta, which links and relates to alpha, gets
    no "no practice with id 'alpha-praktijk'" for it."""
    root = content_root(tmp_path, VALID)
    facts = root / "practices" / "alpha-praktijk" / "practice.yml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("organisation: Stad Mechelen", 'organisation: "Stad Mechelen', 1), encoding="utf-8"
    )
    lines = [problem.format(root) for problem in load_content(settings_for(root)).problems]
    assert lines and all(line.startswith("practices/alpha-praktijk/practice.yml:") for line in lines), lines


# --- `handbook check PATH`: what was asked for, and what was checked --------------------------------------


def _break_beta(root: Path) -> str:
    """A broken link in beta-praktijk's nl.md; its problem line as `handbook check` prints it."""
    nl = root / "practices" / "beta-praktijk" / "nl.md"
    nl.write_text(nl.read_text(encoding="utf-8").replace("## Context\n\n", "## Context\n\nZie [x](../nergens/).\n\n", 1), encoding="utf-8")
    return "practices/beta-praktijk/nl.md:10: link '../nergens/' points to no practice"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "All good: practice 'alpha-praktijk' checked (with its references to the 2 other practices)."),
        ("nl", "Alles in orde: praktijk 'alpha-praktijk' gecontroleerd (met de verwijzingen naar de 2 andere praktijken)."),
    ],
)
def test_check_of_one_folder_names_the_practice_it_checked(language: str, expected: str, tmp_path: Path) -> None:
    """Issue 23: `handbook check practices/<key>` said "All good: 3 practices checked" for the one practice asked for."""
    root = content_root(tmp_path, VALID)
    run = handbook_command("check", "--lang", language, "--root", root, root / "practices" / "alpha-praktijk")
    assert (run.returncode, run.stdout, run.stderr.strip()) == (0, "", expected)


def test_check_of_two_folders_a_file_and_all_practices(tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    practices = root / "practices"
    two = handbook_check(root, practices / "alpha-praktijk", practices / "beta-praktijk")
    assert two.stderr.strip() == (
        "All good: 2 practices checked (alpha-praktijk, beta-praktijk), with their references to 1 other practice."
    )
    text = handbook_check(root, practices / "alpha-praktijk" / "nl.md")
    assert text.stderr.strip() == f"All good: no problem in {practices / 'alpha-praktijk' / 'nl.md'}."
    handbook = handbook_command("check", "--lang", "nl", "--root", root, root / "handbooks")
    assert handbook.stderr.strip() == f"Alles in orde: geen problemen in {root / 'handbooks'}."
    assert handbook_check(root, practices).stderr.strip() == "All good: 3 practices checked."


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "Not shown: 1 problem outside {asked} (in practices/beta-praktijk/nl.md); `handbook check` without a path shows it."),
        ("nl", "Niet getoond: 1 probleem buiten {asked} (in practices/beta-praktijk/nl.md); `handbook check` zonder pad toont het."),
    ],
)
def test_check_of_one_folder_counts_the_problems_elsewhere(language: str, note: str, tmp_path: Path) -> None:
    """A problem in another practice is not the contributor's to fix, but it is not hidden either: one line counts it, with
    its file; the folder asked for passes (exit 0), and `--quiet` prints nothing."""
    root = content_root(tmp_path, VALID)
    _break_beta(root)
    asked = root / "practices" / "alpha-praktijk"
    run = handbook_command("check", "--lang", language, "--root", root, asked)
    assert (run.returncode, run.stdout) == (0, ""), run.stdout + run.stderr
    assert run.stderr.splitlines()[0] == note.format(asked=asked)
    assert run.stderr.splitlines()[1].startswith(
        ("All good: practice 'alpha-praktijk' checked", "Alles in orde: praktijk 'alpha-praktijk'")
    )
    quiet = handbook_command("check", "--quiet", "--lang", language, "--root", root, asked)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_check_of_a_folder_with_problems_reports_them_and_counts_the_others(tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    beta = _break_beta(root)
    nl = root / "practices" / "alpha-praktijk" / "nl.md"
    nl.write_text(
        nl.read_text(encoding="utf-8").replace("## Context\n\n", "## Context\n\nZie [y](../ook-nergens/).\n\n", 1), encoding="utf-8"
    )
    run = handbook_check(root, root / "practices" / "alpha-praktijk")
    assert run.returncode == 1
    assert [line.split(",")[0] for line in run.stdout.splitlines()] == [
        "practices/alpha-praktijk/nl.md:10: link '../ook-nergens/' points to no practice"
    ]
    assert beta not in run.stdout
    assert run.stderr.splitlines() == [
        "1 problem found.",
        f"Not shown: 1 problem outside {root / 'practices' / 'alpha-praktijk'} (in practices/beta-praktijk/nl.md); "
        "`handbook check` without a path shows it.",
    ]


def test_check_of_a_folder_that_cannot_be_checked_reports_what_stops_it(tmp_path: Path) -> None:
    """An unsafe file elsewhere stops every check (nothing is read): not "All good" for the folder asked for, but the
    problem that stops it, exit 1."""
    root = content_root(tmp_path, VALID)
    (root / "practices" / "beta-praktijk" / "kaart.png").symlink_to("/etc/passwd")
    asked = root / "practices" / "alpha-praktijk"
    run = handbook_command("check", "--lang", "nl", "--root", root, asked)
    assert run.returncode == 1
    assert run.stdout.startswith("practices/beta-praktijk/kaart.png:1: ")
    assert run.stderr.splitlines() == [f"{asked}: niet gecontroleerd, door deze problemen elders:", "1 probleem gevonden."]


@pytest.mark.parametrize(
    ("language", "given", "expected"),
    [
        ("en", "practices/alpha-praktjik", "handbook check: '{root}/practices/alpha-praktjik' does not exist; did you mean "
         "'{root}/practices/alpha-praktijk'?"),
        ("nl", "practices/alpha-praktjik", "handbook check: '{root}/practices/alpha-praktjik' bestaat niet; bedoelt u "
         "'{root}/practices/alpha-praktijk'?"),
        ("nl", "nergens/nl.md", "handbook check: '{root}/nergens/nl.md' bestaat niet"),
    ],
)  # fmt: skip
def test_check_of_a_path_that_does_not_exist_fails(language: str, given: str, expected: str, tmp_path: Path) -> None:
    """A mistyped folder used to be "All good" (no problem is in a folder that does not exist)."""
    root = content_root(tmp_path, VALID)
    run = handbook_command("check", "--lang", language, "--root", root, root / given)
    assert (run.returncode, run.stdout, run.stderr.strip()) == (1, "", expected.format(root=root))
