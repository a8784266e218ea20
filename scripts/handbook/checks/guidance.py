"""The guiding questions `handbook new` writes under each section: help for writing, never published.

A new practice text (`contribute/scaffold.py`) has, under each fixed section, the question it answers as one
quoted line, `> Richtvraag: …` in Dutch, `> Guiding question: …` in English (`GUIDANCE_MARKERS`, the one owner
of those words). `handbook check` and the build report every such line that is still there, at its line, until
the contributor has replaced it with their own text; fenced code is not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from handbook.markdown_render import fenced_lines
from handbook.messages import _
from handbook.problems import Problem
from handbook.urls import LANGUAGES

GUIDANCE_MARKERS = {"nl": "Richtvraag", "en": "Guiding question"}  # per language of the text
_GUIDANCE = re.compile(
    r"^ {0,3}>\s*(?:\*\*|__)?(" + "|".join(map(re.escape, GUIDANCE_MARKERS.values())) + r")(?:\*\*|__)?\s*:", re.IGNORECASE
)


def guidance_line(language: str, question: str) -> str:
    """The line `handbook new` writes under a section of a text in `language`."""
    return f"> {GUIDANCE_MARKERS[language]}: {question}"


def guidance_problems(practices_dir: Path, files: Mapping[Path, bytes] | None = None) -> list[Problem]:
    """A problem at every guiding question still in a practice text (`<practices>/<id>/<language>.md`). The files are
    read here (or taken from `files`, the bytes the loader read of every text), not from the loaded practices, so the
    questions are reported in the same run as a broken practice.yml."""
    problems = []
    for path in sorted(practices_dir.glob("*/*.md")):
        if path.stem not in LANGUAGES or path.is_symlink() or not path.is_file():
            continue
        try:
            text = files[path].decode("utf-8") if files is not None and path in files else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported by the loader
        for index, line, fenced in fenced_lines(_without_front_matter(text)):
            match = None if fenced else _GUIDANCE.match(line)
            if match:
                message = _(
                    "replace the guiding question with your text (the line that starts with '> {marker}:' is help for "
                    "writing and is not published)",
                    marker=match.group(1),
                )
                problems.append(Problem(path, index + 1, message))
    return problems


def _without_front_matter(text: str) -> str:
    """The text with its front matter blanked (the lines kept, so the line numbers stay those of the file)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return text
    end = next((index for index, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return text
    return "\n".join([""] * (end + 1) + lines[end + 1 :])
