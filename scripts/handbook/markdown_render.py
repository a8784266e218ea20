"""Markdown rendered exactly as the site renders it: the extensions and options come from mkdocs.yml.

Read once, shared by the site checks and the PDF, so a practice looks the same on the web and in print.
The reader does not need MkDocs: unknown YAML tags such as `!ENV` are read as plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import markdown
import yaml

# MkDocs always adds these, before the ones in mkdocs.yml.
MKDOCS_DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")


class _TolerantLoader(yaml.SafeLoader):
    pass


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


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


def read_config(mkdocs_yml: Path) -> dict[str, Any]:
    with mkdocs_yml.open(encoding="utf-8") as stream:
        config = yaml.load(stream, Loader=_TolerantLoader)
    return config if isinstance(config, dict) else {}


@cache
def markdown_settings(mkdocs_yml: Path) -> MarkdownSettings:
    """The Markdown extensions and their options, as MkDocs would use them for this config."""
    extensions: list[str] = list(MKDOCS_DEFAULT_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    for entry in read_config(mkdocs_yml).get("markdown_extensions") or []:
        if isinstance(entry, str):
            name, options = entry, {}
        else:
            ((name, options),) = entry.items()
        if name not in extensions:
            extensions.append(name)
        if options:
            configs[name] = {key: _relative_to(value, mkdocs_yml.parent) for key, value in options.items()}
    return MarkdownSettings(tuple(extensions), configs)


def markdown_settings_of(config: Any) -> MarkdownSettings:
    """The settings of a loaded MkDocs config: from its file, or from its values when it has none."""
    if config.config_file_path:
        return markdown_settings(Path(config.config_file_path))
    extensions = tuple(name for name in config.markdown_extensions if isinstance(name, str))
    return MarkdownSettings(extensions, {name: dict(options) for name, options in config.mdx_configs.items()})


def _relative_to(value: Any, config_dir: Path) -> Any:
    """Resolve MkDocs' `!relative $config_dir` paths, which the tolerant reader keeps as text."""
    if isinstance(value, list):
        return [_relative_to(item, config_dir) for item in value]
    if isinstance(value, str) and value.startswith("$config_dir"):
        return str(config_dir / value.removeprefix("$config_dir").lstrip("/"))
    return value


def render_markdown(text: str, settings: MarkdownSettings) -> str:
    """Markdown to HTML with the site's extensions (a fresh converter: extensions keep state)."""
    converter = markdown.Markdown(extensions=list(settings.extensions), extension_configs=settings.configs)
    return converter.convert(text)
