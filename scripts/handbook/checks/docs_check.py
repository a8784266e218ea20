"""The site's own pages (docs/): read as MkDocs reads them, checked as the build assembles them.

- **Front matter** is read by MkDocs' own reader (`mkdocs.utils.meta.get_data`), so YAML front matter,
  MultiMarkdown `key: value` lines and a leading `---` block that is not a mapping mean here what they
  mean in the build. Each page type has an allow-list of keys (`PAGE_KEYS`); `template` names one of the
  handbook's own page templates a hand-written page may use (`PAGE_TEMPLATES`: never `redirect.html`,
  `main.html`, `404.html` or a template that needs a generated page's context); every value is plain text
  without personal data. A `---` block MkDocs does not take as front matter is refused: the build would
  show it as Markdown.
- **The body** is checked as the build assembles it: the allowed includes (`--8<-- "CONTRIBUTING.md:nl"`)
  resolved by pymdownx.snippets itself, with the site's snippet settings, and the result rendered with
  the site's Markdown and run through the allow-list (`safety.unsafe_html_findings`). A finding is
  reported at the line it comes from: the page's own, or CONTRIBUTING.md's. Any other snippet line is
  refused and left out before anything is read; CONTRIBUTING.md must be a regular file of the repository.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from mkdocs.utils.meta import YAML_RE, get_data

from handbook.checks.filesafety import entry_problem
from handbook.checks.personal_data import personal_data
from handbook.checks.safety import SafetyCheck, finding_message, source_lines
from handbook.messages import _, field_message
from handbook.plaintext import plain_text_messages, visible
from handbook.problems import Problem

GUIDE = "CONTRIBUTING.md"
SNIPPETS = "pymdownx.snippets"
# The only snippet includes the site's own pages may hold: the contributors' guide, by section.
ALLOWED_INCLUDE = re.compile(r'^--8<-- "CONTRIBUTING\.md:(nl|en)"$')
SECTION_MARKER = re.compile(r"^<!-- --8<-- \[(start|end):(nl|en)\] -->$")  # the sections of CONTRIBUTING.md
_SNIPPET_LINE = re.compile(r"^[ \t]*;*-+8<-+")  # what pymdownx.snippets reads as a marker (escaped ones too)
_KEY = re.compile(r"""^[ ]{0,3}['"]?([^'":\s]+)['"]?[ \t]*:""")  # a key as YAML or MultiMarkdown writes it

# The handbook's page templates (overrides/) a hand-written page may choose; each needs no generated page.
PAGE_TEMPLATES = ("home.html", "contribute.html", "search.html")
TEMPLATE_PAGES = "sjablonen"  # the templates printed in the PDF appendix: text only, no page template
PAGE_KEYS: Mapping[str, tuple[str, ...]] = {
    "page": ("title", "description", "template"),
    TEMPLATE_PAGES: ("title", "description"),
}


def page_type(relative: Path) -> str:
    """The page type of a page under docs/ (its path relative to docs/)."""
    return TEMPLATE_PAGES if relative.parts[:1] == (TEMPLATE_PAGES,) else "page"


@dataclass(frozen=True)
class PageSource:
    """A page as MkDocs reads it: its text, its front matter and its body, with the body's first line."""

    path: Path
    text: str
    meta: dict[str, Any]
    body: str
    body_line: int
    unread_block: bool  # a leading `---` block that MkDocs does not take as front matter (it stays in the body)

    @classmethod
    def read(cls, path: Path) -> PageSource:
        """Read as MkDocs' `Page.read_source` does (UTF-8 with an optional BOM, universal newlines)."""
        with path.open(encoding="utf-8-sig", errors="strict") as handle:
            text = handle.read()
        return cls.parse(path, text)

    @classmethod
    def parse(cls, path: Path, text: str) -> PageSource:
        body, meta = get_data(text)
        consumed = len(text) - len(body) if text.endswith(body) else 0
        unread = bool(YAML_RE.match(text)) and not meta
        return cls(path, text, dict(meta), body, text.count("\n", 0, consumed) + 1, unread)

    def key_line(self, key: object) -> int:
        """The file line of a front matter key (its first line if it cannot be found)."""
        return self.key_lines.get(str(key).lower(), 1)

    @functools.cached_property
    def key_lines(self) -> dict[str, int]:
        """Each key written at the start of a front matter line -> its first line, in one pass."""
        lines: dict[str, int] = {}
        for number, line in enumerate(self.text.split("\n")[: max(self.body_line - 1, 1)], start=1):
            if match := _KEY.match(line):
                lines.setdefault(match.group(1).lower(), number)
        return lines


