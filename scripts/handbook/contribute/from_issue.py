"""`handbook from-issue`: turn an answered issue form (see `issue_form`), or a proposal by e-mail, into the files of a practice.

GitHub shows an answered issue form as Markdown: a `### <label>` heading per field followed by the answer,
`_No response_` for an empty answer and `- [X] <option>` for a ticked box. The e-mail form of the
Bijdragen page (`views/proposal_form.mail_body`) has the same questions, each labelled in one language,
and its choices as boxes to tick (`- [x] Praktijk (practice)`); `contribute/mail.py` finds its text in a
saved message. A question's heading may appear once: an answer that holds another question's heading is
refused, so no answer can take another's place.
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
from handbook.contribute.mail import MESSAGE_LIMIT, TEXT_LIMIT, MailError, is_message, message_text, unquoted, without_signature
from handbook.contribute.scaffold import FRONT_MATTER_WIDTH, Folded, practice_yaml, slugify
from handbook.gate import load_content, site_settings
from handbook.markdown_render import fenced_lines
from handbook.messages import _
from handbook.plaintext import control_messages, visible
from handbook.urls import LANGUAGES, PRACTICES

_HEADING = re.compile(r"^###[ \t]+(.*?)[ \t]*$")
_TICKED = re.compile(r"^\s*[-*+]?\s*\[\s*[xXvV✓✔]\s*\]\s*")  # `- [X] `, and as a mail is ticked: `[x]`, `[ v ]`, `[✓]`
_BOX = re.compile(r"^\s*[-*+]?\s*\[[^\]\n]{0,3}\]")  # a box to tick, ticked or not
_KEY_AT_END = re.compile(r"\(([a-z0-9-]+)\)\s*$")  # `Praktijk (practice)`: a choice of the mail form
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


def _heading_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _question_at(line: str, headings: dict[str, int]) -> int | None:
    """The index of the question whose heading `line` is (any of its labels), or None."""
    match = _HEADING.match(line)
    return headings.get(_heading_key(match.group(1))) if match else None


def _headings(questions: Sequence[FormField]) -> dict[str, int]:
    return {_heading_key(heading): index for index, question in enumerate(questions) for heading in question.headings()}


def form_answers(body: str, questions: Sequence[FormField]) -> dict[str, str]:
    """Each question's answer (empty when missing or `_No response_`), by question id.

    A heading opens a question when it is one of its labels (the issue form's, or one language's in a
    mail) and the question is further down the form, so a `### ` heading that the proposer wrote inside a
    text stays part of that text (`heading_problems` refuses a heading that would take another answer's place).
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings = _headings(questions)
    answers: dict[str, list[str]] = {}
    current: str | None = None
    position = 0
    for line in lines:
        index = _question_at(line, headings)
        if index is not None and index >= position:
            position = index + 1
            current = questions[index].id
            answers[current] = []
            continue
        if current is not None:
            answers[current].append(line)
    result = {}
    for key, answer_lines in answers.items():
        answer = "\n".join(answer_lines).strip()
        result[key] = "" if answer == NO_RESPONSE else answer
    return result


def question_lines(body: str, questions: Sequence[FormField]) -> dict[str, list[int]]:
    """The lines (from 1) of each question's headings in `body`, by question id."""
    headings = _headings(questions)
    found: dict[str, list[int]] = {}
    for number, line in enumerate(body.split("\n"), start=1):
        index = _question_at(line, headings)
        if index is not None:
            found.setdefault(questions[index].id, []).append(number)
    return found


def heading_problems(body: str, questions: Sequence[FormField]) -> list[str]:
    """An answer that holds the heading of a later question (it would end the answer there and take that
    question's place) or its own: the first such heading, in one message (what follows it is not read).
    A heading of an earlier question inside a later answer is the proposer's own sub-heading and stays
    (`form_answers`)."""
    headings = _headings(questions)
    opened: list[tuple[int, int]] = []  # (question index, line of its heading), in the order they open
    for number, line in enumerate(body.split("\n"), start=1):
        index = _question_at(line, headings)
        if index is None:
            continue
        current = opened[-1][0] if opened else -1
        if index > current:
            opened.append((index, number))
            continue
        if index == current:
            message = _(
                "'{label}': its heading is on line {line} again, inside its own answer; write that text without the heading, or with another one",
                label=questions[index].label,
                line=number,
            )
            return [message]
        if index not in {question for question, _line in opened}:  # skipped: a later question's heading came first
            position = next(position for position, (question, _line) in enumerate(opened) if question > index)
            early, early_line = opened[position]
            holder = questions[opened[position - 1][0]].label if position else None
            where = {"label": questions[early].label, "line": early_line, "skipped": questions[index].label, "at": number}
            if holder is None:
                return [_("'{label}' (line {line}) comes before '{skipped}' (line {at}): the questions are out of order", **where)]
            return [
                _(
                    "'{label}' (line {line}) comes before '{skipped}' (line {at}): the answer to '{holder}' holds the heading of a "
                    "later question; write that text without the heading, or with another one",
                    holder=holder,
                    **where,
                )
            ]
    return []


def mail_form_text(body: str, questions: Sequence[FormField]) -> str:
    """An answered form as a mail may hold it: with the questions quoted after a reply (the quotes taken
    off) and a signature after the last question (left out); an issue body is left as it is."""
    headings = _headings(questions)

    def is_question(line: str) -> bool:
        return _question_at(line, headings) is not None

    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(without_signature(unquoted(lines, is_question), is_question))


def _ticked_choices(answer: str) -> str:
    """A choice answered with boxes to tick (the mail form): the ticked lines, each with the lines that
    continue it (a mail client may wrap a long line), without their boxes; other answers as they are."""
    lines = answer.splitlines()
    if not any(_BOX.match(line) for line in lines):
        return answer
    chosen: list[str] = []
    ticked = False
    for line in lines:
        if _BOX.match(line):
            ticked = bool(_TICKED.match(line))
            if ticked:
                chosen.append(_TICKED.sub("", line).strip())
        elif ticked and line.strip():
            chosen[-1] += f" {line.strip()}"
        else:
            ticked = False
    return "\n".join(chosen)


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
    lines = [line for line in answer.splitlines() if line.strip()]
    at_end = [match.group(1) for line in lines if (match := _KEY_AT_END.search(line)) and match.group(1) in vocabulary]
    if len(at_end) == len(lines):  # `Praktijk (practice)` on each line: the boxes ticked in a mail
        return list(dict.fromkeys(at_end))
    by_label = {term.label(language).casefold(): term.key for term in vocabulary for language in LANGUAGES}
    for item in _items(answer):
        key = item if item in vocabulary else by_label.get(item.casefold())
        if key is None:
            hint = vocabulary.suggestion(item)
            allowed = ", ".join(vocabulary.keys())
            if hint:
                errors.append(
                    _(
                        "'{label}': unknown choice '{item}'; did you mean '{hint}'? (allowed: {allowed})",
                        label=label,
                        item=item,
                        hint=hint,
                        allowed=allowed,
                    )
                )
            else:
                errors.append(_("'{label}': unknown choice '{item}' (allowed: {allowed})", label=label, item=item, allowed=allowed))
        else:
            chosen.append(key)
    return list(dict.fromkeys(chosen))


def _year(answer: str, label: str, errors: list[str]) -> int | None:
    if not answer:
        return None
    if not re.fullmatch(r"\d{4}", answer.strip()):
        errors.append(_("'{label}': '{answer}' is not a year; write four digits, for example 2019", label=label, answer=answer))
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
    body = mail_form_text(body, questions)
    answers = form_answers(body, questions)
    for question in questions:
        if question.kind == "dropdown" and question.id in answers:
            answers[question.id] = _ticked_choices(answers[question.id])
    misplaced = heading_problems(body, questions)
    if misplaced:  # the answers after it are not where they seem: nothing more can be said of them
        raise IssueFormError(misplaced)
    errors: list[str] = []
    for question in questions:
        if question.required and question.kind != "checkboxes" and not answers.get(question.id):
            errors.append(_("'{label}': required, but the issue has no answer", label=question.label))
    if not any(_TICKED.match(line) for line in answers.get("consent", "").splitlines()):
        errors.append(_("'{label}': tick the box to confirm that the proposal contains no personal data", label=labels["consent"]))

    language = _language(answers.get("language", ""))
    if answers.get("language") and language is None:
        choices = [f"'{name} ({code})'" for code, name in language_names().items()]
        errors.append(_("'{label}': choose {first} or {second}", label=labels["language"], first=choices[0], second=choices[1]))
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
        errors.append(
            _(
                "'{label}': cannot make an id of at least {count} letters from '{title}'; give one with --id",
                label=labels["title"],
                count=SLUG_LENGTH[0],
                title=title,
            )
        )

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
        errors.append(
            _(
                "'{label}': '{number}' is not a number; write the number of the source, for example 1",
                label=labels["status_source"],
                number=number,
            )
        )
    facts["review"] = {"status": "draft"}  # a proposal is not reviewed yet: no review date
    contact = {"organisation": _one_line(answers.get("contact_organisation", "")), "url": answers.get("contact_url", "").strip()}
    if contact["url"] and not contact["organisation"]:
        errors.append(_("'{label}': give the organisation's name with its website", label=labels["contact_organisation"]))
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
            [
                _(
                    "'{name}' already exists in {folder}/; nothing was written (give another id with --id)",
                    name=folder.name,
                    folder=practices_dir.name,
                )
            ]
        ) from None
    for name, text in practice_files(proposal, vocabularies).items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    return folder


