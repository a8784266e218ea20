"""`handbook from-issue`: turn an answered issue form (see `issue_form`) into the files of a practice.

GitHub shows an answered issue form as Markdown: a `### <label>` heading per field followed by the answer,
`_No response_` for an empty answer and `- [X] <option>` for a ticked box.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from handbook.content.model import PRACTICE, SLUG_LENGTH, PracticeFacts, PracticeText
from handbook.content.names import free_id, reserved_id_message
from handbook.content.partial_date import PARTIAL_DATE_PATTERN
from handbook.content.vocabulary import Vocabularies, Vocabulary, VocabularyError, load_vocabularies
from handbook.contribute.issue_form import NO_RESPONSE, FormField, form_fields, language_names, option_text
from handbook.contribute.scaffold import FRONT_MATTER_WIDTH, Folded, practice_yaml, slugify
from handbook.gate import load_content, site_settings
from handbook.markdown_render import fenced_lines
from handbook.messages import _
from handbook.plaintext import visible
from handbook.urls import LANGUAGES, PRACTICES

_HEADING = re.compile(r"^###[ \t]+(.*?)[ \t]*$")
_TICKED = re.compile(r"^\s*-\s*\[[xX]\]\s+")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARKDOWN_HEADING = re.compile(r"^(#{1,2})(?=\s)")
_URL_IN_TEXT = re.compile(r"(?:https?|mailto):[^\s;,]+[^\s;,.)]")


class IssueFormError(Exception):
    """An answered form that cannot become a practice; carries every reason, in words for the proposer."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


@dataclass
class Proposal:
    """The practice an answered form describes, ready to be written."""

    practice_id: str
    language: str
    facts: dict[str, Any]
    text: dict[str, str]  # front matter: title and summary
    sections: dict[str, str]  # section key → Markdown


