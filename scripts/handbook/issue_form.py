"""Propose a practice without git: the GitHub issue form, and the command that turns an answered form into files.

GitHub shows an answered issue form as Markdown: a `### <label>` heading per field followed by the answer,
`_No response_` for an empty answer and `- [X] <option>` for a ticked box. The form itself
(`.github/ISSUE_TEMPLATE/praktijk-voorstellen.yml`) is generated from `form_fields()` and the vocabularies, so
the labels and options read back here are declared once. `python -m handbook.issue_form` rewrites the form.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from handbook.content import Layout, load_content, repository_root
from handbook.model import PARTIAL_DATE_PATTERN, PracticeFacts, PracticeText
from handbook.pages import interface_labels
from handbook.plaintext import visible
from handbook.scaffold import slugify
from handbook.vocabulary import LANGUAGES, Term, Vocabularies, Vocabulary, VocabularyError, load_vocabularies

FORM_FILE = ".github/ISSUE_TEMPLATE/praktijk-voorstellen.yml"
FORM_LABEL = "te-beoordelen"  # set by the form; an editor adds `praktijk-voorstel` to turn the proposal into a pull request
NO_RESPONSE = "_No response_"
MAX_ID_LENGTH = 60
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

Kind = Literal["input", "textarea", "dropdown", "checkboxes"]

_HEADING = re.compile(r"^###[ \t]+(.*?)[ \t]*$")
_TICKED = re.compile(r"^\s*-\s*\[[xX]\]\s+")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARKDOWN_HEADING = re.compile(r"^(#{1,2})(?=\s)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_URL_IN_TEXT = re.compile(r"(?:https?|mailto):[^\s;,]+[^\s;,.)]")


def both(nl: str, en: str) -> str:
    """A bilingual label: Dutch first, English after a slash (once when they are the same)."""
    return nl if nl == en else f"{nl} / {en}"


@dataclass(frozen=True)
class FormField:
    """One question of the issue form. `id` is the practice field it fills, where there is one."""

    id: str
    kind: Kind
    label: str
    description: str = ""
    required: bool = False
    vocabulary: str | None = None  # the options are this vocabulary's terms
    multiple: bool = False
    options: tuple[str, ...] = ()  # fixed options (dropdown) or boxes to tick (checkboxes)
    placeholder: str = ""


CONSENT = both(
    "Mijn voorstel bevat geen persoonsgegevens: geen namen van personen, geen persoonlijke e-mailadressen of telefoonnummers.",
    "My proposal contains no personal data: no names of individuals, no personal e-mail addresses or phone numbers.",
)

INTRO = """\
**Nederlands.** Met dit formulier stelt u een goede praktijk voor het handboek voor, zonder git. Schrijf in \
het Nederlands of in het Engels; de redactie zorgt voor de vertaling. Beschrijf concreet wat u doet en verzin \
geen cijfers, namen of data: laat een veld leeg als u het niet weet. Dit formulier wordt openbaar: schrijf \
geen persoonsgegevens, een contact is altijd een organisatie. De redactie zet uw voorstel om in een praktijk \
en vraagt u hier om het na te lezen.

**English.** Use this form to propose a good practice for the handbook, without git. Write in Dutch or in \
English; the editors take care of the translation. Describe concretely what you do and do not invent \
figures, names or dates: leave a field empty when you do not know. This form is public: write no personal \
data, a contact is always an organisation. The editors turn your proposal into a practice and ask you here \
to check it.
"""


def _interface_label(key: str) -> str:
    labels = interface_labels()[key]
    return both(labels["nl"], labels["en"])


def _text(nl: str, en: str) -> str:
    """A bilingual description: the Dutch sentence, then the English one in italics."""
    return f"{nl}<br>*{en}*"


def _choose(nl: str, en: str, vocabulary: Vocabulary, *, several: bool) -> str:
    """The description of a vocabulary question, listing the terms' own descriptions where they have them."""
    hint = _text(f"{nl} U kunt er meer dan één kiezen.", f"{en} You can choose more than one.") if several else _text(nl, en)
    described = [term for term in vocabulary if term.descriptions]
    lines = [f"- **{both(term.label('nl'), term.label('en'))}**: {term.description('nl')} *{term.description('en')}*" for term in described]
    return "\n".join([hint, "", *lines]) if lines else hint


