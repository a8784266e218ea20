"""The strict YAML reader: lines of values, and what plain PyYAML would silently accept."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from handbook.content import yaml_reader
from handbook.content.yaml_reader import Retyped, YamlError, load, split_front_matter

FACTS = """\
# comment
id: alpha
themes:
  - onderwijs
  - jeugdwerk
review:
  status: draft
  last_reviewed: 2026-11-24
sources:
  - title: "Titel"
    published: "2015"
"""


def test_values_keep_their_lines() -> None:
    document = load(FACTS)
    assert document.data["review"]["last_reviewed"] == datetime.date(2026, 11, 24)
    assert document.lines[("id",)] == 2
    assert document.lines[("themes",)] == 3  # a key's line, not the line where its value starts
    assert document.lines[("themes", 0)] == 4
    assert document.lines[("themes", 1)] == 5
    assert document.lines[("review", "last_reviewed")] == 8
    assert document.lines[("sources", 0, "published")] == 11
    assert document.lines[()] == 2


def test_line_of_falls_back_to_the_nearest_ancestor() -> None:
    document = load(FACTS)
    assert document.line_of(("review", "missing")) == 6
    assert document.line_of(("sources", 0, "url")) == 10
    assert document.line_of(("nowhere",)) == 2
    assert document.line_of(()) == 2


def test_first_line_offsets_every_line() -> None:
    document = load("title: x\nsummary: y\n", first_line=2)
    assert document.lines[("title",)] == 2
    assert document.lines[("summary",)] == 3
    with pytest.raises(YamlError) as error:
        load("title: x\ntitle: y\n", first_line=2)
    assert error.value.line == 3


def test_empty_document_is_none() -> None:
    document = load("# only a comment\n", first_line=4)
    assert document.data is None
    assert document.line_of(("id",)) == 4


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    with pytest.raises(YamlError) as error:
        load("id: a\nthemes: [x]\nreview:\n  status: draft\n  status: example\n")
    assert error.value.line == 5
    assert error.value.message == "duplicate key 'status' (first written on line 4)"
    assert str(error.value) == "line 5: duplicate key 'status' (first written on line 4)"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: &x [1]\nb: 2\n", 1, "YAML anchor 'x' is not allowed; write the value out in full"),
        ("a: [1]\nb: *x\n", 2, "YAML alias 'x' is not allowed; write the value out in full"),
        ("a:\n  - &first b\n", 2, "YAML anchor 'first' is not allowed; write the value out in full"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as error:
        load(text)
    assert (error.value.line, error.value.message) == (line, message)


def test_merge_keys_are_refused_as_aliases() -> None:
    with pytest.raises(YamlError) as error:
        load("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert error.value.line == 1


def test_plain_scalars_that_yaml_retypes_are_remembered() -> None:
    document = load('organisation: no\npartners: [1.10, "2.0", CAW]\npublished: 2015-05-26\nyear: 2015\nempty:\nok: "yes"\n')
    assert document.data == {
        "organisation": False,
        "partners": [1.1, "2.0", "CAW"],
        "published": datetime.date(2015, 5, 26),
        "year": 2015,
        "empty": None,
        "ok": "yes",
    }
    assert document.retyped == {
        ("organisation",): Retyped("no", "a boolean"),
        ("partners", 0): Retyped("1.10", "a number"),
        ("published",): Retyped("2015-05-26", "a date"),
        ("year",): Retyped("2015", "a number"),
        ("empty",): Retyped("", "empty (null)"),
    }


def test_keys_must_be_text() -> None:
    with pytest.raises(YamlError) as error:
        load("id: a\n2015: b\n")
    assert (error.value.line, error.value.message) == (2, "key 2015 must be text; put it in quotes")


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(YamlError) as error:
        load("id: a\nthemes: [a, b\npillars: [c]\n", first_line=1)
    assert error.value.line in (2, 3)  # where the parser noticed: libyaml and PyYAML differ
    assert error.value.message.startswith("YAML does not parse: ")


def test_tabs_are_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(YamlError) as error:
        load("id: a\n\tthemes: [x]\n")
    assert error.value.message.startswith("YAML does not parse")


# --- front matter -------------------------------------------------------------------------------------


def test_front_matter_is_split_with_file_lines() -> None:
    split = split_front_matter("---\ntitle: Een titel\nsummary: >-\n  Twee\n  regels\n---\n\n## Context\n")
    assert split.front_matter.data == {"title": "Een titel", "summary": "Twee regels"}
    assert split.front_matter.lines[("title",)] == 2
    assert split.front_matter.lines[("summary",)] == 3
    assert split.body == "\n## Context\n"
    assert split.body_line == 7


def test_front_matter_with_windows_line_ends() -> None:
    split = split_front_matter("---\r\ntitle: T\r\n---\r\nbody\r\n")
    assert split.front_matter.data == {"title": "T"}
    assert split.body_line == 4


def test_empty_front_matter_is_an_empty_mapping() -> None:
    split = split_front_matter("---\n---\nbody\n")
    assert split.front_matter.data == {}
    assert split.front_matter.line_of(("title",)) == 2  # a missing field is reported at the front matter
    assert split.body == "body\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# Titel\n", 1, "the file must start with YAML front matter between two '---' lines"),
        ("", 1, "the file must start with YAML front matter between two '---' lines"),
        ("\n---\ntitle: x\n---\n", 1, "the file must start with YAML front matter between two '---' lines"),
        (
            "---\ntitle: x\n\n## Context\n",
            1,
            "the front matter that starts here is not closed: add a line '---' after its last field (after 'summary', before the text)",
        ),
        ("---\n- a\n- b\n---\n", 2, "the front matter must consist of 'field: value' lines"),
        ("---\ntitle: x\ntitle: y\n---\n", 3, "duplicate key 'title' (first written on line 2)"),
        ("---\ntitle: &t x\n---\n", 2, "YAML anchor 't' is not allowed; write the value out in full"),
    ],
)
def test_front_matter_errors(text: str, line: int, message: str) -> None:
    with pytest.raises(yaml_reader.YamlError) as error:
        split_front_matter(text)
    assert (error.value.line, error.value.message) == (line, message)


def test_front_matter_syntax_error_line_is_a_file_line() -> None:
    with pytest.raises(YamlError) as error:
        split_front_matter("---\ntitle: x\nsummary: [a\n---\nbody\n")
    assert error.value.line >= 3  # never a line of the front matter text alone (which would be 2)
    assert error.value.message.startswith("YAML does not parse")


def test_load_mapping_file_refuses_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(yaml_reader.YamlError) as raised:
        yaml_reader.load_mapping_file(path, "must be a mapping")
    assert (raised.value.line, raised.value.message) == (1, "must be a mapping")
    path.write_text("a: 1\n", encoding="utf-8")
    assert yaml_reader.load_mapping_file(path, "must be a mapping").data == {"a": 1}


# Issue 23: an unclosed quote or bracket is named where it opens, whatever follows (a practice.yml nearly
# always has quoted dates further down), and the suggested line is right when copied.
FULL_FACTS = (Path(__file__).parent / "fixtures" / "practices" / "valid" / "alpha-praktijk" / "practice.yml").read_text(encoding="utf-8")
FRONT_MATTER = """\
---
title: "Alfa, een brug tussen school en jeugdwerk"
summary: "Een testpraktijk waarin een school en het jeugdwerk samen jongeren opvangen."
translation_of: {language: nl, revision: "0123456789ab"}
---

