"""Messages in Dutch or English: the choice of language, the completeness of the catalogue, the hints for
the common YAML mistakes and vocabulary values written in either language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook import messages
from handbook.content import yaml_reader
from handbook.content.vocabulary import load_vocabularies
from handbook.dev import catalogue_tool
from handbook.gate import load_content
from handbook.messages import _, language_from_environment, use_language
from support import BAD, VALID, VOCABULARIES, assemble_site, content_root, mkdocs_build, settings_for

# --- the language ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "nl"),  # no locale at all: Dutch, the contributors' language
        ({"LANG": "C.UTF-8"}, "nl"),
        ({"LANG": "POSIX"}, "nl"),
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_BE.UTF-8"}, "en"),  # any other language: English
        ({"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "nl_NL.UTF-8"}, "nl"),
        ({"LC_ALL": "en_US.UTF-8", "LANGUAGE": "nl_BE:en"}, "nl"),  # LANGUAGE first, its first preference
        ({"LANGUAGE": "", "LANG": "en_US.UTF-8"}, "en"),  # an empty variable counts as unset
        ({"HANDBOOK_LANG": "en", "LANG": "nl_BE.UTF-8"}, "en"),  # the handbook's own setting wins
        ({"HANDBOOK_LANG": "fr", "LANG": "en_US.UTF-8"}, "en"),  # an unknown one is ignored
    ],
)
def test_the_language_comes_from_the_environment(environ: dict[str, str], language: str) -> None:
    assert language_from_environment(environ) == language


def test_a_chosen_language_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_LANG", "en")
    use_language("nl")
    try:
        assert messages.current_language() == "nl"
        assert _("the file is empty") == "het bestand is leeg"
    finally:
        use_language(None)
    assert _("the file is empty") == "the file is empty"
    with pytest.raises(ValueError, match="nl, en"):
        use_language("fr")


# --- the catalogue ---------------------------------------------------------------------------------------


def test_the_dutch_catalogue_is_complete() -> None:
    """Every message id of the code has a Dutch translation with no placeholder of its own; no stale entry."""
    assert catalogue_tool.catalogue_problems() == []
    assert len(catalogue_tool.code_messages()) > 150


def test_the_completeness_check_finds_missing_and_stale_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = tmp_path / "handbook.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "no longer in the code"\nmsgstr "niet meer in de code"\n\n'
        'msgid "the file is empty"\nmsgstr "het {bestand} is leeg"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue_tool, "catalogue_path", lambda language: po)
    problems = catalogue_tool.catalogue_problems()
    assert any("stale entry 'no longer in the code'" in problem for problem in problems)
    assert any("no nl translation of 'practice folder without text" in problem for problem in problems)
    assert any("translation of 'the file is empty' has a placeholder" in problem for problem in problems)


def test_the_catalogue_is_read_from_the_po_file_alone() -> None:
    """No compiled .mo file is kept: a fresh clone needs only `pip install -r requirements.txt`."""
    assert not list(messages.LOCALE_DIR.rglob("*.mo"))
    assert messages.translations("nl").gettext("field '{name}': {message}") == "veld '{name}': {message}"


# --- hints for the common YAML mistakes ------------------------------------------------------------------

YAML_CASES = {
    "colon in a value": (
        "id: x\ntitle: Wat: een test\n",
        2,
        "YAML does not parse: the value holds a colon followed by a space, which YAML reads as a new field; "
        'put the whole value in quotes: title: "Wat: een test"',
        "YAML is onleesbaar: de waarde bevat een dubbelpunt met een spatie erna, wat YAML leest als het begin van een "
        'nieuw veld; zet de hele waarde tussen aanhalingstekens: title: "Wat: een test"',
    ),
    "colon in a list item": (
        'sources:\n  - title: Deel 1: iets "groots"\n',
        2,
        "YAML does not parse: the value holds a colon followed by a space, which YAML reads as a new field; "
        'put the whole value in quotes: - title: "Deel 1: iets \\"groots\\""',
        "YAML is onleesbaar: de waarde bevat een dubbelpunt met een spatie erna, wat YAML leest als het begin van een "
        'nieuw veld; zet de hele waarde tussen aanhalingstekens: - title: "Deel 1: iets \\"groots\\""',
    ),
    "a field under a value": (
        "id: x\n  title: y\n",
        2,
        "YAML does not parse: a field cannot start here; check the indentation (a field is indented further than the "
        "field it belongs to, with spaces, and fields of the same level start in the same column), or, if the value "
        "holds a colon, put the value in quotes",
        "YAML is onleesbaar: hier kan geen veld beginnen; controleer het inspringen (een veld springt verder in dan het "
        "veld waar het bij hoort, met spaties, en velden van hetzelfde niveau beginnen in dezelfde kolom), of zet de "
        "waarde tussen aanhalingstekens als er een dubbelpunt in staat",
    ),
    "indented less": (
        "review:\n  status: draft\n last_reviewed: 1\n",
        3,
        "YAML does not parse: the indentation does not match the lines above; fields of the same level start in the "
        "same column, and a value that continues on the next line is indented further or put in quotes",
        "YAML is onleesbaar: het inspringen klopt niet met de regels erboven; velden van hetzelfde niveau beginnen in "
        "dezelfde kolom, en een waarde die op de volgende regel doorloopt, springt verder in of staat tussen aanhalingstekens",
    ),
    "a value continued without indentation": (
        "id: x\nsummary: this\nand that\nkind: method\n",
        3,
        "YAML does not parse: the indentation does not match the lines above; fields of the same level start in the "
        "same column, and a value that continues on the next line is indented further or put in quotes",
        "YAML is onleesbaar: het inspringen klopt niet met de regels erboven; velden van hetzelfde niveau beginnen in "
        "dezelfde kolom, en een waarde die op de volgende regel doorloopt, springt verder in of staat tussen aanhalingstekens",
    ),
    "a tab": (
        "review:\n\tstatus: draft\n",
        2,
        "YAML does not parse: this line holds a tab; YAML indents with spaces only: replace the tab with spaces",
        "YAML is onleesbaar: deze regel bevat een tab; YAML springt alleen in met spaties: vervang de tab door spaties",
    ),
    "an unclosed quote": (
        "id: x\ntitle: 'Open\nsummary: y\n",
        2,
        "YAML does not parse: the quote ' that opens the value on this line is never closed; end the value with ' on the same line",
        "YAML is onleesbaar: het aanhalingsteken ' waarmee de waarde op deze regel begint, wordt nergens gesloten; sluit "
        "de waarde af met ' op dezelfde regel",
    ),
    "an unclosed list": (
        "themes: [onderwijs, jeugdwerk\npillars: [lokale-regie]\n",
        1,
        "YAML does not parse: the list or mapping that opens with '[' on this line is not closed; end it with ']' on the "
        "same line, and put an item that holds a comma or a colon in quotes",
        "YAML is onleesbaar: de lijst of mapping die op deze regel met '[' begint, wordt niet gesloten; sluit ze af met "
        "']' op dezelfde regel, en zet een item met een komma of een dubbelpunt tussen aanhalingstekens",
    ),
}


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_each_common_yaml_mistake_has_its_hint(case: str, language: str) -> None:
    text, line, english, dutch_message = YAML_CASES[case]
    use_language(language)
    try:
        with pytest.raises(yaml_reader.YamlError) as raised:
            yaml_reader.load(text, first_line=5)
    finally:
        use_language(None)
    assert (raised.value.line, raised.value.message) == (line + 4, english if language == "en" else dutch_message)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "the front matter that starts here is not closed: add a line '---' after its last field (after 'summary', before the text)"),
        ("nl", "de kop die hier begint, wordt niet afgesloten: zet een regel '---' na het laatste veld (na 'summary', vóór de tekst)"),
    ],
)
def test_a_missing_closing_line_of_the_front_matter_is_named(language: str, message: str) -> None:
    use_language(language)
    try:
        with pytest.raises(yaml_reader.YamlError) as raised:
            yaml_reader.split_front_matter("---\ntitle: Iets\nsummary: Iets meer\n\n## Context\n\nTekst.\n")
    finally:
        use_language(None)
    assert (raised.value.line, raised.value.message) == (1, message)


# --- vocabulary values in either language ----------------------------------------------------------------


def test_a_value_may_be_written_as_its_label_in_either_language() -> None:
    vocabularies = load_vocabularies(VOCABULARIES)
    levels = vocabularies["prevention_levels"]
    assert levels.canonical("secondary") == "secondary"
    assert levels.canonical("secundair") == "secondary"  # an alias written in vocabularies.yml
    assert levels.canonical("secundaire-preventie") == "secondary"  # the Dutch label as a key
    assert levels.canonical("Secundaire preventie") == "secondary"  # the label itself
    assert levels.canonical("secondary-prevention") == "secondary"  # the English label as a key
    assert vocabularies["themes"].canonical("family-support") == "familieondersteuning"
    assert vocabularies["kinds"].canonical("werkwijze") == "method"
    assert levels.canonical("quaternary") is None


def test_an_alias_that_names_two_terms_is_no_alias(tmp_path: Path) -> None:
    path = tmp_path / "vocabularies.yml"
    path.write_text(
        "themes:\n  a-key: {nl: Samen, en: Together, aliases: [samen-sterk]}\n  b-key: {nl: Samen, en: Apart, aliases: [b]}\n",
        encoding="utf-8",
    )
    themes = load_vocabularies(path)["themes"]
    assert themes.canonical("samen") is None  # both Dutch labels
    assert (themes.canonical("samen-sterk"), themes.canonical("together"), themes.canonical("b")) == ("a-key", "a-key", "b-key")


def test_the_loader_stores_the_key_of_a_value_written_in_dutch(tmp_path: Path) -> None:
    practices = tmp_path / "practices-src"
    shutil.copytree(VALID, practices)
    facts = practices / "alpha-praktijk" / "practice.yml"
    text = facts.read_text(encoding="utf-8")
    assert "prevention_levels: [primary, secondary]" in text
    facts.write_text(
        text.replace("prevention_levels: [primary, secondary]", "prevention_levels: [primair, Secundaire preventie]"), encoding="utf-8"
    )
    root = content_root(tmp_path / "root", practices)
    content = load_content(settings_for(root))
    assert [problem.format(root) for problem in content.problems] == []
    assert content.by_id()["alpha-praktijk"].facts.prevention_levels == ["primary", "secondary"]


@pytest.mark.parametrize(
    ("language", "hint"),
    [("en", "did you mean 'secondary' (Secondary prevention)?"), ("nl", "bedoelt u 'secondary' (Secundaire preventie)?")],
)
def test_the_hint_names_the_label_in_the_contributors_language(tmp_path: Path, language: str, hint: str) -> None:
    practices = tmp_path / "practices-src"
    shutil.copytree(VALID, practices)
    facts = practices / "alpha-praktijk" / "practice.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("[primary, secondary]", "[primary, secundiar]"), encoding="utf-8")
    root = content_root(tmp_path / "root", practices)
    use_language(language)
    try:
        problems = [problem.format(root) for problem in load_content(settings_for(root)).problems]
    finally:
        use_language(None)
    assert len(problems) == 1 and hint in problems[0], problems


@pytest.mark.slow
def test_the_build_reports_content_problems_in_the_chosen_language(tmp_path: Path) -> None:
    """The build's content problems follow HANDBOOK_LANG (and the locale) as `handbook check` does."""
    case = BAD / "unknown-vocabulary-with-hint"
    root = assemble_site(tmp_path / "site-src", case)
    result = mkdocs_build(root, HANDBOOK_LANG="nl", HANDBOOK_PDF="false", HANDBOOK_SEARCH="false")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "1 probleem in de inhoud van het handboek:" in output
    expected = (case / "expected.nl.txt").read_text(encoding="utf-8").splitlines()
    assert f"practices/{expected[0]}" in output
    assert "Traceback" not in output