def form_fields(vocabularies: Vocabularies) -> list[FormField]:
    """The questions of the form, in the order GitHub shows and renders them."""
    sections = [
        FormField(
            id=term.key,
            kind="textarea",
            label=both(term.label("nl"), term.label("en")),
            description=_text(term.description("nl"), term.description("en")) if term.descriptions else "",
            required=True,
        )
        for term in vocabularies["sections"]
    ]
    return [
        FormField(
            "language",
            "dropdown",
            "Taal van uw beschrijving / Language of your description",
            _text(
                "Schrijf de titel, de samenvatting en de hoofdstukken in deze taal.",
                "Write the title, the summary and the sections in this language.",
            ),
            required=True,
            options=tuple(f"{name} ({code})" for code, name in LANGUAGE_NAMES.items()),
        ),
        FormField(
            "title",
            "input",
            "Titel / Title",
            _text("De naam van de praktijk, 5 tot 120 tekens.", "The name of the practice, 5 to 120 characters."),
            required=True,
        ),
        FormField(
            "summary",
            "textarea",
            "Samenvatting / Summary",
            _text(
                "Een of twee zinnen: wat de praktijk is en voor wie (20 tot 300 tekens).",
                "One or two sentences: what the practice is and for whom (20 to 300 characters).",
            ),
            required=True,
        ),
        FormField(
            "municipalities",
            "input",
            _interface_label("municipalities"),
            _text(
                "Waar loopt de praktijk? Scheid gemeenten met een komma. Laat leeg bij een algemene werkwijze.",
                "Where does the practice run? Separate municipalities with a comma. Leave empty for a general method.",
            ),
        ),
        FormField(
            "provinces",
            "dropdown",
            _interface_label("provinces"),
            _text("Laat leeg bij een algemene werkwijze.", "Leave empty for a general method."),
            vocabulary="provinces",
            multiple=True,
        ),
        FormField(
            "organisation",
            "input",
            _interface_label("organisation"),
            _text(
                "De organisatie die de praktijk draagt (nooit een persoon).", "The organisation that carries the practice (never a person)."
            ),
        ),
        FormField(
            "partners",
            "textarea",
            _interface_label("partners"),
            _text("Eén partnerorganisatie per regel.", "One partner organisation per line."),
        ),
        *(
            FormField(
                name,
                "dropdown",
                _interface_label(name),
                _choose(nl, en, vocabularies[name], several=True),
                required=True,
                vocabulary=name,
                multiple=True,
            )
            for name, nl, en in (
                ("themes", "Waarover gaat de praktijk?", "What is the practice about?"),
                (
                    "pillars",
                    "Welke elementen van de integrale aanpak draagt de praktijk?",
                    "Which elements of the integral approach does the practice carry?",
                ),
                ("prevention_levels", "Op welk preventieniveau werkt de praktijk?", "At which prevention level does the practice work?"),
                ("target_groups", "Voor wie is de praktijk bedoeld?", "Who is the practice meant for?"),
                ("policy_domains", "Welke beleidsdomeinen zijn betrokken?", "Which policy domains are involved?"),
            )
        ),
        FormField("start_year", "input", "Startjaar / Start year", _text("Bijvoorbeeld 2019.", "For example 2019."), placeholder="2019"),
        FormField(
            "end_year",
            "input",
            "Eindjaar / End year",
            _text("Laat leeg als de praktijk nog loopt.", "Leave empty while the practice is running."),
        ),
        FormField("status", "dropdown", _interface_label("status"), vocabulary="statuses"),
        FormField(
            "evidence_level",
            "dropdown",
            _interface_label("evidence_level"),
            _choose(
                "Hoe ver is de praktijk geëvalueerd?",
                "How far has the practice been evaluated?",
                vocabularies["evidence_levels"],
                several=False,
            ),
            required=True,
            vocabulary="evidence_levels",
        ),
        *sections,
        FormField(
            "sources",
            "textarea",
            _interface_label("sources"),
            _text(
                "Eén bron per regel: titel; uitgever; jaar; webadres. Alleen de titel is verplicht; geef een webadres alleen als het zeker klopt.",
                "One source per line: title; publisher; year; web address. Only the title is required; give a web address only when you are sure of it.",
            ),
            required=True,
            placeholder="Titel van de bron; Uitgever; 2018; https://…",
        ),
        FormField(
            "contact_organisation",
            "input",
            "Contactorganisatie / Contact organisation",
            _text(
                "Bij welke organisatie kunnen lezers terecht? Geen naam van een persoon.",
                "Which organisation can readers turn to? Not the name of a person.",
            ),
        ),
        FormField(
            "contact_url",
            "input",
            "Website van de contactorganisatie / Website of the contact organisation",
            placeholder="https://",
        ),
        FormField("consent", "checkboxes", "Persoonsgegevens / Personal data", required=True, options=(CONSENT,)),
    ]