## Context
"""


def _unclosed_variants(text: str) -> list[tuple[int, str, str]]:
    """(line, broken text, what was removed) for each closing quote or bracket of `text`, one at a time."""
    variants = []
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        code = line.split(" #")[0].rstrip()
        for closing in ('"', "]", "}"):
            column = code.rfind(closing)
            if column <= 0 or (closing == '"' and code.count('"') % 2):
                continue
            broken = line[:column] + line[column + 1 :]
            variants.append((index + 1, "".join([*lines[:index], broken, *lines[index + 1 :]]), closing))
    return variants


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("source", ["practice.yml", "nl.md"])
def test_an_unclosed_quote_or_bracket_is_named_where_it_opens(source: str, language: str) -> None:
    from handbook.messages import use_language

    text = FULL_FACTS if source == "practice.yml" else FRONT_MATTER
    variants = _unclosed_variants(text)
    assert len(variants) >= (12 if source == "practice.yml" else 4)
    use_language(language)
    try:
        for line, broken, closing in variants:
            with pytest.raises(YamlError) as error:
                split_front_matter(broken) if source == "nl.md" else load(broken)
            assert error.value.line == line, (closing, line, error.value.message)
            message = error.value.message
            assert ("indentation" not in message) and ("inspringen" not in message), message
            assert closing in message, message
            # the suggested line, copied over the broken one, reads as the original line did
            fixed_lines = broken.splitlines(keepends=True)
            original = fixed_lines[line - 1]
            at = message.find(": " + original.strip()[:8])
            assert at > 0, message  # the message ends with the line to write
            suggestion = message[at + 2 :]
            indent = original[: len(original) - len(original.lstrip())]
            fixed_lines[line - 1] = f"{indent}{suggestion}\n"
            fixed = "".join(fixed_lines)
            if source == "nl.md":
                assert split_front_matter(fixed).front_matter.data == split_front_matter(text).front_matter.data, message
            else:
                assert load(fixed).data == load(text).data, message
    finally:
        use_language(None)


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ('organisation: Stad: Mechelen"', 'organisation: "Stad: Mechelen"'),  # the opening quote forgotten
        ("organisation: Stad: Mechelen", 'organisation: "Stad: Mechelen"'),
        ('  - title: Mechelen: een aanpak"', '- title: "Mechelen: een aanpak"'),
    ],
)
def test_the_colon_fix_is_a_line_that_reads(line: str, suggestion: str) -> None:
    with pytest.raises(YamlError) as error:
        load(f"id: alpha\nsources:\n{line}\n" if line.startswith(" ") else f"id: alpha\n{line}\n")
    assert error.value.message.endswith(f"put the whole value in quotes: {suggestion}")
    assert load(suggestion.lstrip("- ")).data


def test_a_quote_swallowing_the_file_is_linear() -> None:
    """Many quoted values after one unclosed quote: read in one pass (no rescans per line)."""
    import time

    lines = ['organisation: "Stad Mechelen'] + [f'field{index}: "value {index}"' for index in range(20000)]
    started = time.process_time()
    with pytest.raises(YamlError) as error:
        load("\n".join(lines) + "\n")
    assert error.value.line == 1
    assert time.process_time() - started < 5
