"""The terminology check: a data-driven list of avoided forms per language, with path:line messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.checks.terminology import TerminologyError, load_rules, page_problems, text_problems
from handbook.gate import load_content, terminology_problems
from handbook.messages import use_language
from support import REPO, TERMINOLOGY, content_root, repo_settings, settings_for

VALID = REPO / "tests" / "fixtures" / "practices" / "valid"


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return load_rules(TERMINOLOGY)


def messages(text: str, language: str, rules) -> list[str]:  # type: ignore[no-untyped-def]
    return [problem.format() for problem in text_problems(text, language, rules, Path("page.md"))]


def test_dutch_forms_are_refused_with_their_line(rules) -> None:  # type: ignore[no-untyped-def]
    text = "Eerste regel.\nDe wijkagent kent de buurt.\nPolarisering groeit.\nWat wilt u? Wat wil je?\n"
    found = messages(text, "nl", rules)
    assert found[0].startswith("page.md:2: 'wijkagent': write 'wijkinspecteur'")
    assert found[1].startswith("page.md:3: 'Polarisering': write 'polarisatie'")
    assert found[2].startswith("page.md:4: 'je': address the reader with 'u'")
    assert len(found) == 3
    assert "spreek de lezer aan" not in found[2]  # the message in the contributor's language only


def test_the_message_is_in_the_contributors_language(rules) -> None:  # type: ignore[no-untyped-def]
    use_language("nl")
    try:
        found = messages("Wat wil je?\n", "nl", rules)
    finally:
        use_language(None)
    assert found == ["page.md:1: 'je': spreek de lezer aan met 'u' (u, uw, uzelf) op elke pagina van het handboek"]


def test_english_forms_are_refused(rules) -> None:  # type: ignore[no-untyped-def]
    found = messages("The local government acts as director.\nIt aims to bundle expertise on polarization.\n", "en", rules)
    assert [line.split(": ", 1)[1].split("'")[1] for line in found] == ["director", "bundle expertise", "polarization"]


def test_rules_apply_only_to_their_language(rules) -> None:  # type: ignore[no-untyped-def]
    assert messages("A wijkagent in English text.", "en", rules) == []
    assert messages("De director van de school.", "nl", rules) == []


@pytest.mark.parametrize(
    "text",
    [
        'Het bericht zegt "wat zie je?" letterlijk.',  # a quotation keeps its own words
        "Zie „hoe help je een kind” in de bron.",
        "> Een citaat: je kunt dit doen.",
        "Code: `je` blijft code.",
        "```\nje\n```",
        "Een [link](https://www.vlaamsmensenrechteninstituut.be/hoe-helpen-we-jou-met-je-melding).",
        "De woorden jeugdwerk, jezuïet en bijenkorf bevatten geen los voornaamwoord.",
        "Een wijkagentschap bestaat niet, wijkagent-achtig ook niet.",
    ],
)
def test_quotes_code_links_and_longer_words_are_left_alone(text: str, rules) -> None:  # type: ignore[no-untyped-def]
    assert messages(text, "nl", rules) == []


def test_pages_under_docs_are_checked_per_language(tmp_path: Path, rules) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.nl.md").write_text("# A\n\nDe wijkagent.\n", encoding="utf-8")
    (tmp_path / "a.en.md").write_text("# A\n\nThe wijkagent, as director.\n", encoding="utf-8")
    (tmp_path / "sub" / "b.nl.md").write_text("Hoe gaat het met je?\n", encoding="utf-8")
    (tmp_path / "readme.md").write_text("je\n", encoding="utf-8")  # no language: not checked
    found = [problem.format(tmp_path) for problem in page_problems(tmp_path, rules)]
    assert [line.split(": '")[0] for line in found] == ["a.en.md:3", "a.nl.md:3", "sub/b.nl.md:1"]


def test_a_broken_rule_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "terminology.yml"
    path.write_text("nl:\n  - avoid: wijkagent\n    message: {nl: x}\n", encoding="utf-8")
    with pytest.raises(TerminologyError, match=r"terminology.yml:2: a rule needs 'avoid'"):
        load_rules(path)
    path.write_text("nl:\n  - avoid: '('\n    message: {nl: x, en: y}\n", encoding="utf-8")
    with pytest.raises(TerminologyError, match=r"terminology.yml:2: 'avoid' is not a valid regular expression"):
        load_rules(path)
    path.write_text("fr:\n  - avoid: x\n    message: {nl: x, en: y}\n", encoding="utf-8")
    with pytest.raises(TerminologyError, match=r"terminology.yml:1: 'fr' must be nl or en"):
        load_rules(path)


def test_check_reports_terms_in_practice_texts_and_front_matter(tmp_path: Path) -> None:
    root = content_root(tmp_path, VALID)
    text = root / "practices" / "alpha-praktijk" / "nl.md"
    text.write_text(text.read_text(encoding="utf-8").replace("title: Alfa,", "title: Alfa met de wijkagent,"), encoding="utf-8")
    problems = [problem.format(root) for problem in load_content(settings_for(root)).problems]
    assert problems == [
        "practices/alpha-praktijk/nl.md:2: 'wijkagent': write 'wijkinspecteur', the official Belgian term (circular PLP 64)"
    ]


def test_the_repository_follows_its_own_terminology() -> None:
    settings = repo_settings()
    problems = terminology_problems(settings.layout, load_content(settings).practices)
    assert [problem.format(REPO) for problem in problems] == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_english_words_in_a_dutch_text_are_refused_with_the_dutch_word(rules, language: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 23: the words a Dutch text borrows from English, each with the word to write (not a dictionary guess)."""
    text = (
        "We nodigen alle stakeholders uit.\nElke meeting start om tien uur.\nHet gaat om community building.\n"
        "Empowerment van jongeren staat centraal.\nDit is een best practice.\n"
    )
    use_language(language)
    try:
        found = messages(text, "nl", rules)
    finally:
        use_language(None)
    words = ["stakeholders", "meeting", "community building", "Empowerment", "best practice"]
    dutch = ["'betrokkenen'", "'overleg'", "'gemeenschapsvorming'", "'versterking'", "'goede praktijk'"]
    assert [line.split(": ", 1)[1].split("'")[1] for line in found] == words
    assert [int(line.split(":")[1]) for line in found] == [1, 2, 3, 4, 5]
    assert all(word in line for word, line in zip(dutch, found, strict=True)), found
    assert messages('De vijfde pijler heet "empowerment".', "nl", rules) == []  # an official name, quoted