# --- the form file --------------------------------------------------------------------------------------


def option_text(term: Term) -> str:
    """How a vocabulary term appears as an option: its labels with the key, which the parser reads back."""
    return f"{both(term.label('nl'), term.label('en'))} ({term.key})"


def _form_element(question: FormField, vocabularies: Vocabularies) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": question.label}
    if question.description:
        attributes["description"] = question.description
    if question.kind == "checkboxes":
        attributes["options"] = [{"label": option, "required": question.required} for option in question.options]
    elif question.kind == "dropdown":
        if question.vocabulary:
            attributes["options"] = [option_text(term) for term in vocabularies[question.vocabulary]]
        else:
            attributes["options"] = list(question.options)
        if question.multiple:
            attributes["multiple"] = True
    if question.placeholder:
        attributes["placeholder"] = question.placeholder
    element: dict[str, Any] = {"type": question.kind, "id": question.id, "attributes": attributes}
    if question.required and question.kind != "checkboxes":
        element["validations"] = {"required": True}
    return element


def form_yaml(vocabularies: Vocabularies) -> str:
    """The text of the issue form file."""
    form = {
        "name": "Stel een praktijk voor / Propose a practice",
        "description": "Stel een goede praktijk voor het handboek voor, zonder git. / Propose a good practice for the handbook, without git.",
        "title": "Praktijk: ",
        "labels": [FORM_LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": INTRO}},
            *(_form_element(question, vocabularies) for question in form_fields(vocabularies)),
        ],
    }
    header = (
        "# Generated from scripts/handbook/issue_form.py and practices/vocabularies.yml: do not edit by hand.\n"
        "# Rewrite it with `python -m handbook.issue_form` after changing either.\n"
    )
    return header + yaml.dump(form, Dumper=_FormDumper, allow_unicode=True, sort_keys=False, width=1000)


