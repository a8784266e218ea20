"""Strict YAML reading: every value keeps its line, and what PyYAML would silently do is refused.

PyYAML on its own keeps the last of duplicate keys, expands anchors and aliases, and retypes plain
scalars (`no` → False, `1.10` → 1.1, `2015-05-26` → a date). Here duplicates and anchors are errors,
and every plain scalar that YAML retyped is remembered, so that a schema error on it can say "quote it".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]
# libyaml's C parser where PyYAML has it: same events and nodes, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR_TAG = "tag:yaml.org,2002:str"
_TYPE_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "empty (null)",
}


class YamlError(Exception):
    """A YAML document that cannot be read strictly; `line` is 1-based within the whole file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Retyped:
    """A plain scalar that YAML read as something other than text."""

    text: str
    read_as: str  # e.g. "a boolean"


@dataclass
class Document:
    """Plain Python data plus the line of every value and key (paths as in pydantic's `loc`)."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    retyped: dict[Path, Retyped] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, path: Path) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), self.first_line)


def load(text: str, first_line: int = 1) -> Document:
    """Read one YAML document strictly. `first_line` is the file line of the text's first line."""
    offset = first_line - 1
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise YamlError(
                    line + offset,
                    f"YAML {kind} '{anchor}' is not allowed; write the value out in full",
                )
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        raise YamlError(line, f"YAML does not parse: {error.problem or error.context}") from None
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors for text input
        raise YamlError(first_line, f"YAML does not parse: {error}") from None
    document = Document(data=None, first_line=first_line)
    if node is None:
        document.lines[()] = first_line
        return document
    document.data = _convert(node, (), document, SafeConstructor(), offset)
    return document


def _convert(node: Node, path: Path, doc: Document, constructor: SafeConstructor, offset: int) -> Any:
    doc.lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, (*path, "<key>"), doc, constructor, offset)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, str):
                raise YamlError(key_line, f"key {key!r} must be text; put it in quotes")
            if key in result:
                first = doc.lines[(*path, key)]
                raise YamlError(key_line, f"duplicate key '{key}' (first written on line {first})")
            doc.lines[(*path, key)] = key_line
            result[key] = _convert(value_node, (*path, key), doc, constructor, offset)
            doc.lines[(*path, key)] = key_line
        doc.lines.pop((*path, "<key>"), None)
        return result
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, index), doc, constructor, offset) for index, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    if node.tag != _STR_TAG and not node.style and node.tag in _TYPE_NAMES:  # plain: None or ""
        doc.retyped[path] = Retyped(node.value, _TYPE_NAMES[node.tag])
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError) as error:
        raise YamlError(node.start_mark.line + 1 + offset, f"cannot read value {node.value!r}: {error}") from None


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown file split into its front matter and body."""

    front_matter: Document
    body: str
    body_line: int  # file line where the body starts


def split_front_matter(text: str) -> FrontMatterFile:
    """Split `---`-fenced YAML front matter from a Markdown body, strictly."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise YamlError(1, "the file must start with YAML front matter between two '---' lines")
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") == "---":
            yaml_text = "".join(lines[1:index])
            document = load(yaml_text, first_line=2)
            document.lines.setdefault((), 1)
            if document.data is None:
                document.data = {}
            if not isinstance(document.data, dict):
                raise YamlError(2, "the front matter must be a mapping of 'field: value' lines")
            return FrontMatterFile(document, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "the front matter is not closed: add a line '---' after it")
