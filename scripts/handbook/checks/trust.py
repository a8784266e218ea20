"""The one gate for contributed input: every file and text a contributor can change, checked the same way
by `handbook check` and by the build (both call `load_content`, which calls this module).

1. Files first (`filesafety.tree_problems`): under the folders of the `Layout` (practices, handbooks, pages) no link, device, hard
   link or path outside the repository, no text file over the size limit, images by content, no SVG.
   If any is found, nothing else is read.
2. Every text: plain-text fields (titles, summaries, labels, names, venues; `plaintext.py`) hold no markup,
   control or bidi characters; Markdown fields (practice bodies, a study day's introduction) pass one nh3
   allow-list and hold no snippet include, comment or reserved id; personal data is refused everywhere
   (`safety.py`). Practices: `safety.SafetyCheck`; the site's own pages, read and assembled as the build
   does, with their front matter: `docs_check.py`; study days, vocabularies and the contact allow-list: here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from handbook.checks.docs_check import docs_problems
from handbook.checks.filesafety import tree_problems
from handbook.checks.personal_data import personal_data
from handbook.checks.safety import SafetyCheck, SafetyMemo, finding_message, source_lines
from handbook.content import yaml_reader
from handbook.content.load import Loaded, dotted
from handbook.layout import Layout
from handbook.markdown_render import MarkdownSettings
from handbook.messages import _, field_message
from handbook.plaintext import control_messages, plain_text_messages
from handbook.problems import Problem

MARKDOWN_FIELDS = frozenset({"introduction"})  # handbook fields written in Markdown; every other text is plain


def file_problems(root: Path, folders: Sequence[str], pages: str | None = None) -> list[Problem]:
    """Step 1: the files under the contributed folders (`Layout.contributed`; checked before anything reads
    them); `pages`: the site's pages folder (`Layout.docs`)."""
    return tree_problems(root, folders, pages=pages)


def strings(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text in a YAML or model value, with where it is."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*loc, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings(item, (*loc, index))


def _block_start(path: Path, line: int) -> int:
    """The first line of a value that starts on `line`: the next one for a block scalar (`|`, `>`)."""
    try:
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return line
    return line + 1 if re.search(r"[|>][+-]?\s*$", text) else line


def markdown_field_problems(check: SafetyCheck, path: Path, first_line: int, name: str, text: str) -> list[Problem]:
    """A Markdown text of a YAML file: the practices' allow-list, no snippet, no image, no personal data."""
    lines = text.splitlines()
    problems = []

    def at(index: int) -> int:
        return first_line + min(index, max(len(lines) - 1, 0))

    for offset, message in [*check.texts.personal(text), *check.texts.control(text)]:
        problems.append(Problem(path, at(text.count("\n", 0, offset)), field_message(name, message)))
    for index, finding in check.texts.source(text):
        problems.append(Problem(path, at(index), field_message(name, finding_message(finding, lines[index]))))
    judged = check.texts.judged(text)
    if judged is None:
        return [*problems, Problem(path, first_line, field_message(name, _("the Markdown cannot be rendered")))]
    findings = judged.unsafe
    for finding, number in zip(findings, source_lines(findings, lines), strict=True):
        problems.append(Problem(path, at(number - 1), field_message(name, finding_message(finding, lines[number - 1] if lines else ""))))
    if not findings and any(tag == "img" for tag, _attributes in judged.links):
        problems.append(Problem(path, first_line, field_message(name, _("images are not allowed here; show them in a practice"))))
    return problems


def handbook_problems(check: SafetyCheck, handbooks: Sequence[Any]) -> list[Problem]:
    """Every text of every study day: plain text, or Markdown for the introduction; no personal data."""
    problems = []
    for handbook in handbooks:
        for loc, value in strings(handbook.definition.model_dump(mode="json")):
            name = dotted(loc)
            line = handbook.line_of(*loc)
            if loc and loc[0] in MARKDOWN_FIELDS:
                problems += markdown_field_problems(check, handbook.path, _block_start(handbook.path, line), name, value)
                continue
            messages = plain_text_messages(value) + [message for _, message in personal_data(value, check.contacts)]
            problems += [Problem(handbook.path, line, field_message(name, message)) for message in messages]
    return problems


def vocabulary_problems(path: Path) -> list[Problem]:
    """Labels and descriptions of the vocabularies are plain text."""
    try:
        document = yaml_reader.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml_reader.YamlError):
        return []  # reported where the vocabularies are loaded
    problems = []
    for loc, value in strings(document.data):
        problems += [Problem(path, document.line_of(loc), f"'{dotted(loc)}': {message}") for message in plain_text_messages(value)]
    return problems


def raw_text_problems(path: Path, data: bytes | None = None) -> list[Problem]:
    """Control and bidi characters anywhere in a text file (YAML may hide them in quoted escapes too); `data`:
    its bytes, when the loader has read them."""
    try:
        text = data.decode("utf-8") if data is not None else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reported by the loader
    return [Problem(path, text.count("\n", 0, offset) + 1, message) for offset, message in control_messages(text)]


def trust_problems(
    layout: Layout,
    markdown: MarkdownSettings,
    loaded: Loaded,
    handbooks: Sequence[Any],
    *,
    cache: bool = False,
    site_url: str = "",
    repository: str | None = None,
    memo: SafetyMemo | None = None,
) -> list[Problem]:
    """Step 2: every text of every contributed file of `layout` (after `file_problems` found nothing),
    Markdown rendered with the site's settings (`Settings.markdown`). With `cache`, what depends on one text
    alone is taken from (and kept in) the root's store (`handbook.cache`); the rest runs every time. A full link
    in a text to `site_url` or to `repository`'s files is refused with its relative form. With `memo`, a practice's
    problems are reused while it and what they were found from are unchanged (`SafetyCheck.problems`)."""
    known_ids = {practice.id for practice in loaded.practices} | {declared for declared, _, _ in loaded.declared_ids}
    check = SafetyCheck(layout, markdown, loaded.practices, known_ids, cache=cache, site_url=site_url, repository=repository, memo=memo)
    problems = check.problems()
    problems += handbook_problems(check, handbooks)
    problems += vocabulary_problems(layout.vocabularies_file)
    yaml_files = [
        *sorted(layout.practices_dir.rglob("*.yml")),
        *sorted(layout.handbooks_dir.glob("*.yml")),
    ]  # practice.yml, contacts.yml, …
    problems += [problem for path in yaml_files for problem in raw_text_problems(path, loaded.files.get(path))]
    problems += docs_problems(check)
    check.texts.save()
    return problems
