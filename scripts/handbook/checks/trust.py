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

from handbook.cache import Store, file_lines
from handbook.checks.docs_check import docs_problems
from handbook.checks.filesafety import tree_problems
from handbook.checks.personal_data import personal_data
from handbook.checks.safety import SafetyCheck, finding_message, source_lines
from handbook.content import yaml_reader
from handbook.content.load import Loaded, dotted, field_name, named
from handbook.layout import Layout
from handbook.markdown_render import MarkdownSettings
from handbook.messages import _
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
        problems.append(Problem(path, at(text.count("\n", 0, offset)), named(name, message)))
    for index, finding in check.texts.source(text):
        problems.append(Problem(path, at(index), named(name, finding_message(finding, lines[index]))))
    judged = check.texts.judged(text)
    if judged is None:
        return [*problems, Problem(path, first_line, named(name, _("the Markdown cannot be rendered")))]
    findings = judged.unsafe
    for finding, number in zip(findings, source_lines(findings, lines), strict=True):
        problems.append(Problem(path, at(number - 1), named(name, finding_message(finding, lines[number - 1] if lines else ""))))
    if not findings and any(tag == "img" for tag, _attributes in judged.links):
        problems.append(Problem(path, first_line, named(name, _("images are not allowed here; show them in a practice"))))
    return problems


def handbook_problems(check: SafetyCheck, handbooks: Sequence[Any]) -> list[Problem]:
    """Every text of every study day: plain text, or Markdown for the introduction; no personal data."""
    problems = []
    for handbook in handbooks:
        for loc, value in strings(handbook.definition.model_dump(mode="json")):
            name = field_name(loc)
            line = handbook.line_of(*loc)
            if loc and loc[0] in MARKDOWN_FIELDS:
                problems += markdown_field_problems(check, handbook.path, _block_start(handbook.path, line), name, value)
                continue
            messages = plain_text_messages(value) + [message for _, message in personal_data(value, check.contacts)]
            problems += [Problem(handbook.path, line, named(name, message)) for message in messages]
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


def raw_text_problems(path: Path, store: Store | None = None, digest: str | None = None) -> list[Problem]:
    """Control and bidi characters anywhere in a text file (YAML may hide them in quoted escapes too); with `store`,
    kept by the file's digest (`digest`: the loader's, when it read the file: then it is not read again when known)."""

    def compute(text: str) -> list[list[Any]]:
        return [[text.count("\n", 0, offset) + 1, message] for offset, message in control_messages(text)]

    return [Problem(path, line, message) for line, message in file_lines(path, "r", compute, store, digest)]


def trust_problems(
    layout: Layout,
    markdown: MarkdownSettings,
    loaded: Loaded,
    handbooks: Sequence[Any],
    *,
    site_url: str = "",
    repository: str | None = None,
    store: Store | None = None,
) -> list[Problem]:
    """Step 2: every text of every contributed file of `layout` (after `file_problems` found nothing),
    Markdown rendered with the site's settings (`Settings.markdown`). With `store` (the run's, `gate.check_store`),
    what depends on one text or file alone is taken from (and kept in) it, and the caller saves it; the rest runs
    every time. A full link in a text to `site_url` or to `repository`'s files is refused with its relative form."""
    known_ids = loaded.known_ids()
    check = SafetyCheck(
        layout,
        markdown,
        loaded.practices,
        known_ids,
        site_url=site_url,
        repository=repository,
        left_out=loaded.left_out,
        store=store,
        digests=loaded.digests,
    )
    problems = check.problems()
    problems += handbook_problems(check, handbooks)
    problems += vocabulary_problems(layout.vocabularies_file)
    yaml_files = [
        *sorted(layout.practices_dir.rglob("*.yml")),
        *sorted(layout.handbooks_dir.glob("*.yml")),
    ]  # practice.yml, contacts.yml, …
    problems += [problem for path in yaml_files for problem in raw_text_problems(path, store, loaded.digests.get(path))]
    problems += docs_problems(check)
    return problems