def front_matter_problems(page: PageSource, kind: str, check: SafetyCheck) -> list[Problem]:
    """The page's front matter: allowed keys, allowed templates, plain-text values without personal data."""
    if page.unread_block:
        return [
            Problem(
                page.path,
                1,
                _(
                    "the page starts with '---' but what follows is not front matter (a YAML mapping of keys and values, "
                    "closed by '---'); MkDocs would show it on the page as text; correct the YAML or remove the block"
                ),
            )
        ]
    allowed = PAGE_KEYS[kind]
    problems = []
    for key, value in page.meta.items():
        line = page.key_line(key)
        if key not in allowed:
            problems.append(
                Problem(
                    page.path,
                    line,
                    _(
                        "front matter key '{key}' is not allowed on this page; the allowed keys are: {allowed}",
                        key=visible(str(key)),
                        allowed=", ".join(allowed),
                    ),
                )
            )
            continue
        if not isinstance(value, str):
            problems.append(Problem(page.path, line, field_message(key, _("must be text (one line between quotes)"))))
            continue
        if key == "template" and value not in PAGE_TEMPLATES:
            problems.append(
                Problem(
                    page.path,
                    line,
                    _(
                        "unsafe content: the template '{template}' is not one a page may choose; use one of: {allowed}, or none",
                        template=visible(value),
                        allowed=", ".join(PAGE_TEMPLATES),
                    ),
                )
            )
            continue
        messages = plain_text_messages(value) + [message for _offset, message in personal_data(value, check.contacts)]
        problems += [Problem(page.path, line, field_message(key, message)) for message in messages]
    return problems


class Assembler:
    """The page body as pymdownx.snippets assembles it for the build, each line with where it comes from."""

    def __init__(self, root: Path, settings_extensions: tuple[str, ...], snippet_config: Mapping[str, Any]) -> None:
        self.root = root
        self.guide = root / GUIDE
        self.resolves = SNIPPETS in settings_extensions  # without the extension the build shows the line as text
        config = {**snippet_config, "base_path": [str(root)], "check_paths": True, "restrict_base_path": True}
        config.update({"url_download": False, "auto_append": []})  # nothing but the files of the repository
        self._snippets = markdown.Markdown(extensions=[SNIPPETS], extension_configs={SNIPPETS: config}).preprocessors["snippet"]
        self._guide_index: dict[str, list[int]] | None = None

    def guide_lines(self) -> dict[str, list[int]]:
        """Each line of the guide -> the (0-based) indices it is on."""
        if self._guide_index is None:
            self._guide_index = {}
            for index, line in enumerate(self.guide.read_text(encoding="utf-8").split("\n")):
                self._guide_index.setdefault(line, []).append(index)
        return self._guide_index

    def assemble(self, page: PageSource, includes: bool) -> tuple[list[str], list[tuple[Path, int]]]:
        """The lines the build renders and, for each, the file and line it comes from.

        `includes`: resolve the allowed includes (False when the guide holds a refused snippet line: then
        they are left out, as every refused snippet line is)."""
        texts: list[str] = []
        origins: list[tuple[Path, int]] = []
        for index, line in enumerate(page.body.split("\n")):
            number = page.body_line + index
            if _SNIPPET_LINE.match(line) and not ALLOWED_INCLUDE.match(line.strip()):
                line = ""  # refused (reported); never read
            elif ALLOWED_INCLUDE.match(line.strip()) and not (includes and self.resolves):
                line = "" if self.resolves else line
            if not self.resolves:
                texts.append(line)
                origins.append((page.path, number))
                continue
            expanded = self._snippets.run([line])  # one line at a time: no block marker is left to span lines
            if ALLOWED_INCLUDE.match(line.strip()):
                origins += self._guide_origins(expanded, number, page.path)
            else:
                origins += [(page.path, number)] * len(expanded)
            texts += expanded
        return texts, origins

    def _guide_origins(self, expanded: list[str], include_line: int, page: Path) -> list[tuple[Path, int]]:
        """The guide's line of each included line: the next one after the previous with the same text."""
        index = self.guide_lines()
        cursor, found = 0, []
        for text in expanded:
            places = index.get(text, [])
            at = bisect.bisect_left(places, cursor)
            if at < len(places):
                cursor = places[at] + 1
                found.append((self.guide, cursor))
            else:
                found.append((self.guide, cursor) if cursor else (page, include_line))
        return found


def snippet_problem(path: Path, number: int, folder: str) -> Problem:
    """A refused snippet line; `folder`: the site's pages folder (`Layout.docs`)."""
    return Problem(
        path,
        number,
        _(
            "unsafe content: snippet include '--8<--' would read a file of the repository into the page; "
            'only --8<-- "CONTRIBUTING.md:nl" and --8<-- "CONTRIBUTING.md:en" are allowed in {folder}/',
            folder=folder,
        ),
    )