# --- the `handbook from-issue` command ------------------------------------------------------------------


@dataclass
class ProposalText:
    """The text of a proposal as read: an issue body, a pasted mail body, or the text of a saved message."""

    name: str  # as messages name it: the file, or `stdin`
    text: str
    notes: list[str]  # what a message held besides its text (attachments), said to the editor


class RefusedText(Exception):
    """A proposal that is not read at all: each problem as `name:line: message`."""


def read_proposal(source: str) -> ProposalText:
    """The text of `source` (a file, or `-` for standard input): an issue or mail body as it is, a saved
    e-mail (`.eml`, or a file that starts with mail headers) by `contribute/mail.py`; refused when it is
    longer than the limits or holds a control character (`RefusedText`)."""
    name = "stdin" if source == "-" else source
    notes: list[str] = []
    try:
        if source == "-":
            text = sys.stdin.read(TEXT_LIMIT * 4 + 1)
            data = text.encode("utf-8", "surrogateescape")
        else:
            with Path(source).open("rb") as file:
                data = file.read(MESSAGE_LIMIT + 1)
            text = ""
        if is_message(name, data):
            mail = message_text(data)
            text, notes = mail.text, mail.notes
        elif source != "-":
            if len(data) > MESSAGE_LIMIT:
                raise RefusedText(f"{name}:1: " + _("the file is more than {limit} bytes", limit=MESSAGE_LIMIT))
            text = data.decode("utf-8")
    except MailError as error:
        raise RefusedText("\n".join(f"{name}:{line}: {message}" for line, message in error.problems)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise RefusedText(f"{name}:1: " + _("cannot read the issue body from {source}: {error}", source=source, error=str(error))) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > TEXT_LIMIT:
        raise RefusedText(
            f"{name}:1: " + _("the text is {count} characters, more than the limit of {limit}", count=len(text), limit=TEXT_LIMIT)
        )
    controls = control_messages(text)
    if controls:
        offset, message = controls[0]
        raise RefusedText(f"{name}:{text.count(chr(10), 0, offset) + 1}: {message}")
    return ProposalText(name, text, notes)


def _located(proposal: ProposalText, messages: Sequence[str], questions: Sequence[FormField]) -> str:
    """Each message as `name:line: message`, at the heading of the question it names (line 1 without one)."""
    lines = question_lines(mail_form_text(proposal.text, questions), questions)
    first = {question.label: lines[question.id][0] for question in questions if question.id in lines}
    located = []
    for message in messages:
        line = next((number for label, number in first.items() if message.startswith(f"'{label}'")), 1)
        located.append(f"{proposal.name}:{line}: {message}")
    return "\n".join(located)


def command_from_issue(args: argparse.Namespace) -> int:
    settings = site_settings(args.root)
    root, layout = settings.root, settings.layout
    try:
        proposal_text = read_proposal(args.body_file)
    except RefusedText as error:
        print(_("The proposal cannot be read:") + f"\n{_indented(visible(str(error)))}", file=sys.stderr)
        return 1
    for note in proposal_text.notes:
        print(f"{proposal_text.name}: {visible(note)}", file=sys.stderr)
    try:
        vocabularies = load_vocabularies(layout.vocabularies_file)
        proposal = proposal_from_issue(proposal_text.text, vocabularies, practice_id=args.id)
        folder = write_practice(proposal, layout.practices_dir, vocabularies)
    except IssueFormError as error:
        located = _located(proposal_text, error.messages, form_fields(vocabularies))
        print(_("The proposal cannot be turned into a practice:") + f"\n{_indented(visible(located))}", file=sys.stderr)
        return 1
    except VocabularyError as error:
        print(_("The proposal cannot be turned into a practice:") + f"\n{_indented(visible(str(error)))}", file=sys.stderr)
        return 1
    relative = folder.relative_to(root).as_posix()
    problems = [problem for problem in load_content(settings).problems if folder in (problem.path, *problem.path.parents)]
    if problems:
        lines = "\n".join(problem.format(root) for problem in problems)
        print(
            _("Wrote {folder}/, but `handbook check` finds problems in it; fix them before merging:", folder=relative)
            + f"\n{_indented(lines)}",
            file=sys.stderr,
        )
        return 1
    files = ", ".join(sorted(path.name for path in folder.iterdir()))
    print(_("Wrote {folder}/ ({files}); it passes `handbook check`.", folder=relative, files=files), file=sys.stderr)
    print(relative)  # on stdout alone, for scripts such as the from-issue workflow
    return 0


def _indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def add_command(subparsers: Any) -> None:
    """Register `handbook from-issue` on the parser's subcommands (`parser.add_subparsers()`)."""
    command = subparsers.add_parser(
        "from-issue",
        help=_("turn an answered 'Propose a practice' issue form, or a proposal by e-mail, into practice files"),
        description=_(
            "Read the body of an issue made with the form 'Stel een praktijk voor / Propose a practice', "
            "or a proposal by e-mail (a saved message, .eml, or its text), "
            "and write it as a new practice folder practices/<id>/ (practice.yml and nl.md or en.md). The id is made "
            "from the title. An existing folder is never overwritten. Exit 1, with every reason, when the answers "
            "cannot become a valid practice. On success the folder is printed on stdout."
        ),
    )
    command.add_argument(
        "body_file",
        metavar=_("BODY_FILE"),
        help=_("file with the issue body, a saved e-mail (.eml) or its text, or - to read it from standard input"),
    )
    command.add_argument("--root", help=_("repository root (default: found from the current folder)"))
    command.add_argument("--id", help=_("id of the new practice (default: made from the title)"))
    command.set_defaults(func=command_from_issue)