class _FormDumper(yaml.SafeDumper):
    """Readable YAML: lists indented under their key, texts of several lines as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_FormDumper.add_representer(str, _represent_text)


# --- reading an answered form ---------------------------------------------------------------------------


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
    in_fence = False
    for line in answer.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        lines.append(line.rstrip() if in_fence else _MARKDOWN_HEADING.sub("###", line.rstrip()))
    return "\n".join(lines).strip()


def _language(answer: str) -> str | None:
    for code, name in LANGUAGE_NAMES.items():
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
        errors.append(f"'{labels['language']}': choose {' or '.join(f'{name} ({code})' for code, name in LANGUAGE_NAMES.items())}")
    title = _one_line(answers.get("title", ""))
    practice_id = practice_id or slugify(title, MAX_ID_LENGTH)
    if title and len(practice_id) < 3:
        errors.append(f"'{labels['title']}': cannot make an id of at least 3 letters from '{title}'; give one with --id")

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
    facts["review"] = {"status": "draft", "last_reviewed": today or datetime.date.today()}
    contact = {"organisation": _one_line(answers.get("contact_organisation", "")), "url": answers.get("contact_url", "").strip()}
    if contact["url"] and not contact["organisation"]:
        errors.append(f"'{labels['contact_organisation']}': give the organisation's name with its website")
    if contact["organisation"]:
        facts["contact"] = {key: value for key, value in contact.items() if value}
    sources = [_source(line) for line in answers.get("sources", "").splitlines() if line.strip()]
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


class _Folded(str):
    """A long text written as a folded YAML block (`>-`), wrapped for reading."""


class _PracticeDumper(yaml.SafeDumper):
    """The style of the hand-written practice files: short lists on one line, long texts folded."""


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    inline = all(isinstance(item, str) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline)


def _represent_folded(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">")


_PracticeDumper.add_representer(list, _represent_list)
_PracticeDumper.add_representer(_Folded, _represent_folded)


def _practice_yaml(data: dict[str, Any], width: int = 1000) -> str:
    return yaml.dump(data, Dumper=_PracticeDumper, allow_unicode=True, sort_keys=False, width=width)


def practice_files(proposal: Proposal, vocabularies: Vocabularies) -> dict[str, str]:
    """The files of the new practice folder: practice.yml and the language file, by name."""
    front_matter = _practice_yaml({"title": proposal.text["title"], "summary": _Folded(proposal.text["summary"])}, width=100)
    sections = [f"## {term.label(proposal.language)}\n\n{proposal.sections[term.key]}\n" for term in vocabularies["sections"]]
    body = "\n".join(sections)
    return {"practice.yml": _practice_yaml(proposal.facts), f"{proposal.language}.md": f"---\n{front_matter}---\n\n{body}"}


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
    root = repository_root(args.root)
    layout = Layout(root)
    try:
        vocabularies = load_vocabularies(layout.vocabularies_file)
        proposal = proposal_from_issue(_read_body(args.body_file), vocabularies, practice_id=args.id)
        folder = write_practice(proposal, layout.practices_dir, vocabularies)
    except (IssueFormError, VocabularyError) as error:
        print(f"The issue cannot be turned into a practice:\n{_indented(visible(str(error)))}", file=sys.stderr)
        return 1
    relative = folder.relative_to(root).as_posix()
    problems = [problem for problem in load_content(layout).problems if folder in (problem.path, *problem.path.parents)]
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
        help="turn an answered 'Propose a practice' issue form into practice files",
        description="Read the body of an issue made with the form 'Stel een praktijk voor / Propose a practice' "
        "and write it as a new practice folder practices/<id>/ (practice.yml and nl.md or en.md). The id is made "
        "from the title. An existing folder is never overwritten. Exit 1, with every reason, when the answers "
        "cannot become a valid practice. On success the folder is printed on stdout.",
    )
    command.add_argument("body_file", metavar="BODY_FILE", help="file with the issue body, or - to read it from standard input")
    command.add_argument("--root", help="repository root (default: found from the current folder)")
    command.add_argument("--id", help="id of the new practice (default: made from the title)")
    command.set_defaults(func=command_from_issue)


# --- rewriting the form ---------------------------------------------------------------------------------


def write_form(root: Path) -> Path:
    """Rewrite the issue form from the field declaration and the vocabularies of the repository at `root`."""
    path = root / FORM_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(form_yaml(load_vocabularies(Layout(root).vocabularies_file)), encoding="utf-8", newline="\n")
    return path


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook.issue_form", description=f"Rewrite {FORM_FILE} from the vocabularies.")
    parser.add_argument("--root", default=".", help="repository root (default: the current folder)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    print(f"Wrote {write_form(Path(args.root))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