def test_dutch_words_in_an_english_text_are_refused_with_the_english_word(rules) -> None:  # type: ignore[no-untyped-def]
    found = messages("The jeugdwerkers and leerkrachten meet the buurtbewoners.\nVrijwilligers help hulpverleners.\n", "en", rules)
    assert [line.split(": ", 1)[1].split("'")[1] for line in found] == [
        "jeugdwerkers",
        "leerkrachten",
        "buurtbewoners",
        "hulpverleners",
        "Vrijwilligers",
    ]  # rule order on a line
    assert "'youth worker'" in found[0] and "'teacher'" in found[1] and "'volunteer'" in found[4]
    assert messages("The youth workers and teachers meet the local residents.", "en", rules) == []
    assert messages("De jeugdwerkers en leerkrachten.", "nl", rules) == []


def test_the_union_of_the_rules_passes_over_only_lines_no_rule_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one search per line (`any_rule`) finds exactly what every rule alone finds, over the real texts and
    over a text with every avoided form of the synthetic benchmark's first version."""
    import handbook.checks.terminology as terminology

    rules = load_rules(TERMINOLOGY)
    texts = [(path, path.stem, path.read_text(encoding="utf-8")) for path in sorted((REPO / "practices").glob("*/*.md"))]
    texts.append((Path("x/en.md"), "en", "The local government acts as director.\nThe neighbourhood police officer knows it.\n"))
    joined = [text_problems(text, language, rules, path) for path, language, text in texts]
    assert terminology.any_rule([rule for rule in rules if rule.language == "en"]) is not None
    assert any(joined)
    monkeypatch.setattr(terminology, "any_rule", lambda rules: None)
    assert [text_problems(text, language, rules, path) for path, language, text in texts] == joined
