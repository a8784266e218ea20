"""Checks across files: ids, references, translations and the fixed body sections."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from handbook.content.handbook_model import Handbook
from handbook.content.load import Loaded
from handbook.content.model import PRACTICE, LanguageVersion, Practice
from handbook.content.names import reserved_id_message
from handbook.content.vocabulary import Vocabularies
from handbook.markdown_render import fenced_lines
from handbook.messages import _, current_language
from handbook.problems import Problem
from handbook.urls import HANDBOOKS, PRACTICES

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


# By practice id: the practice object checked, what else its problems depend on, and the problems (see `validate_content`).
ValidationMemo = dict[str, tuple[Practice, tuple[object, ...], list[Problem]]]


def validate_content(
    loaded: Loaded, vocabularies: Vocabularies, dated_handbooks: Iterable[str] | None = None, memo: ValidationMemo | None = None
) -> list[Problem]:
    """Every cross-file problem of the loaded practices (the per-file ones are in `loaded.problems`). With `memo`,
    a practice's problems are reused while it is the same object (`load_practices` with a memo) and the ids,
    the dated study days, the vocabularies and the message language are unchanged."""
    problems: list[Problem] = []
    problems += duplicate_ids(loaded.declared_ids)
    problems += reserved_ids(loaded.declared_ids, PRACTICES)
    known_ids = {practice.id for practice in loaded.practices} | {declared for declared, _, _ in loaded.declared_ids}
    dated = set(dated_handbooks) if dated_handbooks is not None else None
    context = (tuple(sorted(known_ids)), tuple(sorted(dated)) if dated is not None else None, repr(vocabularies), current_language())
    for practice in loaded.practices:
        prior = memo.get(practice.id) if memo is not None else None
        if prior is not None and prior[0] is practice and prior[1] == context:
            problems += prior[2]
            continue
        found = reference_problems(practice, known_ids, dated) + translation_problems(practice)
        for translation in practice.translations.values():
            found += section_problems(translation, vocabularies, practice.facts.kind)
        if memo is not None:
            memo[practice.id] = (practice, context, found)
        problems += found
    return problems


def reserved_ids(declared: Iterable[tuple[str, Path, int]], segment: str = PRACTICES) -> list[Problem]:
    """Ids that name a page the site generates in `segment`, or a Windows device (`names.reserved_id_message`)."""
    problems = []
    for identifier, path, line in declared:
        message = reserved_id_message(identifier, segment)
        if message is not None:
            problems.append(Problem(path, line, _("field 'id': {message}", message=message)))
    return problems


def handbook_id_problems(handbooks: Iterable[Handbook]) -> list[Problem]:
    """The ids of `handbooks/<id>.yml` against the pages generated in the handbooks segment (the list of study days)."""
    return reserved_ids([(handbook.id, handbook.path, handbook.line_of("id")) for handbook in handbooks], HANDBOOKS)


def duplicate_ids(declared: list[tuple[str, Path, int]]) -> list[Problem]:
    first: dict[str, Path] = {}
    problems = []
    for practice_id, path, line in declared:
        if practice_id in first:
            other = f"{first[practice_id].parent.name}/{first[practice_id].name}"
            problems.append(
                Problem(
                    path,
                    line,
                    _("field 'id': duplicate id '{id}', also used in {other}", id=practice_id, other=other),
                )
            )
        else:
            first[practice_id] = path
    return problems


def reference_problems(practice: Practice, known_ids: set[str], dated_handbooks: set[str] | None) -> list[Problem]:
    problems = []
    for index, related in enumerate(practice.facts.related):
        line = practice.line_of("related", index)
        if related == practice.id:
            problems.append(Problem(practice.facts_path, line, _("field 'related': a practice cannot be related to itself")))
        elif related not in known_ids:
            problems.append(
                Problem(
                    practice.facts_path,
                    line,
                    _("field 'related[{index}]': no practice with id '{id}' exists in practices/", index=index, id=related),
                )
            )
    if dated_handbooks is not None:
        for index, presentation in enumerate(practice.facts.presented_at):
            if presentation.event not in dated_handbooks:
                allowed = ", ".join(sorted(dated_handbooks)) or _("none defined")
                problems.append(
                    Problem(
                        practice.facts_path,
                        practice.line_of("presented_at", index, "event"),
                        _(
                            "field 'presented_at[{index}].event': no event '{event}' in handbooks/ (known: {allowed})",
                            index=index,
                            event=presentation.event,
                            allowed=allowed,
                        ),
                    )
                )
    return problems


def translation_problems(practice: Practice) -> list[Problem]:
    """The language files of one practice must agree on which one is the source."""
    problems = []
    sources = {lang: t.text.translation_of for lang, t in practice.translations.items() if t.text.translation_of}
    for language, origin in sources.items():
        path = practice.translations[language].path
        line = practice.translations[language].line_of("translation_of")
        if origin.language == language:
            problems.append(
                Problem(
                    path,
                    line,
                    _("field 'translation_of.language': a text cannot be a translation of itself ('{language}')", language=language),
                )
            )
        elif origin.language not in practice.translations:
            problems.append(
                Problem(
                    path,
                    line,
                    _(
                        "field 'translation_of.language': this text says it was translated from '{language}', but {language}.md does not exist",
                        language=origin.language,
                    ),
                )
            )
    if len(sources) > 1 and len(practice.translations) == len(sources):
        first_name, second_name = (f"{lang}.md" for lang in sorted(sources))
        first = practice.translations[sorted(sources)[0]]
        problems.append(
            Problem(
                first.path,
                first.line_of("translation_of"),
                _(
                    "{first} and {second} contradict each other: each says it is a translation of the other; "
                    "remove 'translation_of' from the source text",
                    first=first_name,
                    second=second_name,
                ),
            )
        )
    return problems


def headings(body: str, first_line: int) -> list[tuple[int, int, str]]:
    """(level, line, text) of each Markdown ATX heading outside fenced code."""
    found = []
    for offset, line, fenced in fenced_lines(body):
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append((len(match.group(1)), first_line + offset, match.group(2)))
    return found


def section_problems(translation: LanguageVersion, vocabularies: Vocabularies, kind: str = PRACTICE) -> list[Problem]:
    """The body has exactly the fixed H2 sections of its kind, in order, and each has content."""
    expected = [term.label(translation.language) for term in vocabularies["sections"].for_kind(kind)]
    path = translation.path
    problems = []
    found = headings(translation.body, translation.body_line)
    for level, line, text in found:
        if level == 1:
            problems.append(
                Problem(
                    path, line, _("heading '# {text}': no level-1 heading in the body; the title comes from the front matter", text=text)
                )
            )
    sections = [(line, text) for level, line, text in found if level == 2]
    titles = [text for _, text in sections]
    expected_list = ", ".join(f"'## {title}'" for title in expected)
    for line, text in sections:
        if text not in expected:
            problems.append(
                Problem(
                    path, line, _("section '## {text}' is not one of the fixed sections: {expected}", text=text, expected=expected_list)
                )
            )
    missing = [title for title in expected if title not in titles]
    for title in missing:
        problems.append(
            Problem(
                path,
                translation.body_line,
                _("missing section '## {title}' (the fixed sections are, in order: {expected})", title=title, expected=expected_list),
            )
        )
    present = [text for text in titles if text in expected]
    if not missing and present != expected:
        problems.append(
            Problem(path, sections[0][0], _("the sections are out of order; write them as: {expected}", expected=expected_list))
        )
    lines = translation.body.splitlines()
    before_first = lines[: (sections[0][0] - translation.body_line) if sections else len(lines)]
    first_text = next((index for index, line in enumerate(before_first) if line.strip()), None)
    if first_text is not None:
        problems.append(
            Problem(
                path,
                translation.body_line + first_text,
                _("text before the first section; start the body with '## {title}'", title=expected[0]),
            )
        )
    for index, (line, text) in enumerate(sections):
        end = sections[index + 1][0] if index + 1 < len(sections) else translation.body_line + len(lines)
        content = lines[line - translation.body_line + 1 : end - translation.body_line]
        if not any(part.strip() for part in content):
            problems.append(Problem(path, line, _("section '## {text}' is empty", text=text)))
    return problems