def guide_problems(check: SafetyCheck, root: Path) -> tuple[list[Problem], bool]:
    """CONTRIBUTING.md as a file: a regular file of the repository, no control characters, no snippet line
    but its section markers, and (as GitHub shows it) the allow-list. Also: may its sections be included?"""
    guide = root / GUIDE
    if not guide.exists() and not guide.is_symlink():
        return [], False
    refused = entry_problem(guide, root.resolve())
    if refused is not None:
        return [Problem(guide, 1, refused)], False
    try:
        text = guide.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(guide, 1, _("cannot read the page: {error}", error=str(error)))], False
    found = [*check.texts.control(text), *check.texts.personal(text)]
    problems = [Problem(guide, text.count("\n", 0, offset) + 1, message) for offset, message in found]
    lines = text.splitlines()
    kept = []
    for number, line in enumerate(lines, start=1):
        marker = SECTION_MARKER.match(line.strip())
        if _SNIPPET_LINE.match(line) and not marker:
            problems.append(snippet_problem(guide, number, check.layout.docs))
        kept.append("" if marker or _SNIPPET_LINE.match(line) else line)
    includable = not problems
    problems += html_problems(check, kept, [(guide, number) for number in range(1, len(kept) + 1)])
    return problems, includable


def html_problems(check: SafetyCheck, texts: list[str], origins: list[tuple[Path, int]]) -> list[Problem]:
    """The allow-list over the rendered lines, each finding at the line it comes from."""
    if not texts:
        return []
    joined = "\n".join(texts)
    judged = check.texts.judged(joined)
    if judged is None:  # over a limit (reported by `source_findings` below), or an extension failed
        over = [
            Problem(*origins[min(index, len(origins) - 1)], finding_message(finding, texts[min(index, len(texts) - 1)]))
            for index, finding in check.texts.source(joined)
            if finding.key[0] == "limit"
        ]
        path, line = origins[0]
        return over or [Problem(path, line, _("the Markdown cannot be rendered"))]
    problems = []
    findings = judged.unsafe
    for finding, number in zip(findings, source_lines(findings, texts), strict=True):
        path, line = origins[number - 1]
        problems.append(Problem(path, line, finding_message(finding, texts[number - 1])))
    for index, finding in check.texts.source(joined):
        if finding.key[0] != "snippet":  # snippet lines are reported (and left out) before
            path, line = origins[min(index, len(origins) - 1)]
            problems.append(Problem(path, line, finding_message(finding, texts[min(index, len(texts) - 1)])))
    return problems


def _unresolved() -> str:  # in the language of the messages
    return _("an include of the page cannot be resolved: the file or its section is missing")


def _assembler(check: SafetyCheck) -> Assembler:
    settings = check.markdown
    return Assembler(check.root, settings.extensions, settings.configs.get(SNIPPETS, {}))


def docs_problems(check: SafetyCheck) -> list[Problem]:
    """Every page of the site's pages folder (`Layout.docs_dir`) as the build reads and assembles it, and the guide it includes."""
    problems, includable = guide_problems(check, check.root)
    docs = check.layout.docs_dir
    pages = sorted(path for path in docs.rglob("*.md")) if docs.is_dir() else []
    assembler = _assembler(check)
    guide_missing = not assembler.guide.exists() and not assembler.guide.is_symlink()
    for path in pages:
        try:
            page = PageSource.read(path)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, 1, _("cannot read the page: {error}", error=str(error))))
            continue
        problems += [Problem(path, page.text.count("\n", 0, offset) + 1, message) for offset, message in check.texts.control(page.text)]
        problems += front_matter_problems(page, page_type(path.relative_to(docs)), check)
        body = page.body
        problems += [Problem(path, page.body_line + body.count("\n", 0, offset), message) for offset, message in check.texts.personal(body)]
        for index, line in enumerate(page.body.split("\n")):
            if _SNIPPET_LINE.match(line) and not ALLOWED_INCLUDE.match(line.strip()):
                problems.append(snippet_problem(path, page.body_line + index, check.layout.docs))
            elif guide_missing and assembler.resolves and ALLOWED_INCLUDE.match(line.strip()):  # the build would stop on it
                problems.append(Problem(path, page.body_line + index, _unresolved()))
        try:
            texts, origins = assembler.assemble(page, includable)
        except Exception:  # a missing section or file: the build fails on it too
            problems.append(Problem(path, page.body_line, _unresolved()))
            continue
        problems += html_problems(check, texts, origins)
    return list(dict.fromkeys(problems))
