"""Markdown rendered exactly as the site renders it: the extensions and options of mkdocs.yml (`Settings.markdown`).

Read once, by MkDocs (`settings.py`), and shared by the site checks, the site and the PDF, so a practice looks
the same on the web and in print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import markdown

SNIPPETS = "pymdownx.snippets"  # includes files of the repository: never for contributed text


@dataclass(frozen=True)
class MarkdownSettings:
    extensions: tuple[str, ...]
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def without(self, *names: str) -> MarkdownSettings:
        return MarkdownSettings(
            tuple(name for name in self.extensions if name not in names),
            {name: config for name, config in self.configs.items() if name not in names},
        )

    def with_config(self, name: str, **options: Any) -> MarkdownSettings:
        return MarkdownSettings(self.extensions, {**self.configs, name: {**self.configs.get(name, {}), **options}})

    @property
    def contributed(self) -> MarkdownSettings:
        """For contributed text (practices, handbook introductions): the site's, without snippets."""
        return self.without(SNIPPETS)


_FENCE = re.compile(r"^\s*(```|~~~)")


def fenced_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """Each line of Markdown with its 0-based index and whether it is fenced code (the fence lines included)."""
    in_fence = False
    for index, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            in_fence = not in_fence
            yield index, line, True
        else:
            yield index, line, in_fence


def render_markdown(text: str, settings: MarkdownSettings) -> str:
    """Markdown to HTML with the site's extensions (a fresh converter: extensions keep state)."""
    converter = markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.configs)
    return converter.convert(text)