def form_answers(body: str, questions: Sequence[FormField]) -> dict[str, str]:
    """Each question's answer (empty when missing or `_No response_`), by question id.

    A heading opens a question only when it is the label of a question further down the form, so a
    `### ` heading that the proposer wrote inside a text stays part of that text.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    answers: dict[str, list[str]] = {}
    current: str | None = None
    position = 0
    for line in lines:
        match = _HEADING.match(line)
        if match:
            following = [index for index in range(position, len(questions)) if questions[index].label == match.group(1)]
            if following:
                position = following[0] + 1
                current = questions[following[0]].id
                answers[current] = []
                continue
        if current is not None:
            answers[current].append(line)
    result = {}
    for key, answer_lines in answers.items():
        answer = "\n".join(answer_lines).strip()
        result[key] = "" if answer == NO_RESPONSE else answer
    return result


def _items(answer: str) -> list[str]:
    """A list answer: one item per line, or comma-separated on a single line; bullets dropped."""
    lines = [_BULLET.sub("", line).strip() for line in answer.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return list(dict.fromkeys(lines))


def _one_line(answer: str) -> str:
    return " ".join(answer.split())


def _vocabulary_keys(answer: str, vocabulary: Vocabulary, label: str, errors: list[str]) -> list[str]:
    """The keys chosen in a dropdown: its option texts, or keys and labels typed by hand."""
    if not answer or answer == "None":  # GitHub's "None" choice of an optional dropdown
        return []
    found = [(answer.find(option_text(term)), term.key) for term in vocabulary]
    chosen = [key for position, key in sorted(found) if position >= 0]
    if chosen:
        return chosen
    by_label = {term.label(language).casefold(): term.key for term in vocabulary for language in LANGUAGES}
    for item in _items(answer):
        key = item if item in vocabulary else by_label.get(item.casefold())
        if key is None:
            hint = vocabulary.suggestion(item)
            suggestion = f"; did you mean '{hint}'?" if hint else ""
            errors.append(f"'{label}': unknown choice '{item}'{suggestion} (allowed: {', '.join(vocabulary.keys())})")
        else:
            chosen.append(key)
    return list(dict.fromkeys(chosen))


def _year(answer: str, label: str, errors: list[str]) -> int | None:
    if not answer:
        return None
    if not re.fullmatch(r"\d{4}", answer.strip()):
        errors.append(f"'{label}': '{answer}' is not a year; write four digits, for example 2019")
        return None
    return int(answer)


def _source(line: str) -> dict[str, str]:
    """One source line, `title; publisher; year; web address`, in that order or with the year and URL anywhere."""
    source: dict[str, str] = {}
    parts = [part.strip() for part in _BULLET.sub("", line).split(";")]
    for part in parts:
        url = _URL_IN_TEXT.search(part)
        if url and "url" not in source:
            source["url"] = url.group(0)
            part = (part[: url.start()] + part[url.end() :]).strip(" ,")
        if not part:
            continue
        if "title" not in source:
            source["title"] = part
        elif re.fullmatch(PARTIAL_DATE_PATTERN, part) and "published" not in source:
            source["published"] = part
        elif "publisher" not in source:
            source["publisher"] = part
        else:
            source["publisher"] += f", {part}"
    return source


def _section_markdown(answer: str) -> str:
    """A section's text, with the proposer's own level-1 and level-2 headings lowered to level 3."""
    lines = []
    for _index, line, fenced in fenced_lines(answer):
        lines.append(line.rstrip() if fenced else _MARKDOWN_HEADING.sub("###", line.rstrip()))
    return "\n".join(lines).strip()


def _language(answer: str) -> str | None:
    for code, name in language_names().items():
        if f"({code})" in answer or answer.strip().casefold() in {code, name.casefold()}:
            return code
    return None


def proposal_from_issue(
    body: str,
    vocabularies: Vocabularies,
    *,
    practice_id: str | None = None,
    today: datetime.date | None = None,
) -> Proposal:
    """Read an answered form into a proposal, or raise IssueFormError with everything that is wrong."""
    questions = form_fields(vocabularies)
    labels = {question.id: question.label for question in questions}
    answers = form_answers(body, questions)
    errors: list[str] = []
    for question in questions:
        if question.required and question.kind != "checkboxes" and not answers.get(question.id):
            errors.append(f"'{question.label}': required, but the issue has no answer")
    if not any(_TICKED.match(line) for line in answers.get("consent", "").splitlines()):
        errors.append(f"'{labels['consent']}': tick the box to confirm that the proposal contains no personal data")

    language = _language(answers.get("language", ""))
    if answers.get("language") and language is None:
        errors.append(f"'{labels['language']}': choose {' or '.join(f'{name} ({code})' for code, name in language_names().items())}")
    title = _one_line(answers.get("title", ""))
    if practice_id:
        reserved = reserved_id_message(practice_id, PRACTICES)
        if reserved is not None:
            errors.append(f"--id: {reserved}")
    else:  # made from the title: a reserved name ("Index", "Dekking", "Con") becomes the first free `<name>-2`, …
        practice_id = slugify(title)
        if len(practice_id) >= SLUG_LENGTH[0]:  # cut 3 short: room for the '-2', … that free_id adds
            practice_id = (
                free_id(practice_id[: SLUG_LENGTH[1] - 3], PRACTICES) if reserved_id_message(practice_id, PRACTICES) else practice_id
            )
    if title and len(practice_id) < SLUG_LENGTH[0]:
        errors.append(f"'{labels['title']}': cannot make an id of at least {SLUG_LENGTH[0]} letters from '{title}'; give one with --id")

    facts: dict[str, Any] = {"id": practice_id}
    for name in ("municipalities", "organisation", "partners"):
        answer = answers.get(name, "")
        if answer:
            facts[name] = _one_line(answer) if name == "organisation" else _items(answer)
    for question in questions:
        if question.vocabulary:
            keys = _vocabulary_keys(answers.get(question.id, ""), vocabularies[question.vocabulary], question.label, errors)
            if keys:
                facts[question.id] = keys if question.multiple else keys[0]
    for name in ("start_year", "end_year"):
        year = _year(answers.get(name, ""), labels[name], errors)
        if year is not None:
            facts[name] = year
    as_of = answers.get("status_as_of", "").strip()
    if as_of:
        facts["status_as_of"] = as_of  # a year, month or day: the schema reads it (model.PartialDate)
    number = answers.get("status_source", "").strip()
    if number.isdigit():
        facts["status_source"] = int(number)
    elif number:
        errors.append(f"'{labels['status_source']}': '{number}' is not a number; write the number of the source, for example 1")
    facts["review"] = {"status": "draft"}  # a proposal is not reviewed yet: no review date
    contact = {"organisation": _one_line(answers.get("contact_organisation", "")), "url": answers.get("contact_url", "").strip()}
    if contact["url"] and not contact["organisation"]:
        errors.append(f"'{labels['contact_organisation']}': give the organisation's name with its website")
    if contact["organisation"]:
        facts["contact"] = {key: value for key, value in contact.items() if value}
    sources = [_source(line) for line in answers.get("sources", "").splitlines() if line.strip()]
    for source in sources:  # a web source records when it was read: the day the proposal was made
        if "url" in source:
            source["accessed"] = (today or datetime.date.today()).isoformat()
    if sources:
        facts["sources"] = sources
    facts = {name: facts[name] for name in PracticeFacts.model_fields if name in facts}  # the order of the schema

    text = {"title": title, "summary": _one_line(answers.get("summary", ""))}
    sections = {term.key: _section_markdown(answers.get(term.key, "")) for term in vocabularies["sections"]}
    if not errors:
        errors += _schema_errors(PracticeFacts, facts, vocabularies, _facts_label(labels))
        errors += _schema_errors(PracticeText, text, vocabularies, lambda name: labels.get(name, name))
    if errors:
        raise IssueFormError(errors)
    assert language is not None
    return Proposal(practice_id, language, facts, text, sections)


def _facts_label(labels: dict[str, str]) -> Callable[[str], str]:
    def label(name: str) -> str:
        if name == "id":
            return f"{labels['title']} (id)"
        return labels.get(name) or labels.get(f"{name}_organisation") or name

    return label


def _schema_errors(model: type[BaseModel], data: dict[str, Any], vocabularies: Vocabularies, label: Callable[[str], str]) -> list[str]:
    """The schema's own verdict on the answers, each named by the form's label of the field."""
    try:
        model.model_validate(data, context={"vocabularies": vocabularies})
    except ValidationError as error:
        messages = []
        for problem in error.errors():
            location = [str(part) for part in problem["loc"]]
            where = label(location[0]) if location else "(form)"
            detail = ".".join(location[1:])
            value = problem.get("input")
            shown = f" ('{value}')" if isinstance(value, str | int) and problem["type"] != "missing" else ""
            messages.append(f"'{where}'{f' {detail}' if detail else ''}{shown}: {problem['msg']}")
        return messages
    return []


# --- writing the practice -------------------------------------------------------------------------------


def practice_files(proposal: Proposal, vocabularies: Vocabularies) -> dict[str, str]:
    """The files of the new practice folder: practice.yml and the language file, by name."""
    front_matter = practice_yaml({"title": proposal.text["title"], "summary": Folded(proposal.text["summary"])}, FRONT_MATTER_WIDTH)
    kind = str(proposal.facts.get("kind", PRACTICE))
    sections = [
        f"## {term.label(proposal.language)}\n\n{proposal.sections[term.key]}\n" for term in vocabularies["sections"].for_kind(kind)
    ]
    body = "\n".join(sections)
    return {"practice.yml": practice_yaml(proposal.facts), f"{proposal.language}.md": f"---\n{front_matter}---\n\n{body}"}


def write_practice(proposal: Proposal, practices_dir: Path, vocabularies: Vocabularies) -> Path:
    """Write the proposal into a new folder `practices_dir/<id>`; an existing folder is never touched."""
    folder = practices_dir / proposal.practice_id
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise IssueFormError(
            [f"'{folder.name}' already exists in {practices_dir.name}/; nothing was written (give another id with --id)"]
        ) from None
    for name, text in practice_files(proposal, vocabularies).items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    return folder


# --- the `handbook from-issue` command ------------------------------------------------------------------


def _read_body(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IssueFormError([f"cannot read the issue body from {source}: {error}"]) from None


def command_from_issue(args: argparse.Namespace) -> int:
    settings = site_settings(args.root)
    root, layout = settings.root, settings.layout
    try:
        vocabularies = load_vocabularies(layout.vocabularies_file)
        proposal = proposal_from_issue(_read_body(args.body_file), vocabularies, practice_id=args.id)
        folder = write_practice(proposal, layout.practices_dir, vocabularies)
    except (IssueFormError, VocabularyError) as error:
        print(f"The issue cannot be turned into a practice:\n{_indented(visible(str(error)))}", file=sys.stderr)
        return 1
    relative = folder.relative_to(root).as_posix()
    problems = [problem for problem in load_content(settings).problems if folder in (problem.path, *problem.path.parents)]
    if problems:
        lines = "\n".join(problem.format(root) for problem in problems)
        print(
            f"Wrote {relative}/, but `handbook check` finds problems in it; fix them before merging:\n{_indented(lines)}", file=sys.stderr
        )
        return 1
    print(f"Wrote {relative}/ ({', '.join(sorted(path.name for path in folder.iterdir()))}); it passes `handbook check`.", file=sys.stderr)
    print(relative)  # on stdout alone, for scripts such as the from-issue workflow
    return 0


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def add_command(subparsers: Any) -> None:
    """Register `handbook from-issue` on the parser's subcommands (`parser.add_subparsers()`)."""
    command = subparsers.add_parser(
        "from-issue",
        help=_("turn an answered 'Propose a practice' issue form into practice files"),
        description=_(
            "Read the body of an issue made with the form 'Stel een praktijk voor / Propose a practice' "
            "and write it as a new practice folder practices/<id>/ (practice.yml and nl.md or en.md). The id is made "
            "from the title. An existing folder is never overwritten. Exit 1, with every reason, when the answers "
            "cannot become a valid practice. On success the folder is printed on stdout."
        ),
    )
    command.add_argument("body_file", metavar="BODY_FILE", help=_("file with the issue body, or - to read it from standard input"))
    command.add_argument("--root", help=_("repository root (default: found from the current folder)"))
    command.add_argument("--id", help=_("id of the new practice (default: made from the title)"))
    command.set_defaults(func=command_from_issue)
